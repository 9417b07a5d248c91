"""The association's own regions (for regional conferences and regional coordinators): a
region is a set of first-level regions of one country (for example US states), so a member
belongs to a region through its home communities, with nothing to keep in step by hand."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.network.models import Country, Member


class AssociationRegion(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=110, unique=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    # First-level region names as the registry holds them (Community.region), e.g. "Texas".
    subdivisions = models.JSONField(_("states or provinces"), default=list, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regional coordinators"),
        blank=True,
        related_name="coordinated_regions",
    )

    class Meta:
        verbose_name = _("association region")
        verbose_name_plural = _("association regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def members(self) -> Any:
        """The members with a home community in this region."""
        return Member.objects.filter(
            communities__country=self.country, communities__region__in=self.subdivisions or []
        ).distinct()

    def has_member(self, member: Member) -> bool:
        return member.communities.filter(
            Q(country=self.country) & Q(region__in=self.subdivisions or [])
        ).exists()
