"""The showcase's open calls reach a committee's dashboard (members.calls)."""

from django.urls import reverse

from tests.showcase.conftest import make_edition
from twinning.core.dates import association_date, association_today
from twinning.members.calls import open_calls_for
from twinning.showcase.services import create_local_round


def test_an_open_edition_is_an_open_call_with_its_deadline(edition, springfield_member):
    calls = open_calls_for(springfield_member, association_today())

    titles = [call.title for call in calls]
    assert f"Young Artists and Authors Showcase {edition.year}: {edition.theme}" in titles
    call = calls[
        titles.index(f"Young Artists and Authors Showcase {edition.year}: {edition.theme}")
    ]
    assert call.deadline == association_date(edition.closes_at)
    assert call.url == edition.get_absolute_url()


def test_a_committee_without_a_local_round_is_invited_to_run_one(edition, springfield_member):
    urls = [call.url for call in open_calls_for(springfield_member, association_today())]

    assert reverse("showcase:portal_local_round", kwargs={"edition": edition.slug}) in urls


def test_a_closed_edition_is_no_open_call(db, staff_user, good_standing, springfield_member):
    make_edition(by=staff_user, opens_in_days=-30, closes_in_days=-1)

    assert open_calls_for(springfield_member, association_today()) == []


def test_the_dashboard_lists_the_open_edition(committee_admin, edition, springfield_member):
    response = committee_admin.get(
        reverse("members:portal_dashboard", kwargs={"slug": springfield_member.slug})
    )

    assert response.status_code == 200
    assert edition.theme in response.content.decode()


def test_once_the_local_round_exists_the_invitation_goes(
    edition, springfield_member, committee_admin_user
):
    create_local_round(edition=edition, member=springfield_member, by=committee_admin_user)

    urls = [call.url for call in open_calls_for(springfield_member, association_today())]

    assert reverse("showcase:portal_local_round", kwargs={"edition": edition.slug}) not in urls
    assert edition.get_absolute_url() in urls
