"""The directory's exports, CSV and GeoJSON, of the same filtered set as the page. Both are
streamed from one query read in chunks, so the full directory (17,000+ rows) never sits in
memory as objects."""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from twinning.network.models import Community
from twinning.network.queries import with_partner_count

CSV_COLUMNS = [
    "name",
    "slug",
    "country_code",
    "country",
    "region",
    "kind",
    "population",
    "latitude",
    "longitude",
    "partner_count",
    "geonames_id",
    "wikidata_id",
]
_FIELDS = [
    "name",
    "slug",
    "country_id",
    "country__name",
    "region",
    "kind",
    "population",
    "latitude",
    "longitude",
    "partner_count",
    "geonames_id",
    "wikidata_id",
]
# RELIABILITY E6: a cell a spreadsheet could read as a formula gets a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
CHUNK = 2000


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells; numbers and empty values pass as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(communities: QuerySet[Community]) -> Iterator[dict[str, Any]]:
    rows = (
        with_partner_count(communities)
        .order_by("name", "country_id", "pk")
        .values(*_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        yield dict(zip(CSV_COLUMNS, (row[name] for name in _FIELDS), strict=True))


class _Echo:
    """A file-like object whose write returns the line, for csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark so spreadsheet programs read UTF-8 names correctly
    yield writer.writerow(CSV_COLUMNS)
    for row in rows:
        yield writer.writerow(
            ["" if row[column] is None else safe_cell(row[column]) for column in CSV_COLUMNS]
        )


def geojson_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A GeoJSON FeatureCollection (RFC 7946); a community without coordinates is an
    unlocated feature (geometry null), so the file lists the same set as the CSV."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for row in rows:
        geometry = None
        if row["latitude"] is not None and row["longitude"] is not None:
            geometry = {
                "type": "Point",
                "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)],
            }
        properties = {
            column: row[column] for column in CSV_COLUMNS if column not in {"latitude", "longitude"}
        }
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        yield ("" if first else ",") + json.dumps(
            feature, ensure_ascii=False, separators=(",", ":")
        )
        first = False
    yield "]}"
