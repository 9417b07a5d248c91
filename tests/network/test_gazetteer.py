"""The offline gazetteer: loading (load_gazetteer) and matching names to places."""

import json

import pytest
from django.core.management import call_command

from twinning.network.gazetteer import Gazetteer, load_gazetteer, variants
from twinning.network.models import GazetteerName, GazetteerPlace

CITIES = {
    "4250542": {
        "geonameid": 4250542,
        "name": "Springfield",
        "latitude": 39.80172,
        "longitude": -89.64371,
        "countrycode": "US",
        "population": 116250,
        "admin1code": "IL",
        "alternatenames": ["Springfield", "Спрингфилд", "Springfild"],
    },
    "2876147": {
        "geonameid": 2876147,
        "name": "Löhne",
        "latitude": 52.18,
        "longitude": 8.71,
        "countrycode": "DE",
        "population": 40000,
        "admin1code": "07",
        "alternatenames": ["Lohne"],
    },
    "2655603": {
        "geonameid": 2655603,
        "name": "Birmingham",
        "latitude": 52.48142,
        "longitude": -1.89983,
        "countrycode": "GB",
        "population": 984333,
        "admin1code": "ENG",
        "alternatenames": [],
    },
}


@pytest.fixture
def cities_file(tmp_path):
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(CITIES), encoding="utf-8")
    return path


def test_load_gazetteer_loads_places_with_region_names(db, cities_file):
    loaded = load_gazetteer(path=cities_file)

    assert loaded == 3
    assert GazetteerPlace.objects.get(geonames_id=4250542).admin1_name == "Illinois"
    assert GazetteerPlace.objects.get(geonames_id=2655603).admin1_name == "England"
    # GeoNames' German admin1 codes are FIPS numbers: no reliable name, left blank.
    assert GazetteerPlace.objects.get(geonames_id=2876147).admin1_name == ""


def test_load_gazetteer_keeps_folded_latin_names_and_exact_keys(db, cities_file):
    load_gazetteer(path=cities_file)

    springfield = set(GazetteerName.objects.filter(place_id=4250542).values_list("folded", "key"))
    loehne = set(GazetteerName.objects.filter(place_id=2876147).values_list("folded", "key"))

    assert springfield == {("springfield", "springfield"), ("springfild", "springfild")}
    assert loehne == {("lohne", "löhne"), ("lohne", "lohne")}


def test_load_gazetteer_second_run_does_nothing_unless_forced(db, cities_file):
    load_gazetteer(path=cities_file)
    GazetteerPlace.objects.filter(geonames_id=2655603).update(name="Changed")

    again = load_gazetteer(path=cities_file)
    forced = load_gazetteer(path=cities_file, force=True)

    assert (again, forced) == (0, 3)
    assert GazetteerPlace.objects.get(geonames_id=2655603).name == "Birmingham"


def test_load_gazetteer_command_says_when_already_loaded(small_gazetteer, capsys):
    call_command("load_gazetteer")

    assert "already loaded" in capsys.readouterr().out


def test_match_accents_matter_lohne_is_not_loehne(small_gazetteer):
    gazetteer = Gazetteer()

    lohne = gazetteer.match("Lohne", "DE")
    loehne = gazetteer.match("Löhne", "DE")

    assert lohne.place.geonames_id == small_gazetteer["lohne"].geonames_id
    assert loehne.place.geonames_id == small_gazetteer["loehne"].geonames_id


def test_match_folded_name_when_there_is_no_exact_one(small_gazetteer):
    match = Gazetteer().match("MUNCHEN", "DE")

    assert match.place.name == "München"


def test_match_alternate_name(small_gazetteer):
    assert Gazetteer().match("Munich", "DE").place.name == "München"


def test_match_tie_broken_by_distance_to_the_point(small_gazetteer):
    match = Gazetteer().match("Springfield", "US", point=(37.2, -93.3))

    assert match.place.admin1_name == "Missouri"
    assert (match.how, match.ambiguous) == ("distance", False)


def test_match_tie_broken_by_region_hint_without_a_point(small_gazetteer):
    match = Gazetteer().match("Springfield", "US", region_hint="Illinois")

    assert match.place.admin1_name == "Illinois"
    assert match.how == "region"


def test_match_tie_broken_by_population_is_flagged_ambiguous(small_gazetteer):
    match = Gazetteer().match("Birmingham", "US")

    assert match.place.admin1_name == "Alabama"
    assert match.ambiguous


def test_match_strips_a_qualifier_and_uses_it_as_region_hint(small_gazetteer):
    match = Gazetteer().match("Springfield, Illinois", "US")

    assert match.place.admin1_name == "Illinois"
    assert match.form > 0


@pytest.mark.parametrize("name", ["Paris (city)", "City of Paris", "Paris City"])
def test_match_strips_city_qualifiers(small_gazetteer, name):
    assert Gazetteer().match(name, "FR").place.name == "Paris"


def test_match_is_never_fuzzy(small_gazetteer):
    assert not Gazetteer().match("Pariss", "FR").found


def test_match_only_within_the_country(small_gazetteer):
    assert not Gazetteer().match("Paris", "DE").found


def test_prepare_loads_a_country_in_one_query(small_gazetteer, django_assert_num_queries):
    gazetteer = Gazetteer()

    with django_assert_num_queries(1):
        gazetteer.prepare("US", ["Springfield", "Birmingham", "Springfield, Illinois", "Nowhere"])
        gazetteer.match("Springfield", "US")
        gazetteer.match("Birmingham", "US")
        gazetteer.match("Nowhere", "US")


def test_variants_of_a_qualified_name():
    assert variants("Springfield, Illinois") == [
        ("Springfield, Illinois", ""),
        ("Springfield", "Illinois"),
    ]
