"""`manage.py showcase_retention`: the nightly retention job of the showcase (PRIV-10)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.showcase.privacy import apply_retention


class Command(BaseCommand):
    help = "Reduce expired showcase entries to counts and delete unconsented accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_retention()
        self.stdout.write(
            f"entries reduced: {result['entries_reduced']}, "
            f"accounts deleted: {result['accounts_deleted']}"
        )
