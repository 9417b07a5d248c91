"""Partner matchmaking (issue 11, section 3): a community's seeking profile (what a new
partner should be like), and the interest one side expresses in another; mutual interest
becomes a proposed partnership in the registry (network's lifecycle). The municipal
expertise exchange (section 4) will add its offers and requests beside these."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.activities.models import Sector
from twinning.core.models import TimeStampedModel
from twinning.matchmaking.languages import LANGUAGE_NAMES
from twinning.network.models import Community, Country, Member, Partnership, Region

TEXT_LIMIT = 1000


class SeekingProfileQuerySet(models.QuerySet["SeekingProfile"]):
    def open(self) -> "SeekingProfileQuerySet":
        """Profiles of communities seeking a partner now (the public list)."""
        return self.filter(is_open=True)

    def of_member(self, member: Member) -> "SeekingProfileQuerySet":
        return self.filter(community__members=member)


class SeekingProfile(TimeStampedModel):
    """What a community looks for in a new partner: one per community. A member's committee
    admins keep their communities' profiles; staff list a community abroad that is no member
    on the request of a partner association (`requested_by` names it, with a contact)."""

    community = models.OneToOneField(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="seeking_profile",
    )
    is_open = models.BooleanField(_("seeking a partner now"), default=True, db_index=True)
    preferred_countries = models.JSONField(
        _("preferred countries"),
        default=list,
        blank=True,
        help_text=_("ISO codes of the countries where a partner is sought."),
    )
    preferred_regions = models.JSONField(
        _("preferred regions"),
        default=list,
        blank=True,
        help_text=_("World regions where a partner is sought."),
    )
    population_min = models.PositiveBigIntegerField(_("smallest population"), null=True, blank=True)
    population_max = models.PositiveBigIntegerField(_("largest population"), null=True, blank=True)
    sectors = models.JSONField(
        _("fields of interest"),
        default=list,
        blank=True,
        help_text=_("Activity sectors (arts, youth, business...)."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    text = models.TextField(_("about us and the partner we seek"), blank=True)
    requested_by = models.CharField(
        _("listed at the request of"),
        max_length=200,
        blank=True,
        help_text=_("The partner association that asked staff to list this community."),
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SeekingProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("seeking profile")
        verbose_name_plural = _("seeking profiles")
        ordering = ["community__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(population_min__isnull=True)
                | Q(population_max__isnull=True)
                | Q(population_max__gte=models.F("population_min")),
                name="seeking_population_range_ordered",
                violation_error_message=_("The largest population is below the smallest."),
            )
        ]

    def __str__(self) -> str:
        return str(self.community)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not _is_list_of(self.preferred_regions, set(Region.values)):
            errors["preferred_regions"] = _("Choose regions from the list.")
        if not _is_list_of(self.sectors, set(Sector.values)):
            errors["sectors"] = _("Choose fields from the list.")
        if not _is_list_of(self.languages, set(LANGUAGE_NAMES)):
            errors["languages"] = _("Choose languages from the list.")
        if not isinstance(self.preferred_countries, list) or (
            self.preferred_countries
            and Country.objects.filter(code__in=self.preferred_countries).count()
            != len(set(self.preferred_countries))
        ):
            errors["preferred_countries"] = _("Choose countries from the list.")
        if len(self.text) > TEXT_LIMIT:
            errors["text"] = _("Keep the text under %(n)d characters.") % {"n": TEXT_LIMIT}
        if errors:
            raise ValidationError(errors)

    @property
    def field_labels(self) -> list[str]:
        return [str(Sector(value).label) for value in self.sectors if value in Sector.values]

    @property
    def language_labels(self) -> list[str]:
        return [LANGUAGE_NAMES.get(code, code) for code in self.languages]

    @property
    def region_labels(self) -> list[str]:
        return [str(Region(value).label) for value in self.preferred_regions]


def _is_list_of(value: object, allowed: set[str]) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v in allowed for v in value)


class InterestQuerySet(models.QuerySet["Interest"]):
    def from_community(self, community: Community) -> "InterestQuerySet":
        return self.filter(community=community)

    def to_community(self, community: Community) -> "InterestQuerySet":
        return self.filter(target=community)


class Interest(TimeStampedModel):
    """One side's interest in another community as a partner. When the other side expresses
    interest back, both rows point at the proposed partnership recorded in the registry."""

    community = models.ForeignKey(
        Community,
        verbose_name=_("interested community"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    target = models.ForeignKey(
        Community,
        verbose_name=_("community of interest"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    expressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("proposed partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "target"], name="interest_once_per_pair"),
            models.CheckConstraint(
                condition=~Q(community=models.F("target")), name="interest_not_in_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} → {self.target}"

    @property
    def is_mutual(self) -> bool:
        return self.partnership_id is not None
