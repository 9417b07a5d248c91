"""Location checks: a point against its country's borders (Natural Earth 10m, from the npm
package world-atlas, public domain), distances, and placeholder points. A check flags, it never
moves a point: the gazetteer's point is kept as a suggestion staff can accept.

The TopoJSON file is decoded here (quantized, delta-encoded arcs) into shapely geometries, once
per process. Natural Earth cuts most polygons at the 180th meridian; a ring that still crosses
it is unwrapped, and points are tested at lon, lon + 360 and lon - 360, so eastern Russia and
Fiji are handled on both sides of the line.
"""

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pycountry
import shapely
from django.conf import settings

from twinning.core.geo import haversine_km

BORDER_TOLERANCE_KM = 25.0  # coasts, borders and the 10m generalisation
FAR_FROM_MATCH_KM = 50.0
PLACEHOLDER_MIN_NAMES = 3  # one point shared by this many different places is a placeholder

# Natural Earth features without an ISO numeric id, by name.
UNNUMBERED = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",  # see countries.py: Northern Cyprus is filed under CY
    "Cyprus U.N. Buffer Zone": "CY",
    "Akrotiri": "CY",
    "Dhekelia": "CY",
    "Somaliland": "SO",
    "Baikonur": "KZ",
    "USNB Guantanamo Bay": "CU",
}
# Territories without a polygon of their own in Natural Earth's countries: their parent's.
PARENT = {
    "MQ": "FR",
    "GP": "FR",
    "RE": "FR",
    "GF": "FR",
    "YT": "FR",
    "BL": "FR",
    "MF": "FR",
    "PM": "FR",
    "BQ": "NL",
    "SJ": "NO",
    "AX": "FI",
    "CX": "AU",
    "CC": "AU",
}


class BordersMissing(RuntimeError):
    """The Natural Earth border file is not installed."""


def border_file() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "world-atlas" / "countries-10m.json"


def _decode_arcs(topology: dict) -> list[np.ndarray]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        xy = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(np.column_stack((xy[:, 0] * sx + tx, xy[:, 1] * sy + ty)))
    return arcs


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    parts = []
    for n, i in enumerate(indexes):
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(arc if n == 0 else arc[1:])
    ring = np.concatenate(parts)
    if np.abs(np.diff(ring[:, 0])).max(initial=0) > 180:  # crosses the 180th meridian
        ring = ring.copy()
        ring[:, 0] = np.unwrap(ring[:, 0], period=360)
    return ring


def _polygons(geometry: dict, arcs: list[np.ndarray]) -> list[shapely.Polygon]:
    if geometry.get("type") == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    out = []
    for rings in polygons:
        coords = [_ring(arcs, ring) for ring in rings]
        if len(coords[0]) >= 4:
            out.append(shapely.Polygon(coords[0], [c for c in coords[1:] if len(c) >= 4]))
    return out


def _code_of(geometry: dict) -> str:
    number = geometry.get("id")
    if number:
        country = pycountry.countries.get(numeric=str(number).zfill(3))
        return country.alpha_2 if country else ""
    return UNNUMBERED.get(geometry.get("properties", {}).get("name", ""), "")


@functools.cache
def borders() -> dict[str, shapely.Geometry]:
    """ISO alpha-2 code -> its (prepared) territory, from Natural Earth 10m. Loaded once per
    process. Raises BordersMissing when node_modules has not been installed."""
    path = border_file()
    if not path.exists():
        raise BordersMissing(
            f"The country borders ({path}) are missing: run `make install` "
            "(it installs the npm package world-atlas)."
        )
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    parts: dict[str, list[shapely.Polygon]] = defaultdict(list)
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _code_of(geometry)
        if code:
            parts[code].extend(_polygons(geometry, arcs))
    result = {}
    for code, polygons in parts.items():
        # Not made valid (slow, and parts sharing an edge, as Cyprus and N. Cyprus do, are
        # "invalid" yet answer point-in-polygon and distance correctly).
        geom = shapely.MultiPolygon(polygons)
        shapely.prepare(geom)
        result[code] = geom
    return result


@dataclass(frozen=True)
class BorderCheck:
    """inside: True/False, or None when there is no border for the country;
    distance_km: how far outside (0 inside)."""

    inside: bool | None
    distance_km: float = 0.0


@functools.cache
def _bounds(code: str) -> tuple[float, float]:
    xmin, _ymin, xmax, _ymax = country_geometry(code).bounds  # type: ignore[union-attr]
    return xmin, xmax


def _shifts(code: str, lng: float) -> list[float]:
    """The longitudes to test: also lng +/- 360 where the country's shape was unwrapped
    across the 180th meridian (Russia, Fiji)."""
    xmin, xmax = _bounds(code)
    shifts = [lng]
    if xmax > 180 or lng + 360 <= xmax:
        shifts.append(lng + 360)
    if xmin < -180 or lng - 360 >= xmin:
        shifts.append(lng - 360)
    return shifts


def country_geometry(code: str) -> shapely.Geometry | None:
    shapes = borders()
    return shapes.get(code) or shapes.get(PARENT.get(code, ""))


def check_border(code: str, lat: float, lng: float) -> BorderCheck:
    """Is the point inside its country, allowing BORDER_TOLERANCE_KM for coasts and borders?"""
    geom = country_geometry(code)
    if geom is None:
        return BorderCheck(None)
    shifts = _shifts(code, lng)
    if any(shapely.contains_xy(geom, x, lat) for x in shifts):
        return BorderCheck(True)
    distance = min(_distance_outside(geom, lat, x) for x in shifts)
    return BorderCheck(distance <= BORDER_TOLERANCE_KM, distance)


def _distance_outside(geom: shapely.Geometry, lat: float, lng: float) -> float:
    point = shapely.Point(lng, lat)
    # Cheap bound first: a planar degree is at least 111 km * cos(lat) and at most 111 km.
    if shapely.dwithin(geom, point, BORDER_TOLERANCE_KM / 111.2):
        nearest = shapely.get_coordinates(shapely.shortest_line(geom, point))[0]
        return haversine_km(lat, lng, nearest[1], nearest[0])
    nearest = shapely.get_coordinates(shapely.shortest_line(geom, point))[0]
    return haversine_km(lat, lng, nearest[1], ((nearest[0] + 180) % 360) - 180)


def placeholder_points(points: Iterable[tuple[str, float, float]]) -> set[tuple[float, float]]:
    """Points that look like placeholders: shared by PLACEHOLDER_MIN_NAMES or more different
    places (identity strings), or whole-degree points such as (40.0, -100.0)."""
    names: dict[tuple[float, float], set[str]] = defaultdict(set)
    for identity, lat, lng in points:
        names[(round(lat, 4), round(lng, 4))].add(identity)
    shared = {p for p, ids in names.items() if len(ids) >= PLACEHOLDER_MIN_NAMES}
    whole = {p for p in names if p[0] == int(p[0]) and p[1] == int(p[1])}
    return shared | whole
