"""Server-drawn SVG maps every app shares (a community with its partners, an event's venue):
a place, its partners and the great-circle lines between them, on a graticule. A static
image that needs no JS and no tile server; every text is escaped. (Charts: core/charts.py.)"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

MAP_WIDTH = 640
MAP_HEIGHT = 360
MAP_MARGIN = 24
LABEL_LIMIT = 12  # beyond this many partners, names are tooltips only (they would overlap)


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


def _unwrap(longitude: float, reference: float) -> float:
    """The longitude shifted by whole turns to lie within 180° of the reference, so that a
    line is drawn the short way (across the Pacific rather than around the world)."""
    return reference + ((longitude - reference + 180.0) % 360.0) - 180.0


def great_circle(start: Place, end: Place, steps: int = 32) -> list[tuple[float, float]]:
    """Points (latitude, longitude) along the great circle from start to end, longitudes
    continuous (unwrapped) from the start's."""
    lat1, lon1 = math.radians(start.latitude), math.radians(start.longitude)
    lat2, lon2 = math.radians(end.latitude), math.radians(end.longitude)
    a = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    b = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(a, b, strict=True))))
    omega = math.acos(dot)
    if omega < 1e-9 or math.pi - omega < 1e-9:  # same point, or antipodes (no unique path)
        return [
            (start.latitude, start.longitude),
            (end.latitude, _unwrap(end.longitude, start.longitude)),
        ]
    points = []
    previous = start.longitude
    sin_omega = math.sin(omega)
    for i in range(steps + 1):
        t = i / steps
        k1 = math.sin((1 - t) * omega) / sin_omega
        k2 = math.sin(t * omega) / sin_omega
        x, y, z = (k1 * p + k2 * q for p, q in zip(a, b, strict=True))
        latitude = math.degrees(math.atan2(z, math.hypot(x, y)))
        longitude = _unwrap(math.degrees(math.atan2(y, x)), previous)
        previous = longitude
        points.append((latitude, longitude))
    # The ends exactly where the places are (no rounding drift from the vector arithmetic).
    points[0] = (start.latitude, start.longitude)
    points[-1] = (end.latitude, _unwrap(end.longitude, points[-2][1]))
    return points


class _Projection:
    """Equirectangular, centred on the box's mid-latitude so shapes are not stretched."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        lats = [lat for lat, _lon in points]
        lons = [lon for _lat, lon in points]
        lat_min, lat_max = min(lats), max(lats)
        lon_min, lon_max = min(lons), max(lons)
        # Pad, with a minimum span so a single place or a close pair still shows context.
        lat_pad = max((lat_max - lat_min) * 0.12, 4.0)
        lon_pad = max((lon_max - lon_min) * 0.08, 6.0)
        self.lat_min = max(lat_min - lat_pad, -85.0)
        self.lat_max = min(lat_max + lat_pad, 85.0)
        self.lon_min = lon_min - lon_pad
        self.lon_max = lon_max + lon_pad
        mid = math.radians((self.lat_min + self.lat_max) / 2)
        self.x_factor = max(math.cos(mid), 0.35)
        width = (self.lon_max - self.lon_min) * self.x_factor
        height = self.lat_max - self.lat_min
        inner_w = MAP_WIDTH - 2 * MAP_MARGIN
        inner_h = MAP_HEIGHT - 2 * MAP_MARGIN
        self.scale = min(inner_w / width, inner_h / height)
        # Widen the box to the drawing's shape, so the graticule fills the frame.
        extra_lon = (inner_w / self.scale - width) / self.x_factor / 2
        extra_lat = (inner_h / self.scale - height) / 2
        self.lon_min -= extra_lon
        self.lon_max += extra_lon
        self.lat_min -= extra_lat
        self.lat_max += extra_lat

    def __call__(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = MAP_MARGIN + (longitude - self.lon_min) * self.x_factor * self.scale
        y = MAP_MARGIN + (self.lat_max - latitude) * self.scale
        return round(x, 1), round(y, 1)


def _graticule(projection: _Projection) -> str:
    span = max(projection.lon_max - projection.lon_min, projection.lat_max - projection.lat_min)
    step = next((s for s in (2, 5, 10, 15, 30) if span / s <= 12), 45)
    lines = []
    lat = math.ceil(projection.lat_min / step) * step
    while lat <= projection.lat_max:
        x1, y = projection(lat, projection.lon_min)
        x2, _y = projection(lat, projection.lon_max)
        lines.append(f"M{x1} {y}H{x2}")
        lat += step
    lon = math.ceil(projection.lon_min / step) * step
    while lon <= projection.lon_max:
        x, y1 = projection(projection.lat_max, lon)
        _x, y2 = projection(projection.lat_min, lon)
        lines.append(f"M{x} {y1}V{y2}")
        lon += step
    return f'<path class="mini-map__graticule" d="{"".join(lines)}"/>'


def _label(x: float, y: float, text: str, css: str) -> str:
    anchor = "end" if x > MAP_WIDTH * 0.75 else "start"
    dx = -8 if anchor == "end" else 8
    return (
        f'<text class="{css}" x="{round(x + dx, 1)}" y="{round(y + 4, 1)}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def community_map_svg(home: Place, partners: Sequence[Place]) -> SafeString:
    """The small map of a community page: home in the accent colour, partners in blue, joined
    by great-circle lines drawn the short way round."""
    lines = [great_circle(home, partner) for partner in partners]
    partner_points = [line[-1] for line in lines]
    every_point = [(home.latitude, home.longitude)]
    for line in lines:
        every_point.extend(line)
    projection = _Projection(every_point)
    label = ngettext(
        "Map of %(name)s and its %(count)d partner",
        "Map of %(name)s and its %(count)d partners",
        len(partners),
    ) % {"name": home.name, "count": len(partners)}
    parts = [
        f'<svg class="mini-map" role="img" '
        f'viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" aria-label="{escape(label)}" '
        f'width="{MAP_WIDTH}" height="{MAP_HEIGHT}">',
        f"<title>{escape(label)}</title>",
        _graticule(projection),
        f'<rect class="mini-map__frame" x="0.5" y="0.5" width="{MAP_WIDTH - 1}" '
        f'height="{MAP_HEIGHT - 1}"/>',
    ]
    for line in lines:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x} {y}"
            for i, (x, y) in enumerate(projection(lat, lon) for lat, lon in line)
        )
        parts.append(f'<path class="mini-map__line" d="{path}"/>')
    show_labels = len(partners) <= LABEL_LIMIT
    for partner, (lat, lon) in zip(partners, partner_points, strict=True):
        x, y = projection(lat, lon)
        parts.append(
            f'<circle class="mini-map__partner" cx="{x}" cy="{y}" r="5">'
            f"<title>{escape(partner.name)}</title></circle>"
        )
        if show_labels:
            parts.append(_label(x, y, partner.name, "mini-map__label"))
    x, y = projection(home.latitude, home.longitude)
    parts.append(
        f'<circle class="mini-map__home" cx="{x}" cy="{y}" r="7">'
        f"<title>{escape(home.name)}</title></circle>"
    )
    parts.append(_label(x, y, home.name, "mini-map__label mini-map__label--home"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def cached_community_map_svg(home: Place, partners: Sequence[Place]) -> SafeString:
    """`community_map_svg`, cached under a digest of everything drawn (and the language of its
    labels): a page with a hundred partners spent most of its time on great circles. A moved
    point or a new partner makes a new key, so nothing needs invalidating."""
    drawn = repr((get_language(), home, tuple(partners))).encode()
    key = "network:community-map:" + hashlib.sha256(drawn).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = str(community_map_svg(home, partners))
        cache.set(key, svg, 24 * 60 * 60)
    return mark_safe(svg)  # built by community_map_svg from escaped text only


def _world_frame(projection: "_Projection", label: str) -> list[str]:
    """The opening of a labelled map of many places: the svg, its title, the graticule and the
    frame (links_map_svg, places_map_svg)."""
    return [
        f'<svg class="mini-map" role="img" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" '
        f'aria-label="{escape(label)}" width="{MAP_WIDTH}" height="{MAP_HEIGHT}">',
        f"<title>{escape(label)}</title>",
        _graticule(projection),
        f'<rect class="mini-map__frame" x="0.5" y="0.5" width="{MAP_WIDTH - 1}" '
        f'height="{MAP_HEIGHT - 1}"/>',
    ]


def links_map_svg(links: Sequence[tuple[Place, Place]], *, label: str) -> SafeString:
    """A map of many pairs of places (funded partnerships, say), each pair joined by its
    great-circle line; names are tooltips. Draws an empty graticule of the world for none."""
    lines = [great_circle(one, other) for one, other in links]
    every_point = [point for line in lines for point in line] or [(-60.0, -170.0), (75.0, 170.0)]
    projection = _Projection(every_point)
    parts = _world_frame(projection, label)
    for (one, other), line in zip(links, lines, strict=True):
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x} {y}"
            for i, (x, y) in enumerate(projection(lat, lon) for lat, lon in line)
        )
        parts.append(
            f'<path class="mini-map__line" d="{path}">'
            f"<title>{escape(one.name)} – {escape(other.name)}</title></path>"
        )
        for place, (lat, lon) in ((one, line[0]), (other, line[-1])):
            x, y = projection(lat, lon)
            parts.append(
                f'<circle class="mini-map__partner" cx="{x}" cy="{y}" r="4">'
                f"<title>{escape(place.name)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def cached_links_map_svg(links: Sequence[tuple[Place, Place]], *, label: str) -> SafeString:
    """`links_map_svg`, cached under a digest of everything drawn (the places, the label and
    the language): the great circles of a few hundred pairs cost more than the rest of a
    page. The links are read fresh on every request; a new or moved pair makes a new key, so
    the map is never stale and nothing needs invalidating."""
    # plain tuples: their repr is C's, a dataclass's is Python's (two per pair)
    points = tuple(
        (a.name, a.latitude, a.longitude, b.name, b.latitude, b.longitude) for a, b in links
    )
    drawn = repr((get_language(), label, points)).encode()
    key = "core:links-map:" + hashlib.sha256(drawn).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = str(links_map_svg(links, label=label))
        cache.set(key, svg, 24 * 60 * 60)
    return mark_safe(svg)  # built by links_map_svg from escaped text only


def places_map_svg(places: Sequence[Place], *, label: str) -> SafeString:
    """A map of many places (communities seeking a partner, say), each a dot with its name as
    a tooltip, on a graticule of the box around them (the world for none)."""
    every_point = [(p.latitude, p.longitude) for p in places] or [(-60.0, -170.0), (75.0, 170.0)]
    projection = _Projection(every_point)
    parts = _world_frame(projection, label)
    for place in places:
        x, y = projection(place.latitude, place.longitude)
        parts.append(
            f'<circle class="mini-map__partner" cx="{x}" cy="{y}" r="5">'
            f"<title>{escape(place.name)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def cached_places_map_svg(places: Sequence[Place], *, label: str) -> SafeString:
    """`places_map_svg`, cached under a digest of everything drawn (as the links map is)."""
    drawn = repr((get_language(), label, tuple(places))).encode()
    key = "core:places-map:" + hashlib.sha256(drawn).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = str(places_map_svg(places, label=label))
        cache.set(key, svg, 24 * 60 * 60)
    return mark_safe(svg)  # built by places_map_svg from escaped text only
