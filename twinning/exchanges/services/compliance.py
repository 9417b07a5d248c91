"""The compliance page: for each current placement, every rule of 22 CFR 62.25 the app
tracks, passed or failed, with the reason in words (`checks`, on light rows read as values in
a fixed number of queries by `page_rows`, no model instance; a page reads only its own 50, the
CSV every one a chunk at a time, `export_rows`; "failing a rule" is also stated for the
database, `failing_rule`, so the page can keep those without reading every placement).

Rules: every adult of the household checked (the approval, and today's household: anyone 18 or
over on the season's departure has a latest background check that is clear), a suitable home
visit before the placement started, the school's acceptance letter on file, the coordinator's
training current today, the student's orientation before arrival and, once arrived, after it
(`orientation_status`), monthly contacts up to date (not red, `services.monitoring`), and no
mandatory report to the Department of State still owed. An incident's details never appear:
the last rule counts."""

import datetime
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

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
from twinning.exchanges.services.monitoring import RED, rows_by_ids
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


def orientation_status(row: "Row") -> tuple[bool, str]:
    """Whether the student had their orientation before arrival and, once arrived, after it
    (`Orientation`, recorded by `services.placement.record_orientation`; `row.orientations`:
    the day each kind was held)."""
    w = _words(get_language())
    pre = row.orientations.get(Orientation.Kind.PRE_ARRIVAL)
    post = row.orientations.get(Orientation.Kind.POST_ARRIVAL)
    if pre is None:
        return False, w["no_pre"]
    if row.status in ARRIVED and post is None:
        return False, w["no_post"]
    if post is None:
        return True, w["pre_only"] % {"date": _day(pre)}
    return True, w["oriented"] % {"before": _day(pre), "after": _day(post)}


@functools.lru_cache(maxsize=16)
def _words(language: str | None) -> dict[str, str]:
    """The rules' sentences in `language` (the active one, which they are called with),
    translated once per language rather than for every placement of a page."""
    return {
        "no_pre": _("No orientation before arrival is recorded."),
        "no_post": _("Arrived, but no orientation after arrival is recorded."),
        "pre_only": _("Before arrival on %(date)s; the one after arrival comes later."),
        "oriented": _("Before arrival on %(before)s, after arrival on %(after)s."),
        "no_adult": _("No adult is recorded in the household."),
        "no_check": _("%(name)s has no background check."),
        "not_clear": _("%(name)s's latest check is not clear."),
        "adults": _("%(count)d adult(s), 18 or over by %(date)s, checked clear."),
        "unsuitable": _("The home visit did not find the home suitable."),
        "visit_late": _("Visited on %(visit)s, after the placement started (%(start)s)."),
        "visited": _("Visited on %(date)s."),
        "no_letter": _("%(school)s has no signed acceptance letter on file."),
        "letter": _("%(school)s, signed on %(date)s."),
        "untrained": _("%(name)s's training is expired or not recorded."),
        "trained": _("%(name)s: %(course)s, until %(date)s."),
        "owed": _("%(count)d report(s) to the Department of State not yet filed."),
        "none_owed": _("No report owed."),
    }


# The page's and the export's order: by committee, then the student's name.
LISTED = ("student__quota__host__name", "student__person__last_name", "pk")

# What a row of the page and the CSV reads of the placement and the rows joined to it, as
# values (`page_rows`).
ROW_VALUES = {
    "student_pk": F("student_id"),
    "status": F("student__status"),
    "first_name": F("student__person__first_name"),
    "last_name": F("student__person__last_name"),
    "committee": F("student__quota__host__name"),
    "departure": F("student__season__departure_date"),
    "family_pk": F("approval__family_id"),
    "family_name": F("approval__family__family_name"),
    "visit_suitable": F("approval__home_visit__suitable"),
    "visited_on": F("approval__home_visit__visited_on"),
    "school_name": F("school__name"),
    "letter_file": F("school__letter_file"),
    "letter_signed_on": F("school__letter_signed_on"),
    "coordinator_pk": F("coordinator_id"),
    "coordinator_name": F("coordinator__name"),
}


def _reports_owed() -> Coalesce:
    """The student's mandatory reports to the Department of State not yet filed."""
    owed = (
        Incident.objects.filter(
            student=OuterRef("student"), requires_mandatory_report=True, reported_on__isnull=True
        )
        .order_by()
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(owed, output_field=IntegerField()), 0)


class Row(SimpleNamespace):
    """One current placement as the rules, the page and the CSV read it (`page_rows`): its
    `ROW_VALUES`, `pk`, `starts_on`, `first_missing_month` and `reports_owed`; `family` with its
    household, each person with their checks, and `coordinator` with their trainings (lists,
    as `families.adults`, `families.latest_check` and `staff.current_training` read them);
    `orientations` (the day each kind was held) and the contact months
    (`monitoring.attach_contact_months`)."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def page_rows(ids: list[int], today: datetime.date | None = None) -> list[tuple[Row, list[Check]]]:
    """The current placements `ids` in that order, each with its `checks`, read as plain rows
    in five queries whatever their number (the placements, the households with their checks,
    the coordinators' trainings, the orientations and the contact months): no model instance.
    Each query's SQL is compiled once per number of ids (`monitoring.rows_by_ids`)."""
    today = today or association_today()
    names, found = rows_by_ids("exchanges.compliance_rows", ids, _placement_rows)
    rows = {}
    for values in found:
        row = Row(**dict(zip(names, values, strict=True)), orientations={})
        rows[row.pk] = row
    families = {row.family_pk: SimpleNamespace(**{HOUSEHOLD: []}) for row in rows.values()}
    people: dict[int, SimpleNamespace] = {}
    _names, household = rows_by_ids("exchanges.compliance_household", families, _household_rows)
    for pk, family, name, born, check, on, result in household:
        if pk not in people:
            people[pk] = SimpleNamespace(pk=pk, name=name, date_of_birth=born, **{CHECKS: []})
            getattr(families[family], HOUSEHOLD).append(people[pk])
        if check is not None:
            checked = SimpleNamespace(pk=check, checked_on=on, result=result)
            getattr(people[pk], CHECKS).append(checked)
    coordinators = {
        row.coordinator_pk: SimpleNamespace(name=row.coordinator_name, **{TRAININGS: []})
        for row in rows.values()
    }
    _names, trainings = rows_by_ids("exchanges.compliance_trainings", coordinators, _trainings)
    for coordinator, course, completed, expires in trainings:
        getattr(coordinators[coordinator], TRAININGS).append(
            SimpleNamespace(course=course, completed_on=completed, expires_on=expires)
        )
    students = {row.student_pk: row for row in rows.values()}
    _names, orientations = rows_by_ids("exchanges.compliance_orientations", students, _oriented)
    for student, kind, held in orientations:
        students[student].orientations[kind] = held
    for row in rows.values():
        row.family = families[row.family_pk]
        row.coordinator = coordinators[row.coordinator_pk]
    shown = [rows[pk] for pk in ids if pk in rows]
    monitoring.attach_contact_months(shown)  # type: ignore[arg-type]
    check = _checker(today)
    return [(row, check(row)) for row in shown]


# `page_rows`' queries, each of the ids it is given (`monitoring.rows_by_ids`).


def _placement_rows(ids: list[int]) -> Any:
    found = Placement.objects.current().order_by()
    fields = {"reports_owed": _reports_owed(), **ROW_VALUES}
    return found.values("pk", "starts_on", "first_missing_month", **fields).filter(pk__in=ids)


def _household_rows(families: list[int]) -> Any:
    """Each person of the households, the youngest last, with each of their checks (a row a
    check; a person without one has a row of None)."""
    found = HouseholdMember.objects.filter(family_id__in=families).order_by("date_of_birth", "pk")
    return found.values_list(
        "pk",
        "family_id",
        "name",
        "date_of_birth",
        "background_checks__pk",
        "background_checks__checked_on",
        "background_checks__result",
    )


def _trainings(coordinators: list[int]) -> Any:
    found = Training.objects.filter(coordinator_id__in=coordinators).order_by()
    return found.values_list("coordinator_id", "course", "completed_on", "expires_on")


def _oriented(students: list[int]) -> Any:
    found = Orientation.objects.filter(student_id__in=students).order_by()
    return found.values_list("student_id", "kind", "held_on")


_day = monitoring.day_label


def _adults(row: Row, w: dict[str, str]) -> tuple[bool, str]:
    grown = adults(row.family, horizon=row.departure)  # type: ignore[arg-type]
    if not grown:
        return False, w["no_adult"]
    problems = []
    for person in grown:
        check = latest_check(person)
        if check is None:
            problems.append(w["no_check"] % {"name": person.name})
        elif check.result != BackgroundCheck.Result.CLEAR:
            problems.append(w["not_clear"] % {"name": person.name})
    if problems:
        return False, " ".join(problems)
    return True, w["adults"] % {"count": len(grown), "date": _day(row.departure)}


def _home_visit(row: Row, w: dict[str, str]) -> tuple[bool, str]:
    if not row.visit_suitable:
        return False, w["unsuitable"]
    if row.visited_on > row.starts_on:
        return False, w["visit_late"] % {
            "visit": _day(row.visited_on),
            "start": _day(row.starts_on),
        }
    return True, w["visited"] % {"date": _day(row.visited_on)}


def _letter(row: Row, w: dict[str, str]) -> tuple[bool, str]:
    if not row.letter_file or row.letter_signed_on is None:
        return False, w["no_letter"] % {"school": row.school_name}
    return True, w["letter"] % {"school": row.school_name, "date": _day(row.letter_signed_on)}


def _training(row: Row, today: datetime.date, w: dict[str, str]) -> tuple[bool, str]:
    training = current_training(row.coordinator, today)  # type: ignore[arg-type]
    if training is None:
        return False, w["untrained"] % {"name": row.coordinator_name}
    return True, w["trained"] % {
        "name": row.coordinator_name,
        "course": training.course,
        "date": _day(training.expires_on),
    }


def _incidents(row: Row, w: dict[str, str]) -> tuple[bool, str]:
    if row.reports_owed:
        return False, w["owed"] % {"count": row.reports_owed}
    return True, w["none_owed"]


def _checker(today: datetime.date) -> Callable[[Row], list[Check]]:
    """`checks` for many rows on `today`: the rules' labels and the words "pass" and "fail"
    translated once."""
    labels = [(key, str(label)) for key, label in RULES]
    words = {True: _("pass"), False: _("fail")}
    w = _words(get_language())

    def check(row: Row) -> list[Check]:
        state = monitoring.placement_state(row, today)  # type: ignore[arg-type]
        results = {
            "adults_checked": _adults(row, w),
            "home_visit": _home_visit(row, w),
            "school_letter": _letter(row, w),
            "training": _training(row, today, w),
            "orientation": orientation_status(row),
            "contacts": (state.colour != RED, " ".join(state.reasons)),
            "incidents": _incidents(row, w),
        }
        return [
            Check(key, label, passed, reason, words[passed])
            for key, label in labels
            for passed, reason in [results[key]]
        ]

    return check


def checks(row: Row, today: datetime.date) -> list[Check]:
    """Every rule for one row of `page_rows` (no query)."""
    return _checker(today)(row)


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
    agree); the placements are annotated with `contact_colour`
    (`monitoring.with_contact_colour`) and `adult_born_by` (`with_adult_cutoff`)."""
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


def with_adult_cutoff(
    placements: PlacementQuerySet,
    departures: Iterable[tuple[int, datetime.date]] | None = None,
) -> PlacementQuerySet:
    """`adult_born_by`: the last date of birth of an adult on the season's departure (one
    small query for the seasons of the placements, unless their `departures` are given as
    (season id, departure date) pairs)."""
    if departures is None:
        departures = _departures(placements)
    whens = [
        When(student__season_id=season, then=Value(_born_by(departure)))
        for season, departure in sorted(set(departures))
    ]
    return placements.annotate(
        adult_born_by=Case(*whens, default=Value(None), output_field=DateField())
    )


def _departures(placements: PlacementQuerySet) -> frozenset[tuple[int, datetime.date]]:
    """The (season id, departure date) pairs of `placements`' seasons."""
    return frozenset(_departures_query(placements))


def _departures_query(placements: PlacementQuerySet) -> Any:
    """`_departures`' query: one row a season (the database keeps them distinct: a row a
    placement was 2,000 dates read for one season)."""
    found = placements.order_by().values_list(
        "student__season_id", "student__season__departure_date"
    )
    return found.distinct()


def failing_placements(
    placements: PlacementQuerySet,
    today: datetime.date | None = None,
    departures: Iterable[tuple[int, datetime.date]] | None = None,
) -> PlacementQuerySet:
    """The current placements that fail at least one rule, in the page's order, decided by
    the database (nothing is read but what the page shows)."""
    today = today or association_today()
    current = monitoring.with_contact_colour(placements.current(), today)
    found = with_adult_cutoff(current, departures)
    return found.filter(failing_rule(today)).order_by(*LISTED)


def listed_ids(placements: PlacementQuerySet) -> list[int]:
    """The ids of the current `placements` in the page's order (one query of ids: the page's
    rows are then read by `page_rows`, so the heavy query reads 50 placements, not sort them
    all)."""
    return list(placements.current().order_by(*LISTED).values_list("pk", flat=True))


# The SQL of "the ids failing a rule", kept per process by what it is made from: the
# placements' own query (the viewer's scope and filters), the day and the seasons' departures.
# Building the rules' expressions and compiling them cost about half the "failing only" page
# (bench/exchanges.py); the database still runs the query on every request, so what it
# returns is never stale. A few dozen keys at most: a day's scopes.
_FAILING_SQL: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]] = {}
_FAILING_SQL_KEPT = 64


# The SQL of the scope's seasons and their departures (`_departures`), kept per scope as the
# failing ids' query: both run on every request.
_DEPARTURES_SQL: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]] = {}


def _kept(
    store: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]],
    key: tuple[object, ...],
    query: Callable[[], Any],
) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of `query()` kept in `store` under `key` (compiled once)."""
    compiled = store.get(key)
    if compiled is None:
        sql, params = query().query.sql_with_params()
        compiled = (sql, tuple(params))
        if len(store) >= _FAILING_SQL_KEPT:
            store.clear()
        store[key] = compiled
    return compiled


def _rows(using: str, compiled: tuple[str, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    with connections[using].cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchall()


def failing_ids(placements: PlacementQuerySet, today: datetime.date | None = None) -> list[int]:
    """The ids of `failing_placements`, in order (one query, evaluating the rules once for the
    count and the page alike; `page_rows` then reads a page of them). Its SQL is compiled once
    per scope, day and set of seasons' departures (`_FAILING_SQL`), and so is the one of the
    departures, per scope (`_DEPARTURES_SQL`)."""
    today = today or association_today()
    current = placements.current()
    scope_sql, scope_params = current.values_list("pk").query.sql_with_params()
    scope = (placements.db, scope_sql, tuple(scope_params))
    seasons = _kept(_DEPARTURES_SQL, scope, lambda: _departures_query(current))
    departures = frozenset(_rows(placements.db, seasons))
    failing = _kept(
        _FAILING_SQL,
        (*scope, today, departures),
        lambda: failing_placements(placements, today, departures).values_list("pk", flat=True),
    )
    return [pk for (pk,) in _rows(placements.db, failing)]


def compliance_rows(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> list[tuple[Row, list[Check]]]:
    """Every current placement of `placements` with its checks, in the page's order."""
    return page_rows(listed_ids(placements), today)


# Placements read at a time for the CSV: every one is exported, a chunk after another.
CSV_CHUNK = 250


def export_rows(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> Iterator[tuple[Row, list[Check]]]:
    """Every current placement with its checks, for the export: `CSV_CHUNK` placements read
    at a time (their ids first, then each chunk in the fixed queries of `page_rows`), so
    memory stays bounded however many there are."""
    today = today or association_today()
    ids = listed_ids(placements)
    for start in range(0, len(ids), CSV_CHUNK):
        yield from page_rows(ids[start : start + CSV_CHUNK], today)


def csv_rows(
    rows: Iterable[tuple[Row, list[Check]]],
) -> tuple[list[str], Iterator[list[str]]]:
    """The export's header and rows, made as they are read (through `core.exports.csv_lines`,
    formula-safe)."""
    header = [_("Student"), _("Hosting committee"), _("Host family"), _("School")]
    header += [_("Coordinator"), _("Starts on")]
    for _key, label in RULES:
        header += [str(label), _("%(rule)s: reason") % {"rule": label}]
    return header, (_csv_row(placement, found) for placement, found in rows)


def _csv_row(placement: Row, found: list[Check]) -> list[str]:
    row = [
        placement.name,
        placement.committee,
        placement.family_name,
        placement.school_name,
        placement.coordinator_name,
        placement.starts_on.isoformat(),
    ]
    for check in found:
        row += [check.outcome, check.reason]
    return row
