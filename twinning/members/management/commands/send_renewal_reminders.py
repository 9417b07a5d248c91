"""Send the renewal reminders due today (run daily by the scheduler; safe to run twice)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from twinning.members.services import send_renewal_reminders


class Command(BaseCommand):
    help = "Queue the renewal reminders due today (60, 30, 7 days before the end, in grace)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("--date must look like 2026-07-01") from error
        summary = send_renewal_reminders(on=day)
        self.stdout.write(
            f"{summary.sent} reminder(s) queued; "
            f"{summary.skipped_no_address} member(s) without an address to write to."
        )
