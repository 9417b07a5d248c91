import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.factories import (
    CommunityFactory,
    CountryFactory,
    MemberFactory,
    PartnershipFactory,
)
from twinning.core.services import get_association
from twinning.network.models import Community, Partnership
from twinning.network.queries import invalidate_network_stats
from twinning.network.services import change_partnership_status

PERSONAS = ["anonymous", "public", "committee_admin", "staff"]


def _names(response) -> list[str]:
    """Community names linked in the results table, in order."""
    html = response.content.decode()
    return re.findall(r'<th scope="row"><a href="/communities/[^"]+/">([^<]+)</a>', html)


def _bulk_villes(count: int) -> None:
    country = CountryFactory(code="FR")
    Community.objects.bulk_create(
        [
            Community(
                name=f"Ville {i:03d}",
                slug=f"ville-{i:03d}",
                name_key=f"ville {i:03d}",
                search_name=f"ville {i:03d}",
                country=country,
            )
            for i in range(count)
        ]
    )


# --- Directory: search and filters ----------------------------------------------------------


@pytest.mark.django_db
def test_community_list_search_ignores_accents_and_case(anonymous):
    CommunityFactory(name="Kraków", country__code="PL", country__name="Poland")
    CommunityFactory(name="Nagoya", country__code="JP")

    response = anonymous.get("/communities/", {"q": "krakow"})

    assert _names(response) == ["Kraków"]


@pytest.mark.django_db
def test_community_list_search_folds_tilde_of_sao_paulo(anonymous):
    CommunityFactory(name="São Paulo", country__code="BR")
    CommunityFactory(name="Salvador", country__code="BR")

    response = anonymous.get("/communities/", {"q": "SAO"})

    assert _names(response) == ["São Paulo"]


@pytest.mark.django_db
def test_community_list_search_matches_prefix_of_any_word(anonymous):
    CommunityFactory(name="São Paulo", country__code="BR")
    CommunityFactory(name="Paris", country__code="FR")
    CommunityFactory(name="Saint-Paul", country__code="FR")

    response = anonymous.get("/communities/", {"q": "paul"})

    assert _names(response) == ["Saint-Paul", "São Paulo"]


@pytest.mark.django_db
def test_community_list_search_does_not_match_inside_a_word(anonymous):
    CommunityFactory(name="Springfield")

    response = anonymous.get("/communities/", {"q": "field"})

    assert _names(response) == []
    assert "No community matches “field”" in response.content.decode()


@pytest.mark.django_db
def test_community_list_no_results_gives_a_hint(anonymous):
    CommunityFactory(name="Springfield")

    response = anonymous.get("/communities/", {"q": "zzz"})

    html = response.content.decode()
    assert "No community matches “zzz”" in html
    assert "first letters of one word" in html


@pytest.mark.django_db
def test_community_list_empty_directory_says_so(anonymous):
    response = anonymous.get("/communities/")

    assert "The directory is empty" in response.content.decode()


@pytest.mark.django_db
def test_community_list_filters_by_country(anonymous):
    CommunityFactory(name="Lyon", country__code="FR")
    CommunityFactory(name="Leipzig", country__code="DE")

    response = anonymous.get("/communities/", {"country": "DE"})

    assert _names(response) == ["Leipzig"]


@pytest.mark.django_db
def test_community_list_filters_by_region(anonymous):
    CommunityFactory(name="Lyon", country__code="FR")
    CommunityFactory(name="Nairobi", country__code="KE")

    response = anonymous.get("/communities/", {"region": "africa"})

    assert _names(response) == ["Nairobi"]


@pytest.mark.django_db
def test_community_list_filters_by_kind(anonymous):
    CommunityFactory(name="Lyon", kind=Community.Kind.CITY)
    CommunityFactory(name="Kent", kind=Community.Kind.COUNTY)

    response = anonymous.get("/communities/", {"kind": "county"})

    assert _names(response) == ["Kent"]


@pytest.mark.django_db
def test_community_list_filters_by_partnership_status_on_either_side(anonymous):
    ended = PartnershipFactory(
        community_a__name="Alpha", community_b__name="Beta", status=Partnership.Status.ENDED
    )
    PartnershipFactory(community_a__name="Gamma", community_b__name="Delta")

    response = anonymous.get("/communities/", {"status": "ended"})

    assert _names(response) == [ended.community_a.name, ended.community_b.name]


@pytest.mark.django_db
def test_community_list_ignores_unknown_filter_values(anonymous):
    CommunityFactory(name="Lyon")

    response = anonymous.get("/communities/", {"region": "atlantis", "kind": "<script>"})

    assert _names(response) == ["Lyon"]


@pytest.mark.django_db
def test_community_list_shows_country_region_population_partners_and_kind(anonymous):
    partnership = PartnershipFactory(
        community_a__name="Lyon",
        community_a__country__code="FR",
        community_a__region="Auvergne-Rhône-Alpes",
        community_a__population=513_275,
    )
    PartnershipFactory(community_a=partnership.community_a, community_b__name="Milano")

    response = anonymous.get("/communities/", {"q": "lyon"})

    html = response.content.decode()
    row = html[html.index(">Lyon<") : html.index("</tr>", html.index(">Lyon<"))]
    assert "France" in row
    assert "🇫🇷" in row
    assert "Auvergne-Rhône-Alpes" in row
    assert "513,275" in row
    assert '<td class="num">2</td>' in row
    assert "City" in row


@pytest.mark.django_db
def test_community_list_paginates_fifty_per_page(anonymous):
    _bulk_villes(60)

    first = anonymous.get("/communities/")
    second = anonymous.get("/communities/", {"page": 2})

    assert len(_names(first)) == 50
    assert _names(second) == [f"Ville {i:03d}" for i in range(50, 60)]
    assert "Showing 51–60 of 60" in second.content.decode()


@pytest.mark.django_db
def test_community_list_pagination_links_keep_the_filters(anonymous):
    _bulk_villes(55)

    response = anonymous.get("/communities/", {"q": "ville", "country": "FR"})

    assert "?q=ville&amp;country=FR&amp;page=2" in response.content.decode()


@pytest.mark.django_db
def test_community_list_htmx_request_renders_only_the_results(anonymous):
    CommunityFactory(name="Lyon")

    response = anonymous.get("/communities/", {"q": "ly"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert _names(response) == ["Lyon"]


@pytest.mark.django_db
def test_community_list_htmx_history_restore_renders_the_whole_page(anonymous):
    CommunityFactory(name="Lyon")

    response = anonymous.get(
        "/communities/", {"q": "ly"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_community_list_export_links_carry_the_filters(anonymous):
    CommunityFactory(name="Lyon", country__code="FR")

    response = anonymous.get("/communities/", {"q": "ly", "country": "FR"})

    html = response.content.decode()
    assert "/communities/export.csv?q=ly&amp;country=FR" in html
    assert "/communities/export.geojson?q=ly&amp;country=FR" in html


# --- Community page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_community_detail_links_partners_in_both_directions(anonymous):
    partnership = PartnershipFactory(community_a__name="Lyon", community_b__name="Milano")

    lyon = anonymous.get(partnership.community_a.get_absolute_url())
    milano = anonymous.get(partnership.community_b.get_absolute_url())

    assert (
        f'href="{partnership.community_b.get_absolute_url()}">Milano</a>' in lyon.content.decode()
    )
    assert (
        f'href="{partnership.community_a.get_absolute_url()}">Lyon</a>' in milano.content.decode()
    )


@pytest.mark.django_db
def test_community_detail_shows_partnership_status_year_and_confirmations(anonymous):
    partnership = PartnershipFactory(
        community_a__name="Lyon",
        community_b__name="Milano",
        community_b__country__code="IT",
        kind=Partnership.Kind.TWIN_TOWN,
        status=Partnership.Status.DORMANT,
        established_year=1966,
        confirmed_by_a_on=date(2024, 1, 1),
    )

    response = anonymous.get(partnership.community_a.get_absolute_url())

    html = response.content.decode()
    row = html[html.index(">Milano</a>") : html.index("</tr>", html.index(">Milano</a>"))]
    assert "Italy" in row
    assert "Twin town" in row
    assert '<span class="badge badge--warn">Dormant</span>' in row
    assert "1966" in row
    assert re.search(r"Lyon: <span class=\"badge badge--ok\">yes", row)
    assert re.search(r"Milano: <span class=\"badge badge--muted\">not yet", row)


@pytest.mark.django_db
def test_community_detail_shows_facts_and_ids_as_text(anonymous):
    community = CommunityFactory(
        name="Lyon",
        country__code="FR",
        region="Auvergne-Rhône-Alpes",
        population=513_275,
        latitude=45.764,
        longitude=4.8357,
        geonames_id=2996944,
        wikidata_id="Q456",
    )

    response = anonymous.get(community.get_absolute_url())

    html = response.content.decode()
    assert "<h1>Lyon</h1>" in html
    assert 'href="/countries/fr/"' in html
    assert "513,275" in html
    assert "45.7640, 4.8357" in html
    assert "2996944" in html
    assert ">Q456</a>" in html


@pytest.mark.django_db
def test_community_detail_shows_its_member_organisation(anonymous):
    community = CommunityFactory(name="Lyon")
    MemberFactory(
        name="Comité de jumelage de Lyon",
        communities=[community],
        website="https://jumelage.example",
        description="Since 1958.",
        seeking_partner=True,
    )

    response = anonymous.get(community.get_absolute_url())

    html = response.content.decode()
    assert "Comité de jumelage de Lyon" in html
    assert "https://jumelage.example" in html
    assert "Since 1958." in html
    assert "Seeking a new partner" in html


@pytest.mark.django_db
def test_community_detail_draws_a_map_with_lines_to_partners(anonymous):
    partnership = PartnershipFactory(
        community_a__name="Lyon",
        community_a__latitude=45.76,
        community_a__longitude=4.84,
        community_b__name="Yokohama",
        community_b__latitude=35.44,
        community_b__longitude=139.64,
    )

    response = anonymous.get(partnership.community_a.get_absolute_url())

    html = response.content.decode()
    assert '<svg class="mini-map" role="img"' in html
    assert 'aria-label="Map of Lyon and its 1 partner"' in html
    assert html.count('class="mini-map__line"') == 1


@pytest.mark.django_db
def test_community_detail_without_coordinates_says_it_has_no_map(anonymous):
    community = CommunityFactory(name="Nowhere", latitude=None, longitude=None)

    response = anonymous.get(community.get_absolute_url())

    html = response.content.decode()
    assert "<svg" not in html
    assert "no coordinates yet" in html


@pytest.mark.django_db
def test_community_detail_escapes_names(anonymous):
    partnership = PartnershipFactory(community_b__name="<script>alert(1)</script>")

    response = anonymous.get(partnership.community_a.get_absolute_url())

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_community_detail_unknown_slug_is_404(anonymous):
    response = anonymous.get("/communities/no-such-place/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees_notice"),
    [("anonymous", False), ("public", False), ("committee_admin", False), ("staff", True)],
)
def test_community_detail_location_notice_is_for_staff_only(request, persona, sees_notice):
    client = request.getfixturevalue(persona)
    community = request.getfixturevalue("springfield")
    community.location_status = Community.LocationStatus.OUTSIDE_COUNTRY
    community.save()

    response = client.get(community.get_absolute_url())

    assert response.status_code == 200
    assert ("Location flagged (visible to staff only)" in response.content.decode()) is sees_notice


@pytest.mark.django_db
def test_community_detail_staff_without_second_factor_sees_no_notice(staff_without_otp):
    community = CommunityFactory(location_status=Community.LocationStatus.FAR_FROM_MATCH)

    response = staff_without_otp.get(community.get_absolute_url())

    assert "Location flagged" not in response.content.decode()


# --- Countries --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_country_list_groups_countries_by_region_with_counts(anonymous):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")
    CommunityFactory(country__code="FR")

    response = anonymous.get("/countries/")

    html = response.content.decode()
    assert '<h2 id="region-asia">Asia' in html
    assert '<h2 id="region-europe">Europe' in html
    start = html.index(" France</a>")
    france = html[start : html.index("</tr>", start)]
    assert re.findall(r'<td class="num">(\d+)</td>', france) == ["2", "1"]


@pytest.mark.django_db
def test_country_list_leaves_out_countries_without_communities(anonymous):
    CountryFactory(code="KE")
    CommunityFactory(country__code="FR")

    response = anonymous.get("/countries/")

    html = response.content.decode()
    assert "France" in html
    assert "Kenya" not in html


@pytest.mark.django_db
def test_country_detail_shows_counts_communities_and_top_partners(anonymous):
    lyon = CommunityFactory(name="Lyon", country__code="FR")
    PartnershipFactory(community_a=lyon, community_b__country__code="JP")
    PartnershipFactory(community_a=lyon, community_b__country__code="JP")
    PartnershipFactory(community_a=lyon, community_b__country__code="DE")
    PartnershipFactory(community_a__country__code="DE", community_b__country__code="JP")

    response = anonymous.get("/countries/fr/")

    html = response.content.decode()
    cards = re.findall(r'stat-card__value">([\d,]+)<', html)
    assert cards == ["1", "3", "2"]
    assert _names(response) == ["Lyon"]
    top = html[html.index("Top partner countries") :]
    assert top.index("Japan") < top.index("Germany")
    assert "2 partnerships" in top


@pytest.mark.django_db
def test_country_detail_unknown_code_is_404(anonymous):
    response = anonymous.get("/countries/zz/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_country_detail_upper_case_code_is_404(anonymous):
    CountryFactory(code="FR")

    response = anonymous.get("/countries/FR/")

    assert response.status_code == 404


# --- Statistics ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stats_shows_totals_and_top_countries(anonymous):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="DE")
    PartnershipFactory(
        community_a__country__code="FR",
        community_b__country__code="US",
        status=Partnership.Status.ENDED,
    )

    response = anonymous.get("/stats/")

    html = response.content.decode()
    cards = re.findall(r'stat-card__value">([\d,]+)<', html)
    assert cards == ["6", "2", "4", "2"]  # communities, current partnerships, countries, across
    table = html[html.index("<caption>") :]
    assert re.findall(r">(\w[\w ]*)</a></th><td class=\"num\">(\d+)<", table) == [
        ("France", "2"),
        ("Germany", "1"),
        ("Japan", "1"),
    ]


@pytest.mark.django_db
def test_stats_draws_an_accessible_chart(anonymous):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")

    response = anonymous.get("/stats/")

    html = response.content.decode()
    assert '<svg class="chart" role="img"' in html
    assert "<title>Top countries by number of partnerships</title>" in html


@pytest.mark.django_db
def test_stats_counts_partnerships_by_region_pair(anonymous):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")
    PartnershipFactory(community_a__country__code="DE", community_b__country__code="JP")
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="DE")

    response = anonymous.get("/stats/")

    html = response.content.decode()
    pairs = html[html.index("Partnerships by pair of regions") :]
    assert re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)<', pairs) == [
        ("Asia – Europe", "2"),
        ("Europe", "1"),
    ]


@pytest.mark.django_db
def test_stats_figures_follow_a_new_partnership(anonymous):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")
    anonymous.get("/stats/")
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="DE")

    response = anonymous.get("/stats/")

    cards = re.findall(r'stat-card__value">([\d,]+)<', response.content.decode())
    assert cards[1] == "2"


@pytest.mark.django_db
def test_stats_figures_follow_a_status_change_once_invalidated(anonymous):
    partnership = PartnershipFactory()
    anonymous.get("/stats/")
    Partnership.objects.filter(pk=partnership.pk).update(status=Partnership.Status.ENDED)
    invalidate_network_stats()

    response = anonymous.get("/stats/")

    cards = re.findall(r'stat-card__value">([\d,]+)<', response.content.decode())
    assert cards[1] == "0"


@pytest.mark.django_db
def test_stats_are_served_from_the_cache(anonymous, django_assert_num_queries):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")
    anonymous.get("/stats/")

    with django_assert_num_queries(1):  # the fingerprint of the data, nothing else
        response = anonymous.get("/stats/")

    assert "France" in response.content.decode()


# The list of communities seeking a partner is matchmaking's: tests/matchmaking/test_views.py.


# --- Home and layout --------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_totals_search_and_credits(anonymous):
    PartnershipFactory(community_a__country__code="FR", community_b__country__code="JP")

    response = anonymous.get("/")

    html = response.content.decode()
    assert re.findall(r'stat-card__value">([\d,]+)<', html) == ["2", "1", "2"]
    assert 'action="/communities/"' in html
    assert "GeoNames (CC BY 4.0)" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/communities/", "Communities"),
        ("/countries/", "Countries"),
        ("/stats/", "Statistics"),
        ("/seeking/", "Seeking partners"),
    ],
)
def test_navigation_marks_the_current_section(anonymous, path, label):
    response = anonymous.get(path)

    html = response.content.decode()
    assert re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html) == [label]


# --- Role test: every public page answers everyone ---------------------------------------------


@pytest.fixture
def registry(db):
    partnership = PartnershipFactory(
        community_a__name="Lyon",
        community_a__slug="lyon",
        community_a__country__code="FR",
        community_b__name="Milano",
        community_b__country__code="IT",
    )
    MemberFactory(name="Lyon Twinning", communities=[partnership.community_a], seeking_partner=True)
    return partnership


PUBLIC_PAGES = [
    ("network:home", {}, "Find a community"),
    ("network:community_list", {}, "Lyon"),
    ("network:community_detail", {"slug": "lyon"}, "Milano"),
    ("network:country_list", {}, "France"),
    ("network:country_detail", {"code": "fr"}, "Lyon"),
    ("network:stats", {}, "France"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_answer_every_persona(request, registry, persona, page):
    client = request.getfixturevalue(persona)
    name, kwargs, text = page

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    assert text in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "name", ["network:community_export_csv", "network:community_export_geojson"]
)
def test_exports_answer_every_persona(request, registry, persona, name):
    client = request.getfixturevalue(persona)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "Lyon" in b"".join(response.streaming_content).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "text"), PUBLIC_PAGES)
def test_public_pages_refuse_post(anonymous, registry, name, kwargs, text):
    response = anonymous.post(reverse(name, kwargs=kwargs))

    assert response.status_code == 405


# --- Nothing from another origin ----------------------------------------------------------------


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "video", "audio"} and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "text"), PUBLIC_PAGES)
def test_public_pages_load_nothing_from_another_origin(anonymous, registry, name, kwargs, text):
    response = anonymous.get(reverse(name, kwargs=kwargs))

    collector = _AssetCollector()
    collector.feed(response.content.decode())
    assert collector.urls
    assert [url for url in collector.urls if urlparse(url).netloc or url.startswith("//")] == []
    assert "style=" not in response.content.decode()
    assert "<script>" not in response.content.decode()


# --- Query-count guards -------------------------------------------------------------------------


def _make_communities(count: int) -> list[Community]:
    communities = []
    for i in range(count):
        partnership = PartnershipFactory(
            community_a__name=f"Ville {i}",
            community_a__country__code="FR",
            community_b__country__code="JP",
        )
        MemberFactory(
            communities=[partnership.community_a],
            seeking_partner=True,
            preferred_regions=["asia"],
        )
        communities.append(partnership.community_a)
    return communities


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_community_list_query_count_is_constant(anonymous, django_assert_num_queries, count):
    _make_communities(count)
    anonymous.get("/communities/")  # warms the association cache

    with django_assert_num_queries(3):  # matching ids, their rows, fingerprint (cached options)
        response = anonymous.get("/communities/", {"q": "ville"})

    assert len(_names(response)) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_community_detail_query_count_is_constant(anonymous, django_assert_num_queries, count):
    lyon = CommunityFactory(name="Lyon", slug="lyon")
    for _ in range(count):
        PartnershipFactory(community_a=lyon)
    MemberFactory(communities=[lyon])
    anonymous.get("/communities/lyon/")

    # community, partnerships with partners, registry version (cached table), members; the
    # exchange's panel (partnerships, students who went, kept figures); matchmaking's panel
    # (an open seeking profile)
    with django_assert_num_queries(8):
        response = anonymous.get("/communities/lyon/")

    assert response.content.decode().count('class="mini-map__partner"') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_country_list_query_count_is_constant(anonymous, django_assert_num_queries, count):
    for code in ["FR", "JP", "DE"][:count]:
        CommunityFactory(country__code=code)
    anonymous.get("/countries/")

    with django_assert_num_queries(2):  # stats fingerprint (cached figures), countries
        response = anonymous.get("/countries/")

    assert response.content.decode().count('<th scope="row">') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_country_detail_query_count_is_constant(anonymous, django_assert_num_queries, count):
    _make_communities(count)
    anonymous.get("/countries/fr/")

    # country, registry fingerprint (figures cached), community count, page ids,
    # those rows with their partner counts
    with django_assert_num_queries(5):
        response = anonymous.get("/countries/fr/")

    assert len(_names(response)) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_stats_query_count_is_constant(anonymous, django_assert_num_queries, count):
    _make_communities(count)
    get_association()  # cached for every page; not this page's cost

    with django_assert_num_queries(5):  # the fingerprint, then the figures computed once
        response = anonymous.get("/stats/")

    assert "France" in response.content.decode()


def test_server_error_page_renders_without_context_or_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert 'href="/static/css/twinning.css"' in html


@pytest.mark.django_db
def test_community_page_shows_a_status_change_at_once(anonymous, staff_user):
    lyon = CommunityFactory(name="Lyon", slug="lyon")
    partnership = PartnershipFactory(community_a=lyon)
    anonymous.get("/communities/lyon/")  # the partner table is now cached

    change_partnership_status(partnership=partnership, status="dormant", by=staff_user)
    response = anonymous.get("/communities/lyon/")

    assert "Dormant" in response.content.decode()


@pytest.mark.django_db
def test_country_page_counts_a_new_partnership_at_once(anonymous):
    lyon = CommunityFactory(name="Lyon", country__code="FR")
    PartnershipFactory(community_a=lyon)
    before = anonymous.get("/countries/fr/").context["figures"]["partnerships"]

    PartnershipFactory(community_a=lyon)
    after = anonymous.get("/countries/fr/").context["figures"]["partnerships"]

    assert (before, after) == (1, 2)


@pytest.mark.django_db
def test_directory_country_filter_lists_a_new_country_at_once(anonymous):
    CommunityFactory(country__code="FR")
    anonymous.get("/communities/")

    CommunityFactory(country__code="JP", country__name="Japan")
    response = anonymous.get("/communities/")

    assert '<option value="JP"' in response.content.decode()


@pytest.mark.django_db
def test_community_search_pages_through_every_match_in_name_order(anonymous):
    for i in range(60):
        CommunityFactory(name=f"Sankt Ort {i:02d}", slug=f"sankt-ort-{i:02d}")
    CommunityFactory(name="Elsewhere")

    first = anonymous.get("/communities/", {"q": "sankt"})
    second = anonymous.get("/communities/", {"q": "sankt", "page": 2})

    assert first.context["page_obj"].paginator.count == 60
    assert _names(first)[:2] == ["Sankt Ort 00", "Sankt Ort 01"]
    assert _names(second) == [f"Sankt Ort {i:02d}" for i in range(50, 60)]
