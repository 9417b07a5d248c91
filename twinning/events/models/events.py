"""Events: the annual conference (with the Youth Leadership Summit and the awards banquet as
its parts), regional conferences, webinars in a monthly series with a partner organisation."""

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.members.models import MONEY, AssociationRegion


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list, e.g. America/Chicago."))


class PartnerOrganisation(TimeStampedModel):
    """An organisation an event or a series is given with (a federal agency, a crowdfunding
    platform, a youth-leadership charity), credited on each event it gives."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebinarSeries(TimeStampedModel):
    """The monthly webinars: one series, each webinar an Event of kind WEBINAR in it."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("webinar series")
        verbose_name_plural = _("webinar series")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        return self.filter(published_at__isnull=False)

    def upcoming(self, now: Any = None) -> "EventQuerySet":
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: Any = None) -> "EventQuerySet":
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def top_level(self) -> "EventQuerySet":
        return self.filter(parent__isnull=True)

    def organised_by(self, user: Any) -> "EventQuerySet":
        """Events `user` organises: staff all; a regional coordinator their region's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self
        return self.filter(Q(organisers=user) | Q(region__coordinators=user)).distinct()


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Annual conference")
        REGIONAL = "regional", _("Regional conference")
        WEBINAR = "webinar", _("Webinar")
        SUMMIT = "summit", _("Youth Leadership Summit")
        BANQUET = "banquet", _("Awards banquet")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    # A part (the summit, the banquet) shares its parent's registration and badge.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Revealed only to registrants (and organisers).
    online_url = models.URLField(_("online link (registrants only)"), blank=True, max_length=500)
    recording_url = models.URLField(_("recording link"), blank=True, max_length=500)
    # The recording is shown to registrants; to everyone only when staff choose.
    recording_public = models.BooleanField(_("recording shown to everyone"), default=False)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), blank=True, related_name="+"
    )
    region = models.ForeignKey(
        AssociationRegion,
        verbose_name=_("region (regional conference)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("given with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    series = models.ForeignKey(
        WebinarSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    name_changes_until = models.DateTimeField(_("name changes until"), null=True, blank=True)
    cancellation_policy = models.TextField(_("cancellation policy"), blank=True)
    # Cancelling up to this moment is refunded in full (a credit note); later, nothing.
    refund_until = models.DateTimeField(_("full refund until"), null=True, blank=True)
    cancellation_fee = models.DecimalField(_("cancellation fee"), **MONEY, null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("waiting-list offer valid (hours)"), default=48
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    students_per_chaperone = models.PositiveSmallIntegerField(
        _("students per chaperone"), default=10
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    programme_published_at = models.DateTimeField(
        _("programme published at"), null=True, blank=True
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="event_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="event_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def registration_event(self) -> "Event":
        """The event whose registration this one shares (a part's parent)."""
        return self.parent if self.parent is not None else self

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name
