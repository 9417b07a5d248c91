"""The summit's part of the roles' homes and menus: staff reach each current summit's page;
the summit's chaperones and nurse (with a valid background check) have a role of their own,
with the participant list and the printable room and team lists."""

import datetime

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url
from twinning.events.models import Event, SummitChaperone
from twinning.events.services.summit import check_is_valid

# A summit stays in the menus until its restricted details are deleted (60 days after it).
RECENT = datetime.timedelta(days=60)


def _current_summits() -> list[Event]:
    since = timezone.now() - RECENT
    return list(
        Event.objects.filter(kind=Event.Kind.SUMMIT, ends_at__gte=since).order_by("starts_at")[:5]
    )


def _staff_facts(request: HttpRequest, scope: Scope) -> Scope:
    return {"summits": [[e.slug, e.title] for e in _current_summits()]}


def _staff_links(scope: Scope) -> list[Link]:
    links = []
    for slug, title in scope.get("summits", []):
        links.append(Link(title, url("events:summit", slug=slug)))
        links.append(
            Link(
                _("%(summit)s: applications") % {"summit": title},
                url("events:summit_applications", slug=slug),
            )
        )
    return links


def _open_summits(request: HttpRequest, scope: Scope) -> Scope:
    """Summits a student may apply to now: published (or their conference is), not over (a
    student's place always waits for staff, so every summit takes applications)."""
    found = Event.objects.filter(kind=Event.Kind.SUMMIT, ends_at__gte=timezone.now()).filter(
        Q(published_at__isnull=False) | Q(parent__published_at__isnull=False)
    )
    return {"open_summits": [[e.slug, e.title] for e in found.order_by("starts_at")[:3]]}


def _account_links(scope: Scope) -> list[Link]:
    links = [
        Link(_("Apply to %(summit)s") % {"summit": title}, url("events:summit_apply", slug=slug))
        for slug, title in scope.get("open_summits", [])
    ]
    links.append(Link(_("My summit applications"), url("events:summit_my_applications")))
    return links


def _summit_adult(request: HttpRequest) -> list[Scope]:
    """One scope per current summit where the user is a named adult with a valid check."""
    user = request.user
    if not user.is_authenticated:
        return []
    since = timezone.now() - RECENT
    roles = (
        SummitChaperone.objects.filter(event__kind=Event.Kind.SUMMIT, event__ends_at__gte=since)
        .filter(Q(user=user) | Q(attendee__user=user))
        .select_related("event", "attendee")
    )
    seen: dict[str, Scope] = {}
    for role in roles:
        if check_is_valid(role):
            seen.setdefault(role.event.slug, {"slug": role.event.slug, "title": role.event.title})
    return list(seen.values())


def _adult_links(scope: Scope) -> list[Link]:
    slug = scope["slug"]
    return [
        Link(_("Participants"), url("events:summit_participants", slug=slug)),
        Link(_("Room list"), url("events:summit_room_list", slug=slug)),
        Link(_("Team lists"), url("events:summit_team_list", slug=slug)),
    ]


def register() -> None:
    register_role(
        "summit_adult",
        order=45,
        label=lambda scope: _("%(summit)s: chaperone") % {"summit": scope["title"]},
        detect=_summit_adult,
    )
    register_section("summit_adult", order=10, links=_adult_links)
    register_section("staff", order=84, links=_staff_links, facts=_staff_facts)
    register_section("account", order=85, links=_account_links, facts=_open_summits)


__all__ = ["register"]
