"""`manage.py exchanges_retention`: the nightly retention job of the high-school exchange
(RELIABILITY P-10; scheduled daily in settings.TWINNING_SCHEDULE): each season past its period
loses its students' and host families' personal data, and keeps its counts."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.authz import SYSTEM
from twinning.exchanges.services.retention import apply_retention


class Command(BaseCommand):
    help = "Delete exchange seasons' personal data past their retention period, keep the counts."

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_retention(by=SYSTEM)
        self.stdout.write(
            f"seasons: {result.get('seasons', 0)}, students: {result.get('students', 0)}, "
            f"host families: {result.get('families', 0)}, files: {result.get('files', 0)}"
        )
