"""Registration's part of the roles' homes and menus: staff's registration pages (with the
applications awaiting a decision), a committee's delegations, and everyone's own
registrations. Orders 82 in each role: the other events parts take other numbers."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.events.models import Attendee, WaitingListEntry

ORDER = 82


def _staff_links(scope: Scope) -> list[Link]:
    return [Link(_("Event registration"), url("events:staff_registration_events"))]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    applied = Attendee.objects.filter(state=Attendee.State.APPLIED).count()
    return [
        Link(_("Event applications to decide"), url("events:staff_registration_events"), applied)
    ]


def _committee_links(scope: Scope) -> list[Link]:
    return [Link(_("Delegations to events"), url("events:delegation_events", member=scope["slug"]))]


def _account_links(scope: Scope) -> list[Link]:
    return [Link(_("My event registrations"), url("events:my_registrations"))]


def _account_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    user: Any = request.user
    offers = WaitingListEntry.objects.filter(
        user_id=user.pk, state=WaitingListEntry.State.OFFERED
    ).count()
    if not offers:
        return []
    return [
        Link(
            _("Waiting-list offers to answer (see your e-mail)"),
            url("events:my_registrations"),
            offers,
        )
    ]


def register() -> None:
    register_section("staff", order=ORDER, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=ORDER, links=_committee_links)
    register_section("account", order=ORDER, links=_account_links, tasks=_account_tasks)
