"""Judging, results and the exhibit of an edition: which review rounds judge it (the national
round and the committees' local rounds), the public pages of the published works, the
participants' certificates and the travelling exhibit's bookings."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class JudgingRoundQuerySet(models.QuerySet["JudgingRound"]):
    def national(self) -> "JudgingRoundQuerySet":
        return self.filter(member__isnull=True)

    def local(self) -> "JudgingRoundQuerySet":
        return self.filter(member__isnull=False)


class JudgingRound(TimeStampedModel):
    """A review round judging an edition's entries: the association's national round
    (`member` empty) or a member committee's local round, which forwards its best entries per
    category to the national one (the review engine keeps the provenance)."""

    edition = models.ForeignKey(
        "showcase.Edition", on_delete=models.CASCADE, related_name="judging_rounds"
    )
    round = models.OneToOneField(
        "review.Round", on_delete=models.CASCADE, related_name="showcase_round"
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="showcase_rounds",
        help_text=_("The committee running this local round; empty for the national round."),
    )

    objects = JudgingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        ordering = ["edition", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(member__isnull=True),
                name="showcase_one_national_round_per_edition",
            ),
            models.UniqueConstraint(
                fields=["edition", "member"], name="showcase_one_local_round_per_member"
            ),
        ]

    def __str__(self) -> str:
        return str(self.round)

    @property
    def is_national(self) -> bool:
        return self.member_id is None


def _new_slug() -> str:
    # ~72 bits: a work's page can be shared but not guessed or enumerated.
    return secrets.token_urlsafe(9).replace("_", "x").replace("-", "y").lower()


class ExhibitWorkQuerySet(models.QuerySet["ExhibitWork"]):
    def on_show(self) -> "ExhibitWorkQuerySet":
        """Works of published editions whose entry may be shown now. Consent and approval are
        re-checked per work with `Entry.is_publishable()` (it reads the consent rows)."""
        return self.filter(edition__results_published_at__isnull=False)


class ExhibitWork(TimeStampedModel):
    """A winning or finalist entry in its edition's public exhibit, created when the results
    are published. The page exists only while the entry is publishable (consent given and
    staff approval), checked on every request."""

    class Outcome(models.TextChoices):
        WINNER = "winner", _("Winner")
        FINALIST = "finalist", _("Finalist")
        HONOURABLE_MENTION = "honourable_mention", _("Honourable mention")

    edition = models.ForeignKey(
        "showcase.Edition", on_delete=models.CASCADE, related_name="exhibit_works"
    )
    entry = models.OneToOneField(
        "showcase.Entry", on_delete=models.CASCADE, related_name="exhibit_work"
    )
    slug = models.SlugField(_("address"), max_length=32, unique=True, default=_new_slug)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    indexable = models.BooleanField(
        _("search engines may index this page"),
        default=False,
        help_text=_("Off unless the student and guardian opt in."),
    )

    objects = ExhibitWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibited work")
        verbose_name_plural = _("exhibited works")
        ordering = ["edition", "place", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1, place__lte=3),
                name="showcase_exhibit_place_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse(
            "showcase:exhibit_work", kwargs={"year": self.edition.year, "slug": self.slug}
        )


class Certificate(TimeStampedModel):
    """A participant's or winner's certificate (PDF), made by a background task and kept in
    private storage; only the student and their guardian download it."""

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("Participation")
        FINALIST = "finalist", _("Finalist")
        WINNER = "winner", _("Winner")

    entry = models.OneToOneField(
        "showcase.Entry", on_delete=models.CASCADE, related_name="certificate"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    file_name = models.CharField(_("stored file"), max_length=200)
    # The certificate as the documents app keeps it: the texts and the few values written on
    # it (first name, community, edition, result), discarded with this row.
    document = models.OneToOneField(
        "documents.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class BookingQuerySet(models.QuerySet["Booking"]):
    def active(self) -> "BookingQuerySet":
        return self.filter(cancelled_at__isnull=True)


class Booking(TimeStampedModel):
    """A member committee's booking of an edition's travelling exhibit (the finalist set) for
    one calendar month. No two active bookings of an edition share a month: the partial unique
    constraint holds it on every database, and the service checks first under a lock to give
    a clear message."""

    edition = models.ForeignKey(
        "showcase.Edition", on_delete=models.CASCADE, related_name="bookings"
    )
    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, related_name="showcase_bookings"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the booked month."))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibit booking")
        verbose_name_plural = _("exhibit bookings")
        ordering = ["edition", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "month"],
                condition=Q(cancelled_at__isnull=True),
                name="showcase_booking_no_overlap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Book a whole month: choose its first day.")})


__all__ = ["Booking", "Certificate", "ExhibitWork", "JudgingRound"]
