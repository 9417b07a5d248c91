"""The Youth Leadership Summit: restricted details of each participant (emergency contacts,
medical notes, allergies, dietary needs), the named chaperones and nurses with their background
checks, residence-hall rooms and the teams of the diplomacy simulation and the service project,
each placement with the reasons the assignment gave for it.

A summit participant is an Attendee of the summit event, or (when the summit is a part of the
annual conference and shares its registration) an attendee of the parent holding a youth ticket
or registered as a chaperone; see `services.summit.summit_participants`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel

from .events import Event
from .registration import Attendee

__all__ = [
    "ResidenceRoom",
    "RoomAssignment",
    "SummitChaperone",
    "SummitDetails",
    "Team",
    "TeamMember",
]


class SummitDetails(TimeStampedModel):
    """A participant's restricted details (health and emergency data, RELIABILITY P-07). Read
    only through `services.summit.read_summit_details`, which checks the reader and logs the
    read; deleted 60 days after the summit ends."""

    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="summit_details"
    )
    emergency_contacts = models.TextField(
        _("emergency contacts"),
        blank=True,
        help_text=_("Name, relationship and telephone number of each, one per line."),
    )
    medical_notes = models.TextField(_("medical notes"), blank=True)
    allergies = models.TextField(_("allergies"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)

    class Meta:
        verbose_name = _("summit participant's restricted details")
        verbose_name_plural = _("summit participants' restricted details")

    def __str__(self) -> str:
        return str(self.attendee)


class SummitChaperone(TimeStampedModel):
    """An adult named for the summit: a chaperone or the nurse. They count towards the ratio,
    and may read restricted details, only with a background check that is done and not
    expired (`services.summit.check_is_valid`)."""

    class Role(models.TextChoices):
        CHAPERONE = "chaperone", _("Chaperone")
        NURSE = "nurse", _("Nurse")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="summit_chaperones")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summit_chaperone_roles",
    )
    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("attendee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summit_chaperone_roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CHAPERONE)
    background_check_on = models.DateField(_("background check done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("summit chaperone")
        verbose_name_plural = _("summit chaperones")
        ordering = ["event", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(attendee__isnull=False),
                name="summit_chaperone_is_someone",
                violation_error_message=_("Name the chaperone's account or attendee."),
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="summit_chaperone_user_once",
                violation_error_message=_("This person is already named for the summit."),
            ),
            models.UniqueConstraint(
                fields=["event", "attendee"],
                condition=Q(attendee__isnull=False),
                name="summit_chaperone_attendee_once",
                violation_error_message=_("This person is already named for the summit."),
            ),
        ]

    def __str__(self) -> str:
        if self.attendee is not None:
            return self.attendee.name
        if self.user is not None:
            return self.user.get_full_name() or self.user.email
        return ""


class ResidenceRoom(models.Model):
    """A residence-hall room: beds for one gender, either for adults only or for minors only
    (an adult never shares a minor's room)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Another gender")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="summit_rooms")
    name = models.CharField(_("name"), max_length=100)
    beds = models.PositiveSmallIntegerField(_("beds"))
    gender = models.CharField(_("for"), max_length=10, choices=Gender.choices)
    adults_only = models.BooleanField(
        _("adults only"),
        default=False,
        help_text=_(
            "Rooms for adults (chaperones, students of 18 and over); others are for minors."
        ),
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["event", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="summit_room_name_once",
                violation_error_message=_("A room of this name already exists."),
            ),
            models.CheckConstraint(condition=Q(beds__gte=1), name="summit_room_has_beds"),
        ]

    def __str__(self) -> str:
        return self.name


class RoomAssignment(models.Model):
    """One person's bed in a room, with the reasons for it (the rule's, or staff's move)."""

    room = models.ForeignKey(ResidenceRoom, on_delete=models.CASCADE, related_name="assignments")
    attendee = models.OneToOneField(Attendee, on_delete=models.CASCADE, related_name="summit_room")
    reasons = models.TextField(_("reasons"), blank=True)
    by_hand = models.BooleanField(_("placed by staff"), default=False)

    class Meta:
        verbose_name = _("room assignment")
        verbose_name_plural = _("room assignments")
        ordering = ["room", "attendee__date_of_birth", "pk"]

    def __str__(self) -> str:
        return f"{self.attendee} → {self.room}"


class Team(models.Model):
    """A team of the diplomacy simulation or of the service project."""

    class Kind(models.TextChoices):
        DIPLOMACY = "diplomacy", _("Diplomacy simulation")
        SERVICE = "service", _("Service project")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="summit_teams")
    kind = models.CharField(_("activity"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["event", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "name"],
                name="summit_team_name_once",
                violation_error_message=_("A team of this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """One student in one team of an activity (one team per activity: `kind` repeats the
    team's so the database can hold that rule)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("activity"), max_length=10, choices=Team.Kind.choices)
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="summit_teams")
    reasons = models.TextField(_("reasons"), blank=True)
    by_hand = models.BooleanField(_("placed by staff"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "attendee__last_name", "attendee__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendee", "kind"],
                name="summit_one_team_per_activity",
                violation_error_message=_("This student is already in a team of this activity."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendee} → {self.team}"
