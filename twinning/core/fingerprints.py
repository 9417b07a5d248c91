"""A cheap fingerprint of the rows a cached page section is computed from, so the section can
be cached under a key that changes whenever those rows do (network's statistics and map data
fingerprint their tables the same way)."""

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet

Source = tuple[QuerySet[Any], Sequence[str]]


def cache_key(name: str, *parts: Any) -> str:
    """The cache key of `name` for these parts (a data version, the filters, the language):
    short and safe for any cache backend whatever the parts hold."""
    return f"{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def data_version(*sources: Source) -> str:
    """A short hash of each source's row count and the greatest value of each of its fields,
    in one query of scalar subqueries (each a single aggregate, so the database answers it
    from an index: give each field one, or the query scans the table).

    Give a model's primary key and `updated_at` (a row added or saved changes the key, a row
    removed changes the count), or a timestamp a write sets without `updated_at` (a tranche's
    `paid_at`). It is only as good as those fields: a write that bypasses them
    (`QuerySet.update()` without `updated_at`) must not feed what is cached under it."""
    return _read(*_version_sql(sources))


class Fingerprint:
    """`data_version` of sources that never change (whole tables, fixed filters), with its
    query compiled once per process, on first use, rather than on every call (building and
    compiling the querysets was most of the fingerprint's time): `library_version =
    Fingerprint(lambda: [(Resource.objects.all(), ("pk", "updated_at")), ...])`."""

    def __init__(self, sources: Callable[[], Sequence[Source]]) -> None:
        self._sources = sources
        self._compiled: tuple[str, list[Any]] | None = None

    def __call__(self) -> str:
        if self._compiled is None:
            self._compiled = _version_sql(self._sources())
        return _read(*self._compiled)


def _version_sql(sources: Sequence[Source]) -> tuple[str, list[Any]]:
    selects: list[str] = []
    params: list[Any] = []
    for queryset, fields in sources:
        inner = queryset.order_by().values(**{f"v{i}": F(name) for i, name in enumerate(fields)})
        sql, inner_params = inner.query.sql_with_params()
        aggregates = ["COUNT(*)"] + [f"MAX(v{i})" for i in range(len(fields))]
        for aggregate in aggregates:
            selects.append(f"(SELECT {aggregate} FROM ({sql}) s)")  # noqa: S608 -- SQL of the ORM
            params.extend(inner_params)
    return f"SELECT {', '.join(selects)}", params


def _read(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    raw = "|".join(str(value) for value in row)
    return hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()
