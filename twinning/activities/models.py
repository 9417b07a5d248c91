"""Activities and exchanges reported by member organisations: the activity itself (sector,
kind, the partnerships it belongs to (or, for an exchange with a community that is not yet a
partner, the two communities), dates, participants, hours, money, outcomes, photos),
a delegation's travellers and itinerary with their invitation letters, and the association's
annual report built from the verified activities."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.network.models import Community, Member, Partnership


class Sector(models.TextChoices):
    """The association's five program areas."""

    ARTS = "arts", _("Arts and culture")
    YOUTH = "youth", _("Youth and education")
    BUSINESS = "business", _("Business and trade")
    MUNICIPAL = "municipal", _("Municipal peer learning")
    COMMUNITY = "community", _("Community development")


class Kind(models.TextChoices):
    PERFORMANCE = "performance", _("Performance")
    EXHIBITION = "exhibition", _("Exhibition")
    PEACE_PARK = "peace_park", _("Peace park or garden")
    FESTIVAL = "festival", _("Festival")
    STUDENT_EXCHANGE = "student_exchange", _("Student exchange")
    SCHOOL_PARTNERSHIP = "school_partnership", _("School partnership")
    YOUTH_SUMMIT = "youth_summit", _("Youth summit delegation")
    TRADE_DELEGATION = "trade_delegation", _("Trade delegation")
    BUSINESS_MATCHMAKING = "business_matchmaking", _("Business matchmaking")
    TOURISM_PROMOTION = "tourism_promotion", _("Tourism promotion")
    SANITATION = "sanitation", _("Sanitation")
    WATER = "water", _("Water")
    HEALTH = "health", _("Health")
    TRANSPORTATION = "transportation", _("Transportation")
    MUNICIPAL_TOURISM = "municipal_tourism", _("Tourism (peer learning)")
    ECONOMIC_DEVELOPMENT = "economic_development", _("Economic development")
    MUNICIPAL_EDUCATION = "municipal_education", _("Education (peer learning)")
    DISASTER_RELIEF = "disaster_relief", _("Disaster relief")
    SUPPLY_DRIVE = "supply_drive", _("Supply drive")
    CLINIC = "clinic", _("Clinic")
    WELL = "well", _("Well")
    TRAINING = "training", _("Training")
    SCHOOL_SUPPORT = "school_support", _("School support")


SECTOR_KINDS: dict[str, tuple[str, ...]] = {
    Sector.ARTS: (Kind.PERFORMANCE, Kind.EXHIBITION, Kind.PEACE_PARK, Kind.FESTIVAL),
    Sector.YOUTH: (Kind.STUDENT_EXCHANGE, Kind.SCHOOL_PARTNERSHIP, Kind.YOUTH_SUMMIT),
    Sector.BUSINESS: (Kind.TRADE_DELEGATION, Kind.BUSINESS_MATCHMAKING, Kind.TOURISM_PROMOTION),
    Sector.MUNICIPAL: (
        Kind.SANITATION,
        Kind.WATER,
        Kind.HEALTH,
        Kind.TRANSPORTATION,
        Kind.MUNICIPAL_TOURISM,
        Kind.ECONOMIC_DEVELOPMENT,
        Kind.MUNICIPAL_EDUCATION,
    ),
    Sector.COMMUNITY: (
        Kind.DISASTER_RELIEF,
        Kind.SUPPLY_DRIVE,
        Kind.CLINIC,
        Kind.WELL,
        Kind.TRAINING,
        Kind.SCHOOL_SUPPORT,
    ),
}
KIND_SECTOR: dict[str, str] = {
    kind: sector for sector, kinds in SECTOR_KINDS.items() for kind in kinds
}

PARTICIPANT_FIELDS = (
    "visitors_under_18",
    "visitors_18_30",
    "visitors_over_30",
    "hosts_under_18",
    "hosts_18_30",
    "hosts_over_30",
)

# Outcome indicators of peer learning (the municipal expertise exchange reports them; any
# activity may): counted in the impact figures and exports beside participants and hours.
OUTCOME_FIELDS = ("policies_adopted", "people_trained")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def of_member(self, member: Member) -> "ActivityQuerySet":
        return self.filter(member=member)

    def reported(self) -> "ActivityQuerySet":
        """Sent to staff at least once (submitted, sent back for changes, or verified)."""
        return self.exclude(state=Activity.State.DRAFT)

    def verified(self) -> "ActivityQuerySet":
        return self.filter(state=Activity.State.VERIFIED)

    def for_list(self) -> "ActivityQuerySet":
        """What a list row shows: the member and the partnerships with their communities."""
        return self.select_related(
            "member", "community__country", "counterpart__country"
        ).prefetch_related(
            models.Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("community_a", "community_b"),
            )
        )


class Activity(TimeStampedModel):
    """One exchange or project a member organisation reports: what, with which partners,
    when, who took part, what it cost and what came of it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        VERIFIED = "verified", _("Verified")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    is_delegation = models.BooleanField(
        _("delegation"),
        default=False,
        help_text=_("A group travelling to a partner: list its travellers and itinerary."),
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), related_name="activities"
    )
    # An exchange with a community that is not (yet) a partner of the member (a peer-learning
    # exchange matched by the expertise exchange, say) names no partnership: it names the
    # member's community that took part and the other one. Either partnerships or this pair.
    community = models.ForeignKey(
        Community,
        verbose_name=_("our community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counterpart = models.ForeignKey(
        Community,
        verbose_name=_("with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A community that is not a partner of ours (yet)."),
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    places = models.CharField(
        _("places"), max_length=300, blank=True, help_text=_("Where it took place.")
    )
    visitors_under_18 = models.PositiveIntegerField(_("visitors under 18"), default=0)
    visitors_18_30 = models.PositiveIntegerField(_("visitors aged 18 to 30"), default=0)
    visitors_over_30 = models.PositiveIntegerField(_("visitors over 30"), default=0)
    hosts_under_18 = models.PositiveIntegerField(_("hosts under 18"), default=0)
    hosts_18_30 = models.PositiveIntegerField(_("hosts aged 18 to 30"), default=0)
    hosts_over_30 = models.PositiveIntegerField(_("hosts over 30"), default=0)
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), default=0)
    money_raised = models.DecimalField(
        _("money raised"), max_digits=12, decimal_places=2, default=0
    )
    money_spent = models.DecimalField(_("money spent"), max_digits=12, decimal_places=2, default=0)
    agreements_signed = models.PositiveSmallIntegerField(_("agreements signed"), default=0)
    policies_adopted = models.PositiveSmallIntegerField(_("policies adopted"), default=0)
    people_trained = models.PositiveIntegerField(_("people trained"), default=0)
    follow_ups = models.TextField(
        _("follow-ups"), blank=True, help_text=_("What comes next: visits, projects, agreements.")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    staff_message = models.TextField(_("message from staff"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(money_raised__gte=0) & Q(money_spent__gte=0),
                name="activity_money_not_negative",
                violation_error_message=_("Amounts of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    *[
                        Q(sector=sector, kind__in=list(kinds))
                        for sector, kinds in SECTOR_KINDS.items()
                    ],
                    _connector=models.Q.OR,
                ),
                name="activity_kind_in_sector",
                violation_error_message=_("Choose a kind of activity of the chosen sector."),
            ),
            models.CheckConstraint(
                condition=Q(community__isnull=True, counterpart__isnull=True)
                | (
                    Q(community__isnull=False, counterpart__isnull=False)
                    & ~Q(community=models.F("counterpart"))
                ),
                name="activity_counterpart_pair",
                violation_error_message=_(
                    "Name both our community and the other one, two different communities."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["member", "state"], name="activity_member_state"),
            models.Index(fields=["state", "start_date"], name="activity_state_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind and self.sector and KIND_SECTOR.get(self.kind) != self.sector:
            errors["kind"] = _("Choose a kind of activity of the chosen sector.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in PARTICIPANT_FIELDS)

    @property
    def visitors(self) -> int:
        return self.visitors_under_18 + self.visitors_18_30 + self.visitors_over_30

    @property
    def hosts(self) -> int:
        return self.hosts_under_18 + self.hosts_18_30 + self.hosts_over_30

    @property
    def is_editable(self) -> bool:
        """The committee may change it: a draft, or one staff sent back."""
        return self.state in (self.State.DRAFT, self.State.CHANGES_REQUESTED)


class Traveller(models.Model):
    """A person of a delegation. Passport data is deliberately not collected here
    (PRIV-7): the letter names the person and their role only."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        OFFICIAL = "official", _("Official")
        MEMBER = "member", _("Member")
        STUDENT = "student", _("Student")
        INTERPRETER = "interpreter", _("Interpreter")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="travellers")
    name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ItineraryStop(models.Model):
    """One day's place and purpose on a delegation's itinerary."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="itinerary")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)

    class Meta:
        verbose_name = _("itinerary stop")
        verbose_name_plural = _("itinerary stops")
        ordering = ["activity", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.place}"


class InvitationLetter(TimeStampedModel):
    """A traveller's invitation letter for a visa, built as a PDF by a background task and
    kept in private storage (downloaded through a view that checks permission, UPL-5)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    traveller = models.OneToOneField(
        Traveller, on_delete=models.CASCADE, related_name="letter", verbose_name=_("traveller")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file_name = models.CharField(max_length=200, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The text and values the PDF was written from (documents' `visa_letter`), kept so the
    # letter can be made again word for word.
    document = models.ForeignKey(
        "documents.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("invitation letter")
        verbose_name_plural = _("invitation letters")

    def __str__(self) -> str:
        return f"{self.traveller}: {self.get_state_display()}"


class Photo(models.Model):
    """A photo of an activity: only the re-encoded derivatives (metadata stripped, UPL-3) are
    kept, in private storage; the upload itself is never stored."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    display_file = models.CharField(max_length=200)
    thumb_file = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    thumb_content_type = models.CharField(max_length=50)
    display_name = models.CharField(_("file name"), max_length=100)
    caption = models.CharField(
        _("caption"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "sha256"], name="photo_once_per_activity")
        ]

    def __str__(self) -> str:
        return self.display_name


class AnnualReport(TimeStampedModel):
    """The association's annual report of one year as a PDF, built in the background."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file_name = models.CharField(max_length=200, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2200), name="annual_report_year_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_state_display()})"


def stored_file_names() -> Iterator[str]:
    """Every private file name the activities' rows hold (for the media sweep, core/orphans.py)."""
    for names in Photo.objects.values_list("display_file", "thumb_file"):
        yield from names
    yield from InvitationLetter.objects.values_list("file_name", flat=True)
    yield from AnnualReport.objects.values_list("file_name", flat=True)
