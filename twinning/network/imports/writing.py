"""Writing in bulk (25,000 rows do not go through the per-object services) and the import
report, one CSV line per input row."""

import csv
from pathlib import Path
from typing import Any

from django.db import connection, models
from django.utils import timezone

from twinning.network.imports.outcomes import Outcome


def insert_rows(model: type[models.Model], objects: list[Any]) -> None:
    """INSERT unsaved instances with one executemany: bulk_create spends most of a full import
    preparing values field by field (SQLite's 999-parameter batches of ~40 rows). Values are
    taken as they are, except dates and times (adapted for the backend) and the auto_now
    timestamps (set here). The database's constraints still check every row."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    adapters = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            adapters.append(
                (lambda v, _now=now: _now)
                if auto
                else (lambda v: ops.adapt_datetimefield_value(v) if v is not None else None)
            )
        elif isinstance(f, models.DateField):
            adapters.append(lambda v: ops.adapt_datefield_value(v) if v is not None else None)
        else:
            adapters.append(lambda v: str(v) if isinstance(v, str) else v)
    attnames = [f.attname for f in fields]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = ops.quote_name(model._meta.db_table)
    # Names from the model's own metadata, quoted; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    rows = [
        tuple(adapt(getattr(obj, name)) for adapt, name in zip(adapters, attnames, strict=True))
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def write_report(path: Path, outcomes: list[Outcome], columns: list[str]) -> None:
    """The import report: one CSV line per input row (line, outcome, reason, raw values)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "outcome", "reason", *columns])
        for o in outcomes:
            writer.writerow([o.line, o.outcome, o.reason, *o.raw])
