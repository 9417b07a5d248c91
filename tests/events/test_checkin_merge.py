"""merge_offline_scans: the offline page's scans merged back without duplicates (the earliest
time wins), every row of the file accounted for with its reason."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.events.checkin_helpers import make_attendee, make_event
from tests.factories import UserFactory
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.events.models import Attendee, CheckIn
from twinning.events.services.checkin import check_in_attendee, merge_offline_scans

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(starts_at=timezone.now() - datetime.timedelta(hours=3))


def _csv(*rows: tuple[str, str]) -> bytes:
    lines = ["code,scanned_at,device"] + [f"{code},{at},phone-1" for code, at in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _ago(minutes: int) -> datetime.datetime:
    return (timezone.now() - datetime.timedelta(minutes=minutes)).replace(microsecond=0)


def test_merge_checks_in_each_scanned_attendee_with_the_scan_time(event, staff_user):
    ada, bo = make_attendee(event), make_attendee(event)

    report = merge_offline_scans(
        event=event, data=_csv((ada.code, _iso(_ago(30))), (bo.code, _iso(_ago(20)))), by=staff_user
    )

    ada.refresh_from_db()
    assert [(r.line, r.outcome) for r in report.rows] == [(2, "checked_in"), (3, "checked_in")]
    assert abs((ada.checked_in_at - _ago(30)).total_seconds()) < 2
    assert CheckIn.objects.filter(source="offline").count() == 2


def test_merge_the_same_code_twice_keeps_the_earlier_and_reports_the_other(event, staff_user):
    ada = make_attendee(event)

    report = merge_offline_scans(
        event=event,
        data=_csv((ada.code, _iso(_ago(10))), (ada.code, _iso(_ago(40)))),
        by=staff_user,
    )

    ada.refresh_from_db()
    assert [(r.line, r.outcome) for r in report.rows] == [(2, "duplicate"), (3, "checked_in")]
    assert "line 3" in report.rows[0].message
    assert abs((ada.checked_in_at - _ago(40)).total_seconds()) < 2
    assert CheckIn.objects.count() == 1


def test_merge_someone_checked_in_online_earlier_keeps_the_online_time(event, staff_user):
    ada = make_attendee(event)
    online = check_in_attendee(event=event, code=ada.code, by=staff_user, at=_ago(50))

    report = merge_offline_scans(event=event, data=_csv((ada.code, _iso(_ago(5)))), by=staff_user)

    ada.refresh_from_db()
    assert report.rows[0].outcome == "already"
    assert staff_user.get_full_name() in report.rows[0].message
    assert ada.checked_in_at == online.at
    assert CheckIn.objects.count() == 1


def test_merge_an_offline_scan_before_the_online_check_in_wins(event, staff_user):
    ada = make_attendee(event)
    check_in_attendee(event=event, code=ada.code, by=staff_user, at=_ago(5))

    report = merge_offline_scans(event=event, data=_csv((ada.code, _iso(_ago(45)))), by=staff_user)

    ada.refresh_from_db()
    assert report.rows[0].outcome == "moved_earlier"
    assert abs((ada.checked_in_at - _ago(45)).total_seconds()) < 2


def test_merge_the_same_file_twice_changes_nothing_the_second_time(event, staff_user):
    ada = make_attendee(event)
    data = _csv((ada.code, _iso(_ago(30))))
    merge_offline_scans(event=event, data=data, by=staff_user)

    again = merge_offline_scans(event=event, data=data, by=staff_user)

    assert [r.outcome for r in again.rows] == ["already"]
    assert CheckIn.objects.count() == 1


def test_merge_reports_unknown_cancelled_and_bad_rows_with_their_reason(event, staff_user):
    cancelled = make_attendee(event, state=Attendee.State.CANCELLED)
    ada = make_attendee(event)
    data = (
        "code,scanned_at\r\n"
        f"ZZZZZZZZZZ,{_iso(_ago(3))}\r\n"
        f"{cancelled.code},{_iso(_ago(3))}\r\n"
        f"{ada.code},yesterday-ish\r\n"
        f",{_iso(_ago(3))}\r\n"
        f"{ada.code},\r\n"
        ",\r\n"
        f"{ada.code},{_iso(timezone.now() + datetime.timedelta(days=1))}\r\n"
    ).encode()

    report = merge_offline_scans(event=event, data=data, by=staff_user)

    outcomes = [(r.line, r.outcome) for r in report.rows]
    assert outcomes == [
        (2, "refused"),
        (3, "refused"),
        (4, "refused"),
        (5, "refused"),
        (6, "skipped"),
        (7, "skipped"),
        (8, "refused"),
    ]
    messages = [r.message for r in report.rows]
    assert "No attendee of this event has the code ZZZZZZZZZZ." in messages[0]
    assert "cancelled" in messages[1]
    assert "is not a time" in messages[2]
    assert messages[3] == "No code in this row."
    assert "in the future" in messages[6]
    assert Attendee.objects.filter(checked_in_at__isnull=False).count() == 0


def test_merge_a_time_without_offset_is_the_events_local_time(event, staff_user):
    ada = make_attendee(event)
    local = _ago(15).astimezone(event.zone).replace(tzinfo=None)

    merge_offline_scans(event=event, data=_csv((ada.code, local.isoformat())), by=staff_user)

    ada.refresh_from_db()
    assert abs((ada.checked_in_at - _ago(15)).total_seconds()) < 2


def test_merge_accepts_the_lists_csv_with_times_filled_in(event, staff_user):
    ada, bo = make_attendee(event), make_attendee(event)
    data = (
        "\ufeffcode,last_name,first_name,ticket,role,organisation,checked_in_at\r\n"
        f"{ada.code},{ada.last_name},Ada,Full,Delegate,,{_iso(_ago(8))}\r\n"
        f"{bo.code},{bo.last_name},Ada,Full,Delegate,,\r\n"
    ).encode()

    report = merge_offline_scans(event=event, data=data, by=staff_user)

    assert [r.outcome for r in report.rows] == ["checked_in", "skipped"]


def test_merge_writes_one_audit_entry_with_the_counts(event, staff_user):
    ada = make_attendee(event)

    merge_offline_scans(
        event=event, data=_csv((ada.code, _iso(_ago(9))), ("NOPE", _iso(_ago(9)))), by=staff_user
    )

    entry = ActivityLog.objects.get(action="events.checkin.merged")
    assert entry.data == {"rows": 2, "checked_in": 1, "already": 0, "duplicates": 0, "refused": 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,when\r\nx,y\r\n", "no column named"),
        (b"code\r\nABC\r\n", "no column named"),
        (b"\xff\xfe\x00c", "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_merge_a_file_it_cannot_read_is_refused_whole(event, staff_user, data, message):
    with pytest.raises(ValidationError) as error:
        merge_offline_scans(event=event, data=data, by=staff_user)

    assert message in " ".join(error.value.messages)
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("actor", ["anonymous", "stranger", "staff_without_second_factor"])
def test_merge_refuses_other_actors(event, actor):
    ada = make_attendee(event)
    by = {
        "anonymous": AnonymousUser(),
        "stranger": UserFactory(),
        "staff_without_second_factor": UserFactory(is_staff=True),
    }[actor]

    with pytest.raises(NotAllowed):
        merge_offline_scans(event=event, data=_csv((ada.code, _iso(_ago(9)))), by=by)

    assert CheckIn.objects.count() == 0
