"""The association's own regions (members.AssociationRegion): a name, a country and its
states or provinces, and the regional coordinators who may organise the region's conferences."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import require_verified_staff
from twinning.core.services import log_activity
from twinning.members.models import AssociationRegion
from twinning.network.models import Country


def _unique_slug(name: str, region: AssociationRegion | None) -> str:
    base = (slugify(name) or "region")[:100]
    slug, n = base, 2
    others = AssociationRegion.objects.all()
    if region is not None:
        others = others.exclude(pk=region.pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_association_region(
    *,
    name: str,
    country: Country,
    subdivisions: Iterable[str],
    coordinators: Iterable[Any] = (),
    region: AssociationRegion | None = None,
    by: Any,
) -> AssociationRegion:
    """Create a region (or change `region`): its states or provinces as the registry names
    them (Community.region) and its coordinators. Verified staff or the platform only."""
    require_verified_staff(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the region a name.")})
    names = sorted({str(s).strip() for s in subdivisions if str(s).strip()})
    created = region is None
    region = region or AssociationRegion()
    if created or region.name != name:
        region.slug = _unique_slug(name, None if created else region)
    region.name, region.country, region.subdivisions = name, country, names
    region.full_clean()
    region.save()
    region.coordinators.set(list(coordinators))
    log_activity(
        region,
        "members.region.created" if created else "members.region.updated",
        by=by,
        data={"name": name, "subdivisions": len(names)},
    )
    return region
