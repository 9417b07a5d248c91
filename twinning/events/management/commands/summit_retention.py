"""`manage.py summit_retention`: the nightly retention job of the Youth Leadership Summit
(RELIABILITY P-10): restricted details 60 days after a summit ends, the rest 24 months after."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.events.services.summit import apply_summit_retention


class Command(BaseCommand):
    help = "Delete summit participants' restricted details and personal data past retention."

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_summit_retention()
        self.stdout.write(
            f"restricted details deleted: {result['restricted_deleted']}, "
            f"people anonymised: {result['people_anonymised']}"
        )
