"""The exchange's tables: seasons and the places each hosting committee offers per
partnership, the sending side's contacts and students (their restricted details apart), host
families with their household, background checks, references and home visits, the approval
row a placement will rest on, schools and coordinators with their training.

Restricted fields (medical, allergies, passport and visa) live only in `RestrictedDetails`,
read through `services.students.read_restricted` (one reader check, every read logged)."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.dates import add_months
from twinning.core.models import TimeStampedModel

# 18 and a half: the regulation's upper age on the arrival date, in months.
MAX_AGE_MONTHS = 18 * 12 + 6
MIN_AGE_YEARS = 15
# The regulation's period: records are kept three years after the program ends (22 CFR 62.10).
RETENTION_YEARS = 3
# The key of `Season.retained_counts` that counts, by status, the season's students erased
# before the season itself (declined: `services.retention.apply_unplaced_retention`).
ERASED_EARLY = "erased_early"


class Season(TimeStampedModel):
    """One exchange season: a semester or an academic year, with its age rule on arrival."""

    class Kind(models.TextChoices):
        SEMESTER = "semester", _("Semester")
        YEAR = "year", _("Academic year")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("length"), max_length=10, choices=Kind.choices)
    arrival_date = models.DateField(_("arrival date"))
    departure_date = models.DateField(_("departure date"))
    min_age_years = models.PositiveSmallIntegerField(
        _("youngest age on arrival (years)"), default=MIN_AGE_YEARS
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("age limit on arrival (months)"),
        default=MAX_AGE_MONTHS,
        help_text=_("A student must be younger than this on the arrival date (222 = 18½ years)."),
    )
    # Retention (docs/apps/exchanges.md "Reciprocity and retention"): personal data is deleted
    # this many years after the departure date; the counts stay.
    retention_years = models.PositiveSmallIntegerField(
        _("years the records are kept after the departure"),
        default=RETENTION_YEARS,
        help_text=_("The students' and host families' personal data is deleted after this."),
    )
    retention_done_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)
    retained_counts = models.JSONField(_("counts kept after deletion"), default=dict, blank=True)

    class Meta:
        ordering = ["-arrival_date", "pk"]
        verbose_name = _("exchange season")
        verbose_name_plural = _("exchange seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(departure_date__gt=models.F("arrival_date")),
                name="exchanges_season_departure_after_arrival",
            ),
            models.CheckConstraint(
                condition=Q(max_age_months__gt=models.F("min_age_years") * 12),
                name="exchanges_season_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def retention_due_on(self) -> datetime.date:
        """The day the season's personal data is deleted (its departure plus the period)."""
        return add_months(self.departure_date, 12 * self.retention_years)

    @property
    def erased_early(self) -> dict[str, int]:
        """The season's students erased before it (declined), by status: the pages and the
        API add them to the students counted; none once the season is done (its kept counts
        include them)."""
        if self.retention_done_at is not None:
            return {}
        return dict(self.retained_counts.get(ERASED_EARLY, {}))


class QuotaQuerySet(models.QuerySet["Quota"]):
    def for_host(self, member: Any) -> "QuotaQuerySet":
        return self.filter(host=member)


class Quota(TimeStampedModel):
    """The places a hosting committee offers a sister city (through their partnership) in a
    season."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="quotas")
    host = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="exchange_quotas"
    )
    partnership = models.ForeignKey(
        "network.Partnership", on_delete=models.PROTECT, related_name="exchange_quotas"
    )
    places = models.PositiveSmallIntegerField(_("places offered"))

    objects = QuotaQuerySet.as_manager()

    class Meta:
        ordering = ["season", "host__name", "pk"]
        verbose_name = _("places offered")
        verbose_name_plural = _("places offered")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "host", "partnership"], name="exchanges_quota_once"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="exchanges_quota_places"),
        ]

    def __str__(self) -> str:
        return f"{self.season}: {self.host} ({self.places})"


class SendingContact(TimeStampedModel):
    """The sending committee's contact for one quota: acts through their account (`user`) or
    the single-use link staff or the hosting committee send them (hashed, as every link)."""

    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_sending_contacts",
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    token_used_at = models.DateTimeField(_("link used at"), null=True, blank=True)

    class Meta:
        ordering = ["quota", "name", "pk"]
        verbose_name = _("sending contact")
        verbose_name_plural = _("sending contacts")
        constraints = [
            models.UniqueConstraint(fields=["quota", "email"], name="exchanges_contact_once"),
        ]

    def __str__(self) -> str:
        return self.name


class StudentQuerySet(models.QuerySet["Student"]):
    def for_host(self, member: Any) -> "StudentQuerySet":
        return self.filter(quota__host=member)

    def for_contact(self, contact: "SendingContact") -> "StudentQuerySet":
        return self.filter(quota_id=contact.quota_id)

    def listed(self) -> "StudentQuerySet":
        return self.select_related(
            "person", "quota__season", "quota__host", "quota__partnership__community_a"
        ).select_related("quota__partnership__community_b")


class Student(TimeStampedModel):
    """A student the sending city nominated for a season (the young person lives in `youth`)."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ACCEPTED = "accepted", _("Accepted by the association")
        PLACED = "placed", _("Placed")
        VISA_ISSUED = "visa_issued", _("Visa issued")
        ARRIVED = "arrived", _("Arrived")
        COMPLETED = "completed", _("Completed")
        RETURNED_EARLY = "returned_early", _("Returned early")
        DECLINED = "declined", _("Not accepted")

    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="students")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="students")
    person = models.ForeignKey(
        "youth.Person", on_delete=models.PROTECT, related_name="exchange_students"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    nominated_by = models.ForeignKey(
        SendingContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominated",
    )
    emergency_contacts = models.TextField(
        _("emergency contacts"),
        help_text=_("Name, relationship and telephone number of each, one per line."),
    )
    interview_notes = models.TextField(_("interview notes"), blank=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        verbose_name = _("exchange student")
        verbose_name_plural = _("exchange students")
        constraints = [
            models.UniqueConstraint(fields=["season", "person"], name="exchanges_student_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person.first_name} {self.person.last_name}"

    @property
    def name(self) -> str:
        return str(self)


class StatusChange(models.Model):
    """Each step of a student's status, with its message (the history; the audit log has it
    too)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=Student.Status.choices)
    message = models.TextField(_("message"), blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.student}: {self.status}"


class RestrictedDetails(TimeStampedModel):
    """A student's restricted details: medical, allergies, passport and visa (the sponsor's
    form number, visa dates). Read only through `services.students.read_restricted`, which
    checks the reader with `rules.may_read_restricted` and logs each read."""

    student = models.OneToOneField(
        Student, on_delete=models.CASCADE, related_name="restricted_details"
    )
    medical_notes = models.TextField(_("medical notes"), blank=True)
    allergies = models.TextField(_("allergies"), blank=True)
    passport_number = models.CharField(_("passport number"), max_length=40, blank=True)
    passport_expires_on = models.DateField(_("passport expires on"), null=True, blank=True)
    sponsor_form_number = models.CharField(
        _("sponsor form number (DS-2019)"), max_length=40, blank=True
    )
    visa_issued_on = models.DateField(_("visa issued on"), null=True, blank=True)
    visa_expires_on = models.DateField(_("visa expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("student's restricted details")
        verbose_name_plural = _("students' restricted details")

    def __str__(self) -> str:
        return str(self.student)


class StudentDocument(TimeStampedModel):
    """An application document (essay, school report, letter): a PDF through the upload
    pipeline, kept in private storage."""

    class Kind(models.TextChoices):
        ESSAY = "essay", _("Essay")
        SCHOOL_REPORT = "school_report", _("School report")
        LETTER = "letter", _("Letter of recommendation")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    display_name = models.CharField(_("file name"), max_length=120)
    file_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.display_name


# --- Coordinators and schools ---------------------------------------------------------------


class Coordinator(TimeStampedModel):
    """A hosting committee's coordinator: a local coordinator (home visits, monthly contacts)
    or its exchange coordinator (who may also read the students' restricted details)."""

    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, related_name="exchange_coordinators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_coordinators"
    )
    name = models.CharField(_("name"), max_length=150)
    is_exchange_coordinator = models.BooleanField(
        _("the committee's exchange coordinator"),
        default=False,
        help_text=_("Reads the students' medical, passport and visa details."),
    )

    class Meta:
        ordering = ["member", "name", "pk"]
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["member", "user"], name="exchanges_coordinator_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    """A coordinator's training record; the latest expiry decides whether they may be given
    new assignments."""

    coordinator = models.ForeignKey(Coordinator, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=150)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"))

    class Meta:
        ordering = ["-expires_on", "pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("completed_on")),
                name="exchanges_training_expires_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.expires_on})"


class School(TimeStampedModel):
    """A high school near a hosting committee, with its contact and the signed acceptance
    letter (a PDF in private storage) a placement needs before it is final."""

    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, related_name="exchange_schools"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    contact_name = models.CharField(_("contact's name"), max_length=150)
    contact_email = models.EmailField(_("contact's e-mail"))
    contact_phone = models.CharField(_("contact's telephone"), max_length=40, blank=True)
    letter_file = models.CharField(max_length=200, blank=True, editable=False)
    letter_signed_on = models.DateField(_("acceptance letter signed on"), null=True, blank=True)

    class Meta:
        ordering = ["member", "name", "pk"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.CheckConstraint(
                condition=Q(letter_file="") | Q(letter_signed_on__isnull=False),
                name="exchanges_school_letter_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_letter(self) -> bool:
        return bool(self.letter_file)


# --- Host families ----------------------------------------------------------------------------


class HostFamilyQuerySet(models.QuerySet["HostFamily"]):
    def for_host(self, member: Any) -> "HostFamilyQuerySet":
        return self.filter(member=member)


class HostFamily(TimeStampedModel):
    """A family's application to host. `status` follows the screening; `approved` is only
    reachable through `services.families.approve_family`, which writes the `FamilyApproval`
    row placements will reference (see docs/apps/exchanges.md)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="exchange_families"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_families"
    )
    family_name = models.CharField(_("family name"), max_length=150)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("telephone"), max_length=40)
    languages = models.CharField(_("languages spoken at home"), max_length=200)
    pets = models.CharField(_("pets"), max_length=200, blank=True)
    smoking = models.BooleanField(_("someone smokes in the home"), default=False)
    room = models.TextField(_("the room offered"))
    capacity = models.PositiveSmallIntegerField(_("students the family offers to host"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )

    objects = HostFamilyQuerySet.as_manager()

    class Meta:
        ordering = ["member", "family_name", "pk"]
        verbose_name = _("host family")
        verbose_name_plural = _("host families")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=3), name="exchanges_family_capacity"
            ),
            models.UniqueConstraint(fields=["member", "user"], name="exchanges_family_once"),
        ]

    def __str__(self) -> str:
        return self.family_name


class HouseholdMember(TimeStampedModel):
    """Everyone living in the home, with their date of birth (adults need a check)."""

    family = models.ForeignKey(HostFamily, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    relationship = models.CharField(_("relationship"), max_length=60)

    class Meta:
        ordering = ["date_of_birth", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return self.name


class BackgroundCheck(models.Model):
    """A background check of one household member (date, provider, result)."""

    class Result(models.TextChoices):
        CLEAR = "clear", _("Clear")
        NOT_CLEAR = "not_clear", _("Not clear")

    person = models.ForeignKey(
        HouseholdMember, on_delete=models.CASCADE, related_name="background_checks"
    )
    checked_on = models.DateField(_("checked on"))
    provider = models.CharField(_("provider"), max_length=150)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("background check")
        verbose_name_plural = _("background checks")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_result_display()}"


class Reference(TimeStampedModel):
    """A reference for a family, answered through a single-use link (stored hashed)."""

    family = models.ForeignKey(HostFamily, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("referee's name"), max_length=150)
    email = models.EmailField(_("referee's e-mail"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    recommends = models.BooleanField(_("recommends the family"), null=True, blank=True)
    statement = models.TextField(_("statement"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(fields=["family", "email"], name="exchanges_reference_once"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(recommends__isnull=False),
                name="exchanges_reference_answered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HomeVisit(TimeStampedModel):
    """A local coordinator's home-visit report."""

    family = models.ForeignKey(HostFamily, on_delete=models.CASCADE, related_name="home_visits")
    coordinator = models.ForeignKey(
        Coordinator, on_delete=models.PROTECT, related_name="home_visits"
    )
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    suitable = models.BooleanField(_("the home is suitable"))

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"{self.family} ({self.visited_on})"


class HomeVisitPhoto(models.Model):
    """A private photo of the student's room (re-encoded without metadata, private storage)."""

    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="photos")
    file_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("home-visit photo")
        verbose_name_plural = _("home-visit photos")

    def __str__(self) -> str:
        return self.file_name


class FamilyApproval(models.Model):
    """The approval a placement rests on: written only by `approve_family` after it checked
    the screening, it names the evidence (the suitable home visit and the two recommending
    references) with PROTECT keys, so the evidence cannot be deleted under it. A placement
    references this row, never the family directly: an unscreened family has no row to point
    at (docs/apps/exchanges.md)."""

    family = models.OneToOneField(HostFamily, on_delete=models.PROTECT, related_name="approval")
    home_visit = models.ForeignKey(HomeVisit, on_delete=models.PROTECT, related_name="+")
    first_reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="+")
    second_reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="+")
    adults_checked = models.PositiveSmallIntegerField(_("adults checked"))
    capacity = models.PositiveSmallIntegerField(_("students the family may host"))
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("family approval")
        verbose_name_plural = _("family approvals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_reference=models.F("second_reference")),
                name="exchanges_approval_two_references",
            ),
            models.CheckConstraint(
                condition=Q(adults_checked__gte=1), name="exchanges_approval_adult_checked"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=3),
                name="exchanges_approval_capacity",
            ),
        ]

    def __str__(self) -> str:
        return str(self.family)


# --- Placement and monitoring (section 3) ----------------------------------------------------


class PlacementQuerySet(models.QuerySet["Placement"]):
    def current(self) -> "PlacementQuerySet":
        return self.filter(ended_at__isnull=True)

    def for_host(self, member: Any) -> "PlacementQuerySet":
        return self.filter(student__quota__host=member)


class Placement(TimeStampedModel):
    """A student placed with an approved family, a school and a local coordinator. It
    references the family's `FamilyApproval`, never the family: an unscreened family has no
    row to point at. A change of placement ends this row (with its reason) and opens a new
    one, so the history stays; at most one current placement per student (database), and a
    family never hosts more students than its approval allows (checked under the family's lock
    in the placing service)."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="placements")
    approval = models.ForeignKey(
        FamilyApproval, on_delete=models.PROTECT, related_name="placements"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="placements")
    coordinator = models.ForeignKey(
        Coordinator, on_delete=models.PROTECT, related_name="placements"
    )
    starts_on = models.DateField(_("starts on"))
    reasons = models.TextField(
        _("why this family"), blank=True, help_text=_("The matching reasons, as confirmed.")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    # The first month, from the start's month on, without a contact on both sides (the month
    # after the last complete one when none is missing): what the dashboards' colour reads
    # instead of counting contacts. Written by `services.monitoring.refresh_contact_gap`,
    # which every service that changes a placement's contacts calls; a new placement has
    # none, so its start's month (`save`).
    first_missing_month = models.DateField(
        _("first month missing a contact"), blank=True, editable=False
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(ended_at__isnull=True),
                name="exchanges_placement_one_current",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="exchanges_placement_end_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.approval.family}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.first_missing_month is None:  # a new placement: no contact yet
            self.first_missing_month = self.starts_on.replace(day=1)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


# --- Matching and orientation (section 3) ----------------------------------------------------


class MatchingPreferences(TimeStampedModel):
    """What a student told the committee about the home they hope for, used by the matching
    ranking (`services.placement.suggest_families`). None of it is restricted: allergies stay
    in `RestrictedDetails`; without a row the defaults apply (pets fine, a smoke-free home)."""

    student = models.OneToOneField(
        Student, on_delete=models.CASCADE, related_name="matching_preferences"
    )
    accepts_pets = models.BooleanField(_("the student is happy to live with pets"), default=True)
    accepts_smoking = models.BooleanField(
        _("the student accepts a home where someone smokes"), default=False
    )
    languages = models.CharField(
        _("languages the student speaks"),
        max_length=200,
        blank=True,
        help_text=_("Separated by commas, e.g. Serbian, English."),
    )

    class Meta:
        verbose_name = _("matching preferences")
        verbose_name_plural = _("matching preferences")

    def __str__(self) -> str:
        return str(self.student)


class SchoolDistance(TimeStampedModel):
    """How far a family's home is from a school, in kilometres, as the committee's coordinator
    recorded it (families and schools have street addresses only and the platform geocodes no
    street address: the coordinator measures the way to school, which is what matters)."""

    family = models.ForeignKey(HostFamily, on_delete=models.CASCADE, related_name="distances")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="distances")
    km = models.DecimalField(_("distance (km)"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["km", "pk"]
        verbose_name = _("distance to a school")
        verbose_name_plural = _("distances to schools")
        constraints = [
            models.UniqueConstraint(fields=["family", "school"], name="exchanges_distance_once"),
            models.CheckConstraint(condition=Q(km__gte=0), name="exchanges_distance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.family} – {self.school}: {self.km} km"


class Orientation(TimeStampedModel):
    """An orientation session a student attended: before arrival (by the sending side or the
    committee, online) or after arrival (with the local coordinator). Once per kind."""

    class Kind(models.TextChoices):
        PRE_ARRIVAL = "pre_arrival", _("Before arrival")
        POST_ARRIVAL = "post_arrival", _("After arrival")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="orientations")
    kind = models.CharField(_("orientation"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        constraints = [
            models.UniqueConstraint(fields=["student", "kind"], name="exchanges_orientation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_kind_display()}"


# --- Reciprocity (section 3) -----------------------------------------------------------------


class ReciprocityFigure(models.Model):
    """How many students one community sent another through a partnership in a season: the
    count kept when the season's personal data is deleted (`services.retention`). A season's
    figures come either from its students (while they exist) or from these rows (once
    `Season.retention_done_at` is set), never from both (`services.reciprocity`)."""

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="figures")
    partnership = models.ForeignKey(
        "network.Partnership", on_delete=models.PROTECT, related_name="exchange_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sending = models.ForeignKey(
        "network.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    hosting = models.ForeignKey(
        "network.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("hosted by")
    )
    students = models.PositiveIntegerField(_("students"))

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("reciprocity figure")
        verbose_name_plural = _("reciprocity figures")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "partnership", "sending", "hosting"],
                name="exchanges_figure_once",
            ),
            models.CheckConstraint(
                condition=~Q(sending=models.F("hosting")), name="exchanges_figure_two_sides"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.students}"


# --- Monitoring: monthly contacts and incidents (section 3) ------------------------------------


class MonthlyContactQuerySet(models.QuerySet["MonthlyContact"]):
    def for_placement(self, placement: Any) -> "MonthlyContactQuerySet":
        return self.filter(placement=placement)


class MonthlyContact(TimeStampedModel):
    """A local coordinator's monthly contact with the placed student or, separately, with the
    host family (22 CFR 62.25: monthly contact with both). One row per placement, month and
    side; `month` is the first day of the contact's month (set by `record_contact`)."""

    class With(models.TextChoices):
        STUDENT = "student", _("the student")
        FAMILY = "family", _("the host family")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Telephone")
        VIDEO = "video", _("Video call")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="contacts")
    month = models.DateField(_("month"))
    contact_with = models.CharField(_("contact with"), max_length=10, choices=With.choices)
    contacted_on = models.DateField(_("contacted on"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MonthlyContactQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "contact_with", "pk"]
        verbose_name = _("monthly contact")
        verbose_name_plural = _("monthly contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "month", "contact_with"], name="exchanges_contact_monthly"
            ),
            models.CheckConstraint(
                condition=Q(contacted_on__gte=models.F("month")), name="exchanges_contact_in_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.month:%Y-%m} {self.contact_with}"


class ContactAlert(models.Model):
    """An overdue month of a placement whose coordinator was e-mailed (once per placement and
    month: the daily task sends nothing twice)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="alerts")
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "pk"]
        verbose_name = _("overdue-contact alert")
        verbose_name_plural = _("overdue-contact alerts")
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="exchanges_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.month:%Y-%m}"


class IncidentQuerySet(models.QuerySet["Incident"]):
    def for_host(self, member: Any) -> "IncidentQuerySet":
        return self.filter(student__quota__host=member)

    def report_open(self) -> "IncidentQuerySet":
        """Incidents whose mandatory report to the Department of State is not yet filed."""
        return self.filter(requires_mandatory_report=True, reported_on__isnull=True)

    def listed(self) -> "IncidentQuerySet":
        return self.select_related("student__person", "student__quota__host", "reported_by")


class Incident(TimeStampedModel):
    """A serious event in a student's stay. Special-category data (RELIABILITY P-07): read only
    by those `rules.may_read_restricted` lets read (the hosting committee's exchange
    coordinator, welfare staff), each read logged. `requires_mandatory_report` and
    `report_due_at` are set from the type and severity by `services.incidents.report_incident`;
    staff close the report (`close_mandatory_report`) with the date and the reference the
    Department of State gave."""

    class Type(models.TextChoices):
        SEXUAL_MISCONDUCT = "sexual_misconduct", _("Allegation of sexual misconduct")
        ARREST = "arrest", _("Arrest or police involvement")
        SERIOUS_ILLNESS = "serious_illness", _("Serious illness or injury")
        HOSPITALISATION = "hospitalisation", _("Hospitalisation")
        RUNAWAY = "runaway", _("Runaway or missing student")
        DEATH = "death", _("Death")
        NATURAL_DISASTER = "natural_disaster", _("Natural disaster or emergency")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="incidents")
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    occurred_on = models.DateField(_("occurred on"))
    people_involved = models.TextField(_("people involved"), blank=True)
    description = models.TextField(_("what happened"))
    actions_taken = models.TextField(_("actions taken"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    requires_mandatory_report = models.BooleanField(
        _("must be reported to the Department of State"), default=False
    )
    report_due_at = models.DateTimeField(_("report due by"), null=True, blank=True)
    reported_on = models.DateField(
        _("reported to the Department of State on"), null=True, blank=True
    )
    report_reference = models.CharField(_("the Department's reference"), max_length=100, blank=True)
    report_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overdue_alert_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(requires_mandatory_report=False) | Q(report_due_at__isnull=False),
                name="exchanges_incident_report_due",
            ),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | ~Q(report_reference=""),
                name="exchanges_incident_report_reference",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(requires_mandatory_report=False)
                | Q(reported_on__isnull=False),
                name="exchanges_incident_closed_after_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.occurred_on})"

    @property
    def report_open(self) -> bool:
        return self.requires_mandatory_report and self.reported_on is None
