"""Location checks: Natural Earth borders, distances, placeholder points (geo.py)."""

import pytest

from twinning.network import geo


def test_border_point_inside_its_country():
    assert geo.check_border("GB", 52.4862, -1.8904) == geo.BorderCheck(True)


def test_border_point_in_another_country_is_outside_with_its_distance():
    check = geo.check_border("US", 52.4862, -1.8904)  # Birmingham, England

    assert check.inside is False
    assert check.distance_km > 3000


@pytest.mark.parametrize("point", [(65.5, 176.0), (66.0, -172.0)])
def test_border_eastern_russia_on_both_sides_of_the_180th_meridian(point):
    assert geo.check_border("RU", *point).inside is True


@pytest.mark.parametrize("point", [(-16.6, 179.3), (-16.85, -179.95)])
def test_border_fiji_on_both_sides_of_the_180th_meridian(point):
    assert geo.check_border("FJ", *point).inside is True


def test_border_chukotka_is_not_in_the_united_states():
    assert geo.check_border("US", 66.0, -172.0).inside is False


def test_border_coastal_point_at_sea_within_the_tolerance_is_accepted():
    check = geo.check_border("GB", 50.75, -0.14)  # off Brighton

    assert check.inside is True
    assert 0 < check.distance_km < geo.BORDER_TOLERANCE_KM


def test_border_point_far_at_sea_is_outside():
    assert geo.check_border("GB", 50.0, -0.14).inside is False


def test_border_territory_without_own_polygon_uses_its_parent():
    assert geo.check_border("MQ", 14.6, -61.07).inside is True


def test_border_kosovo_and_northern_cyprus_have_borders():
    assert geo.check_border("XK", 42.66, 21.16).inside is True
    assert geo.check_border("CY", 35.33, 33.32).inside is True  # Kyrenia, northern Cyprus


def test_border_file_missing_names_make_install(monkeypatch, tmp_path):
    monkeypatch.setattr(geo, "border_file", lambda: tmp_path / "missing.json")
    geo.borders.cache_clear()
    try:
        with pytest.raises(geo.BordersMissing, match="make install"):
            geo.borders()
    finally:
        monkeypatch.undo()
        geo.borders.cache_clear()


def test_placeholder_points_shared_by_several_names_or_whole_degrees():
    points = [
        ("a", 35.0001, 139.5),
        ("b", 35.0001, 139.5),
        ("c", 35.0001, 139.5),
        ("d", 40.0, -100.0),
        ("e", 48.85, 2.35),
        ("e-again", 51.5, -0.12),
        ("f", 51.5, -0.12),
    ]

    assert geo.placeholder_points(points) == {(35.0001, 139.5), (40.0, -100.0)}
