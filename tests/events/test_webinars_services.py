"""Webinars: the join link and the reminders 24 h and 1 h before, each sent once through the
outbox; the attendance CSV (every row imported or rejected with its line and reason); the
recording link; certificates only for people who attended."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from tests.events.public_helpers import make_attendee, make_webinar
from tests.factories import UserFactory
from tests.translations import catalogue
from twinning.core.authz import NotAllowed
from twinning.documents.kinds import get_kind
from twinning.events.models import AttendanceRecord, Attendee, WebinarReminder
from twinning.events.services.webinars import (
    certificate_pdf,
    import_attendance,
    send_webinar_reminders,
    set_recording,
)
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _mails(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template).order_by("pk"))


def test_a_registrant_gets_the_join_link_by_email_once():
    webinar = make_webinar(starts_at=timezone.now() + datetime.timedelta(days=5))
    attendee = make_attendee(webinar, email="grace@example.org")

    send_webinar_reminders()
    send_webinar_reminders()

    (mail,) = _mails("events.webinar_join")
    assert mail.to == "grace@example.org"
    assert webinar.title in mail.subject
    assert webinar.partner.name in mail.body
    assert WebinarReminder.objects.filter(attendee=attendee).count() == 1


def test_the_join_link_is_stored_redacted_and_sent_live():
    webinar = make_webinar()
    make_attendee(webinar)

    send_webinar_reminders()

    mail = OutboxMessage.objects.get()
    assert "pwd=secret" not in mail.body
    assert "pwd=secret" in "".join(mail.secret_links.values())


def test_reminders_go_24_hours_and_1_hour_before_each_once():
    start = timezone.now() + datetime.timedelta(days=3)
    webinar = make_webinar(starts_at=start)
    attendee = make_attendee(webinar)
    send_webinar_reminders(now=start - datetime.timedelta(days=3))  # the join link

    send_webinar_reminders(now=start - 23 * HOUR)
    send_webinar_reminders(now=start - 20 * HOUR)
    send_webinar_reminders(now=start - 0.5 * HOUR)
    send_webinar_reminders(now=start - 0.2 * HOUR)

    kinds = sorted(WebinarReminder.objects.filter(attendee=attendee).values_list("kind", flat=True))
    assert kinds == ["1h", "24h", "join"]
    assert len(_mails("events.webinar_reminder")) == 2
    assert "1 hour" in _mails("events.webinar_reminder")[1].subject


def test_someone_registering_an_hour_before_gets_one_mail_not_three():
    start = timezone.now() + 0.5 * HOUR
    webinar = make_webinar(starts_at=start)
    attendee = make_attendee(webinar)

    send_webinar_reminders()

    assert OutboxMessage.objects.count() == 1
    assert set(
        WebinarReminder.objects.filter(attendee=attendee).values_list("kind", flat=True)
    ) == {
        "join",
        "1h",
    }


def test_only_confirmed_registrants_of_published_webinars_are_written_to():
    webinar = make_webinar()
    make_attendee(webinar, state=Attendee.State.CANCELLED)
    make_attendee(webinar, state=Attendee.State.APPLIED)
    make_attendee(make_webinar(published_at=None))

    send_webinar_reminders()

    assert not OutboxMessage.objects.exists()


def test_the_scheduler_command_sends_the_reminders():
    make_attendee(make_webinar())

    call_command("send_webinar_reminders", verbosity=0)

    assert len(_mails("events.webinar_join")) == 1


def test_the_reminder_job_is_in_the_schedule(settings):
    assert "send_webinar_reminders" in settings.TWINNING_SCHEDULE


# --- Attendance -----------------------------------------------------------------------------


def _past_webinar():
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    return make_webinar(starts_at=start)


ZOOM = (
    "Meeting ID,Topic,Start Time\n"
    "123 456 789,Online fundraising,06/01/2031 01:00:00 PM\n"
    "\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
    "Grace Hopper,grace@example.org,06/01/2031 01:00:00 PM,06/01/2031 01:55:00 PM,55\n"
    "Ada,ada@example.org,06/01/2031 01:10:00 PM,06/01/2031 01:40:00 PM,30\n"
    "Nobody,,06/01/2031 01:10:00 PM,06/01/2031 01:40:00 PM,30\n"
    "Stranger,stranger@example.org,06/01/2031 01:10:00 PM,06/01/2031 01:40:00 PM,30\n"
    "Grace Hopper,GRACE@example.org,06/01/2031 02:00:00 PM,06/01/2031 02:20:00 PM,20\n"
    "Bad,ada@example.org,yesterday,06/01/2031 01:40:00 PM,30\n"
    "Backwards,ada@example.org,06/01/2031 02:00:00 PM,06/01/2031 01:40:00 PM,30\n"
)


def test_attendance_is_imported_or_rejected_row_by_row_with_line_and_reason(staff_user):
    webinar = _past_webinar()
    grace = make_attendee(webinar, email="grace@example.org")
    ada = make_attendee(webinar, email="ada@example.org", first_name="Ada")

    report = import_attendance(event=webinar, data=ZOOM.encode(), by=staff_user)

    assert report.imported == 3
    assert [line for line, _reason in report.rejected] == [7, 8, 10, 11]
    reasons = dict(report.rejected)
    assert "No e-mail address" in reasons[7]
    assert "stranger@example.org" in reasons[8]
    assert "cannot be read" in reasons[10]
    assert "before the join time" in reasons[11]
    assert sorted(grace.attendance_records.values_list("minutes", flat=True)) == [20, 55]
    assert ada.attendance_records.get().line == 6


def test_the_same_file_twice_imports_nothing_new(staff_user):
    webinar = _past_webinar()
    make_attendee(webinar, email="grace@example.org")
    make_attendee(webinar, email="ada@example.org")
    import_attendance(event=webinar, data=ZOOM.encode(), by=staff_user)

    again = import_attendance(event=webinar, data=ZOOM.encode(), by=staff_user)

    assert again.imported == 0
    assert AttendanceRecord.objects.count() == 3
    assert sum("already imported" in reason for _l, reason in again.rejected) == 3


def test_join_times_without_a_zone_are_read_in_the_webinars_zone(staff_user):
    webinar = _past_webinar()  # Europe/Paris
    make_attendee(webinar, email="grace@example.org")
    data = "email,join time,leave time\ngrace@example.org,2031-06-01 13:00,2031-06-01 14:00\n"

    import_attendance(event=webinar, data=data.encode(), by=staff_user)

    record = AttendanceRecord.objects.get()
    assert record.joined_at == datetime.datetime(2031, 6, 1, 11, 0, tzinfo=datetime.UTC)
    assert record.minutes == 60


def test_a_file_without_the_needed_columns_is_refused_whole(staff_user):
    webinar = _past_webinar()

    report = import_attendance(event=webinar, data=b"name,city\nGrace,Paris\n", by=staff_user)
    binary = import_attendance(event=webinar, data=b"\xff\xfe\x00PNG", by=staff_user)

    assert "No header row" in report.error
    assert "not a CSV" in binary.error
    assert not AttendanceRecord.objects.exists()


def test_only_organisers_import_attendance():
    webinar = _past_webinar()

    with pytest.raises(NotAllowed):
        import_attendance(event=webinar, data=ZOOM.encode(), by=UserFactory())


# --- Recording ------------------------------------------------------------------------------


def test_the_recording_link_is_added_after_the_session(staff_user):
    upcoming = make_webinar()
    past = _past_webinar()

    with pytest.raises(ValidationError):
        set_recording(
            event=upcoming, url="https://video.example.org/rec/1", public=False, by=staff_user
        )
    set_recording(event=past, url="https://video.example.org/rec/2", public=True, by=staff_user)

    past.refresh_from_db()
    assert (past.recording_url, past.recording_public) == ("https://video.example.org/rec/2", True)


def test_a_recording_link_that_is_not_a_link_is_refused(staff_user):
    past = _past_webinar()

    with pytest.raises(ValidationError):
        set_recording(event=past, url="javascript:alert(1)", public=True, by=staff_user)


# --- Certificates ---------------------------------------------------------------------------


def _attended(webinar, user):
    attendee = make_attendee(
        webinar, user=user, email=user.email, first_name="Zoë", last_name="Łukasiewicz"
    )
    AttendanceRecord.objects.create(
        event=webinar,
        attendee=attendee,
        email=user.email,
        joined_at=webinar.starts_at,
        left_at=webinar.ends_at,
        minutes=58,
        line=2,
    )
    return attendee


def test_a_person_who_attended_gets_their_certificate_as_pdf():
    webinar = _past_webinar()
    user = UserFactory()
    attendee = _attended(webinar, user)

    data = certificate_pdf(attendee=attendee, by=user)

    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    assert "Zoë Łukasiewicz" in text and webinar.title in text and "58" in text
    assert webinar.partner.name in text


def test_no_certificate_for_a_registrant_who_did_not_attend():
    webinar = _past_webinar()
    user = UserFactory()
    attendee = make_attendee(webinar, user=user)

    with pytest.raises(NotAllowed):
        certificate_pdf(attendee=attendee, by=user)


def test_no_certificate_of_someone_else():
    webinar = _past_webinar()
    attendee = _attended(webinar, UserFactory())

    with pytest.raises(NotAllowed):
        certificate_pdf(attendee=attendee, by=UserFactory())


def test_the_certificate_is_in_the_attendees_language_from_the_catalogue():
    """An attendee whose account says German gets a German certificate where the catalogue
    translates its text, though staff wrote none in German."""
    webinar = _past_webinar()
    user = UserFactory(language="de")
    attendee = _attended(webinar, user)
    kind = get_kind("attendance_certificate")
    german = {
        kind.title: "Teilnahmebescheinigung",
        kind.body: "{{ attendee }}\n\nhat am {{ event_date }} am Webinar „{{ event_title }}“ "
        "teilgenommen, {{ minutes }} Minuten lang."
        "{% if partner %}\n\nMit {{ partner }}.{% endif %}",
    }

    with catalogue("de", german):
        data = certificate_pdf(attendee=attendee, by=user)

    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Teilnahmebescheinigung" in text and "58 Minuten lang" in text
    assert "Certificate of attendance" not in text
