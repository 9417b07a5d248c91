"""The programme of an event (tracks, rooms, speakers, sessions), the record of what changed
after it was published, each person's agenda and calendar link, and the webinars' reminders
and attendance (imported from the video platform's CSV)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel

from .events import Event
from .registration import Attendee

__all__ = [
    "AgendaItem",
    "AttendanceRecord",
    "CalendarToken",
    "Room",
    "Session",
    "SessionChange",
    "Speaker",
    "Track",
    "WebinarReminder",
    "new_calendar_token",
]


class Track(models.Model):
    """A strand of the programme (advocacy, youth, fundraising...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="track_name_once_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_once_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Speaker(TimeStampedModel):
    """A person speaking at an event. The photo goes through the upload pipeline: only the
    re-encoded derivatives, without metadata, are stored (private storage, served by a view)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo_file = models.CharField(max_length=200, blank=True, editable=False)
    photo_thumb_file = models.CharField(max_length=200, blank=True, editable=False)
    photo_content_type = models.CharField(max_length=50, blank=True, editable=False)
    photo_thumb_content_type = models.CharField(max_length=50, blank=True, editable=False)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["event", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(models.QuerySet["Session"]):
    def for_timetable(self) -> "SessionQuerySet":
        return self.select_related("track", "room").prefetch_related("speakers")


class Session(TimeStampedModel):
    """One session of the programme. After the programme is published, a move, a new title
    or a cancellation is recorded (SessionChange) and shown as such on the timetable."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    track = models.ForeignKey(
        Track,
        verbose_name=_("track"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("speakers"), blank=True, related_name="sessions"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed after publication"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "room__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SessionChange(models.Model):
    """What changed in a session after the programme was published."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Moved")
        RETITLED = "retitled", _("Retitled")
        ROOM = "room", _("Room changed")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("changed on"), auto_now_add=True)
    before = models.CharField(_("before"), max_length=300, blank=True)
    after = models.CharField(_("after"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.session}: {self.kind}"


class AgendaItem(models.Model):
    """A session a signed-in person put on their own agenda."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_items"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="agenda_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret of a person's agenda feed URL (one per person); revoking makes a new one,
    and the old URL answers 404 from then on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return f"{self.user_id}"


class WebinarReminder(models.Model):
    """One e-mail about a webinar sent to one registrant (the join link, then reminders 24 h
    and 1 h before): the unique constraint makes each one go out once (IDEM-4)."""

    class Kind(models.TextChoices):
        JOIN = "join", _("Join link")
        HOURS_24 = "24h", _("24 hours before")
        HOURS_1 = "1h", _("1 hour before")

    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="webinar_reminders"
    )
    kind = models.CharField(_("reminder"), max_length=6, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webinar reminder")
        verbose_name_plural = _("webinar reminders")
        constraints = [
            models.UniqueConstraint(fields=["attendee", "kind"], name="webinar_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} {self.kind}"


class AttendanceRecord(models.Model):
    """One row of the video platform's attendance report, matched to a registrant by e-mail
    (a person who left and joined again has several rows)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    attendee = models.ForeignKey(
        Attendee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance_records",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"))
    minutes = models.PositiveIntegerField(_("minutes"))
    line = models.PositiveIntegerField(_("line in the file"))
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["event", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email", "joined_at"], name="attendance_row_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.minutes} min"
