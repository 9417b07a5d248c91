"""The world map of partnerships: the page, and the cached, compressed data it draws."""

import gzip
import json
import random
import re

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import CommunityFactory, PartnershipFactory
from twinning.network.mapdata import get_map_payload, invalidate_map_data
from twinning.network.models import Community, Country, Partnership

PERSONAS = [
    "anonymous",
    "public",
    "committee_admin",
    "other_committee_admin",
    "staff_without_otp",
    "staff",
]
MAP_URL = "/map/"
DATA_URL = "/map/data.json"


def outside_urls(html: str) -> list[str]:
    """Every src/href/action in the page that points at another origin."""
    urls = re.findall(r'(?:src|href|action|data-[a-z-]+-url)="([^"]*)"', html)
    return [url for url in urls if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)]


def get_data(client, **headers) -> dict:
    response = client.get(DATA_URL, headers=headers)
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def tokyo(db):
    return CommunityFactory(
        name="Tokyo", slug="tokyo", country__code="JP", latitude=35.6895, longitude=139.6917
    )


@pytest.fixture
def san_francisco(db):
    return CommunityFactory(
        name="San Francisco",
        slug="san-francisco",
        country__code="US",
        latitude=37.7749,
        longitude=-122.4194,
    )


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_map_page_renders_for_every_persona(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get(MAP_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Map of partnerships</h1>" in html
    assert 'data-map-data-url="/map/data.json"' in html
    assert outside_urls(html) == []


def test_map_page_loads_map_libraries_from_the_app(anonymous):
    response = anonymous.get(MAP_URL)

    html = response.content.decode()
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in html
    assert '<script src="/static/vendor/topojson/topojson-client.min.js" defer>' in html
    assert '<script src="/static/js/map.js" defer></script>' in html
    assert 'data-countries-url="/static/vendor/world-atlas/countries-110m.json"' in html
    assert "<script>" not in html
    assert " style=" not in html


def test_map_page_points_screen_readers_to_the_directory(anonymous):
    response = anonymous.get(MAP_URL)

    html = response.content.decode()
    assert 'aria-describedby="map-help"' in html
    help_text = html.split('id="map-help"', 1)[1].split("</p>", 1)[0]
    assert "type a community's name in the search box" in help_text
    assert '<a href="/communities/">The directory lists every community' in help_text


def test_map_page_search_box_is_labelled(anonymous):
    response = anonymous.get(MAP_URL)

    html = response.content.decode()
    assert '<label for="map-q">Find a community on the map</label>' in html
    assert 'id="map-q" type="search" list="map-q-options"' in html


def test_map_page_links_partners_to_community_pages(anonymous):
    response = anonymous.get(MAP_URL)

    assert 'data-community-url="/communities/__slug__/"' in response.content.decode()


def test_map_page_preselects_community_from_query(anonymous):
    response = anonymous.get(MAP_URL, {"community": "tokyo"})

    assert 'data-selected="tokyo"' in response.content.decode()


def test_map_page_refuses_post(anonymous):
    response = anonymous.post(MAP_URL)

    assert response.status_code == 405


# --- the data ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_map_data_served_to_every_persona(request, persona, tokyo, san_francisco):
    PartnershipFactory(community_a=tokyo, community_b=san_francisco)
    client = request.getfixturevalue(persona)

    data = get_data(client)

    names = [c[1] for c in data["communities"]]
    assert {"Tokyo", "San Francisco"} <= set(names)
    assert len(data["partnerships"]) == 1


def test_map_data_has_compact_shape(anonymous, tokyo, san_francisco):
    PartnershipFactory(community_a=tokyo, community_b=san_francisco)

    data = get_data(anonymous)

    assert data["statuses"] == ["proposed", "active", "dormant", "ended"]
    assert data["communities"] == [
        [tokyo.pk, "Tokyo", "tokyo", 35.69, 139.692, "JP"],
        [san_francisco.pk, "San Francisco", "san-francisco", 37.775, -122.419, "US"],
    ]
    assert data["partnerships"] == [[0, 1, 1]]
    assert isinstance(data["version"], str)


def test_map_data_gives_status_codes(anonymous, tokyo, san_francisco):
    PartnershipFactory(
        community_a=tokyo, community_b=san_francisco, status=Partnership.Status.DORMANT
    )

    data = get_data(anonymous)

    (pair,) = data["partnerships"]
    assert data["statuses"][pair[2]] == "dormant"


def test_map_data_excludes_communities_without_coordinates(anonymous, tokyo, san_francisco):
    unplaced = CommunityFactory(name="Nowhere", latitude=None, longitude=None)
    PartnershipFactory(community_a=tokyo, community_b=san_francisco)
    PartnershipFactory(community_a=tokyo, community_b=unplaced)

    data = get_data(anonymous)

    assert "Nowhere" not in [c[1] for c in data["communities"]]
    assert data["partnerships"] == [[0, 1, 1]]


def test_map_data_lists_each_partnership_once(anonymous):
    hub = CommunityFactory(name="Hub")
    partners = CommunityFactory.create_batch(3)
    for partner in partners:
        PartnershipFactory(community_a=hub, community_b=partner)

    data = get_data(anonymous)

    pairs = [frozenset(pair[:2]) for pair in data["partnerships"]]
    assert len(pairs) == 3
    assert len(set(pairs)) == 3
    names = [c[1] for c in data["communities"]]
    assert all(names[pair[0]] == "Hub" for pair in data["partnerships"])


def test_map_data_is_cached_between_requests(anonymous, django_assert_num_queries):
    PartnershipFactory.create_batch(3)
    first = anonymous.get(DATA_URL)

    # One aggregate query (the version), however large the network.
    with django_assert_num_queries(1):
        second = anonymous.get(DATA_URL)

    assert second.content == first.content


@pytest.mark.parametrize("partnerships", [1, 3])
def test_map_data_query_count_does_not_grow(anonymous, django_assert_num_queries, partnerships):
    PartnershipFactory.create_batch(partnerships)
    anonymous.get(MAP_URL)  # the middleware caches the association's settings

    # The version, then (not cached yet) the communities and the partnerships.
    with django_assert_num_queries(3):
        data = get_data(anonymous)

    assert len(data["partnerships"]) == partnerships


def test_map_data_rebuilt_after_new_partnership(anonymous, tokyo, san_francisco):
    before = get_data(anonymous)

    PartnershipFactory(community_a=tokyo, community_b=san_francisco)
    after = get_data(anonymous)

    assert before["partnerships"] == []
    assert after["partnerships"] == [[0, 1, 1]]
    assert after["version"] != before["version"]


def test_map_data_rebuilt_after_partnership_removed(anonymous, tokyo, san_francisco):
    partnership = PartnershipFactory(community_a=tokyo, community_b=san_francisco)
    get_data(anonymous)

    partnership.delete()
    data = get_data(anonymous)

    assert data["partnerships"] == []


def test_map_data_rebuilt_after_community_moves(anonymous, tokyo):
    get_data(anonymous)

    tokyo.latitude, tokyo.longitude = 35.0, 139.0
    tokyo.save()
    data = get_data(anonymous)

    assert data["communities"][0][3:5] == [35.0, 139.0]


def test_map_data_rebuilt_after_invalidation(anonymous, tokyo, san_francisco):
    partnership = PartnershipFactory(community_a=tokyo, community_b=san_francisco)
    get_data(anonymous)
    # A bulk update leaves updated_at alone: the writer calls invalidate_map_data().
    Partnership.objects.filter(pk=partnership.pk).update(status=Partnership.Status.ENDED)

    stale = get_data(anonymous)
    invalidate_map_data()
    fresh = get_data(anonymous)

    assert stale["partnerships"] == [[0, 1, 1]]
    assert fresh["partnerships"] == [[0, 1, 3]]


def test_map_data_gzipped_when_client_accepts_it(anonymous, tokyo, san_francisco):
    PartnershipFactory(community_a=tokyo, community_b=san_francisco)
    plain = anonymous.get(DATA_URL)

    response = anonymous.get(DATA_URL, headers={"accept-encoding": "gzip, deflate, br"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content
    assert "Content-Encoding" not in plain


def test_map_data_is_publicly_cacheable(anonymous, tokyo):
    response = anonymous.get(DATA_URL)

    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(r'W/"[0-9a-f]+"', response["ETag"])


def test_map_data_not_modified_when_etag_matches(anonymous, tokyo, django_assert_num_queries):
    etag = anonymous.get(DATA_URL)["ETag"]

    with django_assert_num_queries(1):
        response = anonymous.get(DATA_URL, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_map_data_refuses_post(anonymous):
    response = anonymous.post(DATA_URL)

    assert response.status_code == 405


# --- size on the full network ---------------------------------------------------------------

FULL_COMMUNITIES = 17_717
FULL_PARTNERSHIPS = 25_917


def _syllable_name(rng: random.Random) -> str:
    syllables = ["ka", "lo", "ber", "mün", "san", "to", "vil", "ville", "ham", "burg", "ia", "ro"]
    words = rng.choice([1, 1, 1, 2])
    return " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()
        for _ in range(words)
    )


def _insert_full_network(rng: random.Random) -> None:
    """Rows straight into the tables (the ORM's bulk_create takes half a minute here)."""
    codes = ["FR", "DE", "JP", "US", "GB", "IT", "ES", "KE", "BR", "AU"]
    for code in codes:
        Country.objects.get_or_create(code=code, defaults={"name": code})
    now = timezone.now()
    communities = [
        (name := _syllable_name(rng), f"{name.lower().replace(' ', '-')}-{n}", name.lower(),
         name.lower(), rng.choice(codes), str(n), rng.uniform(-60, 70), rng.uniform(-180, 180),
         now, now)
        for n in range(FULL_COMMUNITIES)
    ]  # fmt: skip
    community_table = Community._meta.db_table
    partnership_table = Partnership._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {community_table} (name, slug, name_key, search_name, country_id, "  # noqa: S608
            "region, latitude, longitude, created_at, updated_at, kind, wikidata_id, "
            "location_status, location_note, source_label) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'city', '', 'ok', '', '')",
            communities,
        )
        ids = list(Community.objects.values_list("pk", flat=True))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < FULL_PARTNERSHIPS:
            a, b = rng.sample(ids, 2)
            pairs.add((min(a, b), max(a, b)))
        cursor.executemany(
            f"INSERT INTO {partnership_table} (community_a_id, community_b_id, created_at, "  # noqa: S608
            "updated_at, kind, status, source, source_reference, notes) "
            "VALUES (%s, %s, %s, %s, 'sister_city', 'active', '', '', '')",
            [(a, b, now, now) for a, b in pairs],
        )


def test_map_data_full_network_under_one_and_a_half_megabytes_compressed(db):
    """17,717 placed communities and 25,917 partnerships, the size of the real file (whose
    own map data is 1.45 MB of JSON, 0.50 MB gzipped)."""
    _insert_full_network(random.Random(2026))

    payload = get_map_payload()

    data = json.loads(payload.body)
    assert len(data["communities"]) == FULL_COMMUNITIES
    assert len(data["partnerships"]) == FULL_PARTNERSHIPS
    assert len(payload.gzipped) < 1_500_000, f"{len(payload.gzipped):,} bytes gzipped"
