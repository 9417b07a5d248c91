import csv
import io
import json

import pytest

from tests.factories import CommunityFactory, PartnershipFactory


def _csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _geojson(response) -> dict:
    return json.loads(b"".join(response.streaming_content).decode())


@pytest.mark.django_db
def test_csv_export_contains_only_the_filtered_rows(anonymous):
    CommunityFactory(name="Kraków", country__code="PL", country__name="Poland")
    CommunityFactory(name="Krefeld", country__code="DE")
    CommunityFactory(name="Lyon", country__code="FR")

    response = anonymous.get("/communities/export.csv", {"q": "kr", "country": "PL"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="communities.csv"' in response["Content-Disposition"]
    assert [(row["name"], row["country_code"]) for row in _csv_rows(response)] == [("Kraków", "PL")]


@pytest.mark.django_db
def test_csv_export_has_the_columns_and_partner_count(anonymous):
    partnership = PartnershipFactory(
        community_a__name="Lyon",
        community_a__country__code="FR",
        community_a__population=513_275,
        community_a__latitude=45.76,
        community_a__longitude=4.84,
    )

    response = anonymous.get("/communities/export.csv", {"q": "lyon"})

    [row] = _csv_rows(response)
    assert row["name"] == "Lyon"
    assert row["slug"] == partnership.community_a.slug
    assert row["country"] == "France"
    assert row["population"] == "513275"
    assert row["latitude"] == "45.76"
    assert row["longitude"] == "4.84"
    assert row["partner_count"] == "1"


@pytest.mark.django_db
def test_csv_export_neutralises_formula_cells(anonymous):
    CommunityFactory(name='=HYPERLINK("http://evil")', region="+1+2", country__code="FR")
    CommunityFactory(name="@SUM(A1)", region="-3", country__code="FR")
    CommunityFactory(name="\tTabbed", country__code="FR")

    response = anonymous.get("/communities/export.csv")

    rows = _csv_rows(response)
    assert sorted(row["name"] for row in rows) == sorted(
        ['\'=HYPERLINK("http://evil")', "'@SUM(A1)", "'\tTabbed"]
    )
    assert sorted(row["region"] for row in rows) == ["", "'+1+2", "'-3"]


@pytest.mark.django_db
def test_geojson_export_is_a_feature_collection_of_points(anonymous):
    CommunityFactory(name="Lyon", country__code="FR", latitude=45.764, longitude=4.8357)
    CommunityFactory(name="Nagoya", country__code="JP", latitude=35.18, longitude=136.9)

    response = anonymous.get("/communities/export.geojson", {"country": "FR"})

    data = _geojson(response)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    assert [feature["properties"]["name"] for feature in data["features"]] == ["Lyon"]
    assert data["features"][0]["type"] == "Feature"
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [4.8357, 45.764]}
    assert data["features"][0]["properties"]["country_code"] == "FR"


@pytest.mark.django_db
def test_geojson_export_keeps_unplaced_communities_as_unlocated_features(anonymous):
    CommunityFactory(name="Nowhere", latitude=None, longitude=None)

    response = anonymous.get("/communities/export.geojson")

    [feature] = _geojson(response)["features"]
    assert (feature["properties"]["name"], feature["geometry"]) == ("Nowhere", None)


@pytest.mark.django_db
def test_geojson_export_of_no_rows_is_still_valid(anonymous):
    response = anonymous.get("/communities/export.geojson", {"q": "nothing"})

    assert _geojson(response) == {"type": "FeatureCollection", "features": []}


@pytest.mark.django_db
def test_exports_are_streamed(anonymous):
    CommunityFactory(name="Lyon")

    response = anonymous.get("/communities/export.csv")

    assert response.streaming


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_csv_export_query_count_is_constant(anonymous, django_assert_num_queries, count):
    for _ in range(count):
        PartnershipFactory()
    anonymous.get("/")

    with django_assert_num_queries(1):
        response = anonymous.get("/communities/export.csv")
        rows = _csv_rows(response)

    assert len(rows) == count * 2
