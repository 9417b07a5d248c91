"""The import of partnership files (data/twin_cities.csv and files like it).

Every input row is imported, already present, or rejected with a reason and its line number,
and the figures add up: imported + already present + rejected = rows read (RELIABILITY E8).
The whole import runs in one transaction, so a failure midway leaves the database as before.

Columns: city1,country1,lat1,lng1,city2,country2,lat2,lng2 or, without coordinates,
city1,country1,city2,country2 (communities are then placed at their gazetteer match).

Community identity is (country, name key, region), the model's unique constraint. The region is
the label's region hint ('England', 'Ohio, United States', 'Lower Saxony, Germany') or else the
gazetteer match's first-level region where GeoNames' codes map reliably (the US, GB, CH, BE,
ME), so Springfield, Illinois and Springfield, Missouri stay two communities. Elsewhere the
region stays blank: one name in one country is one community (in the real file, a name given
twice in one country with points far apart is a mis-geocoded listing of one place, and the
location check flags it). Two labels of one place ('Chişinău' with a cedilla and 'Chișinău'
with a comma below, 'Halle' and 'Halle (Saale)') are one community when both match the same
gazetteer place surely (within 50 km of their points) and their regions agree.

For speed on 25,000 rows the rows are written in bulk (`insert_rows`), not through the
per-object services; the run leaves one ImportRun row and one audit entry (C15) for the whole
import, and each partnership its first status-history entry.
"""

import csv
import io
import math
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from twinning.core.services import log_activity
from twinning.network import geo
from twinning.network.countries import ensure_countries, resolve_country
from twinning.network.gazetteer import ADMIN1_COUNTRIES, Gazetteer, Match
from twinning.network.mapdata import invalidate_map_data
from twinning.network.models import (
    Community,
    ImportRun,
    Partnership,
    PartnershipStatusChange,
)
from twinning.network.queries import invalidate_network_stats
from twinning.network.text import fold, name_key

SOURCE = "wikipedia:twin_cities.csv"
FULL_COLUMNS = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
PLAIN_COLUMNS = ["city1", "country1", "city2", "country2"]
PLACEHOLDER_MATCH_KM = 10.0

LocationStatus = Community.LocationStatus

# Reason codes (the summary groups by them; the report gives the detail).
EMPTY_NAME = "empty name"
UNKNOWN_COUNTRY = "unknown country label"
EMPTY_COUNTRY = "empty country label"
BAD_COORDINATES = "coordinates not numbers"
OUT_OF_RANGE = "coordinates out of range"
SELF_PAIR = "same place on both sides"
DUPLICATE = "duplicate listing"
WRONG_FIELDS = "wrong number of fields"
NAME_TOO_LONG = "name too long"


class ImportFileError(Exception):
    """The file cannot be imported at all (the command shows the message in one line)."""


@dataclass
class Side:
    name: str
    code: str
    region_hint: str
    point: tuple[float, float] | None
    label: str  # raw 'name, country label'
    note: str = ""


@dataclass
class Outcome:
    line: int
    outcome: str  # created | already_present | rejected
    reason: str
    raw: list[str]
    code: str = ""


@dataclass
class ImportResult:
    outcomes: list[Outcome]
    created: int
    already_present: int
    rows_read: int = 0
    run: ImportRun | None = None
    rejected: Counter = field(default_factory=Counter)
    communities_created: int = 0
    locations: Counter = field(default_factory=Counter)
    unplaced: list[str] = field(default_factory=list)
    report_path: Path | None = None

    def summary_lines(self) -> list[str]:
        rejected = sum(self.rejected.values())
        lines = [
            f"Rows read:            {self.rows_read}",
            f"Partnerships created: {self.created}",
            f"Already present:      {self.already_present}",
            f"Rejected:             {rejected}",
        ]
        lines += [f"  {reason}: {n}" for reason, n in self.rejected.most_common()]
        lines.append(f"Communities created:  {self.communities_created}")
        if self.locations:
            lines.append("Location checks of the new communities:")
            lines += [f"  {status}: {n}" for status, n in self.locations.most_common()]
        if self.unplaced:
            lines.append(f"Communities that could not be placed: {len(self.unplaced)}")
        if self.report_path:
            lines.append(f"Report: {self.report_path}")
        return lines


# --- Reading the file ------------------------------------------------------------------------
Row = tuple[int, list[str], bool]  # line, values, has the header's number of fields


def _read_text(path: Path) -> str:
    """The file's text, after the checks that need no parsing (size first, before reading)."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from None
    if not path.is_file():
        raise ImportFileError(f"{path}: not a file.")
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            f"{path}: the file is {size:,} bytes, more than the {limit:,} bytes accepted "
            "(IMPORT_MAX_BYTES)."
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise ImportFileError(f"{path}: this is not a text file (it contains NUL bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path}: the file is not UTF-8 (invalid byte at line {line}); save it as UTF-8."
        ) from None
    if not text.strip():
        raise ImportFileError(f"{path}: the file is empty.")
    return text


def _columns(path: Path, header: list[str]) -> list[str]:
    if set(FULL_COLUMNS) <= set(header):
        return FULL_COLUMNS
    if set(PLAIN_COLUMNS) <= set(header):
        return PLAIN_COLUMNS
    missing = [c for c in PLAIN_COLUMNS if c not in header]
    raise ImportFileError(
        f"{path}: missing column(s) {', '.join(missing)}; expected "
        f"{','.join(FULL_COLUMNS)} or {','.join(PLAIN_COLUMNS)}."
    )


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The columns and the rows (line, values in the columns' order, well-formed) of a
    partnership file; raises ImportFileError with a one-line message for a file that cannot
    be read as one."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        rows = [(reader.line_num, v) for v in reader if v and any(x.strip() for x in v)]
    except csv.Error as error:
        raise ImportFileError(f"{path}: not a readable CSV file ({error}).") from None
    columns = _columns(path, header)
    positions = [header.index(c) for c in columns]
    return columns, [
        (line, [values[i] for i in positions], True)
        if len(values) == len(header)
        else (line, values, False)  # rejected with its reason, raw values kept
        for line, values in rows
    ]


# --- Rows -> sides -----------------------------------------------------------------------------
class Rejected(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code, self.detail = code, detail or code


def _point(lat: str, lng: str) -> tuple[float, float] | None:
    lat, lng = lat.strip(), lng.strip()
    if not lat and not lng:
        return None
    try:
        y, x = float(lat), float(lng)
    except ValueError:
        raise Rejected(BAD_COORDINATES, f"{BAD_COORDINATES}: {lat!r}, {lng!r}") from None
    if not (math.isfinite(y) and math.isfinite(x)):
        raise Rejected(BAD_COORDINATES, f"{BAD_COORDINATES}: {lat!r}, {lng!r}")
    if not (-90 <= y <= 90 and -180 <= x <= 180):
        raise Rejected(OUT_OF_RANGE, f"{OUT_OF_RANGE}: {lat}, {lng}")
    return (y, x)


def _side(name: str, label: str, lat: str | None, lng: str | None) -> Side:
    name = " ".join(name.split())
    note = ""
    if not name:
        raise Rejected(EMPTY_NAME)
    if len(name) > 200:
        raise Rejected(NAME_TOO_LONG, f"{NAME_TOO_LONG}: {name[:40]}...")
    resolution = resolve_country(label)
    if not resolution.ok and not label.strip() and "," in name:
        # 'Varna, Bulgaria' in the city column with an empty country: split it.
        left, right = (p.strip() for p in name.rsplit(",", 1))
        rescued = resolve_country(right)
        if rescued.ok and left:
            name, resolution = left, rescued
            note = "country taken from the name"
    if not resolution.ok:
        code = EMPTY_COUNTRY if not label.strip() else UNKNOWN_COUNTRY
        raise Rejected(code, resolution.reason)
    point = _point(lat, lng) if lat is not None and lng is not None else None
    return Side(name, resolution.code, resolution.region, point, f"{name}, {label}"[:300], note)


KIND_WORDS = [
    (re.compile(r"\b(county|district)\b", re.I), Community.Kind.COUNTY),
    (re.compile(r"\b(prefecture|province|state)\b", re.I), Community.Kind.STATE),
    (re.compile(r"\bregion\b", re.I), Community.Kind.REGION),
]


def community_kind(name: str) -> str:
    for pattern, kind in KIND_WORDS:
        if pattern.search(name):
            return kind
    return Community.Kind.CITY


# --- The import ------------------------------------------------------------------------------
@dataclass
class _Place:
    """One distinct community of the file, before it exists in the database."""

    key: tuple[str, str, str]
    side: Side
    match: Match
    border: geo.BorderCheck | None
    # (GeoNames id, region) when the match is sure enough to merge two labels of one place
    # ('Chişinău' with a cedilla and 'Chișinău' with a comma, 'Halle' and 'Halle (Saale)').
    same_as: tuple[int, str] | None = None


def default_report_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "imports" / f"{stamp}.csv"


def import_partnerships(
    path: str | Path,
    *,
    report_path: str | Path | None = None,
    by: Any = None,
    source: str = SOURCE,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import a partnership file (see the module docstring). Raises ImportFileError for a file
    that cannot be imported; otherwise every row ends in the result's outcomes."""
    path = Path(path)
    columns, rows = read_rows(path)
    geo.borders()  # fail early, with its message, if the border file is missing
    report = Path(report_path) if report_path else default_report_path()
    outcomes: dict[int, Outcome] = {}
    sides = _parse(columns, rows, outcomes)
    places = _identify(sides, progress)
    with transaction.atomic():
        raw = {line: values for line, values, _ok in rows}
        result = _write(places, sides, raw, outcomes, source=source)
        result.rows_read = len(rows)
        result.report_path = report
        result.run = _record_run(path, result, report, by)
        write_report(report, result.outcomes, columns)
        # Bulk inserts bypass the services, so the cached figures and map data are told here.
        transaction.on_commit(invalidate_network_stats)
        transaction.on_commit(invalidate_map_data)
    if result.created + result.already_present + sum(result.rejected.values()) != len(rows):
        raise RuntimeError("import figures do not add up")  # pragma: no cover - E8 guard
    return result


def _parse(columns: list[str], rows: list[Row], outcomes: dict[int, Outcome]) -> dict:
    """line -> its two sides; rows that cannot be read are put in `outcomes` as rejected."""
    sides: dict[int, tuple[Side, Side]] = {}
    for line, values, well_formed in rows:
        if not well_formed:
            detail = f"{WRONG_FIELDS}: {len(values)}"
            outcomes[line] = Outcome(line, "rejected", detail, values, WRONG_FIELDS)
            continue
        row = dict(zip(columns, values, strict=True))
        try:
            sides[line] = (
                _side(row["city1"], row["country1"], row.get("lat1"), row.get("lng1")),
                _side(row["city2"], row["country2"], row.get("lat2"), row.get("lng2")),
            )
        except Rejected as rejection:
            outcomes[line] = Outcome(line, "rejected", rejection.detail, values, rejection.code)
    return sides


def _record_run(path: Path, result: ImportResult, report: Path, by: Any) -> ImportRun:
    """The ImportRun row and the one audit entry of the whole import (C15)."""
    run = ImportRun.objects.create(
        source_name=str(path)[:300],
        started_by=by if getattr(by, "is_authenticated", False) else None,
        rows_read=result.rows_read,
        created=result.created,
        already_present=result.already_present,
        rejected=sum(result.rejected.values()),
        communities_created=result.communities_created,
        rejected_by_reason=dict(result.rejected),
        report_path=str(report)[:500],
        succeeded=True,
        message="\n".join(result.summary_lines()),
    )
    log_activity(
        run,
        "network.import.completed",
        by=by,
        data={
            "file": path.name,
            "rows_read": result.rows_read,
            "created": result.created,
            "already_present": result.already_present,
            "rejected": dict(result.rejected),
            "communities_created": result.communities_created,
        },
    )
    return run


def _identify(
    sides: dict[int, tuple[Side, Side]], progress: Callable[[str], None] | None
) -> dict[tuple, _Place]:
    """Match every distinct (country, name, region hint, point) of the file to the gazetteer
    and check its point; returns the places keyed by the same tuple."""
    distinct: dict[tuple, Side] = {}
    for pair in sides.values():
        for side in pair:
            distinct.setdefault((side.code, side.name, side.region_hint, side.point), side)
    gazetteer = Gazetteer()
    by_country: dict[str, set[str]] = {}
    for code, name, _hint, _point in distinct:
        by_country.setdefault(code, set()).add(name)
    for code, names in by_country.items():
        gazetteer.prepare(code, names)
    if progress:
        progress(f"{len(distinct)} distinct places in {len(by_country)} countries.")
    borders: dict[tuple[str, float, float], geo.BorderCheck] = {}
    places: dict[tuple, _Place] = {}
    for (code, name, hint, point), side in distinct.items():
        border = None
        if point is not None:
            border = borders.get((code, *point))
            if border is None:
                border = borders[(code, *point)] = geo.check_border(code, *point)
        trusted = point if border is not None and border.inside is not False else None
        match = gazetteer.match(name, code, point=trusted, region_hint=hint)
        region = hint  # from the label: 'England', 'Lower Saxony, Germany', 'Northern Cyprus'
        if not region and code in ADMIN1_COUNTRIES and match.place:
            region = match.place.admin1_name  # elsewhere GeoNames' region names are unknown
        key = (code, name_key(name), region[:200])
        sure = match.place is not None and (
            (match.distance_km is not None and match.distance_km <= geo.FAR_FROM_MATCH_KM)
            or (point is None and match.form == 0 and not match.ambiguous)
        )
        # A conflicting region hint ('Lagoa' of the Azores geocoded in the Algarve) keeps
        # two labels apart even when they match the same place.
        same_as = (match.place.geonames_id, key[2]) if sure and match.place else None
        places[(code, name, hint, point)] = _Place(key, side, match, border, same_as)
    return places


def _assess(place: _Place, placeholders: set[tuple[float, float]]) -> dict[str, Any]:
    """Location status, note and suggestion for a new community (flag, never move)."""
    side, match, border = place.side, place.match, place.border
    gaz = match.place
    fields: dict[str, Any] = {"latitude": None, "longitude": None}
    if side.point is None:
        if gaz is None:
            return {**fields, "location_status": LocationStatus.UNPLACED, "location_note": ""}
        note = f"Placed at the gazetteer's {gaz.name} (GeoNames {gaz.geonames_id})."
        if match.ambiguous:
            note += f" {match.candidates} places share the name: chosen by population."
        status = LocationStatus.FAR_FROM_MATCH if match.ambiguous else LocationStatus.OK
        return {
            "latitude": gaz.latitude,
            "longitude": gaz.longitude,
            "location_status": status,
            "location_note": note[:300],
        }
    lat, lng = side.point
    fields = {"latitude": lat, "longitude": lng}
    distance = geo.haversine_km(lat, lng, gaz.latitude, gaz.longitude) if gaz else None
    if border is not None and border.inside is False:
        note = f"The point lies {border.distance_km:.0f} km outside {side.code}."
        if gaz:
            note += f" The gazetteer's {gaz.name} is {distance:.0f} km away."
        status = LocationStatus.OUTSIDE_COUNTRY
    elif (round(lat, 4), round(lng, 4)) in placeholders and (
        distance is None or distance > PLACEHOLDER_MATCH_KM
    ):
        note = "The point is shared by several places or is a whole-degree point."
        status = LocationStatus.PLACEHOLDER
    elif gaz is not None and distance is not None and distance > geo.FAR_FROM_MATCH_KM:
        note = f"The gazetteer's {gaz.name} is {distance:.0f} km from the point."
        status = LocationStatus.FAR_FROM_MATCH
    elif gaz is None:
        return {**fields, "location_status": LocationStatus.UNMATCHED, "location_note": ""}
    else:
        note = "" if border is not None else "No border data for this country."
        return {**fields, "location_status": LocationStatus.OK, "location_note": note}
    if match.ambiguous:
        note += f" {match.candidates} places share the name: suggestion chosen by population."
    result = {**fields, "location_status": status, "location_note": note[:300]}
    if gaz:
        result.update(suggested_latitude=gaz.latitude, suggested_longitude=gaz.longitude)
    return result


def _unique_slugs(names: list[str]) -> list[str]:
    taken = set(Community.objects.values_list("slug", flat=True))
    slugs = []
    for base in names:
        root = (slugify(base) or "community")[:200]
        slug, n = root, 1
        while slug in taken:
            n += 1
            slug = f"{root}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _ident(side: Side) -> tuple:
    return (side.code, side.name, side.region_hint, side.point)


def _write(
    places: dict[tuple, _Place],
    sides: dict[int, tuple[Side, Side]],
    raw: dict[int, list[str]],
    outcomes: dict[int, Outcome],
    *,
    source: str,
) -> ImportResult:
    codes = {p.key[0] for p in places.values()}
    countries = ensure_countries(codes)
    refs, new = _resolve(places, sides, codes)
    locations = Counter(checked["location_status"] for _place, checked in new.values())
    unplaced = [p.side.label for p, checked in new.values() if checked["latitude"] is None]
    new_pks = _create_communities(new, countries)
    community_of = {
        ident: ref if isinstance(ref, int) else new_pks[ref] for ident, ref in refs.items()
    }
    partnerships = _pair(sides, community_of, codes, raw, outcomes, source=source)
    _create_partnerships(partnerships)
    ordered = [outcomes[line] for line in sorted(outcomes)]
    return ImportResult(
        outcomes=ordered,
        created=len(partnerships),
        already_present=sum(1 for o in ordered if o.outcome == "already_present"),
        rejected=Counter(o.code for o in ordered if o.outcome == "rejected"),
        communities_created=len(new),
        locations=locations,
        unplaced=unplaced,
    )


def _resolve(
    places: dict[tuple, _Place], sides: dict[int, tuple[Side, Side]], codes: set[str]
) -> tuple[dict[tuple, Any], dict[tuple[str, str, str], tuple[_Place, dict[str, Any]]]]:
    """Each distinct place -> an existing community's pk, or the key of a new community (with
    its location check). The first listing of a new community gives its name and point. The
    precedence is the same on a re-run against the database, so a second run finds every
    community again."""
    existing: dict[tuple[str, str, str], int] = {}
    existing_same: dict[tuple[int, str], int] = {}
    for pk, c, k, r, gid in Community.objects.filter(country__in=codes).values_list(
        "pk", "country_id", "name_key", "region", "geonames_id"
    ):
        existing[(c, k, r)] = pk
        if gid:
            existing_same.setdefault((gid, r), pk)
    placeholders = geo.placeholder_points(
        ("|".join(p.key), *p.side.point) for p in places.values() if p.side.point is not None
    )
    refs: dict[tuple, Any] = {}
    new: dict[tuple[str, str, str], tuple[_Place, dict[str, Any]]] = {}
    new_same: dict[tuple[int, str], tuple[str, str, str]] = {}
    for line in sorted(sides):
        for side in sides[line]:
            ident = _ident(side)
            if ident in refs:
                continue
            place = places[ident]
            same = place.same_as
            if place.key in existing:
                refs[ident] = existing[place.key]
            elif same is not None and same in existing_same:
                refs[ident] = existing_same[same]
            elif place.key in new:
                refs[ident] = place.key
            elif same is not None and same in new_same:
                refs[ident] = new_same[same]
            else:
                new[place.key] = (place, _assess(place, placeholders))
                refs[ident] = place.key
                if same is not None:
                    new_same[same] = place.key
    return refs, new


def _create_communities(
    new: dict[tuple[str, str, str], tuple[_Place, dict[str, Any]]], countries: dict
) -> dict[tuple[str, str, str], int]:
    """Insert the new communities; returns their pks by key."""
    rows = []
    slugs = _unique_slugs([f"{p.side.name}-{p.key[0]}" for p, _checked in new.values()])
    for (place, checked), slug in zip(new.values(), slugs, strict=True):
        side = place.side
        # The GeoNames id and population only of a sure match (the gazetteer's point is kept
        # as a suggestion either way).
        gaz = place.match.place if place.same_as else None
        rows.append(
            Community(
                name=side.name,
                slug=slug,
                name_key=name_key(side.name),
                search_name=fold(side.name),
                country=countries[place.key[0]],
                region=place.key[2],
                kind=community_kind(side.name),
                population=gaz.population if gaz and gaz.population else None,
                geonames_id=gaz.geonames_id if gaz else None,
                source_label=side.label,
                **checked,
            )
        )
    before = Community.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_rows(Community, rows)
    pks = dict(Community.objects.filter(pk__gt=before).values_list("slug", "pk"))
    return {key: pks[c.slug] for key, c in zip(new, rows, strict=True)}


def _pair(
    sides: dict[int, tuple[Side, Side]],
    community_of: dict[tuple, int],
    codes: set[str],
    raw: dict[int, list[str]],
    outcomes: dict[int, Outcome],
    *,
    source: str,
) -> list[Partnership]:
    """The partnerships to create; every other row gets its outcome (self-pair, duplicate of
    an earlier line, already present)."""
    pairs_present = set(
        Partnership.objects.filter(community_a__country__in=codes).values_list(
            "community_a_id", "community_b_id"
        )
    )
    first_line: dict[tuple[int, int], int] = {}
    partnerships = []
    today = timezone.localdate()
    for line in sorted(sides):
        one, other = (community_of[_ident(s)] for s in sides[line])
        if one == other:
            outcomes[line] = Outcome(line, "rejected", SELF_PAIR, raw[line], SELF_PAIR)
            continue
        pair = (min(one, other), max(one, other))
        if pair in first_line:
            detail = f"duplicate of line {first_line[pair]}"
            outcomes[line] = Outcome(line, "rejected", detail, raw[line], DUPLICATE)
            continue
        first_line[pair] = line
        if pair in pairs_present:
            outcomes[line] = Outcome(line, "already_present", "", raw[line])
            continue
        notes = "; ".join(s.note for s in sides[line] if s.note)
        outcomes[line] = Outcome(line, "created", notes, raw[line])
        partnerships.append(
            Partnership(
                community_a_id=pair[0],
                community_b_id=pair[1],
                kind=Partnership.Kind.SISTER_CITY,
                status=Partnership.Status.ACTIVE,
                status_changed_on=today,
                source=source,
                source_reference=f"line {line}",
            )
        )
    return partnerships


def _create_partnerships(partnerships: list[Partnership]) -> None:
    """The partnerships, and the first entry of each one's status history."""
    before = Partnership.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_rows(Partnership, partnerships)
    ids = {
        (a, b): pk
        for pk, a, b in Partnership.objects.filter(pk__gt=before).values_list(
            "pk", "community_a_id", "community_b_id"
        )
    }
    insert_rows(
        PartnershipStatusChange,
        [
            PartnershipStatusChange(
                partnership_id=ids[(p.community_a_id, p.community_b_id)],
                status=p.status,
                changed_on=p.status_changed_on,
                note="imported",
            )
            for p in partnerships
        ],
    )


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
