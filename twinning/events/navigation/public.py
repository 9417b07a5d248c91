"""The events' public part in the roles' menus: staff's events and programmes; a regional
coordinator's regional conferences; a signed-in person's agenda. ("Events" in the public menu
is in base.html with the other public pages.)"""

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url
from twinning.events.models import Event
from twinning.members.models import AssociationRegion


def _coordinator(request: HttpRequest) -> list[Scope]:
    user = request.user
    if not user.is_authenticated or user.is_staff:
        return []
    regions = AssociationRegion.objects.filter(coordinators=user).order_by("name")
    return [{"region": region.name} for region in regions[:1]] if regions.exists() else []


def _organiser_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Events (organisers)"), url("events:staff_event_list")),
        Link(_("New event"), url("events:staff_event_create")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    drafts = Event.objects.filter(
        Q(published_at__isnull=True) | Q(programme_published_at__isnull=True),
        ends_at__gte=timezone.now(),
        kind__in=[Event.Kind.CONFERENCE, Event.Kind.REGIONAL, Event.Kind.SUMMIT],
    ).count()
    return [
        Link(_("Events or programmes not yet published"), url("events:staff_event_list"), drafts)
    ]


def _person_links(scope: Scope) -> list[Link]:
    return [Link(_("My agenda (events)"), url("events:agenda"))]


def register() -> None:
    register_role(
        "regional_coordinator",
        order=45,
        label=lambda scope: _("Regional events"),
        detect=_coordinator,
    )
    register_section("staff", order=80, links=_organiser_links, tasks=_staff_tasks)
    register_section("regional_coordinator", order=10, links=_organiser_links)
    register_section("account", order=60, links=_person_links)
