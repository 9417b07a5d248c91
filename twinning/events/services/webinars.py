"""Webinars: the join link and the reminders (24 h and 1 h before) to registrants through the
outbox, each sent once; the attendance report imported from the video platform's CSV; the
recording link; attendance certificates (PDF) for the people who attended.

Registrants are the webinar's Attendee rows in state confirmed (the registration part makes
them)."""

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.documents.services import certificate_pdf as document_certificate
from twinning.events.emails.public import WEBINAR_JOIN, WEBINAR_REMINDER
from twinning.events.models import AttendanceRecord, Attendee, Event, WebinarReminder
from twinning.events.services.events import may_organise, require_organiser

MAX_ROWS = 5000
# Column names as video platforms export them (Zoom's first), lower-cased.
COLUMN_NAMES = {
    "name": ("name (original name)", "name", "participant", "full name"),
    "email": ("user email", "email", "e-mail", "email address"),
    "join": ("join time", "joined", "join"),
    "leave": ("leave time", "left", "leave"),
    "duration": ("duration (minutes)", "duration", "minutes"),
}
TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


def registrants(event: Event) -> Any:
    """The webinar's confirmed attendees."""
    return Attendee.objects.filter(event=event, state=Attendee.State.CONFIRMED)


# --- Join link and reminders ----------------------------------------------------------------


@dataclass
class ReminderSummary:
    sent: int = 0


def _due(event: Event, now: datetime.datetime) -> list[str]:
    """The reminders due now for a webinar (besides the join link)."""
    until = event.starts_at - now
    due: list[str] = []
    if datetime.timedelta(hours=1) < until <= datetime.timedelta(hours=24):
        due.append(WebinarReminder.Kind.HOURS_24)
    if datetime.timedelta(0) < until <= datetime.timedelta(hours=1):
        due.append(WebinarReminder.Kind.HOURS_1)
    return due


def _context(event: Event, attendee: Attendee, hours: int) -> dict[str, Any]:
    starts = event.starts_at.astimezone(event.zone)
    return {
        "person_name": attendee.name,
        "title": event.title,
        "starts": f"{date_format(starts, 'DATETIME_FORMAT')} ({event.time_zone})",
        "partner": event.partner.name if event.partner else "",
        "join_url": event.online_url,
        "event_url": absolute_url(event.get_absolute_url()),
        "hours": hours,
    }


def _send(attendee: Attendee, kinds: list[str], event: Event) -> bool:
    """Record `kinds` as sent to `attendee` and queue one e-mail (the first kind's)."""
    from twinning.outbox.services import queue_email

    try:
        with transaction.atomic():
            for kind in kinds:
                WebinarReminder.objects.create(attendee=attendee, kind=kind)
            first = kinds[0]
            queue_email(
                to=attendee.email,
                template=WEBINAR_JOIN if first == WebinarReminder.Kind.JOIN else WEBINAR_REMINDER,
                context=_context(
                    event, attendee, 1 if first == WebinarReminder.Kind.HOURS_1 else 24
                ),
                recipient=attendee.user,
                related=attendee,
                key=f"events.webinar:{attendee.pk}:{first}",
            )
            log_activity(attendee, "events.webinar.reminder_sent", data={"kinds": kinds})
    except IntegrityError:  # another run sent it first
        return False
    return True


def send_webinar_reminders(*, now: datetime.datetime | None = None) -> ReminderSummary:
    """Queue every webinar e-mail due now: the join link to each registrant who has not had it
    (until the webinar ends), then the reminders 24 h and 1 h before. A registrant who gets
    the join link late is not also sent a reminder due at the same moment. Safe to run twice."""
    now = now or timezone.now()
    summary = ReminderSummary()
    webinars = (
        Event.objects.published()
        .filter(
            kind=Event.Kind.WEBINAR,
            ends_at__gt=now,
            starts_at__lte=now + datetime.timedelta(days=60),
        )
        .select_related("partner")
    )
    for event in webinars:
        if not event.online_url:
            continue
        due = _due(event, now) if event.starts_at > now else []
        people = registrants(event).exclude(email="").select_related("user").order_by("pk")
        sent = {
            (attendee_id, kind)
            for attendee_id, kind in WebinarReminder.objects.filter(
                attendee__in=people
            ).values_list("attendee_id", "kind")
        }
        for attendee in people:
            if (attendee.pk, WebinarReminder.Kind.JOIN) not in sent:
                kinds = [WebinarReminder.Kind.JOIN] + [
                    kind for kind in due if (attendee.pk, kind) not in sent
                ]
            else:
                kinds = [kind for kind in due if (attendee.pk, kind) not in sent][-1:]
            if kinds and _send(attendee, kinds, event):
                summary.sent += 1
    return summary


# --- Recording ------------------------------------------------------------------------------


@transaction.atomic
def set_recording(*, event: Event, url: str, public: bool, by: Any) -> Event:
    """Add (or change, or remove with an empty url) the recording link; it is shown to
    registrants, and to everyone when `public`."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(by, event)
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError as error:
            raise ValidationError(
                {"url": _("Enter the full link, starting with https://.")}
            ) from error
        if event.ends_at > timezone.now():
            raise ValidationError(_("The recording is added after the session."))
    event.recording_url = url
    event.recording_public = bool(url) and public
    event.save(update_fields=["recording_url", "recording_public", "updated_at"])
    log_activity(
        event, "events.recording.set", by=by, data={"has_url": bool(url), "public": public}
    )
    return event


# --- Attendance -----------------------------------------------------------------------------


@dataclass
class AttendanceReport:
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    error: str = ""


class _Rejected(Exception):
    pass


def _time(value: str, event: Event) -> datetime.datetime:
    value = value.strip()
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        moment = None
        for pattern in TIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(value, pattern)  # noqa: DTZ007 (zone below)
                break
            except ValueError:
                continue
    if moment is None:
        raise _Rejected(_("The time %(value)s cannot be read.") % {"value": value[:40]})
    if timezone.is_naive(moment):  # the platform's times are the webinar's local time
        moment = moment.replace(tzinfo=event.zone)
    return moment


def _columns(header: Sequence[str]) -> dict[str, str] | None:
    found = {}
    lowered = {h.strip().lower(): h for h in header if h}
    for key, names in COLUMN_NAMES.items():
        for name in names:
            if name in lowered:
                found[key] = lowered[name]
                break
    return found if {"email", "join", "leave"} <= set(found) else None


def _row(
    row: dict[str, str], columns: dict[str, str], event: Event, by_email: dict[str, Attendee]
) -> AttendanceRecord:
    email = (row.get(columns["email"]) or "").strip()
    if not email:
        raise _Rejected(_("No e-mail address."))
    try:
        validate_email(email)
    except ValidationError as error:
        raise _Rejected(_("%(email)s is not an e-mail address.") % {"email": email[:80]}) from error
    attendee = by_email.get(email.casefold())
    if attendee is None:
        raise _Rejected(
            _("No registrant of this webinar has the address %(email)s.") % {"email": email}
        )
    joined = _time(row.get(columns["join"]) or "", event)
    left = _time(row.get(columns["leave"]) or "", event)
    if left < joined:
        raise _Rejected(_("The leave time is before the join time."))
    minutes = round((left - joined).total_seconds() / 60)
    if "duration" in columns and (row.get(columns["duration"]) or "").strip():
        try:
            minutes = int(float(row[columns["duration"]].strip()))
        except ValueError as error:
            raise _Rejected(_("The duration is not a number of minutes.")) from error
        if minutes < 0:
            raise _Rejected(_("The duration is not a number of minutes."))
    name = (row.get(columns.get("name", "")) or "").strip()[:200]
    return AttendanceRecord(
        event=event,
        attendee=attendee,
        name=name,
        email=email,
        joined_at=joined,
        left_at=left,
        minutes=minutes,
    )


@transaction.atomic
def import_attendance(*, event: Event, data: bytes, by: Any) -> AttendanceReport:
    """Import the video platform's attendance CSV: every row is imported or rejected with its
    line and reason; rows are matched to registrants by e-mail; a row already imported (same
    address and join time) is rejected as such."""
    require_organiser(by, event)
    from twinning.members.imports import decode_upload

    report = AttendanceReport()
    lines = decode_upload(data)
    if lines is None:
        report.error = _("The file is not a CSV text file (UTF-8).")
        return report
    # Zoom puts a summary block above the participants: start at the row naming the columns.
    start = next(
        (i for i, line in enumerate(lines) if _columns(next(csv.reader([line]), [])) is not None),
        None,
    )
    if start is None:
        report.error = _(
            "No header row naming the e-mail, join time and leave time columns was found."
        )
        return report
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    columns = _columns(reader.fieldnames or []) or {}
    by_email = {a.email.casefold(): a for a in registrants(event).exclude(email="")}
    for offset, raw in enumerate(reader, start=start + 2):
        if report.imported + len(report.rejected) >= MAX_ROWS:
            report.rejected.append(
                (offset, _("Too many rows: import at most %(n)s at once.") % {"n": MAX_ROWS})
            )
            break
        row = {k: (v or "") for k, v in raw.items() if k}
        if not any(value.strip() for value in row.values()):
            continue
        try:
            record = _row(row, columns, event, by_email)
            record.line = offset
            if AttendanceRecord.objects.filter(
                event=event, email=record.email, joined_at=record.joined_at
            ).exists():
                raise _Rejected(_("This row was already imported."))
            record.full_clean()
            record.save()
        except _Rejected as rejection:
            report.rejected.append((offset, str(rejection)))
        except ValidationError as error:
            report.rejected.append((offset, "; ".join(error.messages)))
        else:
            report.imported += 1
    log_activity(
        event,
        "events.attendance.imported",
        by=by,
        data={"imported": report.imported, "rejected": len(report.rejected)},
    )
    return report


def attended(attendee: Attendee) -> bool:
    return attendee.attendance_records.exists()


def certificate_pdf(*, attendee: Attendee, by: Any) -> bytes:
    """The attendance certificate of a person who attended (their own, or any for the
    webinar's organisers)."""
    event = attendee.event
    own = getattr(by, "is_authenticated", False) and attendee.user_id == by.pk
    if not (own or by is SYSTEM or may_organise(by, event)):
        raise NotAllowed("events.certificate")
    if attendee.state != Attendee.State.CONFIRMED or not attended(attendee):
        raise NotAllowed("events.certificate")
    minutes = sum(attendee.attendance_records.values_list("minutes", flat=True))
    return _certificate(attendee, event, minutes)


def _certificate(attendee: Attendee, event: Event, minutes: int) -> bytes:
    """The documents app's `attendance_certificate` (staff's text, one landscape page) in the
    attendee's language where a text exists; made on each download from the attendance
    records, so nothing more is kept."""
    user = attendee.user
    return document_certificate(
        kind="attendance_certificate",
        values={
            "attendee": attendee.name,
            "event_title": event.title,
            "event_date": event.starts_at.astimezone(event.zone).date(),
            "minutes": minutes,
            "partner": event.partner.name if event.partner is not None else "",
        },
        language=(getattr(user, "language", "") if user is not None else "") or None,
    )
