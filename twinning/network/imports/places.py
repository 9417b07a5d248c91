"""Places: each distinct community of the file identified against the gazetteer and the
database (an existing community, or a new one with its location checked), and the new ones
created in bulk."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils.text import slugify

from twinning.core.geo import haversine_km
from twinning.network import geo
from twinning.network.gazetteer import ADMIN1_COUNTRIES, Gazetteer, Match
from twinning.network.imports.outcomes import PLACEHOLDER_MATCH_KM, LocationStatus, Side
from twinning.network.imports.rows import community_kind
from twinning.network.imports.writing import insert_rows
from twinning.network.models import (
    Community,
)
from twinning.network.text import fold, name_key


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
    distance = haversine_km(lat, lng, gaz.latitude, gaz.longitude) if gaz else None
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
