"""The library in the roles' homes and menus: staff's resources, topics and statistics; a
committee's library (what it may open while in good standing)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.library.models import Version


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Library resources"), url("library:staff_resource_list")),
        Link(_("Library topics"), url("library:staff_topic_list")),
        Link(_("Library downloads"), url("library:staff_statistics")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    failed = Version.objects.filter(text_state=Version.TextState.FAILED).count()
    return [
        Link(
            _("Library files whose text could not be read"),
            url("library:staff_resource_list"),
            failed,
        )
    ]


def _committee_links(scope: Scope) -> list[Link]:
    return [Link(_("Resource library"), url("library:resource_list"))]


def register() -> None:
    register_section("staff", order=95, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=95, links=_committee_links)
