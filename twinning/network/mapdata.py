"""The data behind the world map: every placed community and every partnership, in one compact
JSON document, built once per version of the registry and kept in the cache.

Shape (arrays, not objects, to stay small on the full network)::

    {"version": "...",
     "statuses": ["proposed", "active", "dormant", "ended"],
     "communities": [[id, name, slug, lat, lng, country_code], ...],
     "partnerships": [[i, j, status_index], ...]}

`i` and `j` index into `communities`; only communities with coordinates are listed, so a
partnership with an unplaced side is left out. Coordinates are rounded to 3 decimals (about
100 m), plenty for a world map.

The version is one cheap aggregate query (count and latest `updated_at` of communities and of
partnerships, plus a generation number kept in the cache). Saving, adding or deleting a row
changes it; code that writes with `QuerySet.update()` (which leaves `updated_at` alone) calls
`invalidate_map_data()`.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from twinning.network.models import Community, Partnership

STATUSES: list[str] = [str(status) for status in Partnership.Status.values]
_GENERATION_KEY = "network:mapdata:generation"
_PAYLOAD_KEY = "network:mapdata:{version}"
# A payload is only reused while the registry is unchanged, so it may live long; a new
# version simply leaves the old key to expire.
PAYLOAD_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class MapPayload:
    version: str
    body: bytes  # UTF-8 JSON
    gzipped: bytes

    @property
    def etag(self) -> str:
        # Weak: the same entity is served gzipped or not.
        return f'W/"{self.version}"'


def invalidate_map_data() -> None:
    """Make the next request rebuild the map data (for writes that bypass `updated_at`)."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value changes the version
        cache.set(_GENERATION_KEY, 1, None)


def map_data_version() -> str:
    """A short hash that changes whenever a community or a partnership is saved, added or
    removed, or `invalidate_map_data()` is called.

    One SQL query whatever the data size, written by hand because its shape matters: four
    scalar subqueries, each a single aggregate, so the database answers COUNT(*) from the
    smallest index and MAX(updated_at) from an index on updated_at. (A SELECT with both
    aggregates, which is what the ORM's aggregate() writes, scans the whole table.)"""
    quote = connection.ops.quote_name
    selects = [
        f"(SELECT {aggregate} FROM {quote(model._meta.db_table)})"  # noqa: S608 (no input)
        for model in (Community, Partnership)
        for aggregate in ("COUNT(*)", f"MAX({quote('updated_at')})")
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}")
        row = cursor.fetchone()
    parts = [*map(str, row), str(cache.get(_GENERATION_KEY, 0))]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=10).hexdigest()


def build_map_data() -> dict:
    """The map data as a Python structure (two queries: communities, then partnerships)."""
    rows = (
        Community.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("pk")
        .values_list("pk", "name", "slug", "latitude", "longitude", "country_id")
    )
    communities = []
    index: dict[int, int] = {}
    for pk, name, slug, lat, lng, country in rows:
        index[pk] = len(communities)
        communities.append([pk, name, slug, round(lat, 3), round(lng, 3), country])

    status_index = {status: n for n, status in enumerate(STATUSES)}
    partnerships = []
    pairs = (
        Partnership.objects.order_by("pk")
        .values_list("community_a_id", "community_b_id", "status")
        .iterator(chunk_size=5000)
    )
    for a, b, status in pairs:
        if a in index and b in index:
            partnerships.append([index[a], index[b], status_index.get(status, 1)])
    return {"statuses": STATUSES, "communities": communities, "partnerships": partnerships}


def encode_map_data(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def get_map_payload(version: str | None = None) -> MapPayload:
    """The current map data, from the cache when the registry has not changed since it was
    built; otherwise built, compressed and cached for the next requests. Pass the `version`
    when it is already known (the view checks it against the client's ETag first)."""
    version = version or map_data_version()
    key = _PAYLOAD_KEY.format(version=version)
    payload = cache.get(key)
    if payload is None:
        data = build_map_data()
        data = {"version": version, **data}
        body = encode_map_data(data)
        payload = MapPayload(
            version=version, body=body, gzipped=gzip.compress(body, compresslevel=9, mtime=0)
        )
        cache.set(key, payload, PAYLOAD_TIMEOUT)
    return payload
