"""The review engine's part of the roles' homes and menus: a judge's queue (reviews assigned
and left), the round pages for staff and for committee admins who run a local round."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url
from twinning.review.models import Assignment, Reviewer


def _judge(request: HttpRequest) -> list[Scope]:
    if not request.user.is_authenticated:
        return []
    return [{}] if Reviewer.objects.active().filter(user=request.user).exists() else []


def _judge_links(scope: Scope) -> list[Link]:
    return [Link(_("Your reviews"), url("review:queue"))]


def _judge_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    assigned = Assignment.objects.for_judge(request.user)
    total = assigned.count()
    left = assigned.filter(submitted_at__isnull=True).count()
    queue = url("review:queue")
    return [Link(_("Reviews assigned to you"), queue, total), Link(_("Reviews left"), queue, left)]


def _rounds_links(scope: Scope) -> list[Link]:
    return [Link(_("Review rounds"), url("review:round_list"))]


def register() -> None:
    register_role("judge", order=30, label=lambda scope: _("Judging"), detect=_judge)
    register_section("judge", order=10, links=_judge_links, tasks=_judge_tasks)
    register_section("staff", order=60, links=_rounds_links)
    register_section("committee_admin", order=60, links=_rounds_links)
