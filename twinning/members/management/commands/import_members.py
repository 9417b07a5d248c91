"""Import member organisations from a CSV file; prints the rejection report."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from twinning.core.authz import SYSTEM
from twinning.members.imports import decode_upload, import_members


class Command(BaseCommand):
    help = "Import members from CSV: every row imported or rejected with its line and reason."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--report", help="Write the rejected rows to this CSV file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            lines = decode_upload(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        if lines is None:
            raise CommandError(f"{path} is not UTF-8 text.")
        report = import_members(lines, by=SYSTEM, source=path.name)
        if report.error:
            raise CommandError(report.error)
        for line, reason in report.rejected:
            self.stdout.write(f"line {line}: {reason}")
        if options.get("report"):
            Path(options["report"]).write_text(report.as_csv(), encoding="utf-8")
        self.stdout.write(f"{report.imported} imported, {len(report.rejected)} rejected.")
