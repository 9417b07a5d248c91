"""Fixtures of the import tests: a small gazetteer written in the test database (loading the
235,000 places of the real one would take half a minute per test run)."""

from collections.abc import Callable

import pytest

from twinning.network.models import GazetteerName, GazetteerPlace
from twinning.network.text import fold, name_key


def _add_place(
    geonames_id: int,
    name: str,
    country: str,
    lat: float,
    lng: float,
    *,
    population: int = 1000,
    admin1: tuple[str, str] = ("", ""),
    alternates: tuple[str, ...] = (),
) -> GazetteerPlace:
    place = GazetteerPlace.objects.create(
        geonames_id=geonames_id,
        name=name,
        country_code=country,
        admin1_code=admin1[0],
        admin1_name=admin1[1],
        latitude=lat,
        longitude=lng,
        population=population,
    )
    seen = set()
    for n, text in enumerate([name, *alternates]):
        if (fold(text), name_key(text)) not in seen:
            seen.add((fold(text), name_key(text)))
            GazetteerName.objects.create(
                place=place,
                country_code=country,
                folded=fold(text),
                key=name_key(text),
                is_main=n == 0,
            )
    return place


@pytest.fixture
def add_place(db) -> Callable[..., GazetteerPlace]:
    return _add_place


@pytest.fixture
def small_gazetteer(db) -> dict[str, GazetteerPlace]:
    """A few real GeoNames places (ids, points and populations as in cities500)."""
    places = {
        "birmingham_al": _add_place(
            4049979,
            "Birmingham",
            "US",
            33.52066,
            -86.80249,
            population=200733,
            admin1=("AL", "Alabama"),
        ),
        "birmingham_mi": _add_place(
            4986172,
            "Birmingham",
            "US",
            42.54670,
            -83.21132,
            population=20103,
            admin1=("MI", "Michigan"),
        ),
        "springfield_il": _add_place(
            4250542,
            "Springfield",
            "US",
            39.80172,
            -89.64371,
            population=116250,
            admin1=("IL", "Illinois"),
        ),
        "springfield_mo": _add_place(
            4409896,
            "Springfield",
            "US",
            37.21533,
            -93.29824,
            population=166810,
            admin1=("MO", "Missouri"),
        ),
        "birmingham_gb": _add_place(
            2655603,
            "Birmingham",
            "GB",
            52.48142,
            -1.89983,
            population=984333,
            admin1=("ENG", "England"),
        ),
        "perth_gb": _add_place(
            2640351, "Perth", "GB", 56.39522, -3.43139, population=47180, admin1=("SCT", "Scotland")
        ),
        "lohne": _add_place(2876214, "Lohne", "DE", 52.66625, 8.2375, population=25000),
        "loehne": _add_place(2876147, "Löhne", "DE", 52.18, 8.71, population=40000),
        "munich": _add_place(
            2867714, "München", "DE", 48.13743, 11.57549, population=1260391, alternates=("Munich",)
        ),
        "frankfurt": _add_place(
            2925533,
            "Frankfurt am Main",
            "DE",
            50.11552,
            8.68417,
            population=650000,
            alternates=("Frankfurt",),
        ),
        "paris": _add_place(2988507, "Paris", "FR", 48.85341, 2.3488, population=2138551),
        "anadyr": _add_place(2127202, "Anadyr", "RU", 64.73424, 177.5103, population=11329),
        "suva": _add_place(2198148, "Suva", "FJ", -18.14161, 178.44149, population=77366),
    }
    return places
