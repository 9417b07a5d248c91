"""Who opens what: public resources for everyone, member-only ones for committee admins whose
organisation is in good standing (computed on each request: a lapse closes them at once, and
the page says why and links to the renewal), staff-only ones for verified staff."""

import datetime

import pytest

from tests.conftest import _client_for
from tests.library.helpers import committee, link
from twinning.core.dates import association_today
from twinning.library.models import Download, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_only():
    return link("Board handbook", access=Resource.Access.MEMBERS)


def open_url(resource) -> str:
    return f"/library/{resource.slug}/v1/open/"


def test_everyone_opens_a_public_resource(client):
    resource = link("Public guide", url="https://example.org/guide")

    page = client.get(resource.get_absolute_url())
    opened = client.get(open_url(resource))

    assert page.status_code == 200
    assert "Open the link" in page.content.decode()
    assert opened.status_code == 302
    assert opened["Location"] == "https://example.org/guide"


def test_a_member_in_good_standing_opens_a_member_only_resource(members_only):
    _, admin = committee("Springfield Sister Cities", "admin@springfield.example")

    response = _client_for(admin).get(open_url(members_only))

    assert response.status_code == 302
    assert Download.objects.get().user == admin


def test_an_anonymous_visitor_is_asked_to_sign_in_for_a_member_only_resource(client, members_only):
    response = client.get(members_only.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(open_url(members_only)).status_code == 302
    assert not Download.objects.exists()


def test_a_signed_in_non_member_is_told_the_resource_is_for_members_and_how_to_join(
    public, members_only
):
    response = public.get(open_url(members_only))

    assert response.status_code == 403
    assert "for members of the association in good standing" in response.content.decode()
    assert "/membership/join/" in response.content.decode()
    assert not Download.objects.exists()


def test_a_lapsed_member_is_told_why_and_how_to_renew(members_only):
    member, admin = committee("Shelbyville", "admin@shelbyville.example", standing=False)

    response = _client_for(admin).get(members_only.get_absolute_url())

    text = response.content.decode()
    assert response.status_code == 403
    assert "Shelbyville is not in good standing" in text
    assert "Expired: the membership ended on" in text
    assert f"/portal/{member.slug}/membership/renew/" in text


def test_a_committee_admin_loses_member_only_access_as_soon_as_the_membership_lapses(
    members_only,
):
    member, admin = committee("Springfield Sister Cities", "admin@springfield.example")
    client = _client_for(admin)
    assert client.get(open_url(members_only)).status_code == 302

    ended = association_today() - datetime.timedelta(days=31)  # past its 30 days' grace
    member.memberships.update(
        start=ended - datetime.timedelta(days=365),
        end=ended,
        grace_end=ended + datetime.timedelta(days=30),
    )
    response = client.get(open_url(members_only))

    assert response.status_code == 403
    assert "Springfield Sister Cities is not in good standing" in response.content.decode()
    assert f"/portal/{member.slug}/membership/renew/" in response.content.decode()
    assert Download.objects.count() == 1


def test_the_library_page_tells_a_lapsed_member_why_member_only_resources_are_missing(
    members_only,
):
    member, admin = committee("Shelbyville", "admin@shelbyville.example", standing=False)

    response = _client_for(admin).get("/library/")

    text = response.content.decode()
    assert "Board handbook" not in text
    assert "Shelbyville is not in good standing" in text
    assert f"/portal/{member.slug}/membership/renew/" in text


def test_a_staff_only_resource_does_not_exist_for_members(committee_admin, staff):
    resource = link("Staff briefing", access=Resource.Access.STAFF)
    _, admin = committee("Springfield Sister Cities", "other@springfield.example")

    assert _client_for(admin).get(resource.get_absolute_url()).status_code == 404
    assert _client_for(admin).get(open_url(resource)).status_code == 404
    assert staff.get(resource.get_absolute_url()).status_code == 200


def test_staff_open_member_only_resources(staff, members_only):
    assert staff.get(members_only.get_absolute_url()).status_code == 200
