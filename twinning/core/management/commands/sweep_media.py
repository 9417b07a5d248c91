"""`manage.py sweep_media`: delete private files no row names (twinning/core/orphans.py)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from twinning.core.orphans import GRACE, sweep_orphans


class Command(BaseCommand):
    help = "Delete private media files that no record names and that are older than a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=int(GRACE.total_seconds() // 3600),
            help="Keep files younger than this (default: 24), whatever happens to them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the orphans; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        grace = datetime.timedelta(hours=max(1, options["older_than_hours"]))
        orphans = sweep_orphans(grace=grace, dry_run=options["dry_run"])
        for name in orphans:
            self.stdout.write(name)
        verb = "found" if options["dry_run"] else "deleted"
        self.stdout.write(f"orphaned files {verb}: {len(orphans)}")
