"""API token pages: the committee portal's (own member only) and the staff list; the secret
shown once in the answer to the creating POST and never again; revocation by POST; role tests
with the refused roles; a constant number of queries per list."""

import re

import pytest
from django.urls import reverse

from tests.conftest import _client_for
from tests.factories import ApiTokenFactory
from twinning.network.models import ApiToken


@pytest.fixture
def portal_url(springfield_member):
    return reverse("network:portal_token_list", kwargs={"slug": springfield_member.slug})


STAFF_URL = "/staff/api-tokens/"


def _revoke_url(member, token):
    return reverse("network:portal_token_revoke", kwargs={"slug": member.slug, "pk": token.pk})


# --- The portal -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("committee_admin", 200),
        ("other_committee_admin", 404),
        ("public", 404),
        ("staff", 404),  # staff use the staff page
        ("anonymous", 302),
    ],
)
def test_portal_token_page_roles(request, portal_url, role, status):
    response = request.getfixturevalue(role).get(portal_url)

    assert response.status_code == status


def test_portal_token_page_lists_the_members_tokens_only(
    committee_admin, portal_url, springfield_member, other_committee_admin_user
):
    ours = ApiTokenFactory(member=springfield_member, name="Website sync")
    theirs = ApiTokenFactory(
        member=other_committee_admin_user.administered_members.get(), name="Their CRM"
    )

    page = committee_admin.get(portal_url).content.decode()

    assert "Website sync" in page
    assert f"{ours.prefix}…" in page
    assert "Their CRM" not in page
    assert theirs.prefix not in page
    assert ours.secret not in page


def test_portal_creates_a_token_and_shows_the_secret_once(
    committee_admin, portal_url, springfield_member
):
    response = committee_admin.post(
        portal_url, {"name": "Website sync", "scopes": ["member:read"], "lifetime": "90"}
    )

    token = ApiToken.objects.get()
    page = response.content.decode()
    secret = page.split('id="api-token" type="text" value="', 1)[1].split('"', 1)[0]
    assert response.status_code == 200
    assert "shown only this once" in page
    assert secret.startswith(f"{token.prefix}_")
    assert "no-store" in response["Cache-Control"]
    assert token.member == springfield_member
    assert token.scopes == ["member:read"]
    assert secret not in committee_admin.get(portal_url).content.decode()
    assert secret.split("_", 2)[2] not in repr(list(ApiToken.objects.values()))
    assert committee_admin.get("/api/me/members", HTTP_AUTHORIZATION=f"Bearer {secret}").json()


def test_portal_create_without_scopes_says_what_is_wrong_and_creates_nothing(
    committee_admin, portal_url
):
    response = committee_admin.post(portal_url, {"name": "Website sync", "lifetime": "90"})

    assert response.status_code == 200
    assert "Choose at least one scope" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_portal_does_not_offer_staff_only_scopes(committee_admin, portal_url):
    page = committee_admin.get(portal_url).content.decode()

    assert 'value="member:write"' in page
    assert 'value="registry:read"' in page


def test_portal_create_with_a_name_in_use_is_refused_on_the_name_field(
    committee_admin, portal_url, springfield_member
):
    ApiTokenFactory(member=springfield_member, name="Website sync")

    response = committee_admin.post(
        portal_url, {"name": "Website sync", "scopes": ["member:read"], "lifetime": "30"}
    )

    assert "already in use" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_portal_create_refused_to_another_committee_admin(other_committee_admin, portal_url):
    response = other_committee_admin.post(
        portal_url, {"name": "Sneaky", "scopes": ["member:write"], "lifetime": "30"}
    )

    assert response.status_code == 404
    assert not ApiToken.objects.exists()


def test_portal_revokes_a_token(committee_admin, springfield_member, portal_url):
    token = ApiTokenFactory(member=springfield_member)

    response = committee_admin.post(_revoke_url(springfield_member, token))

    assert response.status_code == 302
    assert response["Location"] == portal_url
    assert ApiToken.objects.get(pk=token.pk).state() == "revoked"


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_committee_admin", 404), ("public", 404), ("staff", 404), ("anonymous", 302)],
)
def test_portal_revoke_refused_roles_change_nothing(request, springfield_member, role, status):
    token = ApiTokenFactory(member=springfield_member)

    response = request.getfixturevalue(role).post(_revoke_url(springfield_member, token))

    assert response.status_code == status
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_portal_cannot_revoke_another_members_token_through_its_own_url(
    committee_admin, springfield_member, other_committee_admin_user
):
    theirs = ApiTokenFactory(member=other_committee_admin_user.administered_members.get())

    response = committee_admin.post(_revoke_url(springfield_member, theirs))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def _csrf_posts(client, page_url, action, data):
    """POST `data` to `action` as a browser would: with the CSRF token of the form on the page
    (ACC-8), so a form that lost its token fails here."""
    page = client.get(page_url).content.decode()
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    return client.post(action, {**data, "csrfmiddlewaretoken": token})


def test_portal_forms_carry_their_csrf_token(springfield_member, committee_admin_user, portal_url):
    client = _client_for(committee_admin_user)
    client.handler.enforce_csrf_checks = True
    token = ApiTokenFactory(member=springfield_member)

    created = _csrf_posts(
        client, portal_url, portal_url, {"name": "CSV", "scopes": ["member:read"], "lifetime": 30}
    )
    revoked = _csrf_posts(client, portal_url, _revoke_url(springfield_member, token), {})

    assert created.status_code == 200
    assert revoked.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).state() == "revoked"
    assert ApiToken.objects.get(name="CSV").state() == "active"


def test_portal_member_page_links_to_the_tokens(committee_admin, springfield_member, portal_url):
    page = committee_admin.get(f"/portal/{springfield_member.slug}/").content.decode()

    assert f'href="{portal_url}"' in page


@pytest.mark.parametrize("item_count", [1, 3])
def test_portal_token_list_query_count(
    committee_admin, portal_url, springfield_member, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        ApiTokenFactory(member=springfield_member)
    committee_admin.get(portal_url)  # warm the association cache

    # Session, user, member, permission, tokens.
    with django_assert_num_queries(5):
        response = committee_admin.get(portal_url)

    assert response.content.decode().count("badge--ok") == item_count


# --- Staff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("staff_without_otp", 302),
        ("committee_admin", 404),
        ("public", 404),
        ("anonymous", 302),
    ],
)
def test_staff_token_page_roles(request, role, status):
    response = request.getfixturevalue(role).get(STAFF_URL)

    assert response.status_code == status


def test_staff_page_lists_every_token_with_what_it_acts_for(staff, staff_user, springfield_member):
    ApiTokenFactory(member=springfield_member, name="Springfield site")
    ApiTokenFactory(member=None, owner=staff_user, name="Annual report", scopes=["registry:read"])

    page = staff.get(STAFF_URL).content.decode()

    assert "Springfield site" in page
    assert springfield_member.name in page
    assert "Annual report" in page
    assert "Staff token" in page


def test_staff_create_a_staff_token(staff, staff_user):
    response = staff.post(
        STAFF_URL, {"name": "Annual report", "scopes": ["registry:read"], "lifetime": "365"}
    )

    token = ApiToken.objects.get()
    assert response.status_code == 200
    assert "shown only this once" in response.content.decode()
    assert (token.member, token.owner) == (None, staff_user)


def test_staff_create_a_token_for_a_member(staff, springfield_member):
    staff.post(
        STAFF_URL,
        {
            "name": "CRM",
            "member": springfield_member.slug,
            "scopes": ["member:write"],
            "lifetime": "30",
        },
    )

    assert ApiToken.objects.get().member == springfield_member


def test_staff_token_with_member_scopes_is_refused_with_the_reason(staff):
    response = staff.post(
        STAFF_URL, {"name": "Wrong", "scopes": ["member:write"], "lifetime": "30"}
    )

    assert "acts for no member organisation" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_staff_revoke_any_token(staff, springfield_member):
    token = ApiTokenFactory(member=springfield_member)

    response = staff.post(f"/staff/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).state() == "revoked"


@pytest.mark.parametrize(
    ("role", "status"),
    [("committee_admin", 404), ("staff_without_otp", 302), ("public", 404), ("anonymous", 302)],
)
def test_staff_revoke_refused_roles_change_nothing(request, springfield_member, role, status):
    token = ApiTokenFactory(member=springfield_member)

    response = request.getfixturevalue(role).post(f"/staff/api-tokens/{token.pk}/revoke/")

    assert response.status_code == status
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_staff_dashboard_links_to_the_tokens(staff):
    page = staff.get("/staff/").content.decode()

    assert f'href="{STAFF_URL}"' in page


@pytest.mark.parametrize("item_count", [1, 3])
def test_staff_token_list_query_count(
    staff, springfield_member, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        ApiTokenFactory(member=springfield_member)
    staff.get(STAFF_URL)

    # Session, user, OTP device, count and page of tokens.
    with django_assert_num_queries(6):
        response = staff.get(STAFF_URL)

    assert response.content.decode().count("badge--ok") == item_count
