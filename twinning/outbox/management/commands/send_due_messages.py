"""`manage.py send_due_messages`: send the outbox's due messages (cron, or the demo worker)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from twinning.outbox.services import send_due_messages


class Command(BaseCommand):
    help = "Send queued e-mails whose next attempt is due; a mail server error stops the run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="Most messages in one run.")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        outcomes = send_due_messages(limit=limit)
        summary = ", ".join(f"{name}: {count}" for name, count in sorted(outcomes.items()))
        self.stdout.write(summary or "nothing due")
