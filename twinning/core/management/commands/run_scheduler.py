"""Run the periodic jobs of settings.TWINNING_SCHEDULE (see twinning/core/schedule.py)."""

import time

from django.core.management.base import BaseCommand

from twinning.core.schedule import run_due_jobs


class Command(BaseCommand):
    help = "Run due periodic jobs: once (for cron) or in a loop (beside the task worker)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--once", action="store_true", help="Run what is due, then stop.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        while True:
            for result in run_due_jobs():
                status = "ok" if result.ok else f"failed: {result.error}"
                self.stdout.write(f"{result.name}: {status}")
            if options["once"]:
                return
            time.sleep(options["interval"])
