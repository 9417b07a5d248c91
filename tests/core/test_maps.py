import itertools
import re

from twinning.core.charts import bar_chart_svg
from twinning.core.maps import Place, community_map_svg, great_circle, places_map_svg

LYON = Place("Lyon", 45.76, 4.84)
YOKOHAMA = Place("Yokohama", 35.44, 139.64)
TOKYO = Place("Tokyo", 35.68, 139.69)
SAN_FRANCISCO = Place("San Francisco", 37.77, -122.42)


def _points(svg: str, css: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in re.findall(rf'class="{css}" cx="([-\d.]+)" cy="([-\d.]+)"', svg)
    ]


def test_great_circle_ends_at_both_places():
    line = great_circle(LYON, YOKOHAMA)

    assert line[0] == (LYON.latitude, LYON.longitude)
    assert abs(line[-1][0] - YOKOHAMA.latitude) < 1e-6
    assert abs(line[-1][1] - YOKOHAMA.longitude) < 1e-6


def test_great_circle_bends_towards_the_pole():
    line = great_circle(LYON, YOKOHAMA)

    assert max(lat for lat, _lon in line) > 60


def test_great_circle_crosses_the_pacific_the_short_way():
    line = great_circle(TOKYO, SAN_FRANCISCO)

    longitudes = [lon for _lat, lon in line]
    assert longitudes[-1] > 180  # unwrapped east across the date line, not back over Asia
    assert all(b > a for a, b in itertools.pairwise(longitudes))


def test_community_map_is_an_accessible_image():
    svg = community_map_svg(LYON, [YOKOHAMA])

    assert svg.startswith('<svg class="mini-map" role="img"')
    assert 'aria-label="Map of Lyon and its 1 partner"' in svg
    assert "<title>Map of Lyon and its 1 partner</title>" in svg


def test_community_map_draws_a_line_and_a_point_per_partner():
    svg = community_map_svg(LYON, [YOKOHAMA, SAN_FRANCISCO])

    assert svg.count('class="mini-map__line"') == 2
    assert len(_points(svg, "mini-map__partner")) == 2
    assert len(_points(svg, "mini-map__home")) == 1
    assert 'class="mini-map__graticule"' in svg


def test_community_map_keeps_every_point_inside_the_frame():
    svg = community_map_svg(TOKYO, [SAN_FRANCISCO, LYON, Place("Sydney", -33.87, 151.21)])

    for x, y in _points(svg, "mini-map__partner") + _points(svg, "mini-map__home"):
        assert 0 <= x <= 640
        assert 0 <= y <= 360


def test_community_map_places_a_pacific_partner_east_of_tokyo():
    svg = community_map_svg(TOKYO, [SAN_FRANCISCO])

    [(home_x, _)] = _points(svg, "mini-map__home")
    [(partner_x, _)] = _points(svg, "mini-map__partner")
    assert partner_x > home_x


def test_community_map_of_a_community_without_partners_shows_it_alone():
    svg = community_map_svg(LYON, [])

    assert 'aria-label="Map of Lyon and its 0 partners"' in svg
    assert len(_points(svg, "mini-map__home")) == 1
    assert "mini-map__line" not in svg


def test_community_map_escapes_names():
    svg = community_map_svg(Place('<b>"Lyon"</b>', 45.76, 4.84), [Place("A&B", 48.1, 11.6)])

    assert "<b>" not in svg
    assert "&lt;b&gt;&quot;Lyon&quot;&lt;/b&gt;" in svg
    assert "A&amp;B" in svg


def test_community_map_labels_only_a_few_partners():
    partners = [Place(f"P{i}", 40 + i * 0.5, 10 + i) for i in range(20)]

    svg = community_map_svg(LYON, partners)

    assert svg.count('class="mini-map__label"') == 0
    assert svg.count("<title>P1<") == 1


def test_bar_chart_draws_a_labelled_bar_per_row():
    svg = bar_chart_svg([("France", 120), ("Japan", 60)], title="Top countries")

    assert 'role="img"' in svg
    assert "<title>Top countries</title>" in svg
    widths = [float(w) for w in re.findall(r'class="chart__bar"[^>]* width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1]
    assert ">France</text>" in svg
    assert ">120</text>" in svg


def test_bar_chart_escapes_labels():
    svg = bar_chart_svg([("<script>", 1)], title="T&T")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "T&amp;T" in svg


def test_places_map_draws_a_point_per_place_inside_the_frame_with_escaped_names():
    places = [
        Place("Lyon", 45.76, 4.84),
        Place("<Nairobi>", -1.29, 36.82),
        Place("Kyoto", 35.0, 135.8),
    ]

    svg = str(places_map_svg(places, label="Seeking"))

    assert svg.count('class="mini-map__partner"') == 3
    assert "<title>&lt;Nairobi&gt;</title>" in svg
    for x, y in re.findall(r'cx="([\d.-]+)" cy="([\d.-]+)"', svg):
        assert 0 <= float(x) <= 640 and 0 <= float(y) <= 360


def test_places_map_of_no_place_is_an_empty_world():
    svg = str(places_map_svg([], label="Nobody"))

    assert 'aria-label="Nobody"' in svg
    assert "mini-map__partner" not in svg
