"""The compliance page: for each current placement, every rule of 22 CFR 62.25 the app
tracks, passed or failed, with the reason in words (`compliance_rows`; one query set for all
placements, whatever their number: `compliance_placements`).

Rules: every adult of the household checked (the approval, and today's household: anyone 18 or
over on the season's departure has a latest background check that is clear), a suitable home
visit before the placement started, the school's acceptance letter on file, the coordinator's
training current today, the student's orientation before arrival and, once arrived, after it
(`orientation_status`), monthly contacts up to date (not red, `services.monitoring`), and no
mandatory report to the Department of State still owed. An incident's details never appear:
the last rule counts."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.dates import association_today
from twinning.exchanges.models import (
    HouseholdMember,
    Orientation,
    Placement,
    PlacementQuerySet,
    Student,
)
from twinning.exchanges.services.families import adults, latest_check
from twinning.exchanges.services.monitoring import RED, monitored, placement_state
from twinning.exchanges.services.staff import current_training

RULES = (
    ("adults_checked", gettext_lazy("Every adult in the household checked")),
    ("home_visit", gettext_lazy("Home visit before the placement")),
    ("school_letter", gettext_lazy("School acceptance letter on file")),
    ("training", gettext_lazy("Coordinator's training current")),
    ("orientation", gettext_lazy("Orientation before and after arrival")),
    ("contacts", gettext_lazy("Monthly contacts up to date")),
    ("incidents", gettext_lazy("Mandatory reports filed")),
)


@dataclass(frozen=True)
class Check:
    """One rule for one placement, passed or failed, with the reason in words."""

    rule: str
    label: str
    passed: bool
    reason: str

    @property
    def outcome(self) -> str:
        return _("pass") if self.passed else _("fail")


# Statuses in which the student has arrived: the orientation after arrival is then due.
ARRIVED = (Student.Status.ARRIVED, Student.Status.COMPLETED, Student.Status.RETURNED_EARLY)


def orientation_status(placement: Placement) -> tuple[bool, str]:
    """Whether the student had their orientation before arrival and, once arrived, after it
    (`Orientation`, recorded by `services.placement.record_orientation`; the orientations
    come prefetched with `compliance_placements`)."""
    student = placement.student
    held = {o.kind: o for o in student.orientations.all()}
    pre = held.get(Orientation.Kind.PRE_ARRIVAL)
    post = held.get(Orientation.Kind.POST_ARRIVAL)
    if pre is None:
        return False, _("No orientation before arrival is recorded.")
    if student.status in ARRIVED and post is None:
        return False, _("Arrived, but no orientation after arrival is recorded.")
    if post is None:
        return True, _("Before arrival on %(date)s; the one after arrival comes later.") % {
            "date": _day(pre.held_on)
        }
    return True, _("Before arrival on %(before)s, after arrival on %(after)s.") % {
        "before": _day(pre.held_on),
        "after": _day(post.held_on),
    }


def compliance_placements(placements: PlacementQuerySet) -> PlacementQuerySet:
    """Current placements with everything the rules read, in a fixed number of queries."""
    return (
        monitored(placements.current())
        .select_related("approval__home_visit", "student__quota__host")
        .prefetch_related(
            Prefetch(
                "approval__family__household",
                queryset=HouseholdMember.objects.prefetch_related("background_checks"),
            ),
            "coordinator__trainings",
            "student__orientations",
        )
        .annotate(
            reports_owed=Count(
                "student__incidents",
                filter=Q(
                    student__incidents__requires_mandatory_report=True,
                    student__incidents__reported_on__isnull=True,
                ),
                distinct=True,
            )
        )
        .order_by("student__quota__host__name", "student__person__last_name", "pk")
    )


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _adults(placement: Placement) -> tuple[bool, str]:
    departure = placement.student.season.departure_date
    grown = adults(placement.approval.family, horizon=departure)
    if not grown:
        return False, _("No adult is recorded in the household.")
    problems = []
    for person in grown:
        check = latest_check(person)
        if check is None:
            problems.append(_("%(name)s has no background check.") % {"name": person.name})
        elif check.result != check.Result.CLEAR:
            problems.append(_("%(name)s's latest check is not clear.") % {"name": person.name})
    if problems:
        return False, " ".join(problems)
    return True, _("%(count)d adult(s), 18 or over by %(date)s, checked clear.") % {
        "count": len(grown),
        "date": _day(departure),
    }


def _home_visit(placement: Placement) -> tuple[bool, str]:
    visit = placement.approval.home_visit
    if not visit.suitable:
        return False, _("The home visit did not find the home suitable.")
    if visit.visited_on > placement.starts_on:
        return False, _("Visited on %(visit)s, after the placement started (%(start)s).") % {
            "visit": _day(visit.visited_on),
            "start": _day(placement.starts_on),
        }
    return True, _("Visited on %(date)s.") % {"date": _day(visit.visited_on)}


def _letter(placement: Placement) -> tuple[bool, str]:
    school = placement.school
    if not school.has_letter or school.letter_signed_on is None:
        return False, _("%(school)s has no signed acceptance letter on file.") % {
            "school": school.name
        }
    return True, _("%(school)s, signed on %(date)s.") % {
        "school": school.name,
        "date": _day(school.letter_signed_on),
    }


def _training(placement: Placement, today: datetime.date) -> tuple[bool, str]:
    training = current_training(placement.coordinator, today)
    if training is None:
        return False, _("%(name)s's training is expired or not recorded.") % {
            "name": placement.coordinator.name
        }
    return True, _("%(name)s: %(course)s, until %(date)s.") % {
        "name": placement.coordinator.name,
        "course": training.course,
        "date": _day(training.expires_on),
    }


def _incidents(placement: Placement) -> tuple[bool, str]:
    owed = int(getattr(placement, "reports_owed", 0))
    if owed:
        return False, _("%(count)d report(s) to the Department of State not yet filed.") % {
            "count": owed
        }
    return True, _("No report owed.")


def checks(placement: Placement, today: datetime.date) -> list[Check]:
    """Every rule for one placement fetched through `compliance_placements` (no query)."""
    state = placement_state(placement, today)
    results: dict[str, tuple[bool, str]] = {
        "adults_checked": _adults(placement),
        "home_visit": _home_visit(placement),
        "school_letter": _letter(placement),
        "training": _training(placement, today),
        "orientation": orientation_status(placement),
        "contacts": (state.colour != RED, " ".join(state.reasons)),
        "incidents": _incidents(placement),
    }
    return [Check(key, str(label), *results[key]) for key, label in RULES]


def compliance_rows(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> list[tuple[Placement, list[Check]]]:
    today = today or association_today()
    return [(p, checks(p, today)) for p in compliance_placements(placements)]


def csv_rows(rows: list[tuple[Placement, list[Check]]]) -> tuple[list[str], list[list[str]]]:
    """The export's header and rows (through `core.exports.csv_lines`, formula-safe)."""
    header = [_("Student"), _("Hosting committee"), _("Host family"), _("School")]
    header += [_("Coordinator"), _("Starts on")]
    for _key, label in RULES:
        header += [str(label), _("%(rule)s: reason") % {"rule": label}]
    body = []
    for placement, found in rows:
        row = [
            placement.student.name,
            placement.student.quota.host.name,
            placement.approval.family.family_name,
            placement.school.name,
            placement.coordinator.name,
            placement.starts_on.isoformat(),
        ]
        for check in found:
            row += [check.outcome, check.reason]
        body.append(row)
    return header, body
