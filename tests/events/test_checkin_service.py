"""check_in_attendee: a code checks one confirmed attendee in; a second scan answers when and
by whom; unknown, cancelled and unconfirmed codes are refused; only verified staff and the
event's organisers may check in; twenty scans at once check in once."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.utils import timezone

from tests.conftest import verified
from tests.events.checkin_helpers import make_attendee, make_event, make_order
from tests.factories import CountryFactory, UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.events.models import Attendee, CheckIn, Event, Order
from twinning.events.services.checkin import check_in_attendee, checkin_counts, normalise_code
from twinning.members.models import AssociationRegion

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event()


@pytest.fixture
def attendee(event):
    return make_attendee(event, first_name="Zoë", last_name="Nguyễn", organisation="Kyiv Twinning")


def test_check_in_a_confirmed_attendee_by_code_records_who_and_when(event, attendee, staff_user):
    result = check_in_attendee(event=event, code=attendee.code, by=staff_user)

    attendee.refresh_from_db()
    assert result.status == "checked_in"
    assert result.attendee.name == "Zoë Nguyễn"
    assert attendee.checked_in_at == result.at
    assert attendee.checked_in_by == staff_user
    assert list(CheckIn.objects.values_list("attendee", "source")) == [(attendee.pk, "online")]
    assert ActivityLog.objects.filter(action="events.attendee.checked_in").count() == 1


def test_check_in_a_typed_code_in_lower_case_with_spaces_and_dashes(event, attendee, staff_user):
    typed = f" {attendee.code[:5].lower()}-{attendee.code[5:].lower()} "

    result = check_in_attendee(event=event, code=typed, by=staff_user)

    assert result.status == "checked_in"


def test_normalise_code_tolerates_full_width_characters_of_a_phone_keyboard():
    assert normalise_code("ＡＢ３４ ５") == "AB345"


def test_check_in_a_second_scan_answers_when_and_by_whom(event, attendee, staff_user):
    first = check_in_attendee(event=event, code=attendee.code, by=staff_user)

    second = check_in_attendee(event=event, code=attendee.code, by=staff_user)

    assert second.status == "already"
    assert second.at == first.at
    assert second.by_name == staff_user.get_full_name()
    assert CheckIn.objects.count() == 1
    assert ActivityLog.objects.filter(action="events.attendee.checked_in").count() == 1


def test_check_in_an_unknown_code_is_refused_and_changes_nothing(event, attendee, staff_user):
    result = check_in_attendee(event=event, code="ZZZZZZZZZZ", by=staff_user)

    assert result.status == "unknown"
    assert result.colour == "danger"
    assert "ZZZZZZZZZZ" in result.message
    assert CheckIn.objects.count() == 0


def test_check_in_a_code_with_letters_the_alphabet_leaves_out_says_so(event, staff_user):
    result = check_in_attendee(event=event, code="ABC0O1IL", by=staff_user)

    assert result.status == "unknown"
    assert "never contain 0, O, 1, I or L" in result.message


def test_check_in_a_code_of_another_event_is_unknown_here(event, staff_user):
    other = make_attendee(make_event())

    result = check_in_attendee(event=event, code=other.code, by=staff_user)

    assert result.status == "unknown"


def test_check_in_a_cancelled_attendee_is_refused(event, staff_user):
    cancelled = make_attendee(event, state=Attendee.State.CANCELLED)

    result = check_in_attendee(event=event, code=cancelled.code, by=staff_user)

    cancelled.refresh_from_db()
    assert result.status == "cancelled"
    assert cancelled.checked_in_at is None


def test_check_in_an_attendee_of_a_cancelled_order_is_refused(event, staff_user):
    order = make_order(event, state=Order.State.CANCELLED)
    attendee = make_attendee(event, order=order)

    result = check_in_attendee(event=event, code=attendee.code, by=staff_user)

    assert result.status == "cancelled"


def test_check_in_an_attendee_awaiting_approval_is_refused(event, staff_user):
    applied = make_attendee(event, state=Attendee.State.APPLIED)

    result = check_in_attendee(event=event, code=applied.code, by=staff_user)

    assert result.status == "not_confirmed"
    assert CheckIn.objects.count() == 0


def test_check_in_at_a_part_accepts_the_parents_registration(staff_user):
    conference = make_event()
    banquet = make_event(kind=Event.Kind.BANQUET, parent=conference)
    guest = make_attendee(conference)

    result = check_in_attendee(event=banquet, code=guest.code, by=staff_user)

    assert result.status == "checked_in"


@pytest.mark.parametrize("actor", ["anonymous", "stranger", "staff_without_second_factor"])
def test_check_in_refuses_other_actors_and_changes_nothing(event, attendee, actor):
    by = {
        "anonymous": AnonymousUser(),
        "stranger": UserFactory(),
        "staff_without_second_factor": UserFactory(is_staff=True),
    }[actor]

    with pytest.raises(NotAllowed):
        check_in_attendee(event=event, code=attendee.code, by=by)

    attendee.refresh_from_db()
    assert attendee.checked_in_at is None
    assert CheckIn.objects.count() == 0


def test_check_in_by_a_named_organiser_who_is_not_staff(event, attendee):
    organiser = UserFactory()
    event.organisers.add(organiser)

    result = check_in_attendee(event=event, code=attendee.code, by=organiser)

    assert result.status == "checked_in"


def test_check_in_by_the_regions_coordinator_at_a_regional_conference(attendee, event):
    coordinator = UserFactory()
    region = AssociationRegion.objects.create(
        name="Midwest", slug="midwest", country=CountryFactory()
    )
    region.coordinators.add(coordinator)
    Event.objects.filter(pk=event.pk).update(kind=Event.Kind.REGIONAL, region=region)

    result = check_in_attendee(event=event, code=attendee.code, by=coordinator)

    assert result.status == "checked_in"


def test_check_in_by_an_organiser_of_another_event_is_refused(event, attendee):
    organiser = UserFactory()
    make_event().organisers.add(organiser)

    with pytest.raises(NotAllowed):
        check_in_attendee(event=event, code=attendee.code, by=organiser)


def test_checkin_counts_count_confirmed_attendees_only(event, attendee, staff_user):
    make_attendee(event)
    make_attendee(event, state=Attendee.State.CANCELLED)
    check_in_attendee(event=event, code=attendee.code, by=staff_user)

    assert checkin_counts(event) == (1, 2)


# --- Twenty scans of one code at once ---------------------------------------------------------

SCANS = 20


def _race(event: Event, code: str, by) -> list[str]:
    barrier = threading.Barrier(SCANS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = check_in_attendee(event=event, code=code, by=by).status
        except Exception as error:  # any failure is what this test counts
            outcome = f"failed: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(SCANS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _twenty_scans_check_in_once():
    event = make_event()
    attendee = make_attendee(event)
    staff = verified(UserFactory(is_staff=True))

    outcomes = _race(event, attendee.code, staff)

    assert sorted(outcomes) == ["already"] * (SCANS - 1) + ["checked_in"], outcomes
    assert CheckIn.objects.filter(attendee=attendee).count() == 1
    assert ActivityLog.objects.filter(action="events.attendee.checked_in").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_scans_of_one_code_at_once_on_postgresql_check_in_once():
    assert connection.vendor == "postgresql"

    _twenty_scans_check_in_once()


@pytest.mark.django_db(transaction=True)
def test_twenty_scans_of_one_code_at_once_on_sqlite_check_in_once():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test above")

    _twenty_scans_check_in_once()


def test_check_in_time_is_now_when_none_is_given(event, attendee, staff_user):
    before = timezone.now()

    result = check_in_attendee(event=event, code=attendee.code, by=staff_user)

    assert before <= result.at <= timezone.now() + datetime.timedelta(seconds=1)


def test_system_may_check_in(event, attendee):
    assert check_in_attendee(event=event, code=attendee.code, by=SYSTEM).status == "checked_in"


def test_check_in_at_the_conference_accepts_a_student_registered_for_its_summit(staff_user):
    conference = make_event()
    summit = make_event(kind=Event.Kind.SUMMIT, parent=conference)
    student = make_attendee(summit, role=Attendee.Role.STUDENT)

    result = check_in_attendee(event=conference, code=student.code, by=staff_user)

    assert result.status == "checked_in"
