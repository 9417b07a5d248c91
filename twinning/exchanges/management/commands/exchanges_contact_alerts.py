"""Overdue monthly contacts: each placement's coordinator is e-mailed once per month left
without a contact (scheduled daily in settings.TWINNING_SCHEDULE)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.authz import SYSTEM
from twinning.exchanges.services.monitoring import send_contact_alerts


class Command(BaseCommand):
    help = "E-mail coordinators about months without a monthly contact, each month once."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_contact_alerts(by=SYSTEM)
        self.stdout.write(f"{sent} alert(s) sent")
