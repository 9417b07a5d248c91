"""Overdue mandatory incident reports: welfare staff are e-mailed once per report past its
deadline (scheduled hourly in settings.TWINNING_SCHEDULE: the shortest deadline is a day)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.authz import SYSTEM
from twinning.exchanges.services.incidents import send_report_alerts


class Command(BaseCommand):
    help = "E-mail welfare staff about overdue reports to the Department of State, each once."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_report_alerts(by=SYSTEM)
        self.stdout.write(f"{sent} alert(s) sent")
