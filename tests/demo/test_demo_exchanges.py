"""The demo's high-school exchange (issue 10): a season hosted by the committee admin
persona's committee, students from two of its sister cities (accepted after their guardian's
consent, one still waiting), families at every step of the screening, schools with and
without a letter, coordinators with current and expired training; a second run adds
nothing."""

import pytest

from tests.factories import CommunityFactory, CountryFactory, PartnershipFactory, UserFactory
from twinning.demo import personas
from twinning.demo.exchanges import seed_exchanges
from twinning.demo.registry import attach_committee_admin
from twinning.exchanges.models import FamilyApproval, HostFamily, Orientation, Student
from twinning.exchanges.services.families import screening_problems
from twinning.exchanges.services.staff import training_problem
from twinning.youth.services import has_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    us = CountryFactory(code="US", name="United States")
    springfield = CommunityFactory(name="Springfield", country=us, region="Illinois")
    for code in ("IT", "JP"):
        PartnershipFactory(
            community_a=springfield, community_b=CommunityFactory(country=CountryFactory(code=code))
        )
    admin = UserFactory(email=personas.COMMITTEE_ADMIN.email)
    return attach_committee_admin(admin)


def test_the_demo_builds_a_season_with_students_from_two_sister_cities(host):
    demo = seed_exchanges()

    assert demo is not None and demo.host == host
    students = Student.objects.filter(season=demo.season)
    assert students.count() == 7
    assert {s.quota.partnership_id for s in students} == set(
        demo.season.quotas.values_list("partnership_id", flat=True)
    )
    assert demo.season.quotas.count() == 2
    waiting = students.get(status=Student.Status.NOMINATED)
    assert not has_consent(waiting.person, "exchanges", "participation")
    assert students.exclude(status=Student.Status.NOMINATED).count() == 6


def test_the_demo_families_stand_at_every_step_of_the_screening(host):
    demo = seed_exchanges()

    families = HostFamily.objects.filter(member=host)
    assert families.count() == 8
    assert FamilyApproval.objects.filter(family__member=host).count() == 4
    waiting = families.filter(status=HostFamily.Status.APPLIED)
    problems = {f.family_name: screening_problems(f) for f in waiting}
    assert problems.pop("Dubois") == []  # visited and complete: awaiting the decision
    assert all(problems.values()), problems  # the others each miss something
    assert len({tuple(p) for p in problems.values()}) == 3  # at three different steps
    assert {f.family_name for f in demo.approved} == {"Evans", "Fischer", "Garcia", "Hughes"}


def test_the_demo_has_a_school_with_its_letter_and_a_coordinator_whose_training_expired(host):
    demo = seed_exchanges()

    assert [s.has_letter for s in demo.schools] == [True, False]
    problems = [bool(training_problem(c)) for c in demo.coordinators]
    assert problems == [False, False, True]
    assert demo.coordinators[0].is_exchange_coordinator
    assert demo.coordinators[0].user.email == personas.COMMITTEE_ADMIN.email


def test_a_second_run_adds_nothing(host):
    seed_exchanges()
    counts = (Student.objects.count(), HostFamily.objects.count(), FamilyApproval.objects.count())

    seed_exchanges()

    assert (
        Student.objects.count(),
        HostFamily.objects.count(),
        FamilyApproval.objects.count(),
    ) == counts


def test_the_demo_places_four_students_through_the_matching_and_they_arrived(host):
    demo = seed_exchanges()

    assert len(demo.placements) == 4
    placed = Student.objects.filter(pk__in=[p.student_id for p in demo.placements])
    assert set(placed.values_list("status", flat=True)) == {Student.Status.ARRIVED}
    for made in demo.placements:
        assert made.school.has_letter
        assert made.approval.placements.current().count() <= made.approval.capacity
        assert made.reasons  # the matching's reasons, as confirmed
    assert Orientation.objects.filter(kind=Orientation.Kind.POST_ARRIVAL).count() == 3
    assert Student.objects.filter(status=Student.Status.ACCEPTED).count() == 2


def test_the_demo_has_monthly_contacts_one_overdue_and_one_open_incident(host):
    from twinning.core.dates import association_today
    from twinning.exchanges.models import Incident, Placement
    from twinning.exchanges.services.monitoring import RED, monitored, placement_state

    demo = seed_exchanges()

    colours = [
        placement_state(p, association_today()).colour
        for p in monitored(Placement.objects.filter(pk__in=[p.pk for p in demo.placements]))
    ]
    assert colours.count(RED) == 1
    incident = Incident.objects.get()
    assert incident.status == Incident.Status.OPEN
    assert incident.requires_mandatory_report
