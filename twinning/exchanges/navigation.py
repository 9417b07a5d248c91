"""The exchange's part of the roles' homes and menus: staff reach the seasons and every
hosting committee's exchange pages; a committee admin and the committee's coordinators reach
their committee's families, students, schools and coordinators; a host family its
application; a sending contact (through their account or the link kept in the session) their
students; an exchange student their own page; anyone signed in may apply to host."""

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url
from twinning.exchanges.models import Coordinator, HostFamily, SendingContact, Student

CONTACT_SESSION = "exchanges_contacts"


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("High-school exchange"), url("exchanges:staff_home")),
        Link(_("Exchange placements"), url("exchanges:staff_placements")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    waiting = Student.objects.filter(status=Student.Status.NOMINATED).count()
    return [Link(_("Exchange students awaiting acceptance"), url("exchanges:staff_home"), waiting)]


def _committee_links(scope: Scope) -> list[Link]:
    return [Link(_("High-school exchange"), url("exchanges:committee", slug=scope["slug"]))]


def _exchange_roles(request: HttpRequest) -> dict[str, bool]:
    """Whether the user coordinates, hosts, sends or is a student, in one query (kept on the
    request: the four roles are detected together when the session's roles are refreshed)."""
    cached = getattr(request, "_exchange_roles", None)
    if cached is None:
        user = cast(Any, request.user)
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                coordinator=Exists(Coordinator.objects.filter(user=OuterRef("pk"))),
                family=Exists(HostFamily.objects.filter(user=OuterRef("pk"))),
                sending=Exists(SendingContact.objects.filter(user=OuterRef("pk"))),
                student=Exists(Student.objects.filter(person__user=OuterRef("pk"))),
            )
            .values("coordinator", "family", "sending", "student")
            .first()
        )
        cached = row or {
            "coordinator": False,
            "family": False,
            "sending": False,
            "student": False,
        }
        setattr(request, "_exchange_roles", cached)  # noqa: B010 (an attribute of our own)
    return cached


def _coordinator(request: HttpRequest) -> list[Scope]:
    if not _exchange_roles(request)["coordinator"]:
        return []
    found = (
        Coordinator.objects.filter(user=cast(Any, request.user))
        .select_related("member")
        .order_by("member__name")
    )
    return [{"slug": c.member.slug, "name": c.member.name} for c in found]


def _coordinator_links(scope: Scope) -> list[Link]:
    slug = scope["slug"]
    return [
        Link(_("Exchange overview"), url("exchanges:committee", slug=slug)),
        Link(_("Host families"), url("exchanges:family_list", slug=slug)),
        Link(_("Students"), url("exchanges:student_list", slug=slug)),
        Link(_("Schools"), url("exchanges:school_list", slug=slug)),
        Link(_("Coordinators"), url("exchanges:coordinator_list", slug=slug)),
        Link(_("Placements"), url("exchanges:placement_list", slug=slug)),
    ]


def _family(request: HttpRequest) -> list[Scope]:
    return [{}] if _exchange_roles(request)["family"] else []


def _family_links(scope: Scope) -> list[Link]:
    return [Link(_("Our application to host"), url("exchanges:family_home"))]


def _sending_account(request: HttpRequest) -> list[Scope]:
    """A sending contact through their account (cached like other roles)."""
    return [{}] if _exchange_roles(request)["sending"] else []


def _sending_link(request: HttpRequest) -> list[Scope]:
    """A sending contact through the link the session keeps: read on every request, and
    without any query when the session holds none."""
    session = getattr(request, "session", None)
    ids = session.get(CONTACT_SESSION) if session is not None else None
    if not ids:
        return []
    return [{}]


def _sending_links(scope: Scope) -> list[Link]:
    return [Link(_("Our nominated students"), url("exchanges:sending_home"))]


def _student(request: HttpRequest) -> list[Scope]:
    return [{}] if _exchange_roles(request)["student"] else []


def _student_links(scope: Scope) -> list[Link]:
    return [Link(_("My exchange"), url("exchanges:student_home"))]


def _account_links(scope: Scope) -> list[Link]:
    return [Link(_("Host an exchange student"), url("exchanges:family_apply"))]


def register() -> None:
    register_role(
        "exchange_coordinator",
        order=55,
        label=lambda scope: _("%(committee)s: exchange") % {"committee": scope["name"]},
        detect=_coordinator,
    )
    register_role("host_family", order=56, label=lambda scope: _("Host family"), detect=_family)
    register_role(
        "sending_contact",
        order=57,
        label=lambda scope: _("Sending committee"),
        detect=_sending_account,
    )
    register_role(
        "sending_link",
        order=58,
        label=lambda scope: _("Sending committee"),
        detect=_sending_link,
        cached=False,
    )
    register_role(
        "exchange_student", order=59, label=lambda scope: _("Exchange student"), detect=_student
    )
    register_section("exchange_coordinator", order=10, links=_coordinator_links)
    register_section("exchange_student", order=10, links=_student_links)
    register_section("host_family", order=10, links=_family_links)
    register_section("sending_contact", order=10, links=_sending_links)
    register_section("sending_link", order=10, links=_sending_links)
    register_section("staff", order=92, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=92, links=_committee_links)
    register_section("account", order=92, links=_account_links)


__all__ = ["CONTACT_SESSION", "register"]


# --- Monitoring and incidents (section 3) ------------------------------------------------------


def _staff_monitoring_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Exchange: monthly contacts"), url("exchanges:staff_monitoring")),
        Link(_("Exchange: compliance"), url("exchanges:staff_compliance")),
    ]


def _staff_monitoring_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    """Welfare staff: the incidents whose report to the Department of State is overdue."""
    from django.utils import timezone

    from twinning.core.special import may_read_special
    from twinning.exchanges.models import Incident

    if not may_read_special(request.user):
        return []
    overdue = Incident.objects.report_open().filter(report_due_at__lt=timezone.now()).count()
    return [Link(_("Overdue exchange incident reports"), url("exchanges:staff_incidents"), overdue)]


def _committee_monitoring_links(scope: Scope) -> list[Link]:
    slug = scope["slug"]
    links = [
        Link(_("Exchange: monthly contacts"), url("exchanges:committee_monitoring", slug=slug)),
        Link(_("Exchange: compliance"), url("exchanges:committee_compliance", slug=slug)),
    ]
    if scope.get("reads_incidents"):
        links.append(
            Link(_("Exchange: incidents"), url("exchanges:committee_incidents", slug=slug))
        )
    return links


def _coordinator_facts(request: HttpRequest, scope: Scope) -> Scope:
    """Whether the coordinator is the committee's exchange coordinator (reads incidents)."""
    reads = Coordinator.objects.filter(
        member__slug=scope["slug"], user=cast(Any, request.user), is_exchange_coordinator=True
    ).exists()
    return {"reads_incidents": reads}


def register_monitoring() -> None:
    # Orders nobody else registers for these roles: the same (role, order) replaces a section.
    register_section(
        "staff", order=97, links=_staff_monitoring_links, tasks=_staff_monitoring_tasks
    )
    register_section("committee_admin", order=97, links=_committee_monitoring_links)
    register_section(
        "exchange_coordinator",
        order=17,
        links=_committee_monitoring_links,
        facts=_coordinator_facts,
    )
