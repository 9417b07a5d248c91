"""Retention of the summit's personal data (RELIABILITY P-10): restricted details go 60 days
after the summit ends, the rest of its participants' personal data 24 months after; the day
before each, everything is still there. The job runs from the periodic scheduler."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from tests.events.summit_helpers import (
    CANARY_CONTACT,
    SummitWorld,
    canary_details,
)
from twinning.core.models import ActivityLog
from twinning.core.services import log_activity
from twinning.events.models import (
    Attendee,
    ResidenceRoom,
    RoomAssignment,
    SummitChaperone,
    SummitDetails,
    Team,
    TeamMember,
)
from twinning.events.services.summit import apply_summit_retention, last_day, retention_dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def summit_world(springfield_member, committee_admin_user):
    return SummitWorld(springfield_member, committee_admin_user)


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _at(day: datetime.date):
    """Noon in the summit's time zone on `day`."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=NEW_YORK), tick=False
    )


def _placed(world):
    room = ResidenceRoom.objects.create(event=world.summit, name="A", beds=2, gender="female")
    RoomAssignment.objects.create(room=room, attendee=world.student)
    team = Team.objects.create(event=world.summit, kind="service", name="T")
    TeamMember.objects.create(team=team, kind="service", attendee=world.student)


def test_the_job_is_on_the_periodic_schedule():
    assert settings.TWINNING_SCHEDULE["summit_retention"] == 24 * 3600


def test_the_retention_dates_count_from_the_summits_last_day(summit_world):
    end = last_day(summit_world.summit)
    restricted, personal = retention_dates(summit_world.summit)
    assert restricted == end + datetime.timedelta(days=60)
    assert personal == end.replace(year=end.year + 2)


def test_restricted_details_stay_the_day_before_day_60(summit_world):
    restricted, _personal = retention_dates(summit_world.summit)
    with _at(restricted - datetime.timedelta(days=1)):
        call_command("summit_retention", verbosity=0)
    assert SummitDetails.objects.filter(pk=summit_world.details.pk).exists()


def test_restricted_details_are_gone_the_day_after_day_60_and_their_log_details_too(summit_world):
    log_activity(summit_world.details, "test.touched", data={"note": CANARY_CONTACT})
    restricted, _personal = retention_dates(summit_world.summit)
    with _at(restricted + datetime.timedelta(days=1)):
        call_command("summit_retention", verbosity=0)
    assert not SummitDetails.objects.exists()
    assert CANARY_CONTACT not in str(list(ActivityLog.objects.values_list("data", flat=True)))
    # The rest stays until its own date.
    summit_world.student.refresh_from_db()
    assert summit_world.student.first_name == "Alice"
    assert ActivityLog.objects.filter(action="events.summit.retention_restricted").count() == 1


def test_personal_data_stays_the_day_before_24_months(summit_world):
    _placed(summit_world)
    _restricted, personal = retention_dates(summit_world.summit)
    result = apply_summit_retention(today=personal - datetime.timedelta(days=1))
    assert result["people_anonymised"] == 0
    summit_world.student.refresh_from_db()
    assert summit_world.student.first_name == "Alice" and summit_world.student.date_of_birth
    assert RoomAssignment.objects.exists() and TeamMember.objects.exists()
    assert SummitChaperone.objects.exists()


def test_personal_data_is_gone_the_day_after_24_months(summit_world):
    _placed(summit_world)
    _restricted, personal = retention_dates(summit_world.summit)
    with _at(personal + datetime.timedelta(days=1)):
        call_command("summit_retention", verbosity=0)
    student = Attendee.objects.get(pk=summit_world.student.pk)
    assert (student.first_name, student.last_name, student.email, student.date_of_birth) == (
        "",
        "",
        "",
        None,
    )
    assert student.community is None and student.user is None and student.gender == ""
    assert not RoomAssignment.objects.exists() and not TeamMember.objects.exists()
    assert not SummitChaperone.objects.exists() and not SummitDetails.objects.exists()
    # The order (and its invoice) stays, for the accounts.
    assert student.order_id == summit_world.order.pk


def test_the_job_is_idempotent(summit_world):
    _restricted, personal = retention_dates(summit_world.summit)
    day = personal + datetime.timedelta(days=1)
    first = apply_summit_retention(today=day)
    second = apply_summit_retention(today=day)
    assert first["people_anonymised"] == 2 and first["restricted_deleted"] == 1
    assert second == {"restricted_deleted": 0, "people_anonymised": 0}
    assert ActivityLog.objects.filter(action="events.summit.retention_personal").count() == 1


def test_attendees_of_the_conference_outside_the_summit_are_kept(summit_world):
    from tests.events.summit_helpers import add_adult

    delegate = add_adult(summit_world.conference, name="Delegate")
    delegate.role = Attendee.Role.DELEGATE
    delegate.save()
    canary_details(summit_world.other_student)
    _restricted, personal = retention_dates(summit_world.summit)
    apply_summit_retention(today=personal + datetime.timedelta(days=1))
    delegate.refresh_from_db()
    assert delegate.first_name == "Delegate"
