"""Membership's part of the roles' homes and menus: staff's applications and overdue invoices,
a committee's dashboard, membership and invoices (with what needs its action), and the join
page for anyone signed in."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.dates import association_today
from twinning.core.navigation import Link, Scope, register_section, url
from twinning.members.dashboard import dashboard_for
from twinning.members.models import Invoice, Membership, Status
from twinning.network.models import Member


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Members"), url("members:staff_member_list")),
        Link(_("Membership applications"), url("members:staff_application_list")),
        Link(_("Bulk e-mail"), url("members:staff_mailing")),
        Link(_("Import members"), url("members:staff_import")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    today = association_today()
    applications = Membership.objects.with_status(today).filter(
        status_value=Status.PENDING  # type: ignore[misc]  # annotated by with_status
    )
    overdue = (
        Invoice.objects.invoices()
        .filter(issued_at__isnull=False, due_on__lt=today)
        .with_balance()
        .filter(balance_due__gt=0)  # type: ignore[misc]  # annotated by with_balance
    )
    return [
        Link(
            _("Membership applications to review"),
            url("members:staff_application_list"),
            applications.count(),
        ),
        Link(_("Invoices overdue"), url("members:staff_member_list"), overdue.count()),
    ]


def _committee_links(scope: Scope) -> list[Link]:
    slug = scope["slug"]
    return [
        Link(_("Dashboard"), url("members:portal_dashboard", slug=slug)),
        Link(_("Membership"), url("members:portal_membership", slug=slug)),
        Link(_("Good standing"), url("members:portal_standing", slug=slug)),
        Link(_("Invoices"), url("members:portal_invoice_list", slug=slug)),
        Link(_("Co-admins"), url("members:portal_admins", slug=slug)),
    ]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    member = Member.objects.administered_by(request.user).filter(slug=scope["slug"]).first()
    if member is None:
        return []
    actions = dashboard_for(member)["actions"]
    return [Link(action.text, action.url) for action in actions]


def _account_links(scope: Scope) -> list[Link]:
    return [Link(_("Apply for your organisation to join"), url("members:join"))]


def register() -> None:
    register_section("staff", order=30, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=10, links=_committee_links, tasks=_committee_tasks)
    register_section("account", order=30, links=_account_links)
