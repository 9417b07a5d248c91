"""The registry's JSON API: public lists and details, and a committee admin's own records."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from tests.factories import CommunityFactory, CountryFactory, MemberFactory, PartnershipFactory
from twinning.core.models import ActivityLog
from twinning.network.models import Community, Member, Partnership, PartnershipProposal
from twinning.network.services import propose_partnership


def _json(response):
    return json.loads(response.content)


def _names(items):
    return [item["name"] for item in items]


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _partnership(one, other=None, **fields):
    """A partnership of `one` with `other` (a new community if None), stored in id order."""
    other = other or CommunityFactory()
    low, high = sorted([one, other], key=lambda c: c.pk)
    return PartnershipFactory(community_a=low, community_b=high, **fields)


@pytest.fixture
def france(db):
    return CountryFactory(code="FR", name="France")


@pytest.fixture
def japan(db):
    return CountryFactory(code="JP", name="Japan")


@pytest.fixture
def shelbyville(db):
    return CommunityFactory(name="Shelbyville", slug="shelbyville-us", country__code="US")


# --- Countries --------------------------------------------------------------------------


def test_countries_list_gives_codes_regions_and_community_counts(anonymous, france, japan):
    CommunityFactory.create_batch(2, country=france)

    response = anonymous.get("/api/countries")

    assert response.status_code == 200
    assert _json(response) == [
        {"code": "FR", "name": "France", "region": "europe", "community_count": 2},
        {"code": "JP", "name": "Japan", "region": "asia", "community_count": 0},
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_countries_list_query_count_is_constant(anonymous, django_assert_num_queries, count):
    for code in ["FR", "DE", "JP"][:count]:
        CommunityFactory(country=CountryFactory(code=code))
    anonymous.get("/api/countries")  # warm the association cache

    with django_assert_num_queries(1):
        response = anonymous.get("/api/countries")

    assert len(_json(response)) == count


def test_country_detail_accepts_a_lowercase_code_and_counts_partnerships(anonymous, france, japan):
    lyon = CommunityFactory(name="Lyon", country=france)
    _partnership(lyon, CommunityFactory(country=japan))
    _partnership(lyon, CommunityFactory(country=japan), status=Partnership.Status.ENDED)

    response = anonymous.get("/api/countries/fr")

    assert _json(response) == {
        "code": "FR",
        "name": "France",
        "official_name": "",
        "region": "europe",
        "community_count": 1,
        "partnership_count": 1,
        "partner_country_count": 1,
        "top_partner_countries": [{"code": "JP", "name": "Japan", "count": 1}],
    }


def test_country_detail_of_an_unknown_code_is_404(anonymous, france):
    response = anonymous.get("/api/countries/zz")

    assert response.status_code == 404
    assert _json(response) == {"detail": "Not Found"}


# --- Communities ------------------------------------------------------------------------


def test_communities_search_is_accent_and_case_insensitive_prefix(anonymous):
    CommunityFactory(name="Zürich", country__code="DE")
    CommunityFactory(name="Bad Zurzach", country__code="DE")
    CommunityFactory(name="Neuzurich", country__code="DE")

    response = anonymous.get("/api/communities", {"q": "ZUR"})

    assert _names(_json(response)["items"]) == ["Bad Zurzach", "Zürich"]


def test_communities_list_gives_each_community_with_its_partner_count(anonymous, france):
    lyon = CommunityFactory(name="Lyon", slug="lyon-fr", country=france, region="Rhône")
    _partnership(lyon, CommunityFactory(country__code="JP"))
    _partnership(lyon, CommunityFactory(name="Kyoto", country__code="JP"))

    response = anonymous.get("/api/communities", {"country": "fr"})

    assert _json(response) == {
        "count": 1,
        "items": [
            {
                "id": lyon.pk,
                "slug": "lyon-fr",
                "name": "Lyon",
                "country": "FR",
                "region": "Rhône",
                "kind": "city",
                "population": 25_000,
                "latitude": lyon.latitude,
                "longitude": lyon.longitude,
                "partner_count": 2,
                "url": lyon.get_absolute_url(),
            }
        ],
    }


def test_communities_filter_by_world_region(anonymous, france, japan):
    CommunityFactory(name="Lyon", country=france)
    CommunityFactory(name="Kyoto", country=japan)

    response = anonymous.get("/api/communities", {"region": "asia"})

    assert _names(_json(response)["items"]) == ["Kyoto"]


def test_communities_filter_by_kind(anonymous, france):
    CommunityFactory(name="Lyon", country=france)
    CommunityFactory(name="Bretagne", country=france, kind=Community.Kind.REGION)

    response = anonymous.get("/api/communities", {"kind": "region"})

    assert _names(_json(response)["items"]) == ["Bretagne"]


def test_communities_filter_by_status_keeps_those_with_a_partnership_in_it(anonymous):
    ended = PartnershipFactory(
        community_a__name="Alpha", community_b__name="Beta", status=Partnership.Status.ENDED
    )
    PartnershipFactory(community_a__name="Gamma", community_b__name="Delta")
    PartnershipFactory(community_a=ended.community_b, community_b__name="Epsilon")

    response = anonymous.get("/api/communities", {"status": "ended"})

    assert _names(_json(response)["items"]) == ["Alpha", "Beta"]


def test_communities_filter_with_an_unknown_value_is_refused(anonymous):
    CommunityFactory(name="Lyon")

    response = anonymous.get("/api/communities", {"kind": "village"})

    assert response.status_code == 422
    assert _json(response)["detail"][0]["loc"] == ["query", "kind"]


def test_communities_are_paginated_fifty_a_page(anonymous, france):
    CommunityFactory.create_batch(51, country=france)

    first = _json(anonymous.get("/api/communities"))
    second = _json(anonymous.get("/api/communities", {"page": 2}))

    assert (first["count"], len(first["items"]), len(second["items"])) == (51, 50, 1)
    assert not {c["slug"] for c in first["items"]} & {c["slug"] for c in second["items"]}


def test_communities_page_size_is_capped_at_two_hundred(anonymous, france):
    Community.objects.bulk_create(
        Community(
            name=f"Place {n}",
            slug=f"place-{n}",
            name_key=f"place {n}",
            search_name=f"place {n}",
            country=france,
        )
        for n in range(201)
    )

    response = anonymous.get("/api/communities", {"page_size": 1000})

    assert (_json(response)["count"], len(_json(response)["items"])) == (201, 200)


@pytest.mark.parametrize("count", [1, 3])
def test_communities_list_query_count_is_constant(anonymous, django_assert_num_queries, count):
    for _ in range(count):
        PartnershipFactory()
    anonymous.get("/api/communities")

    with django_assert_num_queries(2):
        response = anonymous.get("/api/communities", {"status": "active", "q": "town"})

    assert _json(response)["count"] == count * 2


def test_community_detail_lists_partners_with_each_sides_confirmation(anonymous, springfield):
    partner = CommunityFactory(name="Kyoto", slug="kyoto-jp", country__code="JP")
    partnership = PartnershipFactory(
        community_a=springfield,
        community_b=partner,
        kind=Partnership.Kind.FRIENDSHIP_CITY,
        established_year=1959,
        confirmed_by_b_on="2024-05-01",
    )
    MemberFactory(name="Springfield Sister Cities", slug="ssc", communities=[springfield])

    response = anonymous.get(f"/api/communities/{springfield.slug}")

    body = _json(response)
    assert (body["name"], body["country_name"], body["partner_count"]) == (
        "Springfield",
        "United States",
        1,
    )
    assert body["members"] == [{"slug": "ssc", "name": "Springfield Sister Cities"}]
    assert body["partners"] == [
        {
            "partnership_id": partnership.pk,
            "partner": {"slug": "kyoto-jp", "name": "Kyoto", "country": "JP"},
            "kind": "friendship_city",
            "status": "active",
            "status_changed_on": None,
            "established_year": 1959,
            "confirmed_by_this_community_on": None,
            "confirmed_by_partner_on": "2024-05-01",
        }
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_community_detail_query_count_is_constant(
    anonymous, springfield, django_assert_num_queries, count
):
    for _ in range(count):
        PartnershipFactory(community_a=springfield)
    MemberFactory.create_batch(count, communities=[springfield])
    anonymous.get(f"/api/communities/{springfield.slug}")

    with django_assert_num_queries(3):
        response = anonymous.get(f"/api/communities/{springfield.slug}")

    assert len(_json(response)["partners"]) == count


def test_community_detail_of_an_unknown_slug_is_404(anonymous):
    response = anonymous.get("/api/communities/atlantis")

    assert response.status_code == 404
    assert _json(response) == {"detail": "Not Found"}


# --- Partnerships -----------------------------------------------------------------------


def test_partnerships_list_gives_both_communities_in_brief(anonymous):
    partnership = PartnershipFactory(
        community_a__name="Lyon",
        community_a__slug="lyon-fr",
        community_a__country__code="FR",
        community_b__name="Kyoto",
        community_b__slug="kyoto-jp",
        community_b__country__code="JP",
        established_year=1959,
        status_changed_on="2020-01-02",
    )

    response = anonymous.get("/api/partnerships")

    assert _json(response) == {
        "count": 1,
        "items": [
            {
                "id": partnership.pk,
                "kind": "sister_city",
                "status": "active",
                "status_changed_on": "2020-01-02",
                "established_year": 1959,
                "source": "test",
                "community_a": {"slug": "lyon-fr", "name": "Lyon", "country": "FR"},
                "community_b": {"slug": "kyoto-jp", "name": "Kyoto", "country": "JP"},
            }
        ],
    }


def test_partnerships_filter_by_country_of_either_side(anonymous, france):
    first = PartnershipFactory(community_a__country=france, community_b__country__code="JP")
    second = PartnershipFactory(community_a__country__code="JP", community_b__country=france)
    PartnershipFactory(community_a__country__code="JP", community_b__country__code="JP")

    response = anonymous.get("/api/partnerships", {"country": "fr"})

    assert [p["id"] for p in _json(response)["items"]] == [first.pk, second.pk]


def test_partnerships_filter_by_status_and_kind(anonymous):
    wanted = PartnershipFactory(status=Partnership.Status.DORMANT, kind=Partnership.Kind.TWIN_TOWN)
    PartnershipFactory(status=Partnership.Status.DORMANT)
    PartnershipFactory(kind=Partnership.Kind.TWIN_TOWN)

    response = anonymous.get("/api/partnerships", {"status": "dormant", "kind": "twin_town"})

    assert [p["id"] for p in _json(response)["items"]] == [wanted.pk]


def test_partnerships_filter_by_community_slug_on_either_side(anonymous, springfield):
    first = _partnership(springfield)
    second = _partnership(springfield)
    PartnershipFactory()

    response = anonymous.get("/api/partnerships", {"community": springfield.slug})

    assert [p["id"] for p in _json(response)["items"]] == [first.pk, second.pk]


@pytest.mark.parametrize("count", [1, 3])
def test_partnerships_list_query_count_is_constant(anonymous, django_assert_num_queries, count):
    PartnershipFactory.create_batch(count)
    anonymous.get("/api/partnerships")

    with django_assert_num_queries(2):
        response = anonymous.get("/api/partnerships")

    assert len(_json(response)["items"]) == count


@pytest.mark.parametrize(
    "persona", ["anonymous", "public", "committee_admin", "other_committee_admin", "staff"]
)
def test_public_endpoints_answer_every_persona_alike(request, springfield, persona):
    client = request.getfixturevalue(persona)
    _partnership(springfield)
    urls = [
        "/api/countries",
        "/api/countries/us",
        "/api/communities?q=spring",
        f"/api/communities/{springfield.slug}",
        "/api/partnerships?country=us",
    ]

    bodies = [_json(client.get(url)) for url in urls]

    assert "US" in [country["code"] for country in bodies[0]]
    assert bodies[1]["name"] == "United States"
    assert _names(bodies[2]["items"]) == ["Springfield"]
    assert bodies[3]["partner_count"] == 1
    assert bodies[4]["count"] == 1


# --- A committee admin's own members ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/me/members"),
        ("get", "/api/me/members/springfield"),
        ("patch", "/api/me/members/springfield"),
        ("get", "/api/me/proposals"),
        ("post", "/api/me/proposals"),
    ],
)
def test_my_endpoints_refuse_anonymous_visitors_with_401(anonymous, method, url):
    response = getattr(anonymous, method)(url, content_type="application/json")

    assert response.status_code == 401
    assert _json(response) == {"detail": "Unauthorized"}


def test_my_members_lists_the_members_a_committee_admin_administers(
    committee_admin, springfield_member
):
    MemberFactory(name="Someone Else's Committee")

    response = committee_admin.get("/api/me/members")

    assert [(m["slug"], m["name"]) for m in _json(response)] == [
        (springfield_member.slug, "Springfield Sister Cities")
    ]
    assert _json(response)[0]["communities"][0]["name"] == "Springfield"


@pytest.mark.parametrize("persona", ["public", "staff", "other_committee_admin"])
def test_my_members_does_not_list_members_the_user_does_not_administer(
    request, springfield_member, persona
):
    client = request.getfixturevalue(persona)

    response = client.get("/api/me/members")

    assert response.status_code == 200
    assert springfield_member.slug not in [m["slug"] for m in _json(response)]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("committee_admin", 200), ("other_committee_admin", 404), ("public", 404), ("staff", 404)],
)
def test_my_member_detail_answers_only_its_committee_admins(
    request, springfield_member, persona, status
):
    client = request.getfixturevalue(persona)

    response = client.get(f"/api/me/members/{springfield_member.slug}")

    assert response.status_code == status
    assert _json(response).get("name", "hidden") == (
        "Springfield Sister Cities" if status == 200 else "hidden"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_my_members_query_count_is_constant(
    committee_admin, committee_admin_user, django_assert_num_queries, count
):
    for _ in range(count - 1):
        member = MemberFactory(communities=CommunityFactory.create_batch(2))
        member.admins.add(committee_admin_user)
    committee_admin.get("/api/me/members")

    with django_assert_num_queries(4):
        response = committee_admin.get("/api/me/members")

    assert len(_json(response)) == count


def test_patch_my_member_changes_the_profile_and_logs_it(committee_admin, springfield_member):
    response = _patch(
        committee_admin,
        f"/api/me/members/{springfield_member.slug}",
        {
            "website": "https://springfield.example/",
            "languages": "English, Spanish",
        },
    )

    springfield_member.refresh_from_db()
    assert response.status_code == 200
    assert _json(response)["languages"] == "English, Spanish"
    assert (springfield_member.website, springfield_member.languages) == (
        "https://springfield.example/",
        "English, Spanish",
    )
    assert ActivityLog.objects.filter(action="network.member.profile_changed").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"is_staff": True},
        {"slug": "taken-over"},
        {"admins": [1, 2]},
        {"name": "Renamed", "description": "A smuggled rename"},
        # Matchmaking keeps the seeking flag from the communities' profiles (issue 11).
        {"seeking_partner": True},
        {"kind": "municipality"},
    ],
)
def test_patch_my_member_refuses_fields_outside_the_profile(
    committee_admin, committee_admin_user, springfield_member, body
):
    response = _patch(committee_admin, f"/api/me/members/{springfield_member.slug}", body)

    springfield_member.refresh_from_db()
    committee_admin_user.refresh_from_db()
    assert response.status_code == 422
    assert (springfield_member.name, springfield_member.slug, springfield_member.description) == (
        "Springfield Sister Cities",
        springfield_member.slug,
        "",
    )
    assert springfield_member.kind == Member.Kind.COMMITTEE
    assert list(springfield_member.admins.all()) == [committee_admin_user]
    assert not committee_admin_user.is_staff
    assert not ActivityLog.objects.filter(action="network.member.profile_changed").exists()


def test_patch_my_member_with_a_bad_website_says_why(committee_admin, springfield_member):
    response = _patch(
        committee_admin, f"/api/me/members/{springfield_member.slug}", {"website": "not a url"}
    )

    springfield_member.refresh_from_db()
    assert response.status_code == 422
    assert _json(response)["detail"][0]["loc"] == ["body", "data", "website"]
    assert springfield_member.website == ""


def test_patch_another_members_profile_is_404(other_committee_admin, springfield_member):
    response = _patch(
        other_committee_admin,
        f"/api/me/members/{springfield_member.slug}",
        {"description": "Defaced"},
    )

    springfield_member.refresh_from_db()
    assert response.status_code == 404
    assert springfield_member.description == ""


def test_patch_my_member_needs_the_csrf_token(committee_admin_user, springfield_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(committee_admin_user)
    url = f"/api/me/members/{springfield_member.slug}"
    token = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = token

    refused = _patch(client, url, {"description": "Without a token"})
    accepted = client.patch(
        url,
        data=json.dumps({"description": "With the token"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    springfield_member.refresh_from_db()
    assert (refused.status_code, accepted.status_code) == (403, 200)
    assert springfield_member.description == "With the token"


# --- Proposals ----------------------------------------------------------------------------


@pytest.fixture
def pending_proposal(committee_admin_user, springfield_member, springfield, shelbyville):
    return propose_partnership(
        member=springfield_member,
        community=springfield,
        partner=shelbyville,
        by=committee_admin_user,
    )


def test_post_proposal_creates_a_pending_request_and_logs_it(
    committee_admin, springfield_member, springfield, shelbyville
):
    response = _post(
        committee_admin,
        "/api/me/proposals",
        {
            "member": springfield_member.slug,
            "community": springfield.slug,
            "partner": shelbyville.slug,
            "kind": "friendship_city",
            "established_year": 2025,
            "note": "Signed at the town hall.",
        },
    )

    proposal = PartnershipProposal.objects.get()
    assert response.status_code == 201
    assert _json(response)["id"] == proposal.pk
    assert (_json(response)["state"], _json(response)["partner"]["slug"]) == (
        "pending",
        "shelbyville-us",
    )
    assert (proposal.community, proposal.partner, proposal.kind) == (
        springfield,
        shelbyville,
        Partnership.Kind.FRIENDSHIP_CITY,
    )
    assert ActivityLog.objects.filter(action="network.proposal.submitted").count() == 1


def test_post_proposal_for_a_community_not_the_members_own_is_refused(
    committee_admin, springfield_member, shelbyville
):
    elsewhere = CommunityFactory(name="Capital City")

    response = _post(
        committee_admin,
        "/api/me/proposals",
        {
            "member": springfield_member.slug,
            "community": elsewhere.slug,
            "partner": shelbyville.slug,
        },
    )

    assert response.status_code == 422
    assert _json(response) == {
        "detail": [
            {
                "loc": ["body", "community"],
                "msg": "Choose one of your own member's communities.",
                "type": "validation_error",
            }
        ]
    }
    assert not PartnershipProposal.objects.exists()


@pytest.mark.parametrize("persona", ["other_committee_admin", "public", "staff"])
def test_post_proposal_for_another_member_is_404(
    request, springfield_member, springfield, shelbyville, persona
):
    client = request.getfixturevalue(persona)

    response = _post(
        client,
        "/api/me/proposals",
        {
            "member": springfield_member.slug,
            "community": springfield.slug,
            "partner": shelbyville.slug,
        },
    )

    assert response.status_code == 404
    assert not PartnershipProposal.objects.exists()


def test_post_proposal_with_an_unknown_partner_says_which_field(
    committee_admin, springfield_member, springfield
):
    response = _post(
        committee_admin,
        "/api/me/proposals",
        {"member": springfield_member.slug, "community": springfield.slug, "partner": "atlantis"},
    )

    assert response.status_code == 422
    assert [d["loc"] for d in _json(response)["detail"]] == [["body", "partner"]]


def test_post_proposal_while_one_is_pending_gives_the_services_message(
    committee_admin, committee_admin_user, springfield_member, springfield, shelbyville
):
    propose_partnership(
        member=springfield_member,
        community=springfield,
        partner=shelbyville,
        by=committee_admin_user,
    )

    response = _post(
        committee_admin,
        "/api/me/proposals",
        {
            "member": springfield_member.slug,
            "community": springfield.slug,
            "partner": shelbyville.slug,
        },
    )

    assert response.status_code == 422
    assert _json(response)["detail"][0]["msg"] == (
        "A request about these two communities is already waiting for staff review."
    )
    assert PartnershipProposal.objects.count() == 1


def test_my_proposals_lists_only_my_members_proposals(
    committee_admin, pending_proposal, staff_user, shelbyville
):
    other_member = MemberFactory(communities=[shelbyville])
    propose_partnership(
        member=other_member, community=shelbyville, partner=CommunityFactory(), by=staff_user
    )

    response = committee_admin.get("/api/me/proposals")

    assert [p["id"] for p in _json(response)["items"]] == [pending_proposal.pk]
    assert _json(response)["items"][0]["member"] == pending_proposal.member.slug


@pytest.mark.parametrize("persona", ["public", "staff", "other_committee_admin"])
def test_my_proposals_is_empty_for_users_without_that_member(request, pending_proposal, persona):
    client = request.getfixturevalue(persona)

    response = client.get("/api/me/proposals")

    assert _json(response) == {"count": 0, "items": []}


@pytest.mark.parametrize("count", [1, 3])
def test_my_proposals_query_count_is_constant(
    committee_admin, committee_admin_user, springfield_member, django_assert_num_queries, count
):
    for _ in range(count):
        propose_partnership(
            member=springfield_member,
            community=springfield_member.communities.get(),
            partner=CommunityFactory(),
            by=committee_admin_user,
        )
    committee_admin.get("/api/me/proposals")

    with django_assert_num_queries(4):
        response = committee_admin.get("/api/me/proposals")

    assert _json(response)["count"] == count


# --- Schema and docs ----------------------------------------------------------------------


def test_openapi_schema_is_public_and_lists_every_endpoint(anonymous):
    response = anonymous.get("/api/openapi.json")

    schema = _json(response)
    assert schema["info"]["title"] == "Twinning API"
    assert sorted(schema["paths"]) == [
        "/api/communities",
        "/api/communities/{slug}",
        "/api/countries",
        "/api/countries/{code}",
        "/api/exchanges/reciprocity",  # the exchange's (issue 10), staff only
        "/api/exchanges/seasons",
        "/api/exchanges/seasons/{slug}",
        "/api/me/members",
        "/api/me/members/{slug}",
        "/api/me/proposals",
        "/api/partnerships",
        "/api/relief/appeals",  # relief's (issue 12)
        "/api/relief/appeals/{slug}",
        "/api/seeking",  # matchmaking's (issue 11)
    ]
    assert sorted(schema["paths"]["/api/me/members/{slug}"]) == ["get", "patch"]


def test_openapi_schema_marks_only_my_and_staff_endpoints_as_needing_a_session_or_token(anonymous):
    paths = _json(anonymous.get("/api/openapi.json"))["paths"]

    secured = sorted(
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if {} not in operation.get("security", [{}])  # `{}`: no authentication needed
    )

    assert secured == [
        "GET /api/exchanges/reciprocity",
        "GET /api/exchanges/seasons",
        "GET /api/exchanges/seasons/{slug}",
        "GET /api/me/members",
        "GET /api/me/members/{slug}",
        "GET /api/me/proposals",
        "PATCH /api/me/members/{slug}",
        "POST /api/me/proposals",
    ]


def test_api_docs_page_is_public(anonymous):
    response = anonymous.get("/api/docs")

    assert response.status_code == 200
    assert b"<title>Twinning API</title>" in response.content


def test_api_docs_page_loads_nothing_from_another_origin(anonymous):
    response = anonymous.get("/api/docs")

    assert b"cdn." not in response.content
    assert b"/static/ninja/swagger-ui-bundle" in response.content
