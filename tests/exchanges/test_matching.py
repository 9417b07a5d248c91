"""Matching, placing, changing a placement and orientation, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.exchanges import helpers as h
from tests.exchanges import placement_helpers as ph
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.dates import association_today
from twinning.core.models import ActivityLog
from twinning.exchanges.models import (
    FamilyApproval,
    HostFamily,
    Orientation,
    Placement,
    StatusChange,
    Student,
)
from twinning.exchanges.services import families, placement, students
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(springfield_member):
    return ph.world(springfield_member)


def _texts(suggestion) -> list[str]:
    return [r.text for r in suggestion.reasons]


# --- The ranking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allergies", "pets", "conflict"),
    [
        ("peanuts", "a dog", False),
        ("dogs, peanuts", "a dog", True),
        ("Cat dander", "two cats", True),
        ("cats", "a dog", False),
        ("pet hair", "a goldfish", True),
        ("animals", "", False),
        ("", "a horse", False),
    ],
)
def test_allergy_conflict_names_an_animal_the_family_keeps(allergies, pets, conflict):
    assert placement.allergy_conflict(allergies, pets) is conflict


def test_suggestions_offer_only_approved_families_with_a_free_place(world):
    h.screened_family(world.member, world.coordinator, email="unapproved@example.org")
    full = ph.approved_family(
        world.member, world.coordinator, "full@example.org", family_name="Flanders"
    )
    other = ph.student(world.quota, 2)
    ph.place(world, student=other, approval=full)

    found = placement.suggest_families(student=world.student, by=SYSTEM)

    assert [s.family for s in found] == [world.family]


def test_suggestions_rank_smoke_free_homes_with_a_common_language_first(world):
    placement.record_preferences(
        student=world.student,
        accepts_pets=True,
        accepts_smoking=False,
        languages="Serbian, English",
        by=SYSTEM,
    )
    smoking = ph.approved_family(
        world.member, world.coordinator, "smoke@example.org", family_name="Gumble", smoking=True
    )
    serbian = ph.approved_family(
        world.member,
        world.coordinator,
        "serbian@example.org",
        family_name="Petrović",
        languages="Serbian, English",
    )

    found = placement.suggest_families(student=world.student, by=SYSTEM)

    assert [s.family for s in found] == [serbian.family, world.family, smoking.family]
    assert "Languages in common: Serbian, English." in _texts(found[0])
    assert "Someone smokes in the home; the student asked for a smoke-free home." in _texts(
        found[2]
    )


def test_suggestions_put_a_family_whose_pets_meet_an_allergy_last(world):
    students.update_restricted(student=world.student, by=SYSTEM, allergies="dogs")
    cat = ph.approved_family(
        world.member, world.coordinator, "cat@example.org", family_name="Cat", pets="a cat"
    )

    found = placement.suggest_families(student=world.student, by=SYSTEM)

    assert [s.family for s in found] == [cat.family, world.family]
    assert found[1].score < 0


def test_the_allergy_reason_names_the_allergy_only_to_a_restricted_reader(
    world, committee_admin_user
):
    students.update_restricted(student=world.student, by=SYSTEM, allergies="dogs")
    exchange = h.coordinator(world.member, email="xc@springfield.example", exchange=True)

    for_reader = placement.suggest_families(student=world.student, by=exchange.user)
    for_admin = placement.suggest_families(student=world.student, by=committee_admin_user)

    assert (
        _texts(for_reader[0])[0] == "Allergies: the student's allergies concern the family's pets."
    )
    assert _texts(for_admin[0])[0] == (
        "Health fit: ask the exchange coordinator before choosing this family."
    )


def test_suggestions_log_the_use_of_the_allergies_without_their_words(world, committee_admin_user):
    placement.suggest_families(student=world.student, by=committee_admin_user)

    entry = ActivityLog.objects.filter(action="exchanges.restricted.read").latest("pk")
    assert entry.data["purpose"] == "exchange matching"
    assert entry.data["fields"] == ["allergies"]
    assert h.CANARY_ALLERGY not in str(entry.data)


def test_suggestions_rank_the_nearer_school_first_and_say_how_far(world):
    near = ph.approved_family(
        world.member, world.coordinator, "near@example.org", family_name="Near"
    )
    placement.record_school_distance(
        family=world.family, school=world.school, km=Decimal("12.0"), by=SYSTEM
    )
    placement.record_school_distance(
        family=near.family, school=world.school, km=Decimal("1.5"), by=SYSTEM
    )

    found = placement.suggest_families(student=world.student, by=SYSTEM)

    assert [s.family for s in found] == [near.family, world.family]
    assert "1.5 km to Springfield High." in _texts(found[0])


def test_a_distance_to_a_school_without_its_letter_does_not_count(world):
    unsigned = ph.school(world.member, "No Letter High", letter=False)
    placement.record_school_distance(
        family=world.family, school=unsigned, km=Decimal("1.0"), by=SYSTEM
    )

    (found,) = placement.suggest_families(student=world.student, by=SYSTEM)

    assert "Distance to a school not recorded." in _texts(found)


def test_suggestions_refuse_someone_outside_the_committee(world):
    with pytest.raises(NotAllowed):
        placement.suggest_families(student=world.student, by=UserFactory())


# --- Placing -------------------------------------------------------------------------------------


def test_placing_a_student_records_the_placement_and_makes_them_placed(world):
    made = ph.place(world)

    world.student.refresh_from_db()
    assert world.student.status == Student.Status.PLACED
    assert list(Placement.objects.current().filter(student=world.student)) == [made]
    assert StatusChange.objects.filter(student=world.student).latest("pk").message == (
        "Placed with the Simpson family; school: Springfield High."
    )
    assert (
        OutboxMessage.objects.filter(
            template="exchanges.student_status", to=world.student.person.user.email
        ).count()
        == 3
    )  # nominated, accepted, placed


def test_placing_refuses_a_student_not_accepted(world):
    nominated = h.nominate(world.quota, email="late@kragujevac.example")

    with pytest.raises(ValidationError, match="Only a student the association accepted"):
        ph.place(world, student=nominated)

    assert not Placement.objects.filter(student=nominated).exists()


def test_placing_refuses_a_student_already_placed(world):
    ph.place(world)
    second = ph.approved_family(world.member, world.coordinator, "second@example.org")
    world.student.status = Student.Status.ACCEPTED  # a stale copy of the student
    world.student.save()

    with pytest.raises(ValidationError, match="already placed"):
        ph.place(world, approval=second)

    assert Placement.objects.filter(student=world.student).count() == 1


def test_placing_refuses_a_family_whose_approval_is_full(world):
    ph.place(world)
    other = ph.student(world.quota, 2)

    with pytest.raises(ValidationError, match="as many students as it was approved for"):
        ph.place(world, student=other)

    assert not Placement.objects.filter(student=other).exists()


def test_placing_refuses_a_family_no_longer_approved(world):
    families.decline_family(family=world.family, message="", by=SYSTEM)

    with pytest.raises(ValidationError, match="not approved"):
        ph.place(world)

    assert not Placement.objects.exists()


def test_placing_refuses_a_school_without_its_signed_letter(world):
    world.school = ph.school(world.member, "No Letter High", letter=False)

    with pytest.raises(ValidationError, match="signed acceptance letter"):
        ph.place(world)

    assert not Placement.objects.exists()


def test_placing_refuses_a_coordinator_whose_training_expired(world):
    world.coordinator = h.coordinator(world.member, email="untrained@example.org", trained=False)

    with pytest.raises(ValidationError, match="training is expired or not recorded"):
        ph.place(world)

    assert not Placement.objects.exists()


def test_placing_refuses_another_committees_family(world):
    elsewhere = h.other_member()
    coordinator = h.coordinator(elsewhere, email="c@shelbyville.example")
    foreign = ph.approved_family(elsewhere, coordinator, "foreign@example.org")

    with pytest.raises(ValidationError, match="not approved by the committee"):
        ph.place(world, approval=foreign)


def test_placing_refuses_someone_outside_the_committee(world):
    with pytest.raises(NotAllowed):
        ph.place(world, by=UserFactory())

    assert not Placement.objects.exists()


def test_accepted_to_placed_is_refused_without_a_placement(world):
    with pytest.raises(ValidationError, match="cannot become Placed"):
        students.change_status(student=world.student, status=Student.Status.PLACED, by=SYSTEM)

    world.student.refresh_from_db()
    assert world.student.status == Student.Status.ACCEPTED


def test_accepted_to_placed_is_refused_with_another_students_placement(world):
    other = ph.student(world.quota, 2)
    second = ph.approved_family(world.member, world.coordinator, "second@example.org")
    theirs = ph.place(world, student=other, approval=second)

    with pytest.raises(ValidationError, match="cannot become Placed"):
        students.change_status(
            student=world.student, status=Student.Status.PLACED, by=SYSTEM, placement=theirs
        )


# --- Changing a placement ------------------------------------------------------------------------


def test_changing_a_placement_ends_the_current_and_opens_the_new(world):
    first = ph.place(world)
    second = ph.approved_family(world.member, world.coordinator, "second@example.org")

    opened = placement.change_placement(
        placement=first,
        approval=second,
        school=world.school,
        coordinator=world.coordinator,
        reason="The family moved away.",
        by=SYSTEM,
    )

    first.refresh_from_db()
    assert first.end_reason == "The family moved away."
    assert first.ended_at is not None
    assert list(Placement.objects.current().filter(student=world.student)) == [opened]
    assert opened.approval == second


def test_changing_a_placement_tells_the_families_and_coordinators_concerned(world):
    first = ph.place(world)
    second = ph.approved_family(world.member, world.coordinator, "second@example.org")
    new_coordinator = h.coordinator(world.member, email="new.coord@springfield.example")

    placement.change_placement(
        placement=first,
        approval=second,
        school=world.school,
        coordinator=new_coordinator,
        reason="CANARY-REASON the family moved away.",
        by=SYSTEM,
    )

    mails = OutboxMessage.objects.filter(template="exchanges.placement_changed").order_by("to")
    assert [m.to for m in mails] == sorted(
        [
            world.family.user.email,
            "second@example.org",
            world.coordinator.user.email,
            "new.coord@springfield.example",
        ]
    )
    by_address = {m.to: m.body for m in mails}
    assert "/exchanges/host/" in by_address["second@example.org"]
    assert f"/exchanges/students/{world.student.pk}/" in by_address[world.coordinator.user.email]
    assert all(
        "Simpson family" in body and "Carol Coordinator" in body for body in by_address.values()
    )
    assert not any("CANARY-REASON" in m.body or "CANARY-REASON" in m.subject for m in mails)
    assert not any(c in m.body for m in mails for c in h.CANARIES)


def test_a_refused_change_of_placement_sends_no_mail(world):
    first = ph.place(world)

    with pytest.raises(ValidationError):
        placement.change_placement(
            placement=first,
            approval=world.approval,
            school=world.school,
            coordinator=world.coordinator,
            reason=" ",
            by=SYSTEM,
        )

    assert not OutboxMessage.objects.filter(template="exchanges.placement_changed").exists()


def test_changing_a_placement_needs_a_reason(world):
    first = ph.place(world)

    with pytest.raises(ValidationError, match="Say why"):
        placement.change_placement(
            placement=first,
            approval=world.approval,
            school=world.school,
            coordinator=world.coordinator,
            reason="  ",
            by=SYSTEM,
        )

    first.refresh_from_db()
    assert first.ended_at is None


def test_changing_to_a_full_family_keeps_the_current_placement(world):
    first = ph.place(world)
    full = ph.approved_family(world.member, world.coordinator, "full@example.org")
    ph.place(world, student=ph.student(world.quota, 2), approval=full)

    with pytest.raises(ValidationError, match="as many students"):
        placement.change_placement(
            placement=first,
            approval=full,
            school=world.school,
            coordinator=world.coordinator,
            reason="Closer to school.",
            by=SYSTEM,
        )

    first.refresh_from_db()
    assert first.ended_at is None
    assert Placement.objects.filter(approval=full).count() == 1


def test_changing_to_the_same_family_frees_its_own_place_first(world):
    first = ph.place(world)
    other_school = ph.school(world.member, "Other High")

    opened = placement.change_placement(
        placement=first,
        approval=world.approval,
        school=other_school,
        coordinator=world.coordinator,
        reason="Another school.",
        by=SYSTEM,
    )

    assert opened.school == other_school


def test_an_ended_placement_cannot_be_changed_again(world):
    first = ph.place(world)
    second = ph.approved_family(world.member, world.coordinator, "second@example.org")
    args = {
        "approval": second,
        "school": world.school,
        "coordinator": world.coordinator,
        "reason": "Moved.",
        "by": SYSTEM,
    }
    placement.change_placement(placement=first, **args)

    with pytest.raises(ValidationError, match="already ended"):
        placement.change_placement(placement=first, **args)

    assert Placement.objects.filter(student=world.student).count() == 2


# --- A placed family's approval ------------------------------------------------------------------


def test_reopening_a_placed_family_keeps_its_approval_row_and_offers_it_no_more(world):
    ph.place(world)

    families.add_household_member(
        family=world.family,
        name="Lodger",
        date_of_birth=datetime.date(1990, 1, 1),
        relationship="lodger",
        by=world.family.user,
    )

    world.family.refresh_from_db()
    assert world.family.status == HostFamily.Status.APPLIED
    assert FamilyApproval.objects.filter(pk=world.approval.pk).exists()
    assert placement.suggest_families(student=ph.student(world.quota, 2), by=SYSTEM) == []


def test_approving_a_placed_family_again_refreshes_the_same_row(world):
    ph.place(world)
    families.decline_family(family=world.family, message="", by=SYSTEM)
    world.family.status = HostFamily.Status.APPLIED
    world.family.save()

    again = families.approve_family(family=world.family, by=SYSTEM)

    assert again.pk == world.approval.pk


# --- Orientation ---------------------------------------------------------------------------------


def test_orientation_before_arrival_is_recorded_once(world):
    placement.record_orientation(
        student=world.student, kind="pre_arrival", held_on=association_today(), by=SYSTEM
    )

    with pytest.raises(ValidationError, match="already recorded"):
        placement.record_orientation(
            student=world.student, kind="pre_arrival", held_on=association_today(), by=SYSTEM
        )

    assert Orientation.objects.filter(student=world.student).count() == 1


def test_orientation_after_arrival_waits_for_the_arrival(world):
    ph.place(world)

    with pytest.raises(ValidationError, match="cannot have this orientation recorded"):
        placement.record_orientation(
            student=world.student, kind="post_arrival", held_on=association_today(), by=SYSTEM
        )
    for status in (Student.Status.VISA_ISSUED, Student.Status.ARRIVED):
        students.change_status(student=world.student, status=status, by=SYSTEM)
    placement.record_orientation(
        student=world.student, kind="post_arrival", held_on=association_today(), by=SYSTEM
    )

    assert list(Orientation.objects.values_list("kind", flat=True)) == ["post_arrival"]


def test_orientation_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="in the future"):
        placement.record_orientation(
            student=world.student,
            kind="pre_arrival",
            held_on=association_today() + datetime.timedelta(days=1),
            by=SYSTEM,
        )

    assert not Orientation.objects.exists()
