"""`manage.py import_partnerships PATH [--report PATH]`: import a partnership file."""

import time

from django.core.management.base import BaseCommand, CommandError

from twinning.network.geo import BordersMissing
from twinning.network.imports import ImportFileError, import_partnerships


class Command(BaseCommand):
    help = (
        "Import partnerships from a CSV file (city1,country1,lat1,lng1,city2,country2,lat2,lng2 "
        "or city1,country1,city2,country2). Every row is imported, already present or rejected "
        "with its reason in the report; the import is all or nothing."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", help="The CSV file to import.")
        parser.add_argument(
            "--report", help="Where to write the CSV report (default: var/imports/<time>.csv)."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            result = import_partnerships(
                options["path"],
                report_path=options["report"],
                progress=self.stdout.write,
            )
        except (ImportFileError, BordersMissing) as error:
            raise CommandError(str(error)) from None
        for line in result.summary_lines():
            self.stdout.write(line)
        self.stdout.write(f"Done in {time.perf_counter() - start:.1f} s.")
