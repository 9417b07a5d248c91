"""The showcase's part of the roles' homes and menus: staff's editions, entries awaiting
approval, judging and bookings; a committee's local round and exhibit bookings; a student's
entries (with their state and any consent still awaited) and certificates; a guardian's page."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url
from twinning.showcase.models import (
    PROGRAM,
    Booking,
    Edition,
    Entry,
    ErasureRequest,
    JudgingRound,
)
from twinning.showcase.views.guardians import GUARDIAN
from twinning.youth.models import Person
from twinning.youth.services import has_consent


def _editions(request: HttpRequest, scope: Scope) -> Scope:
    """The latest edition (local rounds, judging) and the latest whose results are out (its
    exhibit is the one that travels, so committees book it)."""
    latest = Edition.objects.order_by("-year", "-opens_at").values("slug", "year")
    facts: Scope = {}
    if edition := latest.first():
        facts.update(edition=edition["slug"], edition_year=edition["year"])
    if exhibit := latest.filter(results_published_at__isnull=False).first():
        facts.update(exhibit=exhibit["slug"], exhibit_year=exhibit["year"])
    return facts


def _student(request: HttpRequest) -> list[Scope]:
    if not request.user.is_authenticated:
        return []
    return [{}] if Person.objects.in_program(PROGRAM).filter(user=request.user).exists() else []


def _guardian(request: HttpRequest) -> list[Scope]:
    session = getattr(request, "session", None)
    return [{}] if session is not None and session.get(GUARDIAN) else []


def _staff_links(scope: Scope) -> list[Link]:
    links = [
        Link(_("Showcase editions"), url("showcase:staff_edition_list")),
        Link(_("Erasure requests"), url("showcase:staff_erasure_list")),
    ]
    if scope.get("edition"):
        edition, year = scope["edition"], scope["edition_year"]
        links += [
            Link(
                _("Entries (%(year)s)") % {"year": year},
                url("showcase:staff_entry_list", edition=edition),
            ),
            Link(
                _("Judging and results (%(year)s)") % {"year": year},
                url("showcase:staff_judging", edition=edition),
            ),
        ]
    if scope.get("exhibit"):
        links.append(
            Link(
                _("Exhibit bookings (%(year)s)") % {"year": scope["exhibit_year"]},
                url("showcase:staff_bookings", edition=scope["exhibit"]),
            )
        )
    return links


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    tasks = [
        Link(
            _("Erasure requests to carry out"),
            url("showcase:staff_erasure_list"),
            ErasureRequest.objects.filter(executed_at__isnull=True).count(),
        )
    ]
    if scope.get("edition"):
        waiting = Entry.objects.filter(
            edition__slug=scope["edition"],
            state=Entry.State.SUBMITTED,
            media_status=Entry.MediaStatus.READY,
            approved_at__isnull=True,
        ).count()
        query = urlencode({"state": Entry.State.SUBMITTED})
        entries = url("showcase:staff_entry_list", edition=scope["edition"])
        tasks.insert(0, Link(_("Entries awaiting approval"), f"{entries}?{query}", waiting))
    return tasks


def _committee_links(scope: Scope) -> list[Link]:
    links = []
    if scope.get("edition"):
        links.append(
            Link(
                _("Showcase local round (%(year)s)") % {"year": scope["edition_year"]},
                url("showcase:portal_local_round", edition=scope["edition"]),
            )
        )
    if scope.get("exhibit"):
        links.append(
            Link(
                _("Exhibit bookings (%(year)s)") % {"year": scope["exhibit_year"]},
                url("showcase:portal_bookings", edition=scope["exhibit"]),
            )
        )
    return links


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    tasks = []
    if scope.get("edition"):
        ready = JudgingRound.objects.filter(
            edition__slug=scope["edition"], member__slug=scope["slug"]
        ).exists()
        tasks.append(
            Link(
                _("Your showcase local round (%(year)s)") % {"year": scope["edition_year"]},
                url("showcase:portal_local_round", edition=scope["edition"]),
                hint=_("set up") if ready else _("not set up yet"),
            )
        )
    if scope.get("exhibit"):
        booked = (
            Booking.objects.active()
            .filter(edition__slug=scope["exhibit"], member__slug=scope["slug"])
            .count()
        )
        tasks.append(
            Link(
                _("Your exhibit bookings (%(year)s)") % {"year": scope["exhibit_year"]},
                url("showcase:portal_bookings", edition=scope["exhibit"]),
                booked,
            )
        )
    return tasks


def _student_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Your entries"), url("showcase:my_entries")),
        Link(_("Your certificates"), url("showcase:my_certificates")),
    ]


def _student_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    student = (
        Person.objects.in_program(PROGRAM)
        .select_related("guardian")
        .filter(user_id=request.user.pk or 0)
        .first()
    )
    if student is None:
        return []
    tasks = [
        Link(
            f"{entry.title} ({entry.edition.year}, {entry.category.name})",
            entry.get_absolute_url(),
            hint=entry.get_state_display(),
        )
        for entry in student.entries.select_related("edition", "category")
    ]
    if student.guardian_email and not has_consent(student, PROGRAM, "participation"):
        tasks.append(
            Link(
                _("Your guardian's consent is still awaited"),
                url("showcase:my_entries"),
                hint=_("pending"),
            )
        )
    return tasks


def _guardian_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Your child's entries and consent"), url("showcase:guardian_home")),
        Link(_("Certificates"), url("showcase:my_certificates")),
    ]


def register() -> None:
    register_role("student", order=40, label=lambda scope: _("Showcase"), detect=_student)
    register_role(
        "guardian", order=50, label=lambda scope: _("Guardian"), detect=_guardian, cached=False
    )
    register_section("staff", order=70, links=_staff_links, tasks=_staff_tasks, facts=_editions)
    register_section(
        "committee_admin",
        order=50,
        links=_committee_links,
        tasks=_committee_tasks,
        facts=_editions,
    )
    register_section("student", order=10, links=_student_links, tasks=_student_tasks)
    register_section("guardian", order=10, links=_guardian_links)
