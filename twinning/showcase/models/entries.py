"""Students' entries and the files of the work, and requests to erase a student's data. The
student is a young person of twinning.youth (their profile, guardian and consents live there:
the showcase's consents are youth's consents of program "showcase")."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.dates import association_today
from twinning.core.models import TimeStampedModel
from twinning.youth.models import consent_active
from twinning.youth.services import has_consent

from .editions import Category, Edition


def _public_slug() -> str:
    return secrets.token_urlsafe(12)


PROGRAM = "showcase"  # the showcase's key in youth's program registry


def _active(scope: str) -> Exists:
    return consent_active(PROGRAM, scope, person="student")


def _participation_ok() -> Q:
    return Q(minor_at_cutoff=False) | Q(_active("participation"))


class EntryQuerySet(models.QuerySet["Entry"]):
    def visible_to(self, user) -> "EntryQuerySet":
        """Staff see every entry; a student sees their own; anyone else none (C12)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(student__user=user)

    def of_edition(self, edition: Edition) -> "EntryQuerySet":
        return self.filter(edition=edition)

    def active(self) -> "EntryQuerySet":
        return self.exclude(state=Entry.State.WITHDRAWN)

    def eligible_for_judging(self) -> "EntryQuerySet":
        """Submitted, derivatives made, and for a minor an active participation consent (PRIV-3)."""
        return self.filter(
            _participation_ok(),
            state=Entry.State.SUBMITTED,
            media_status=Entry.MediaStatus.READY,
            student__isnull=False,
        )

    def publishable(self) -> "EntryQuerySet":
        """Submitted, derivatives made, approved by staff (PRIV-20), publication consent active."""
        return self.filter(
            _active("publication"),
            _participation_ok(),
            state=Entry.State.SUBMITTED,
            media_status=Entry.MediaStatus.READY,
            approved_at__isnull=False,
            student__isnull=False,
        )

    def with_consent_flags(self) -> "EntryQuerySet":
        return self.annotate(
            participation_consent=_active("participation"),
            publication_consent=_active("publication"),
        )


class Entry(TimeStampedModel):
    """A student's work in a category: a draft until submitted; editable until the deadline."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class MediaStatus(models.TextChoices):
        MISSING = "missing", _("No work yet")
        PROCESSING = "processing", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    # Null once the student's data is erased: the entry's scores stay, anonymised (PRIV-11).
    student = models.ForeignKey(
        "youth.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("artist statement"), max_length=3000, blank=True)
    text = models.TextField(_("text of the work"), blank=True)
    alt_text = models.CharField(
        _("description of the image (alt text)"),
        max_length=500,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    media_status = models.CharField(
        _("work"), max_length=20, choices=MediaStatus.choices, default=MediaStatus.MISSING
    )
    # Computed once from the date of birth and the edition's cut-off date.
    minor_at_cutoff = models.BooleanField(_("under 18 on the cut-off date"), default=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved for publication at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    public_slug = models.CharField(max_length=32, unique=True, default=_public_slug, editable=False)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["edition", "category", "state"])]

    def __str__(self) -> str:
        return self.title or _("(erased entry)")

    def get_absolute_url(self) -> str:
        return reverse("showcase:entry_detail", kwargs={"entry_id": self.pk})

    @property
    def is_editable_state(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.SUBMITTED)

    def participation_consent_active(self) -> bool:
        if self.student_id is None:
            return False
        return not self.minor_at_cutoff or has_consent(self.student, PROGRAM, "participation")

    def publication_consent_active(self) -> bool:
        return self.student_id is not None and has_consent(self.student, PROGRAM, "publication")

    def is_publishable(self) -> bool:
        """Publication consent active, derivatives ready and staff approval (PRIV-3, PRIV-20)."""
        return (
            self.state == self.State.SUBMITTED
            and self.media_status == self.MediaStatus.READY
            and self.approved_at is not None
            and self.participation_consent_active()
            and self.publication_consent_active()
        )

    def is_eligible_for_judging(self) -> bool:
        return (
            self.state == self.State.SUBMITTED
            and self.media_status == self.MediaStatus.READY
            and self.participation_consent_active()
        )

    # --- Reviewable (twinning.review.interface): nothing here identifies the student. ---

    def review_title(self) -> str:
        return self.title

    def review_work(self):
        from twinning.review.interface import Work
        from twinning.showcase.judging import judge_media_url

        work_file = getattr(self, "work_file", None)
        derivative = None
        if work_file is not None and work_file.derivative_name:
            derivative = {
                "mime": work_file.derivative_mime,
                "width": work_file.width,
                "height": work_file.height,
                "seconds": work_file.seconds,
                "url": judge_media_url(work_file.derivative_name),
            }
        return Work(
            template="showcase/judging/entry_work.html",
            context={
                "work_kind": self.category.work_kind,
                "category": self.category.name,
                "title": self.title,
                "statement": self.statement,
                "text": self.text,
                "alt_text": self.alt_text,
                "derivative": derivative,
            },
        )

    def conflict_keys(self) -> set[str]:
        if self.student_id is None:
            return set()
        keys = {f"community:{self.student.community_id}", f"user:{self.student.user_id}"}
        keys.update(
            f"member:{pk}" for pk in self.student.community.members.values_list("pk", flat=True)
        )
        return keys

    def review_eligibility(self) -> tuple[bool, str]:
        if self.state != self.State.SUBMITTED:
            return False, str(_("The entry is not submitted."))
        if self.media_status != self.MediaStatus.READY:
            return False, str(_("The work is still being prepared."))
        if not self.participation_consent_active():
            return False, str(_("Guardian consent to participation is missing."))
        return True, ""


class EntryFile(models.Model):
    """The file of an entry's work: the private original and the derivatives judges and the
    public see (re-encoded, without metadata). Names are storage names (UUIDs)."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="work_file")
    kind = models.CharField(_("kind"), max_length=10)
    display_name = models.CharField(_("file name"), max_length=100)
    original_name = models.CharField(max_length=200)
    original_mime = models.CharField(max_length=100)
    original_size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    derivative_name = models.CharField(max_length=200, blank=True)
    derivative_mime = models.CharField(max_length=100, blank=True)
    derivative_size = models.PositiveBigIntegerField(null=True, blank=True)
    thumb_name = models.CharField(max_length=200, blank=True)
    thumb_mime = models.CharField(max_length=100, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")

    def __str__(self) -> str:
        return self.display_name

    def storage_names(self) -> list[str]:
        return [n for n in (self.original_name, self.derivative_name, self.thumb_name) if n]


class ErasureRequest(models.Model):
    """A request by a student or their guardian to erase the student's data (PRIV-11): due within
    a month, extendable by two more with a logged reason."""

    class RequestedBy(models.TextChoices):
        STUDENT = "student", _("The student")
        GUARDIAN = "guardian", _("The guardian")

    student = models.ForeignKey(
        "youth.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    requested_by = models.CharField(_("requested by"), max_length=10, choices=RequestedBy.choices)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    due_on = models.DateField(_("due on"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    executed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["executed_at", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(executed_at__isnull=True),
                name="showcase_one_open_erasure_request_per_student",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due_on

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or association_today()
        return self.executed_at is None and today > self.deadline
