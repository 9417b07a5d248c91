"""The compliance page: for each current placement, every rule of 22 CFR 62.25 the app
tracks, passed or failed, with the reason in words (`checks`, on placements read in a fixed
number of queries by `compliance_placements`; a page reads only its own, the CSV every one a
chunk at a time, `export_rows`; "failing a rule" is also stated for the database,
`failing_rule`, so the page can keep those without reading every placement).

Rules: every adult of the household checked (the approval, and today's household: anyone 18 or
over on the season's departure has a latest background check that is clear), a suitable home
visit before the placement started, the school's acceptance letter on file, the coordinator's
training current today, the student's orientation before arrival and, once arrived, after it
(`orientation_status`), monthly contacts up to date (not red, `services.monitoring`), and no
mandatory report to the Department of State still owed. An incident's details never appear:
the last rule counts."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.dates import add_months, association_today
from twinning.exchanges.models import (
    BackgroundCheck,
    HouseholdMember,
    Incident,
    Orientation,
    Placement,
    PlacementQuerySet,
    Student,
    Training,
)
from twinning.exchanges.services import monitoring
from twinning.exchanges.services.families import CHECKS, HOUSEHOLD, adults, latest_check
from twinning.exchanges.services.monitoring import RED
from twinning.exchanges.services.staff import TRAININGS, current_training
from twinning.youth.age import AGE_OF_MAJORITY, age_on

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
    outcome: str  # "pass" or "fail", in words


# Statuses in which the student has arrived: the orientation after arrival is then due.
ARRIVED = (Student.Status.ARRIVED, Student.Status.COMPLETED, Student.Status.RETURNED_EARLY)


def orientation_status(placement: Placement) -> tuple[bool, str]:
    """Whether the student had their orientation before arrival and, once arrived, after it
    (`Orientation`, recorded by `services.placement.record_orientation`; the orientations
    come prefetched with `compliance_placements`)."""
    student = placement.student
    rows = getattr(student, "orientation_list", None)
    held = {o.kind: o for o in (student.orientations.all() if rows is None else rows)}
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


# The page's and the export's order: by committee, then the student's name.
LISTED = ("student__quota__host__name", "student__person__last_name", "pk")

# The columns `checks`, the page and the CSV read (`only`: the timestamps, texts and addresses
# of the seven rows joined to each placement are not converted).
READ = (
    "starts_on",
    "first_missing_month",
    "student__status",
    "student__person__first_name",
    "student__person__last_name",
    "student__quota__host__name",
    "student__quota__host__slug",
    "student__season__departure_date",
    "approval__family__family_name",
    "approval__home_visit__suitable",
    "approval__home_visit__visited_on",
    "school__name",
    "school__letter_file",
    "school__letter_signed_on",
    "coordinator__name",
)


def compliance_placements(
    placements: PlacementQuerySet, today: datetime.date | None = None, *, colour: bool = False
) -> PlacementQuerySet:
    """Current placements with everything the rules read but their contacts, in a fixed
    number of queries: `checks` needs the contacts' months too
    (`monitoring.attach_contact_months`, for the rows shown); `failing_placements` needs
    their colour, which `colour` has the database compute (`contact_colour`)."""
    found = placements.current()
    if colour:
        found = monitoring.with_contact_colour(found, today)
    found = (
        found.select_related(
            "student__person",
            "student__quota__host",
            "student__season",
            "approval__family",
            "approval__home_visit",
            "school",
            "coordinator",
        )
        .only(*READ)
        .prefetch_related(
            # Lists (`to_attr`, as `families.adults`, `families.latest_check`,
            # `staff.current_training` and `orientation_status` read them): no related
            # manager is made per row.
            Prefetch(
                "approval__family__household",
                queryset=HouseholdMember.objects.only(
                    "family_id", "name", "date_of_birth"
                ).prefetch_related(
                    Prefetch(
                        "background_checks",
                        queryset=BackgroundCheck.objects.only("person_id", "checked_on", "result"),
                        to_attr=CHECKS,
                    )
                ),
                to_attr=HOUSEHOLD,
            ),
            Prefetch(
                "coordinator__trainings",
                queryset=Training.objects.only(
                    "coordinator_id", "course", "completed_on", "expires_on"
                ),
                to_attr=TRAININGS,
            ),
            Prefetch(
                "student__orientations",
                queryset=Orientation.objects.only("student_id", "kind", "held_on"),
                to_attr="orientation_list",
            ),
        )
        .annotate(
            reports_owed=Coalesce(
                Subquery(
                    Incident.objects.filter(
                        student=OuterRef("student"),
                        requires_mandatory_report=True,
                        reported_on__isnull=True,
                    )
                    .order_by()
                    .values("student")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by(*LISTED)
    )
    return found


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


def _results(
    placement: Placement, today: datetime.date, contacts: tuple[bool, str]
) -> dict[str, tuple[bool, str]]:
    return {
        "adults_checked": _adults(placement),
        "home_visit": _home_visit(placement),
        "school_letter": _letter(placement),
        "training": _training(placement, today),
        "orientation": orientation_status(placement),
        "contacts": contacts,
        "incidents": _incidents(placement),
    }


def checks(placement: Placement, today: datetime.date) -> list[Check]:
    """Every rule for one placement fetched through `compliance_placements` (no query)."""
    state = monitoring.placement_state(placement, today)
    results = _results(placement, today, (state.colour != RED, " ".join(state.reasons)))
    words = {True: _("pass"), False: _("fail")}
    return [
        Check(key, str(label), passed, reason, words[passed])
        for key, label in RULES
        for passed, reason in [results[key]]
    ]


def _born_by(day: datetime.date) -> datetime.date:
    """The last date of birth of someone who is an adult on `day` (`families.adults`: 18 or
    over by `youth.age.age_on`, 29 February included)."""
    born = add_months(day, -12 * AGE_OF_MAJORITY)
    while age_on(born + datetime.timedelta(days=1), day) >= AGE_OF_MAJORITY:
        born += datetime.timedelta(days=1)
    while age_on(born, day) < AGE_OF_MAJORITY:
        born -= datetime.timedelta(days=1)
    return born


def failing_rule(today: datetime.date) -> Q:
    """The condition "fails at least one of `checks`' rules" for the database, rule by rule
    the same as the Python above (tests/exchanges/test_monitoring_compliance.py checks both
    agree); the placements are annotated with `contact_colour` (`with_contact_colour`) and
    `adult_born_by` (`with_adult_cutoff`)."""
    adults = HouseholdMember.objects.filter(
        family=OuterRef("approval__family"), date_of_birth__lte=OuterRef("adult_born_by")
    )
    latest = (
        BackgroundCheck.objects.filter(person=OuterRef("pk"))
        .order_by("-checked_on", "-pk")
        .values("result")[:1]
    )
    unchecked = adults.annotate(latest=Subquery(latest)).filter(
        Q(latest__isnull=True) | ~Q(latest=BackgroundCheck.Result.CLEAR)
    )
    trained = Training.objects.filter(
        coordinator=OuterRef("coordinator"), completed_on__lte=today, expires_on__gt=today
    )
    oriented = Orientation.objects.filter(student=OuterRef("student"))
    owed = Incident.objects.filter(
        student=OuterRef("student"), requires_mandatory_report=True, reported_on__isnull=True
    )
    # The columns first, then the subqueries from the cheapest: the database stops at the
    # first rule a placement fails, and the adults' latest checks cost the most.
    return (
        Q(contact_colour=RED)  # contacts
        | Q(approval__home_visit__suitable=False)  # home_visit
        | Q(approval__home_visit__visited_on__gt=F("starts_on"))
        | Q(school__letter_file="")  # school_letter
        | Q(school__letter_signed_on__isnull=True)
        | ~Q(Exists(trained))  # training
        | Q(Exists(owed))  # incidents
        | ~Q(Exists(oriented.filter(kind=Orientation.Kind.PRE_ARRIVAL)))  # orientation
        | (
            Q(student__status__in=ARRIVED)
            & ~Q(Exists(oriented.filter(kind=Orientation.Kind.POST_ARRIVAL)))
        )
        | ~Q(Exists(adults))  # adults_checked
        | Q(Exists(unchecked))
    )


def with_adult_cutoff(placements: PlacementQuerySet) -> PlacementQuerySet:
    """`adult_born_by`: the last date of birth of an adult on the season's departure (one
    small query for the seasons of the placements)."""
    departures = placements.order_by().values_list(
        "student__season_id", "student__season__departure_date"
    )
    whens = [
        When(student__season_id=season, then=Value(_born_by(departure)))
        for season, departure in set(departures)
    ]
    return placements.annotate(
        adult_born_by=Case(*whens, default=Value(None), output_field=DateField())
    )


def failing_placements(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> PlacementQuerySet:
    """The current placements that fail at least one rule, in the page's order, decided by
    the database (nothing is read but what the page shows)."""
    today = today or association_today()
    found = with_adult_cutoff(compliance_placements(placements, today, colour=True))
    return found.filter(failing_rule(today))


def listed_ids(placements: PlacementQuerySet) -> list[int]:
    """The ids of the current `placements` in the page's order (one query of ids: the page's
    rows are then read by `by_ids`, so the heavy query reads 50 placements, not sort them
    all)."""
    return list(placements.current().order_by(*LISTED).values_list("pk", flat=True))


def failing_ids(placements: PlacementQuerySet, today: datetime.date | None = None) -> list[int]:
    """The ids of `failing_placements`, in order (one query, evaluating the rules once for the
    count and the page alike; `by_ids` then reads a page of them)."""
    return list(failing_placements(placements, today).values_list("pk", flat=True))


def by_ids(ids: list[int], today: datetime.date | None = None) -> list[Placement]:
    """The placements `ids` in that order, with what `checks` reads but their contacts."""
    found = compliance_placements(Placement.objects.filter(pk__in=ids), today)
    rows = {p.pk: p for p in found}
    return [rows[pk] for pk in ids if pk in rows]


def compliance_rows(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> list[tuple[Placement, list[Check]]]:
    today = today or association_today()
    found = monitoring.attach_contact_months(list(compliance_placements(placements, today)))
    return [(p, checks(p, today)) for p in found]


# Placements read at a time for the CSV: every one is exported, a chunk after another.
CSV_CHUNK = 250


def export_rows(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> Iterator[tuple[Placement, list[Check]]]:
    """Every current placement with its checks, for the export: `CSV_CHUNK` placements read
    at a time (their ids first, then each chunk in the fixed queries of
    `compliance_placements`), so memory stays bounded however many there are."""
    today = today or association_today()
    ids = listed_ids(placements)
    for start in range(0, len(ids), CSV_CHUNK):
        chunk = ids[start : start + CSV_CHUNK]
        yield from compliance_rows(Placement.objects.filter(pk__in=chunk), today)


def csv_rows(
    rows: Iterable[tuple[Placement, list[Check]]],
) -> tuple[list[str], Iterator[list[str]]]:
    """The export's header and rows, made as they are read (through `core.exports.csv_lines`,
    formula-safe)."""
    header = [_("Student"), _("Hosting committee"), _("Host family"), _("School")]
    header += [_("Coordinator"), _("Starts on")]
    for _key, label in RULES:
        header += [str(label), _("%(rule)s: reason") % {"rule": label}]
    return header, (_csv_row(placement, found) for placement, found in rows)


def _csv_row(placement: Placement, found: list[Check]) -> list[str]:
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
    return row
