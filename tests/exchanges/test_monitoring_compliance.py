"""The compliance page (22 CFR 62.25): each tracked rule passes or fails with its reason, the
CSV export is formula-safe, who may see it, and the monitoring pages' query-count guards."""

import datetime

import pytest

from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.exchanges import monitoring_helpers as m
from tests.factories import CommunityFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import Placement, Student, Training
from twinning.exchanges.services import families, placement
from twinning.exchanges.services.compliance import compliance_rows, orientation_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(springfield_member):
    return m.placed(springfield_member)


def _checks(placement):
    rows = dict(compliance_rows(Placement.objects.filter(pk=placement.pk)))
    return {check.rule: check for check in rows[Placement.objects.get(pk=placement.pk)]}


def test_a_screened_placement_passes_the_screening_rules(placed):
    checks = _checks(placed.placement)

    assert [
        checks[r].passed for r in ("adults_checked", "home_visit", "school_letter", "training")
    ] == [True] * 4
    assert "1 adult(s)" in checks["adults_checked"].reason


def test_someone_turning_18_during_the_stay_without_a_check_fails_the_adults_rule(placed):
    departure = placed.season.departure_date
    birthday = departure.replace(year=departure.year - 18) - datetime.timedelta(days=1)
    # Added directly: the families' service would (rightly) reopen the approval.
    placed.family.household.create(name="Bart", date_of_birth=birthday, relationship="son")

    check = _checks(placed.placement)["adults_checked"]

    assert check.passed is False
    assert check.reason == "Bart has no background check."


def test_a_home_visit_after_the_start_fails(placed):
    Placement.objects.filter(pk=placed.placement.pk).update(
        starts_on=association_today() - datetime.timedelta(days=400)
    )

    check = _checks(placed.placement)["home_visit"]

    assert check.passed is False
    assert "after the placement started" in check.reason


def test_a_school_without_a_letter_fails(placed, springfield_member):
    from twinning.exchanges.services import staff

    bare = staff.add_school(
        member=springfield_member,
        name="No Letter High",
        address="x",
        contact_name="y",
        contact_email="noletter@example.org",
        by=SYSTEM,
    )
    Placement.objects.filter(pk=placed.placement.pk).update(school=bare)

    check = _checks(placed.placement)["school_letter"]

    assert (check.passed, check.reason) == (
        False,
        "No Letter High has no signed acceptance letter on file.",
    )


def test_an_expired_training_fails(placed):
    Training.objects.filter(coordinator=placed.coordinator).update(
        expires_on=association_today() - datetime.timedelta(days=1)
    )

    check = _checks(placed.placement)["training"]

    assert check.passed is False
    assert "expired or not recorded" in check.reason


def test_no_orientation_before_arrival_fails(placed):
    check = _checks(placed.placement)["orientation"]

    assert check.passed is False
    assert check.reason == "No orientation before arrival is recorded."


def test_the_orientation_before_arrival_passes_until_the_student_arrives(placed):
    placement.record_orientation(
        student=placed.student,
        kind="pre_arrival",
        held_on=association_today() - datetime.timedelta(days=3),
        by=SYSTEM,
    )

    check = _checks(placed.placement)["orientation"]

    assert check.passed is True
    assert "the one after arrival comes later" in check.reason


def test_an_arrived_student_without_the_orientation_after_arrival_fails_then_passes(placed):
    held = association_today() - datetime.timedelta(days=3)
    placement.record_orientation(
        student=placed.student, kind="pre_arrival", held_on=held, by=SYSTEM
    )
    Student.objects.filter(pk=placed.student.pk).update(status=Student.Status.ARRIVED)

    assert _checks(placed.placement)["orientation"].passed is False
    assert orientation_status(Placement.objects.get(pk=placed.placement.pk)) == (
        False,
        "Arrived, but no orientation after arrival is recorded.",
    )

    placement.record_orientation(
        student=Student.objects.get(pk=placed.student.pk),
        kind="post_arrival",
        held_on=held,
        by=SYSTEM,
    )

    assert _checks(placed.placement)["orientation"].passed is True


def test_overdue_monthly_contacts_fail_and_say_which_month(placed):
    check = _checks(placed.placement)["contacts"]

    assert check.passed is False
    assert "No contact with the student in" in check.reason


def test_an_open_mandatory_report_fails_without_saying_what_happened(placed, committee_admin):
    m.incident(placed.student)

    check = _checks(placed.placement)["incidents"]
    body = committee_admin.get(f"/exchanges/committees/{placed.member.slug}/compliance/").content

    assert (check.passed, check.reason) == (
        False,
        "1 report(s) to the Department of State not yet filed.",
    )
    assert m.CANARY_INCIDENT.encode() not in body
    assert b"Hospitalisation" not in body


def test_the_page_shows_pass_and_fail_in_words(placed, committee_admin):
    body = committee_admin.get(
        f"/exchanges/committees/{placed.member.slug}/compliance/"
    ).content.decode()

    assert "Every adult in the household checked" in body
    assert '<span aria-hidden="true">✔ </span>pass</span>' in body
    assert '<span aria-hidden="true">✖ </span>fail</span>' in body
    assert "No orientation before arrival is recorded." in body


def test_the_csv_export_is_formula_safe(placed, staff):
    placed.family.family_name = "=HYPERLINK(1)"
    placed.family.save()

    response = staff.get("/staff/exchanges/compliance.csv")

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in text
    assert "Monthly contacts up to date" in text.splitlines()[0]


def test_the_compliance_pages_are_refused_to_the_family_and_other_committees(
    placed, other_committee_admin
):
    for path in (
        f"/exchanges/committees/{placed.member.slug}/compliance/",
        f"/exchanges/committees/{placed.member.slug}/compliance.csv",
    ):
        assert other_committee_admin.get(path).status_code == 404
        assert _client_for(placed.family.user).get(path).status_code == 404


# --- Query-count guards ------------------------------------------------------------------------


def _many(member, count: int):
    """`count` placed students, each with its own family, school and coordinator, a contact,
    an incident."""
    season = h.season(slug="guard")
    for i in range(count):
        quota = h.quota(member, season, partner=CommunityFactory())
        student = h.nominate(quota, email=f"s{i}@abroad.example")
        coordinator = h.coordinator(member, email=f"c{i}@springfield.example")
        family = h.screened_family(member, coordinator, email=f"f{i}@springfield.example")
        families.approve_family(family=family, by=SYSTEM)
        school = m.school_with_letter(member, name=f"S{i} High")
        placement = m.place(student, family, school, coordinator)
        from twinning.exchanges.services.monitoring import record_contact

        record_contact(
            placement=placement,
            contact_with="student",
            contacted_on=association_today(),
            method="phone",
            by=SYSTEM,
        )
        m.incident(student)


PAGES = {
    "committee_monitoring": ("committee_admin", "/exchanges/committees/{member}/monitoring/"),
    "committee_compliance": ("committee_admin", "/exchanges/committees/{member}/compliance/"),
    "committee_compliance_csv": (
        "committee_admin",
        "/exchanges/committees/{member}/compliance.csv",
    ),
    "staff_monitoring": ("staff", "/staff/exchanges/monitoring/"),
    "staff_compliance": ("staff", "/staff/exchanges/compliance/"),
    "staff_incidents": ("welfare", "/staff/exchanges/incidents/"),
    "committee_incidents": ("welfare", "/exchanges/committees/{member}/incidents/"),
}


def _queries(request, member, page) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounts.welfare import reauthenticated, welfare_staff

    role, template = PAGES[page]
    if role == "welfare":
        client = reauthenticated(_client_for(welfare_staff(), verified=True))
    else:
        client = request.getfixturevalue(role)
    path = template.format(member=member.slug)
    client.get(path)  # roles detected and kept in the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_monitoring_pages_cost_the_same_queries_for_one_placement_and_three(
    request, springfield_member, page
):
    _many(springfield_member, 1)
    one = _queries(request, springfield_member, page)

    _more(springfield_member)
    three = _queries(request, springfield_member, page)

    assert one == three


def _more(member):
    """Two more placed students of the same committee (another season for the uniqueness)."""
    season = h.season(slug="guard-more", name="More")
    for i in (1, 2):
        quota = h.quota(member, season, partner=CommunityFactory())
        student = h.nominate(quota, email=f"more{i}@abroad.example")
        coordinator = h.coordinator(member, email=f"more.c{i}@springfield.example")
        family = h.screened_family(member, coordinator, email=f"more.f{i}@springfield.example")
        families.approve_family(family=family, by=SYSTEM)
        school = m.school_with_letter(member, name=f"More{i} High")
        placement = m.place(student, family, school, coordinator)
        from twinning.exchanges.services.monitoring import record_contact

        record_contact(
            placement=placement,
            contact_with="family",
            contacted_on=association_today(),
            method="video",
            by=SYSTEM,
        )
        m.incident(student)
