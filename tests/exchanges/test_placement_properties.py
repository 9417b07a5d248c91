"""Property tests of placing (Hypothesis): whatever the sequence of placements, changes and
declined families, no student is ever placed with a family that has no approval (unscreened)
or is no longer approved, no family hosts more students than its approval allows, no student
has two current placements, and each operation succeeds exactly when a simple model of the
rules says it should."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.exchanges import helpers as h
from tests.exchanges import placement_helpers as ph
from twinning.core.authz import SYSTEM
from twinning.exchanges.models import FamilyApproval, HostFamily, Placement, Student
from twinning.exchanges.services import families, placement, students

pytestmark = pytest.mark.django_db

FAMILIES = 4  # 0: capacity 1, 1: capacity 2, 2: never approved (unscreened), 3: capacity 1
STUDENTS = 4

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("place"),
            st.integers(0, STUDENTS - 1),
            st.integers(0, FAMILIES - 1),
        ),
        st.tuples(
            st.just("change"),
            st.integers(0, STUDENTS - 1),
            st.integers(0, FAMILIES - 1),
        ),
        st.tuples(st.just("decline"), st.just(0), st.integers(0, FAMILIES - 1)),
    ),
    min_size=1,
    max_size=10,
)


@pytest.fixture
def world(springfield_member):
    found = ph.world(springfield_member, slug="property")
    approved = [
        found.approval,
        ph.approved_family(found.member, found.coordinator, "two@example.org", capacity=2),
    ]
    unscreened = h.family(found.member, email="unscreened@example.org")
    fourth = ph.approved_family(found.member, found.coordinator, "four@example.org")
    found.quota = students.offer_places(
        season=found.season,
        host=found.member,
        partnership=found.quota.partnership,
        places=STUDENTS,
        by=SYSTEM,
    )
    found.families = [approved[0].family, approved[1].family, unscreened, fourth.family]
    found.students = [found.student] + [ph.student(found.quota, n) for n in range(1, STUDENTS)]
    return found


def _approval(family: HostFamily) -> FamilyApproval:
    """The family's approval row, or the unsaved one an unscreened family would need."""
    return FamilyApproval.objects.filter(family=family).first() or FamilyApproval(
        family=family, capacity=3, adults_checked=1
    )


def _apply(world, operation, model) -> bool:
    """Run one operation; True when the service accepted it."""
    kind, s, f = operation
    student = Student.objects.get(pk=world.students[s].pk)
    family = HostFamily.objects.get(pk=world.families[f].pk)
    try:
        if kind == "place":
            placement.place_student(
                student=student,
                approval=_approval(family),
                school=world.school,
                coordinator=world.coordinator,
                starts_on=world.starts_on,
                by=SYSTEM,
            )
        elif kind == "change":
            current = Placement.objects.current().filter(student=student).first()
            if current is None:
                return False
            placement.change_placement(
                placement=current,
                approval=_approval(family),
                school=world.school,
                coordinator=world.coordinator,
                reason="Changed.",
                by=SYSTEM,
            )
        else:
            families.decline_family(family=family, message="", by=SYSTEM)
    except ValidationError:
        return False
    return True


def _expected(operation, model) -> bool:
    """What the rules say: the model is {approved: set, capacity: dict, at: {student: family}}."""
    kind, s, f = operation
    hosted = sum(1 for other, family in model["at"].items() if family == f and other != s)
    room = f in model["approved"] and hosted < model["capacity"][f]
    if kind == "place":
        return s not in model["at"] and room
    if kind == "change":
        return s in model["at"] and room
    return model["status"][f] != "declined"


def _update(operation, model) -> None:
    kind, s, f = operation
    if kind in {"place", "change"}:
        model["at"][s] = f
    else:
        model["approved"].discard(f)
        model["status"][f] = "declined"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=operations)
def test_property_no_unscreened_family_and_never_beyond_capacity(world, sequence):
    """Whatever the sequence: each operation succeeds exactly when the model says so; every
    current placement rests on an approval of a family approved when it was made, within that
    approval's capacity; a student has at most one current placement."""
    model = {
        "approved": {0, 1, 3},
        "capacity": {0: 1, 1: 2, 2: 0, 3: 1},
        "status": {0: "approved", 1: "approved", 2: "applied", 3: "approved"},
        "at": {},
    }
    outcomes = []
    with transaction.atomic():
        for operation in sequence:
            expected = _expected(operation, model)
            done = _apply(world, operation, model)
            outcomes.append((operation, done, expected))
            if done:
                _update(operation, model)
            current = list(Placement.objects.current().select_related("approval"))
            by_family = {}
            for found in current:
                by_family[found.approval_id] = by_family.get(found.approval_id, 0) + 1
                assert found.approval.family_id != world.families[2].pk  # never unscreened
            for approval in FamilyApproval.objects.filter(pk__in=by_family):
                assert by_family[approval.pk] <= approval.capacity
            assert len({p.student_id for p in current}) == len(current)
        transaction.set_rollback(True)

    assert [done for _op, done, _e in outcomes] == [expected for _op, _d, expected in outcomes]
