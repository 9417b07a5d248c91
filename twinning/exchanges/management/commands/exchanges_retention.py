"""`manage.py exchanges_retention`: the nightly retention job of the high-school exchange
(RELIABILITY P-10; scheduled daily in settings.TWINNING_SCHEDULE): each season past its period
loses its students' and host families' personal data, and keeps its counts; then the
applications that ended without a placement (declined students, families never placed) go
`EXCHANGES_UNPLACED_RETENTION_MONTHS` after their decision or last activity."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.authz import SYSTEM
from twinning.exchanges.services.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Delete exchange seasons' personal data past their retention period, keep the counts; "
        "delete applications that ended without a placement past theirs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_retention(by=SYSTEM)
        self.stdout.write(
            f"seasons: {result.get('seasons', 0)}, students: {result.get('students', 0)}, "
            f"host families: {result.get('families', 0)}, "
            f"declined students: {result.get('unplaced_students', 0)}, "
            f"families never placed: {result.get('unplaced_families', 0)}, "
            f"files: {result.get('files', 0)}"
        )
