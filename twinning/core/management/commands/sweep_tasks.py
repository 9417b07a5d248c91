"""`manage.py sweep_tasks`: re-queue or fail the running tasks whose worker died (DUR-4).

Scheduled every minute (settings.TWINNING_SCHEDULE); safe to run from several places at once
(each task is settled under a lock, after checking its lease again)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.core.leases import sweep_expired_tasks


class Command(BaseCommand):
    help = "Re-queue (or fail, after the last attempt) running tasks whose worker died."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_expired_tasks()
        if options["verbosity"]:
            self.stdout.write(
                f"{len(result.retried)} task(s) queued again, {len(result.failed)} failed."
            )
