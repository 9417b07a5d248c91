"""Editions of the showcase (one a year, with its theme, dates and age range) and their
categories (the kind of work each accepts, its limits and its prizes)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class EditionQuerySet(models.QuerySet["Edition"]):
    def open_at(self, when=None) -> "EditionQuerySet":
        """Editions accepting entries at `when` (now by default)."""
        when = when or timezone.now()
        return self.filter(opens_at__lte=when, closes_at__gt=when)

    def with_results_published(self) -> "EditionQuerySet":
        return self.filter(results_published_at__isnull=False)


class Edition(TimeStampedModel):
    """One year's showcase. Dates are aware datetimes (stored in UTC, entered and shown in the
    association's time zone or the visitor's)."""

    year = models.PositiveSmallIntegerField(_("year"))
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    theme = models.CharField(_("theme"), max_length=200)
    rules = models.TextField(_("rules"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    cutoff_date = models.DateField(
        _("age cut-off date"),
        help_text=_("Students' ages are computed on this date."),
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), default=13)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), default=18)
    entries_per_category = models.PositiveSmallIntegerField(
        _("entries per student per category"), default=1
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months after closing)"),
        default=12,
        help_text=_("Entries that did not win are reduced to counts after this many months."),
    )
    local_forward_limit = models.PositiveSmallIntegerField(
        _("entries a local round may forward per category"), default=5
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    retention_done_at = models.DateTimeField(_("retention applied at"), null=True, blank=True)
    retained_counts = models.JSONField(
        _("counts kept after retention"),
        default=dict,
        blank=True,
        help_text=_("Entries per category and state, kept when personal data is deleted."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="showcase_edition_closes_after_opening",
                violation_error_message=_("The closing time must come after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(age_max__gte=models.F("age_min")),
                name="showcase_edition_age_range",
                violation_error_message=_("The maximum age cannot be below the minimum age."),
            ),
            models.CheckConstraint(
                condition=Q(entries_per_category__gte=1),
                name="showcase_edition_entries_per_category_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.theme}"

    def get_absolute_url(self) -> str:
        return reverse("showcase:edition_enter", kwargs={"edition": self.slug})

    def is_open(self, when=None) -> bool:
        when = when or timezone.now()
        return self.opens_at <= when < self.closes_at

    def has_closed(self, when=None) -> bool:
        return (when or timezone.now()) >= self.closes_at

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Category(models.Model):
    """A category of an edition: what kind of work it takes, the limits, and the prizes."""

    class WorkKind(models.TextChoices):
        IMAGE = "image", _("Image (JPEG, PNG, WebP)")
        AUDIO = "audio", _("Audio (MP3, WAV, FLAC, OGG)")
        TEXT = "text", _("Text typed in or PDF")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    work_kind = models.CharField(_("kind of work"), max_length=10, choices=WorkKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_bytes = models.PositiveBigIntegerField(_("largest file (bytes)"), default=20 * 1024 * 1024)
    max_lines = models.PositiveIntegerField(_("most lines"), null=True, blank=True)
    max_words = models.PositiveIntegerField(_("most words"), null=True, blank=True)
    max_seconds = models.PositiveIntegerField(
        _("longest duration (seconds)"), null=True, blank=True
    )
    prize_first = models.DecimalField(
        _("first prize"), max_digits=10, decimal_places=2, default=Decimal("1000.00")
    )
    prize_second = models.DecimalField(
        _("second prize"), max_digits=10, decimal_places=2, default=Decimal("250.00")
    )
    prize_third = models.DecimalField(
        _("third prize"), max_digits=10, decimal_places=2, default=Decimal("100.00")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["edition", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "slug"], name="showcase_category_unique_slug"
            ),
            models.CheckConstraint(
                condition=Q(prize_first__gte=0) & Q(prize_second__gte=0) & Q(prize_third__gte=0),
                name="showcase_category_prizes_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prizes(self) -> list[Decimal]:
        """Prize per place, first place first (the association's currency)."""
        return [self.prize_first, self.prize_second, self.prize_third]

    @property
    def places(self) -> int:
        return len(self.prizes)

    def prize_for(self, place: int) -> Decimal | None:
        return self.prizes[place - 1] if 1 <= place <= self.places else None
