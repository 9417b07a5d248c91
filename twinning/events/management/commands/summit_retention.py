"""`manage.py summit_retention`: the nightly retention job of the Youth Leadership Summit
(RELIABILITY P-10): restricted details 60 days after a summit ends, the rest 24 months after,
the summit's consent records 3 years after that (with the person, when only the summit held
them)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.events.services.summit import apply_summit_retention
from twinning.events.services.summit_apply import apply_consent_retention


class Command(BaseCommand):
    help = "Delete summit participants' restricted details and personal data past retention."

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_summit_retention()
        erased = apply_consent_retention()
        self.stdout.write(
            f"restricted details deleted: {result['restricted_deleted']}, "
            f"people anonymised: {result['people_anonymised']}, "
            f"consent records past retention: {erased}"
        )
