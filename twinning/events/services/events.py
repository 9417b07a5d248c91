"""Creating, editing and publishing events. Staff organise every event; a regional
conference may also be organised by its region's coordinators (members.AssociationRegion)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, is_system, is_verified_staff
from twinning.core.services import log_activity
from twinning.events.models import Event
from twinning.members.models import AssociationRegion

# What the staff form edits (the registration part edits capacity, prices and policies).
EVENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "parent",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "latitude",
    "longitude",
    "online_url",
    "region",
    "partner",
    "series",
)
# Parts of the annual conference share its registration.
PART_KINDS = (Event.Kind.SUMMIT, Event.Kind.BANQUET)


def coordinates(user: Any, region: AssociationRegion | None) -> bool:
    return bool(
        region is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and region.coordinators.filter(pk=user.pk).exists()
    )


def may_organise(user: Any, event: Event) -> bool:
    """Verified staff organise every event; a region's coordinators their regional
    conferences."""
    if is_system(user) or is_verified_staff(user):
        return True
    return event.kind == Event.Kind.REGIONAL and coordinates(user, event.region)


def require_organiser(actor: Any, event: Event) -> None:
    """Raise NotAllowed unless `actor` organises `event` (the services' first check)."""
    if not may_organise(actor, event):
        raise NotAllowed("events.organise")


def _require_may_create(by: Any, kind: str, region: AssociationRegion | None) -> None:
    if is_system(by) or is_verified_staff(by):
        return
    if kind == Event.Kind.REGIONAL and coordinates(by, region):
        return
    raise NotAllowed("events.create")


# Paths under /events/ that are not events.
RESERVED_SLUGS = frozenset({"agenda", "time-zone", "new", "registration", "summit"})


def _unique_slug(title: str, start: Any) -> str:
    year = getattr(start, "year", "")
    base = (slugify(f"{title} {year}") or "event")[:200]
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check(event: Event) -> None:
    errors: dict[str, str] = {}
    if event.kind in PART_KINDS and event.parent_id is None:
        errors["parent"] = _("The summit and the banquet are parts of the annual conference.")
    if event.parent_id is not None:
        parent = event.parent
        if event.kind not in PART_KINDS:
            errors["parent"] = _("Only the summit and the banquet are parts of another event.")
        elif parent is None or parent.kind != Event.Kind.CONFERENCE:
            errors["parent"] = _("A part belongs to the annual conference.")
    if event.kind == Event.Kind.REGIONAL and event.region_id is None:
        errors["region"] = _("Say which region this conference is for.")
    if event.kind != Event.Kind.REGIONAL and event.region_id is not None:
        errors["region"] = _("Only a regional conference has a region.")
    if event.kind == Event.Kind.WEBINAR and not event.online_url:
        errors["online_url"] = _("A webinar needs its online link.")
    if (event.latitude is None) != (event.longitude is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_event(*, by: Any, kind: str, title: str, organisers: Any = (), **fields: Any) -> Event:
    """A new event (not yet published). Organisers are staff users shown as the contacts."""
    _require_may_create(by, kind, fields.get("region"))
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(kind=kind, title=(title or "").strip(), **fields)
    event.slug = _unique_slug(event.title, event.starts_at)
    event.full_clean()
    _check(event)
    event.save()
    if organisers:
        event.organisers.set(organisers)
    log_activity(event, "events.event.created", by=by, data={"kind": kind, "title": event.title})
    return event


@transaction.atomic
def update_event(*, event: Event, by: Any, organisers: Any = None, **fields: Any) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(by, event)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    # A coordinator cannot move their conference to another region or make it another kind.
    moved = fields.get("kind", event.kind) != event.kind or (
        "region" in fields and fields["region"] != event.region
    )
    if moved and not (is_system(by) or is_verified_staff(by)):
        raise NotAllowed("events.organise")
    changed = sorted(name for name, value in fields.items() if getattr(event, name) != value)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    _check(event)
    event.save()
    if organisers is not None:
        event.organisers.set(organisers)
    log_activity(event, "events.event.updated", by=by, data={"fields": changed})
    return event


@transaction.atomic
def publish_event(*, event: Event, by: Any) -> Event:
    """Show the event on /events/ (idempotent)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(by, event)
    if event.published_at is None:
        event.published_at = timezone.now()
        event.save(update_fields=["published_at", "updated_at"])
        log_activity(event, "events.event.published", by=by)
    return event


@transaction.atomic
def unpublish_event(*, event: Event, by: Any) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(by, event)
    if event.published_at is not None:
        event.published_at = None
        event.save(update_fields=["published_at", "updated_at"])
        log_activity(event, "events.event.unpublished", by=by)
    return event
