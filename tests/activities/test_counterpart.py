"""An activity with a community that is not (yet) a partner (a peer-learning exchange the
expertise exchange matched, say): it names the member's community and the other one instead
of partnerships, counts on /impact/ in both countries, and carries the outcome indicators
(policies adopted, people trained) that the figures and the exports sum."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from tests.activities.test_portal_views import _form
from tests.factories import CommunityFactory
from tests.factories.activities import ActivityFactory
from twinning.activities import services
from twinning.activities.models import Activity

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Peer learning in water",
    "kind": "water",
    "start_date": datetime.date(2025, 6, 1),
    "end_date": datetime.date(2025, 6, 3),
    "hosts_over_30": 9,
    "policies_adopted": 2,
    "people_trained": 9,
}


@pytest.fixture
def lima(db):
    return CommunityFactory(name="Lima", country__code="PE", country__name="Peru")


def _verified(member, springfield, lima, by, staff_user, **fields) -> Activity:
    activity = services.create_activity(
        member=member, community=springfield, counterpart=lima, by=by, **(FIELDS | fields)
    )
    services.submit_activity(activity=activity, by=by)
    return services.verify_activity(activity=activity, by=staff_user)


@pytest.fixture
def draft(springfield_member, springfield, lima, committee_admin_user):
    return services.create_activity(
        member=springfield_member,
        community=springfield,
        counterpart=lima,
        by=committee_admin_user,
        **FIELDS,
    )


@pytest.fixture
def exchange(springfield_member, springfield, lima, committee_admin_user, staff_user):
    """Springfield's verified exchange with Lima, which is not its partner."""
    return _verified(springfield_member, springfield, lima, committee_admin_user, staff_user)


def test_an_activity_with_a_community_that_is_not_a_partner_names_the_two_communities(
    exchange, springfield, lima
):
    activity = exchange

    assert (activity.community, activity.counterpart, activity.state) == (
        springfield,
        lima,
        Activity.State.VERIFIED,
    )
    assert list(activity.partnerships.all()) == []
    assert (activity.policies_adopted, activity.people_trained) == (2, 9)


def test_an_activity_with_a_partner_is_reported_on_the_partnership(
    springfield_member, springfield, partnership, committee_admin_user
):
    partner = partnership.community_b if partnership.community_a == springfield else None
    partner = partner or partnership.community_a

    with pytest.raises(ValidationError, match="are partners: report the activity"):
        services.create_activity(
            member=springfield_member,
            community=springfield,
            counterpart=partner,
            by=committee_admin_user,
            **FIELDS,
        )
    assert not Activity.objects.exists()


def test_an_activity_names_one_of_the_members_own_communities(
    springfield_member, lima, committee_admin_user
):
    elsewhere = CommunityFactory(name="Shelbyville")

    with pytest.raises(ValidationError, match="one of your member's communities"):
        services.create_activity(
            member=springfield_member,
            community=elsewhere,
            counterpart=lima,
            by=committee_admin_user,
            **FIELDS,
        )
    assert not Activity.objects.exists()


def test_an_activity_names_partnerships_or_a_counterpart_never_both(
    springfield_member, springfield, partnership, lima, committee_admin_user
):
    with pytest.raises(ValidationError, match="names no partnership"):
        services.create_activity(
            member=springfield_member,
            partnerships=[partnership],
            community=springfield,
            counterpart=lima,
            by=committee_admin_user,
            **FIELDS,
        )
    assert not Activity.objects.exists()


def test_the_database_refuses_half_a_pair(springfield_member, springfield):
    activity = ActivityFactory.build(member=springfield_member, community=springfield)

    with pytest.raises(ValidationError, match="Name both our community and the other one"):
        activity.full_clean()


def test_impact_counts_both_countries_of_the_pair_and_the_indicators(
    anonymous, exchange, springfield
):

    figures = anonymous.get("/impact/").context["figures"]
    peru = anonymous.get("/impact/?country=PE").context["figures"]

    countries = {row["key"]: row["activities"] for row in figures["by_country"]}
    assert countries == {springfield.country_id: 1, "PE": 1}
    assert (figures["totals"]["policies_adopted"], figures["totals"]["people_trained"]) == (2, 9)
    assert peru["totals"]["activities"] == 1
    assert anonymous.get("/impact/?country=JP").context["figures"]["totals"]["activities"] == 0


def test_the_exports_carry_the_outcome_indicators(anonymous, exchange, springfield):

    text = anonymous.get("/impact/export.csv").content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(anonymous.get("/impact/export.xlsx").content))

    rows = list(csv.DictReader(io.StringIO(text)))
    peru = next(row for row in rows if row["breakdown"] == "country" and row["key"] == "PE")
    assert (peru["policies_adopted"], peru["people_trained"]) == ("2", "9")
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (values["policies_adopted"], values["people_trained"]) == (2, 9)


def test_staff_find_it_by_the_counterparts_country_and_see_the_pair(staff, exchange):

    page = staff.get("/staff/activities/?country=PE")

    assert [a.title for a in page.context["page"]] == ["Peer learning in water"]
    assert "Springfield – Lima" in page.content.decode()


def test_the_committee_edits_its_draft_without_choosing_partnerships(
    committee_admin, springfield_member, partnership, lima, draft
):
    activity = draft
    data = _form(partnership, kind="water", people_trained=12)
    del data["partnerships"]
    url = f"/portal/{springfield_member.slug}/activities/{activity.pk}/"

    form_page = committee_admin.get(url + "edit/").content.decode()
    committee_admin.post(url + "edit/", data)

    assert 'name="partnerships"' not in form_page
    activity.refresh_from_db()
    assert (activity.people_trained, activity.counterpart) == (12, lima)
    assert list(activity.partnerships.all()) == []
    detail = committee_admin.get(url).content.decode()
    assert "Springfield (" in detail and "Lima (Peru)" in detail and "not partners" in detail
