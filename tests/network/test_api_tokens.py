"""API tokens on the API (twinning/network/tokens.py): `Authorization: Bearer` beside the
session, the scope each endpoint declares (403 with a message without it), 401 for an unknown,
revoked or expired token, a token acting only for its committee (404 for another's objects,
ACC-2), revocation and a removed admin taking effect on the next request (ACC-5), and the bearer
scheme in the OpenAPI schema."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import ApiTokenFactory, CommunityFactory, MemberFactory
from twinning.core.models import ActivityLog
from twinning.network.models import ApiToken, Member, PartnershipProposal
from twinning.network.services import create_api_token, remove_committee_admin, revoke_api_token


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _get(url, token, **extra):
    return Client().get(url, **_bearer(token), **extra)


def _patch(url, token, body):
    return Client(enforce_csrf_checks=True).patch(
        url, data=json.dumps(body), content_type="application/json", **_bearer(token)
    )


def _post(url, token, body):
    return Client(enforce_csrf_checks=True).post(
        url, data=json.dumps(body), content_type="application/json", **_bearer(token)
    )


@pytest.fixture
def springfield_token(springfield_member, committee_admin_user):
    """Springfield's committee admin's token, with every committee scope."""
    return ApiTokenFactory(
        owner=committee_admin_user,
        member=springfield_member,
        scopes=["registry:read", "member:write"],
    )


@pytest.fixture
def shelbyville(committee_admin_user):
    """Another member that Springfield's admin also runs (their token is for Springfield)."""
    other = MemberFactory(name="Shelbyville Twinning", slug="shelbyville")
    other.admins.add(committee_admin_user)
    return other


# --- Scopes and refusals ------------------------------------------------------------------


def test_token_with_member_scope_reads_its_member(springfield_token, springfield_member):
    response = _get("/api/me/members", springfield_token.secret)

    assert response.status_code == 200
    assert [m["slug"] for m in response.json()] == [springfield_member.slug]


def test_token_without_the_scope_gets_403_saying_which_scope(
    springfield_member, committee_admin_user
):
    token = ApiTokenFactory(
        owner=committee_admin_user, member=springfield_member, scopes=["registry:read"]
    )

    response = _get("/api/me/members", token.secret)

    assert response.status_code == 403
    assert "member:read" in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="member:read"'


def test_read_scope_cannot_write(springfield_member, committee_admin_user):
    token = ApiTokenFactory(
        owner=committee_admin_user, member=springfield_member, scopes=["member:read"]
    )

    response = _patch(
        f"/api/me/members/{springfield_member.slug}", token.secret, {"interests": "x"}
    )

    assert response.status_code == 403
    assert "member:write" in response.json()["detail"]
    assert Member.objects.get(pk=springfield_member.pk).interests == ""


@pytest.mark.parametrize(
    "raw",
    [
        "twn_abcdefghij_not-the-secret",
        "twn_short_x",
        "not-a-twinning-token",
        "twn_",
        "twn_" + "a" * 300,
    ],
)
def test_unknown_or_malformed_token_gets_401(springfield_token, raw):
    response = _get("/api/me/members", raw)

    assert response.status_code == 401
    assert "unknown, revoked or expired" in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_right_key_with_a_wrong_secret_gets_401(springfield_token):
    forged = springfield_token.secret[:-4] + "AAAA"

    response = _get("/api/me/members", forged)

    assert response.status_code == 401


def test_expired_token_gets_401(springfield_token):
    with time_machine.travel(springfield_token.expires_at + datetime.timedelta(seconds=1)):
        response = _get("/api/me/members", springfield_token.secret)

    assert response.status_code == 401


def test_acc5_revocation_takes_effect_on_the_next_request(springfield_token, committee_admin_user):
    assert _get("/api/me/members", springfield_token.secret).status_code == 200

    revoke_api_token(token=springfield_token, by=committee_admin_user)

    assert _get("/api/me/members", springfield_token.secret).status_code == 401


def test_acc5_token_stops_when_its_owner_is_no_longer_admin_of_the_member(
    springfield_token, springfield_member, committee_admin_user, staff_user
):
    assert _get("/api/me/members", springfield_token.secret).status_code == 200

    remove_committee_admin(member=springfield_member, user=committee_admin_user, by=staff_user)

    assert _get("/api/me/members", springfield_token.secret).status_code == 401


def test_acc5_token_stops_when_its_owner_is_deactivated(springfield_token, committee_admin_user):
    committee_admin_user.is_active = False
    committee_admin_user.save()

    assert _get("/api/me/members", springfield_token.secret).status_code == 401


# --- Acting for one committee (ACC-2) -----------------------------------------------------


def test_acc2_token_lists_only_its_own_member(springfield_token, shelbyville, committee_admin):
    by_token = _get("/api/me/members", springfield_token.secret).json()
    by_session = committee_admin.get("/api/me/members").json()

    assert [m["slug"] for m in by_token] == [springfield_token.member.slug]
    assert sorted(m["slug"] for m in by_session) == sorted(
        [springfield_token.member.slug, "shelbyville"]
    )


def test_acc2_token_gets_404_for_another_member_of_its_owner(springfield_token, shelbyville):
    read = _get("/api/me/members/shelbyville", springfield_token.secret)
    write = _patch("/api/me/members/shelbyville", springfield_token.secret, {"interests": "x"})

    assert (read.status_code, write.status_code) == (404, 404)
    assert Member.objects.get(pk=shelbyville.pk).interests == ""


def test_acc2_token_cannot_propose_for_another_member(springfield_token, shelbyville):
    home = CommunityFactory(name="Shelbyville")
    shelbyville.communities.add(home)

    response = _post(
        "/api/me/proposals",
        springfield_token.secret,
        {"member": "shelbyville", "community": home.slug, "partner": CommunityFactory().slug},
    )

    assert response.status_code == 404
    assert not PartnershipProposal.objects.exists()


def test_acc2_token_lists_only_its_own_members_proposals(
    springfield_token, shelbyville, springfield, committee_admin_user
):
    from twinning.network.services import propose_partnership

    home = CommunityFactory(name="Shelbyville")
    shelbyville.communities.add(home)
    propose_partnership(
        member=shelbyville, community=home, partner=CommunityFactory(), by=committee_admin_user
    )
    ours = propose_partnership(
        member=springfield_token.member,
        community=springfield,
        partner=CommunityFactory(),
        by=committee_admin_user,
    )

    response = _get("/api/me/proposals", springfield_token.secret)

    assert [item["id"] for item in response.json()["items"]] == [ours.pk]


# --- Writes with a token ------------------------------------------------------------------


def test_token_with_write_scope_changes_the_profile_without_csrf(
    springfield_token, springfield_member, committee_admin_user
):
    response = _patch(
        f"/api/me/members/{springfield_member.slug}",
        springfield_token.secret,
        {"interests": "Jazz and river clean-ups"},
    )

    assert response.status_code == 200
    assert response.json()["interests"] == "Jazz and river clean-ups"
    log = ActivityLog.objects.get(action="network.member.profile_changed")
    assert log.actor == committee_admin_user


def test_token_with_write_scope_proposes_a_partnership(springfield_token, springfield):
    partner = CommunityFactory(name="Kragujevac")

    response = _post(
        "/api/me/proposals",
        springfield_token.secret,
        {
            "member": springfield_token.member.slug,
            "community": springfield.slug,
            "partner": partner.slug,
        },
    )

    assert response.status_code == 201
    assert PartnershipProposal.objects.get().partner == partner


def test_token_made_by_staff_for_a_member_acts_for_that_member(springfield_member, staff_user):
    _token, secret = create_api_token(
        name="CRM",
        scopes=["member:write"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
        member=springfield_member,
        by=staff_user,
    )

    response = _patch(f"/api/me/members/{springfield_member.slug}", secret, {"languages": "fr"})

    assert response.status_code == 200
    assert Member.objects.get(pk=springfield_member.pk).languages == "fr"


def test_staff_token_reads_the_registry_but_no_member_records(springfield_member, staff_user):
    _token, secret = create_api_token(
        name="Reporting",
        scopes=["registry:read"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=staff_user,
    )

    response = _get("/api/countries", secret)
    mine = _get("/api/me/members", secret)

    assert response.status_code == 200
    assert mine.status_code == 403  # a staff token cannot hold member:read at all


def test_staff_token_stops_when_its_owner_leaves_the_staff(staff_user):
    _token, secret = create_api_token(
        name="Reporting",
        scopes=["registry:read"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=staff_user,
    )
    staff_user.is_staff = False
    staff_user.save()

    assert _get("/api/countries", secret).status_code == 401


# --- Public endpoints ---------------------------------------------------------------------


def test_public_endpoint_needs_no_token(anonymous, springfield):
    response = anonymous.get(f"/api/communities/{springfield.slug}")

    assert response.status_code == 200


def test_public_endpoint_accepts_a_token_with_registry_read(springfield_token, springfield):
    response = _get(f"/api/communities/{springfield.slug}", springfield_token.secret)

    assert response.status_code == 200
    assert response.json()["name"] == "Springfield"


def test_public_endpoint_refuses_a_revoked_token(springfield_token, committee_admin_user):
    revoke_api_token(token=springfield_token, by=committee_admin_user)

    response = _get("/api/countries", springfield_token.secret)

    assert response.status_code == 401


def test_public_endpoint_refuses_a_token_without_registry_read(
    springfield_member, committee_admin_user
):
    token = ApiTokenFactory(
        owner=committee_admin_user, member=springfield_member, scopes=["member:read"]
    )

    response = _get("/api/countries", token.secret)

    assert response.status_code == 403
    assert "registry:read" in response.json()["detail"]


# --- Use is recorded ----------------------------------------------------------------------


def test_last_use_is_recorded_at_most_once_a_minute(springfield_token):
    first = timezone.now()
    with time_machine.travel(first, tick=False):
        _get("/api/me/members", springfield_token.secret)
    with time_machine.travel(first + datetime.timedelta(seconds=30), tick=False):
        _get("/api/me/members", springfield_token.secret)
    assert ApiToken.objects.get(pk=springfield_token.pk).last_used_at == first

    with time_machine.travel(first + datetime.timedelta(minutes=2), tick=False):
        _get("/api/me/members", springfield_token.secret)

    assert ApiToken.objects.get(pk=springfield_token.pk).last_used_at == first + datetime.timedelta(
        minutes=2
    )


@pytest.mark.parametrize("count", [1, 3])
def test_token_request_query_count_is_constant(django_assert_num_queries, springfield_token, count):
    for n in range(count):
        springfield_token.member.proposals.create(
            action="new",
            community=CommunityFactory(),
            partner=CommunityFactory(name=f"Partner {n}"),
            proposed_by=springfield_token.owner,
        )
    _get("/api/me/proposals", springfield_token.secret)  # last use recorded, caches warm

    # The token with its owner and member, the owner's admin right, count and page.
    with django_assert_num_queries(4):
        response = _get("/api/me/proposals", springfield_token.secret)

    assert response.json()["count"] == count


# --- The schema ---------------------------------------------------------------------------


def test_openapi_lists_the_bearer_scheme_and_each_operations_scope(anonymous):
    schema = anonymous.get("/api/openapi.json").json()

    operations = {
        op["operationId"].rsplit("_api_", 1)[-1]: op
        for path in schema["paths"].values()
        for op in path.values()
    }
    scheme = schema["components"]["securitySchemes"]["BearerToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert operations["update_my_member"]["security"] == [
        {"BearerToken": ["member:write"]},
        {"SessionAuth": []},
    ]
    assert operations["list_my_members"]["security"][0] == {"BearerToken": ["member:read"]}
    assert operations["list_countries"]["security"] == [{}, {"BearerToken": ["registry:read"]}]


def test_session_still_works_beside_tokens(committee_admin, springfield_member):
    response = committee_admin.get(f"/api/me/members/{springfield_member.slug}")

    assert response.status_code == 200
