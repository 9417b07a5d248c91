"""Refresh the stored member summaries whose status the calendar has changed (run hourly by
the scheduler; safe to run twice), or every member's with --all (after a deploy that changed
the status rules, or to repair rows written outside the services)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from twinning.members.services import refresh_member_summaries, refresh_stale_summaries


class Command(BaseCommand):
    help = "Refresh members' stored status and balance: those the calendar changed, or --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Recompute every member.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = refresh_member_summaries() if options["all"] else refresh_stale_summaries()
        self.stdout.write(f"{written} member summary(ies) refreshed.")
