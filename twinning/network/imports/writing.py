"""Writing in bulk (25,000 rows do not go through the per-object services) and the import
report, one CSV line per input row."""

import csv
from pathlib import Path
from typing import Any

from django.db import connection, models
from django.utils import timezone

from twinning.network.imports.outcomes import Outcome


def insert_rows(model: type[models.Model], objects: list[Any]) -> None:
    """INSERT unsaved instances, many rows per statement: bulk_create spends most of a full
    import preparing values field by field. Values are
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
    marks = "({})".format(", ".join(["%s"] * len(fields)))
    table = ops.quote_name(model._meta.db_table)
    rows = [
        tuple(adapt(getattr(obj, name)) for adapt, name in zip(adapters, attnames, strict=True))
        for obj in objects
    ]
    # Many rows per statement: a trigger on the table (the communities' word index on SQLite,
    # network migration 0005) costs a statement's overhead per statement, not per row.
    per_statement = max(1, min(500, (connection.features.max_query_params or 30000) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            # Names from the model's own metadata, quoted; every value is a parameter.
            values = ", ".join([marks] * len(batch))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])


def write_report(path: Path, outcomes: list[Outcome], columns: list[str]) -> None:
    """The import report: one CSV line per input row (line, outcome, reason, raw values)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "outcome", "reason", *columns])
        for o in outcomes:
            writer.writerow([o.line, o.outcome, o.reason, *o.raw])
