"""Matchmaking in the roles' homes and menus: staff's seeking profiles, listing a community
abroad and the expertise requests; each committee's matchmaking page (profiles, suggestions,
interest) and its expertise exchange (offers and requests)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.matchmaking.models import Interest


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Seeking profiles"), url("matchmaking:staff_profile_list")),
        Link(_("List a community abroad"), url("matchmaking:staff_profile_create")),
        Link(_("Expertise requests"), url("matchmaking:staff_expertise")),
    ]


def _committee_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Find a partner"), url("matchmaking:portal_home", slug=scope["slug"])),
        Link(_("Expertise exchange"), url("matchmaking:portal_expertise", slug=scope["slug"])),
    ]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    waiting = (
        Interest.objects.filter(target__members__slug=scope["slug"], partnership__isnull=True)
        .exclude(community__members__slug=scope["slug"])
        .count()
    )
    return [
        Link(
            _("Communities interested in partnering with you"),
            url("matchmaking:portal_home", slug=scope["slug"]),
            waiting,
        )
    ]


def register() -> None:
    register_section("staff", order=88, links=_staff_links)
    register_section("committee_admin", order=88, links=_committee_links, tasks=_committee_tasks)
