"""The events navigation: the awards banquet's staff pages (the next banquet's, or the latest
one's), on the staff home and menu."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.events.models import Event, guests_of


def _next_banquet(request: HttpRequest, scope: Scope) -> Scope:
    banquets = Event.objects.filter(kind=Event.Kind.BANQUET)
    event = banquets.upcoming().first() or banquets.past().first()
    return {"banquet": event.slug, "banquet_title": event.title} if event else {}


def _links(scope: Scope) -> list[Link]:
    if not scope.get("banquet"):
        return []
    return [Link(scope["banquet_title"], url("events:banquet", slug=scope["banquet"]))]


def _tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    if not scope.get("banquet"):
        return []
    event = Event.objects.filter(slug=scope["banquet"]).first()
    if event is None or event.ends_at < timezone.now():
        return []
    unseated = guests_of(event).exclude(banquet_seats__event=event).count()
    return [
        Link(
            _("Banquet guests without a seat"),
            url("events:banquet", slug=event.slug),
            unseated,
        )
    ]


def register() -> None:
    # Order 86: after the other events parts' staff sections, apart from theirs.
    register_section("staff", order=86, links=_links, tasks=_tasks, facts=_next_banquet)
