"""Relief in the roles' homes and menus: staff's appeals (expenses to approve, receipts with
differences, appeals overdue for an update); a committee's appeals it organises or is the
partner side of."""

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.dates import association_today
from twinning.core.navigation import Link, Scope, register_section, url
from twinning.relief.models import Appeal, Expense, ShipmentReceipt


def _staff_links(scope: Scope) -> list[Link]:
    return [Link(_("Relief appeals and projects"), url("relief:staff_appeal_list"))]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    page = url("relief:staff_appeal_list")
    return [
        Link(
            _("Relief expenses to approve"),
            page,
            Expense.objects.filter(state=Expense.State.SUBMITTED).count(),
        ),
        Link(
            _("Relief receipts with differences"),
            page,
            ShipmentReceipt.objects.filter(
                has_differences=True, acknowledged_at__isnull=True
            ).count(),
        ),
        Link(
            _("Relief appeals overdue for an update"),
            page,
            Appeal.objects.overdue(association_today()).count(),
        ),
    ]


def _committee_links(scope: Scope) -> list[Link]:
    return [Link(_("Relief appeals"), url("relief:my_appeals"))]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    slug = scope["slug"]
    waiting = (
        Appeal.objects.filter(community__members__slug=slug)
        .filter(Q(needs__confirmed_at__isnull=True))
        .distinct()
        .count()
    )
    return [Link(_("Relief needs to confirm"), url("relief:my_appeals"), waiting)]


def register() -> None:
    register_section("staff", order=67, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=67, links=_committee_links, tasks=_committee_tasks)
