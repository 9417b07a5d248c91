"""Reminders of grant reports: 30 and 7 days before the due date and once overdue, each once
(scheduled daily in settings.TWINNING_SCHEDULE)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.authz import SYSTEM
from twinning.grants.services import send_report_reminders


class Command(BaseCommand):
    help = "Send due grant report reminders (30 days, 7 days, overdue), each once."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_report_reminders(by=SYSTEM)
        self.stdout.write(f"{sent} reminder(s) sent")
