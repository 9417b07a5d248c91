"""The awards banquet: its tables and seats, who sits where (each seat with the reason it was
given), the honorees in presentation order, and the run of show.

The banquet is an Event of kind BANQUET, a part of the annual conference: its guests are the
people registered for the conference (its parent) or for the banquet itself (`guests_of`).
Writes go through twinning/events/services/banquet.py.

The model is called `BanquetTable`, not `Table`, so that it never reads as reportlab's
`Table` in the PDF code or as a database table in a query."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.network.models import Member

from .events import Event
from .registration import Attendee

__all__ = [
    "GUEST_STATES",
    "BanquetTable",
    "Honoree",
    "RunOfShowItem",
    "SeatAssignment",
    "guests_of",
]

# Registered people who come to the banquet (applied, declined and cancelled ones do not).
GUEST_STATES = (Attendee.State.APPROVED, Attendee.State.CONFIRMED)


def guests_of(banquet: Event) -> models.QuerySet[Attendee]:
    """The banquet's guests: attendees of the conference it belongs to (they share one
    registration) and of the banquet itself, approved or confirmed."""
    events = [banquet.pk] + ([banquet.parent_id] if banquet.parent_id else [])
    return Attendee.objects.filter(event_id__in=events, state__in=GUEST_STATES)


class BanquetTable(TimeStampedModel):
    """One table of the banquet. Tables with consecutive numbers stand side by side (a
    delegation too large for one table is split over neighbours); `stage_rank` is the distance
    from the stage (0 = at the stage), which puts honorees in front."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="banquet_tables")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    stage_rank = models.PositiveSmallIntegerField(
        _("distance from the stage"),
        default=1,
        help_text=_("0 for the tables at the stage, 1 for the next row, and so on."),
    )

    class Meta:
        verbose_name = _("banquet table")
        verbose_name_plural = _("banquet tables")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="banquet_table_number_once"),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=40),
                name="banquet_table_seats_range",
                violation_error_message=_("A table has between 1 and 40 seats."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.name:
            return _("Table %(number)s (%(name)s)") % {"number": self.number, "name": self.name}
        return _("Table %(number)s") % {"number": self.number}

    def clean(self) -> None:
        if self.event_id and self.event.kind != Event.Kind.BANQUET:
            raise ValidationError({"event": _("Tables belong to an awards banquet.")})


class SeatAssignmentQuerySet(models.QuerySet["SeatAssignment"]):
    def for_chart(self) -> "SeatAssignmentQuerySet":
        """With everything a chart or a place card prints, in one query."""
        return self.select_related(
            "table", "attendee", "attendee__order", "attendee__order__member", "attendee__country"
        ).order_by("table__number", "seat")


class SeatAssignment(TimeStampedModel):
    """One guest in one seat. The database holds both rules: one guest per seat, and one seat
    per guest at a banquet (`event` repeats the table's banquet for the second)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seat_assignments")
    table = models.ForeignKey(BanquetTable, on_delete=models.CASCADE, related_name="assignments")
    seat = models.PositiveSmallIntegerField(_("seat"))
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="banquet_seats")
    reason = models.CharField(_("why here"), max_length=300, blank=True)
    # Set when staff placed the guest by hand; automatic seating keeps such seats.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_hand = models.BooleanField(_("placed by staff"), default=False)

    objects = SeatAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat assignment")
        verbose_name_plural = _("seat assignments")
        ordering = ["table__number", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "seat"],
                name="banquet_one_guest_per_seat",
                violation_error_message=_("That seat is already taken."),
            ),
            models.UniqueConstraint(
                fields=["event", "attendee"],
                name="banquet_one_seat_per_guest",
                violation_error_message=_("That guest already has a seat."),
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="banquet_seat_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.table}, {self.seat}: {self.attendee}"

    def clean(self) -> None:
        if self.table_id and self.table.event_id != self.event_id:
            raise ValidationError({"table": _("That table belongs to another banquet.")})
        if self.table_id and self.seat and self.seat > self.table.seats:
            raise ValidationError(
                {
                    "seat": _("%(table)s has seats 1 to %(seats)s.")
                    % {"table": self.table.label, "seats": self.table.seats}
                }
            )


class Honoree(TimeStampedModel):
    """Someone honoured at the banquet, in presentation order. Staff add them by hand today;
    the awards program will add its winners through `add_honoree` (with a `reference` of its
    own, so adding the same award twice changes nothing)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="honorees")
    name = models.CharField(_("name shown"), max_length=200)
    honour = models.CharField(
        _("honour"),
        max_length=300,
        help_text=_("For example: Best Overall Program, 100,001-300,000"),
    )
    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("guest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="honours",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="banquet_honours",
    )
    position = models.PositiveSmallIntegerField(_("presentation order"), default=0)
    # Who added it ("staff", "awards", ...) and the adder's own key for the honour.
    source = models.CharField(_("added by"), max_length=30, default="staff")
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("honoree")
        verbose_name_plural = _("honorees")
        ordering = ["event", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "source", "reference"],
                condition=~Q(reference=""),
                name="banquet_honour_reference_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.honour}"


class RunOfShowItem(TimeStampedModel):
    """One moment of the evening, in order: a welcome, a speech, an award presentation (with
    its honoree), the meal, music."""

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        SPEECH = "speech", _("Speech")
        AWARD = "award", _("Award presentation")
        MEAL = "meal", _("Meal")
        MUSIC = "music", _("Music")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="run_of_show")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    honoree = models.ForeignKey(
        Honoree,
        verbose_name=_("honoree"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("run-of-show item")
        verbose_name_plural = _("run of show")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == self.Kind.AWARD and not self.honoree_id:
            errors["honoree"] = _("An award presentation names its honoree.")
        honoree = self.honoree if self.honoree_id else None
        if honoree is not None and honoree.event_id != self.event_id:
            errors["honoree"] = _("That honoree belongs to another banquet.")
        if errors:
            raise ValidationError(errors)
