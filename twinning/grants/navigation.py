"""Funding programs in the roles' homes and menus: staff's calls and grants (reports waiting
for review), a committee's applications and grants (signatures and reports waiting)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.grants.models import ApplicationSide, Report


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Funding calls"), url("grants:staff_call_list")),
        Link(_("Grants and reports"), url("grants:staff_grant_list")),
        Link(_("Funding portfolio"), url("grants:portfolio")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    waiting = Report.objects.filter(state=Report.State.SUBMITTED).count()
    return [Link(_("Grant reports to review"), url("grants:staff_grant_list"), waiting)]


def _committee_links(scope: Scope) -> list[Link]:
    return [Link(_("Funding applications and grants"), url("grants:my_applications"))]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    open_reports = Report.objects.open().filter(side__member__slug=scope["slug"]).count()
    unsigned = ApplicationSide.objects.filter(
        member__slug=scope["slug"], application__state="draft", signed_at__isnull=True
    ).count()
    mine = url("grants:my_applications")
    return [
        Link(_("Grant reports to write"), mine, open_reports),
        Link(_("Funding applications to sign"), mine, unsigned),
    ]


def register() -> None:
    register_section("staff", order=93, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=93, links=_committee_links, tasks=_committee_tasks)
