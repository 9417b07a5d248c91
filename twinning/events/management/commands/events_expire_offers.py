"""`manage.py events_expire_offers`: expire the waiting-list offers not answered in time and
pass their seats to the next parties that fit (scheduled in TWINNING_SCHEDULE)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.authz import SYSTEM
from twinning.events.services.waitlist import expire_offers


class Command(BaseCommand):
    help = "Expire unanswered waiting-list offers and offer their seats to the next parties."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_offers(by=SYSTEM)
        self.stdout.write(f"offers expired: {count}")
