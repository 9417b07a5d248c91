"""Reciprocity: the students each community of a partnership sent and hosted per year, on the
community's public page, staff's partnership page and /impact/; counts only, shown only where
there was an exchange, each season counted once (from its students, or from its kept figures
once its personal data is deleted)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.exchanges import helpers as h
from tests.exchanges import retention_helpers as r
from tests.factories import CommunityFactory
from twinning.core.panels import panels_for
from twinning.exchanges import panels
from twinning.exchanges.models import ReciprocityFigure, Season, Student
from twinning.exchanges.services.reciprocity import (
    community_reciprocity,
    network_reciprocity,
    partnership_reciprocity,
)
from twinning.exchanges.services.retention import _freeze_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(springfield_member):
    return r.two_way(springfield_member)


def _years(world):
    (row,) = community_reciprocity(world.springfield)
    return [(y.year, y.first_sent, y.second_sent) for y in row.years]


def test_only_students_who_went_count_each_in_its_direction(world):
    for n, status in enumerate(["placed", "visa_issued", "arrived", "completed", "returned_early"]):
        r.student_in(world.to_springfield, n, status)
    for n, status in enumerate(["nominated", "accepted", "declined"], start=10):
        r.student_in(world.to_springfield, n, status)
    r.student_in(world.to_kragujevac, 20, "arrived")
    r.student_in(world.to_kragujevac, 21, "accepted")

    # Springfield hosted five (sent by Kragujevac) and sent one, in the season's year.
    assert _years(world) == [(2027, 1, 5)]


def test_a_partnership_is_seen_from_the_pages_community(world):
    r.student_in(world.to_springfield, 1, "arrived")
    (from_kragujevac,) = community_reciprocity(world.kragujevac)
    assert from_kragujevac.first == "Kragujevac"
    assert [(y.first_sent, y.second_sent) for y in from_kragujevac.years] == [(1, 0)]


def test_years_are_the_seasons_arrival_years(world, springfield_member):
    later = h.season(
        slug="2028-29",
        arrival_date=h.ARRIVAL.replace(year=2028),
        departure_date=h.DEPARTURE.replace(year=2029),
    )
    quota = h.students.offer_places(
        season=later,
        host=springfield_member,
        partnership=world.partnership,
        places=3,
        by=h.SYSTEM,
    )
    r.student_in(world.to_springfield, 1, "completed")
    r.student_in(quota, 2, "placed", date_of_birth=h.datetime.date(2012, 3, 1))
    assert _years(world) == [(2027, 0, 1), (2028, 0, 1)]


def test_a_frozen_season_is_counted_from_its_figures_and_never_twice(world):
    r.student_in(world.to_springfield, 1, "completed")
    r.student_in(world.to_kragujevac, 2, "arrived")
    before = _years(world)

    # The retention's first step alone, as inside its transaction before the deletion.
    _freeze_figures(Season.objects.get(pk=world.season.pk))

    # The students are still there (the deletion runs in the same transaction): only the
    # figures count now.
    assert Student.objects.count() == 2
    assert ReciprocityFigure.objects.count() == 2
    assert _years(world) == before == [(2027, 1, 1)]
    assert network_reciprocity()[0].students == 2


def test_freezing_twice_writes_the_same_figures(world):
    r.student_in(world.to_springfield, 1, "completed")
    season = Season.objects.get(pk=world.season.pk)
    _freeze_figures(season)
    _freeze_figures(season)
    assert list(ReciprocityFigure.objects.values_list("students", flat=True)) == [1]


def test_a_partnership_without_exchange_has_no_figures(world):
    r.student_in(world.to_springfield, 1, "nominated")
    assert partnership_reciprocity([world.partnership]) == []
    assert network_reciprocity() == []


def test_network_totals_give_students_partnerships_and_balance(world, springfield_member):
    r.student_in(world.to_springfield, 1, "completed")
    r.student_in(world.to_springfield, 2, "completed")
    r.student_in(world.to_kragujevac, 3, "completed")
    one_way = h.quota(springfield_member, world.season, partner=CommunityFactory(name="Oslo"))
    r.student_in(one_way, 4, "arrived")

    (year,) = network_reciprocity()
    assert (year.year, year.students, year.partnerships, year.both_ways) == (2027, 4, 2, 1)
    # One student each way matched in the two-way partnership: 2 of 4.
    assert year.balance_percent == 50


# --- Pages ---------------------------------------------------------------------------------------


def test_the_community_page_shows_sent_and_hosted_without_names(anonymous, world):
    r.student_in(world.to_springfield, 1, "completed")
    page = anonymous.get(world.springfield.get_absolute_url()).content.decode()
    assert "High-school exchange" in page
    assert "Sent by Kragujevac, hosted in Springfield" in page
    assert "Canaryname" not in page and "Jovanović" not in page


def test_a_community_page_without_exchange_shows_no_exchange_table(anonymous, world):
    r.student_in(world.to_springfield, 1, "accepted")
    page = anonymous.get(world.springfield.get_absolute_url()).content.decode()
    assert "High-school exchange" not in page


def test_staffs_partnership_page_shows_the_exchange(staff, world):
    r.student_in(world.to_kragujevac, 1, "arrived")
    page = staff.get(f"/staff/partnerships/{world.partnership.pk}/").content.decode()
    assert "exchange-reciprocity-heading" in page
    assert "Canaryname" not in page


def test_the_committees_portal_page_shows_its_exchanges(committee_admin, springfield_member, world):
    r.student_in(world.to_kragujevac, 1, "completed")
    page = committee_admin.get(f"/portal/{springfield_member.slug}/").content.decode()
    assert "Sent by Springfield, hosted in Kragujevac" in page
    assert "Canaryname" not in page


def test_another_committees_admin_is_refused_the_portal_page(
    other_committee_admin, springfield_member, world
):
    r.student_in(world.to_kragujevac, 1, "completed")
    response = other_committee_admin.get(f"/portal/{springfield_member.slug}/")
    assert response.status_code == 404


def test_impact_shows_the_network_exchange_without_names(anonymous, world):
    r.student_in(world.to_springfield, 1, "completed")
    page = anonymous.get("/impact/").content.decode()
    assert "Students exchanged by year" in page
    assert "Canaryname" not in page and "Jovanović" not in page


def test_impact_without_any_exchange_shows_no_exchange_table(anonymous, world):
    r.student_in(world.to_springfield, 1, "nominated")
    assert "Students exchanged by year" not in anonymous.get("/impact/").content.decode()


@pytest.mark.parametrize(
    ("slot", "queries"), [("activities.impact", 2), ("network.community", 3), ("network.member", 4)]
)
def test_the_panels_cost_the_same_queries_whatever_the_number_of_partnerships(
    world, springfield_member, django_assert_num_queries, slot, queries
):
    r.student_in(world.to_springfield, 1, "completed")
    for n in range(3):
        other = h.quota(springfield_member, world.season, partner=CommunityFactory(name=f"P{n}"))
        r.student_in(other, 10 + n, "arrived")
    objects = {
        "activities.impact": {},
        "network.community": {"community": world.springfield},
        "network.member": {"member": springfield_member},
    }[slot]
    provider = {
        "activities.impact": panels.impact_panel,
        "network.community": panels.community_panel,
        "network.member": panels.member_panel,
    }[slot]
    # The exchange's own panel (other programs add theirs to the same slots): (the member's
    # communities,) the partnerships, the students' and the kept figures' counts.
    with django_assert_num_queries(queries):
        panel = provider(**objects)
    assert panel is not None and panel.context
    assert any(p.template == panel.template for p in panels_for(slot, **objects))


def test_the_impact_page_costs_the_same_queries_for_one_exchange_and_three(
    anonymous, world, springfield_member
):
    r.student_in(world.to_springfield, 1, "completed")
    anonymous.get("/impact/")
    with CaptureQueriesContext(connection) as one:
        anonymous.get("/impact/")
    for n in range(2):
        other = h.quota(springfield_member, world.season, partner=CommunityFactory(name=f"P{n}"))
        r.student_in(other, 10 + n, "arrived")
    anonymous.get("/impact/")
    with CaptureQueriesContext(connection) as three:
        anonymous.get("/impact/")
    assert len(three) == len(one)


# --- The guardian's notice -----------------------------------------------------------------------


def test_the_notice_names_who_reads_health_details_and_the_retention():
    from twinning.exchanges.services.students import notice_text

    text = notice_text()
    assert "our staff" not in text
    assert "hosting committee's exchange coordinator and the association's welfare staff" in text
    assert "three years after the exchange ends" in text
    # RELIABILITY P-10: an application not accepted goes months after the decision.
    assert "does not accept is deleted 6 months after that decision" in text


def test_a_new_consent_is_recorded_against_the_new_notice_version_and_text(springfield_member):
    import hashlib

    from twinning.exchanges.services.students import NOTICE_VERSION, notice_text

    student = r.student_in(h.quota(springfield_member), 1, "accepted")

    consent = student.person.consents.filter(responded_at__isnull=False).get()
    # The first text was "2026-12", then "2026-12-2" (the readers of health details).
    assert NOTICE_VERSION == "2026-12-3"
    assert consent.notice_version == NOTICE_VERSION
    assert consent.notice_hash == hashlib.sha256(notice_text().encode()).hexdigest()
