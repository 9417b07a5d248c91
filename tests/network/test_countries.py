"""Country labels of the partnership file -> ISO codes (countries.py)."""

import csv
from pathlib import Path

import pytest

from twinning.network.countries import ensure_countries, resolve_country
from twinning.network.models import Country

DATA = Path(__file__).resolve().parents[2] / "data" / "twin_cities.csv"


@pytest.mark.parametrize(
    ("label", "region"),
    [
        ("England", "England"),
        ("Scotland", "Scotland"),
        ("Wales", "Wales"),
        ("Northern Ireland, United Kingdom", "Northern Ireland"),
        ("England, United Kingdom", "England"),
    ],
)
def test_country_label_uk_nation_is_gb_with_the_nation_as_region(label, region):
    resolution = resolve_country(label)

    assert (resolution.code, resolution.region) == ("GB", region)


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Turkey", "TR"),
        ("Russia", "RU"),
        ("Cape Verde", "CV"),
        ("Ivory Coast", "CI"),
        ("Republic of Ireland", "IE"),
        ("Georgia (country)", "GE"),
        ("Moldavia", "MD"),
        ("Surinam", "SR"),
        ("Grece", "GR"),
        ("Kazakhstah", "KZ"),
        ("Madagaskar", "MG"),
        ("Bosnia and Hercegovina", "BA"),
        ("Czech Republic", "CZ"),
        ("São Tomé and Príncipe", "ST"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("East Timor", "TL"),
        ("West Bank", "PS"),
    ],
)
def test_country_label_old_names_and_misspellings_resolve(label, code):
    assert resolve_country(label).code == code


def test_country_label_island_is_iceland_not_the_comoros():
    assert resolve_country("Island").code == "IS"


def test_country_label_in_another_language_resolves_through_babel():
    assert resolve_country("Deutschland").code == "DE"


def test_country_label_region_country_is_split_on_the_last_comma():
    resolution = resolve_country("Lower Saxony, Germany")

    assert (resolution.code, resolution.region) == ("DE", "Lower Saxony")


def test_country_label_territory_before_the_comma_is_its_own_code():
    assert resolve_country("Martinique, France").code == "MQ"
    assert resolve_country("Åland Islands, Finland").code == "AX"


def test_country_label_kosovo_is_xk():
    assert resolve_country("Kosovo").code == "XK"


def test_country_label_northern_cyprus_is_cyprus_with_a_region():
    resolution = resolve_country("Northern Cyprus")

    assert (resolution.code, resolution.region) == ("CY", "Northern Cyprus")


def test_country_label_junk_prefix_is_dropped():
    assert resolve_country("in Italy").code == "IT"


def test_country_label_empty_is_rejected_with_reason():
    resolution = resolve_country("  ")

    assert not resolution.ok
    assert resolution.reason == "empty country label"


def test_country_label_unknown_is_rejected_not_guessed():
    resolution = resolve_country("Atlantis")

    assert not resolution.ok
    assert "Atlantis" in resolution.reason


def test_country_labels_of_the_real_file_all_resolve_or_are_rejected_with_a_reason():
    with DATA.open(encoding="utf-8") as handle:
        labels = {r[k] for r in csv.DictReader(handle) for k in ("country1", "country2")}

    results = {label: resolve_country(label) for label in labels}

    assert len(labels) == 238
    assert all(r.ok or r.reason for r in results.values())
    rejected = sorted(label for label, r in results.items() if not r.ok)
    assert rejected == [""]  # only the empty label
    assert len({r.code for r in results.values() if r.ok}) == 207


def test_ensure_countries_creates_rows_with_name_region_and_numeric_code(db):
    countries = ensure_countries({"GB", "US", "XK", "FJ"})

    assert countries["GB"].name == "United Kingdom"
    assert (countries["GB"].region, countries["GB"].numeric_code) == ("europe", "826")
    assert countries["US"].region == "americas"
    assert (countries["XK"].name, countries["XK"].region) == ("Kosovo", "europe")
    assert countries["FJ"].region == "oceania"


def test_ensure_countries_second_call_creates_nothing(db):
    ensure_countries({"GB"})

    ensure_countries({"GB", "FR"})

    assert sorted(Country.objects.values_list("code", flat=True)) == ["FR", "GB"]
