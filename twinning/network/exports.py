"""The directory's exports, CSV and GeoJSON, of the same filtered set as the page. Both are
streamed from one query read in chunks, so the full directory (17,000+ rows) never sits in
memory as objects."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from twinning.core.exports import csv_lines as safe_csv_lines
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
CHUNK = 2000


def export_rows(communities: QuerySet[Community]) -> Iterator[dict[str, Any]]:
    rows = (
        with_partner_count(communities)
        .order_by("name", "country_id", "pk")
        .values(*_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        yield dict(zip(CSV_COLUMNS, (row[name] for name in _FIELDS), strict=True))


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The directory as formula-safe CSV (INPUT-6), line by line."""
    return safe_csv_lines(CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in rows))


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
