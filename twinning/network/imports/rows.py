"""Rows to sides: each row's two communities as the file names them, or the reason it is
rejected."""

import math
import re

from twinning.network.countries import resolve_country
from twinning.network.imports.outcomes import (
    BAD_COORDINATES,
    EMPTY_COUNTRY,
    EMPTY_NAME,
    NAME_TOO_LONG,
    OUT_OF_RANGE,
    UNKNOWN_COUNTRY,
    Side,
)
from twinning.network.models import (
    Community,
)


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
