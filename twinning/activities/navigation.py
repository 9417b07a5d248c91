"""Activities' part of the roles' homes and menus: staff's reports to verify, the dormant
partnerships and the annual report; a committee's activities and what is left to report."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.activities.models import Activity
from twinning.core.navigation import Link, Scope, register_section, url


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Activity reports"), url("activities:staff_activity_list")),
        Link(_("Dormant partnerships"), url("activities:staff_dormant_list")),
        Link(_("Annual report"), url("activities:staff_report_list")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    submitted = Activity.objects.filter(state=Activity.State.SUBMITTED).count()
    query = urlencode({"state": Activity.State.SUBMITTED})
    return [
        Link(
            _("Activity reports to verify"),
            f"{url('activities:staff_activity_list')}?{query}",
            submitted,
        )
    ]


def _committee_links(scope: Scope) -> list[Link]:
    slug = scope["slug"]
    return [
        Link(_("Activities"), url("activities:portal_activity_list", slug=slug)),
        Link(_("Report an activity"), url("activities:portal_activity_create", slug=slug)),
    ]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    to_report = Activity.objects.filter(
        member__slug=scope["slug"],
        member__admins=request.user.pk,
        state__in=[Activity.State.DRAFT, Activity.State.CHANGES_REQUESTED],
    ).count()
    return [
        Link(
            _("Activities to report (drafts and reports sent back)"),
            url("activities:portal_activity_list", slug=scope["slug"]),
            to_report,
        )
    ]


def register() -> None:
    register_section("staff", order=50, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=20, links=_committee_links, tasks=_committee_tasks)
