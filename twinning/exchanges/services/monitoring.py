"""Monthly contacts and their alerts (issue 10 section 3, 22 CFR 62.25: the sponsor's local
coordinator is in contact with the student and, separately, with the host family every month).

The red/amber/green rule, computed in one place (`contact_state`, a pure function of the
placement's start, today and the months with a contact on each side; the daily task feeds it
the months prefetched in one query for all placements, `monitored`, and the dashboards the
months of their page's placements, `dashboard_rows`; to count, filter and order every
placement the dashboards use the same rule stated for the database, `colour_conditions`
(`colour_counts`, `dashboard_order`), which the tests hold to `contact_state`):

- the placement's months run from the month of `starts_on` to the current month (the
  association's calendar); a placement that has not started is green ("starts on ...");
- **red**: a past month (before the current one) lacks a contact with the student or with the
  family; the reason names each side and month;
- **amber**: no past month is missing, but the current month lacks a contact on a side and
  fewer than `AMBER_DAYS` (7) days of it remain after today (from the 25th of a 31-day month,
  the 24th of a 30-day month, the 22nd of February in a common year);
- **green**: otherwise (every past month done, and the current month either done or with 7 days
  or more to go).

`send_contact_alerts` (daily, `exchanges_contact_alerts` in TWINNING_SCHEDULE) e-mails the
placement's coordinator once per overdue placement-month: a `ContactAlert` row per month sent
(a unique constraint), so the next day's run sends nothing again."""

import calendar
import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
)
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.exchanges import emails
from twinning.exchanges.models import (
    ContactAlert,
    MonthlyContact,
    Placement,
    PlacementQuerySet,
)
from twinning.outbox.services import queue_email

# The last days of a month in which a missing contact turns the student amber.
AMBER_DAYS = 7

GREEN, AMBER, RED = "green", "amber", "red"
LABELS = {
    GREEN: gettext_lazy("On track"),
    AMBER: gettext_lazy("Due soon"),
    RED: gettext_lazy("Overdue"),
}
ORDER = {RED: 0, AMBER: 1, GREEN: 2}


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    if month.month == 12:
        return datetime.date(month.year + 1, 1, 1)
    return datetime.date(month.year, month.month + 1, 1)


def months_from(first: datetime.date, before: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s month up to (not including) `before`'s."""
    return list(_months_between(month_of(first), month_of(before)))


@functools.lru_cache(maxsize=1024)
def _months_between(first: datetime.date, before: datetime.date) -> tuple[datetime.date, ...]:
    """`months_from` of two first days of months, made once per pair (a page's placements
    share a few starts and the same current month)."""
    months, month = [], first
    while month < before:
        months.append(month)
        month = next_month(month)
    return tuple(months)


@functools.lru_cache(maxsize=4096)
def _formatted(language: str, day: datetime.date, name: str) -> str:
    return date_format(day, name)


def month_label(month: datetime.date) -> str:
    """The month in words in the active language, formatted once per language and month (a
    page names the same months on many rows; `date_format` and the month names' translation
    cost more than the rest of a reason)."""
    return _formatted(get_language(), month, "YEAR_MONTH_FORMAT")


def day_label(day: datetime.date) -> str:
    """The day in words (`DATE_FORMAT`), formatted once per language and day (as `month_label`)."""
    return _formatted(get_language(), day, "DATE_FORMAT")


@dataclass(frozen=True)
class ContactState:
    """A placement's monthly-contact status: its colour, the reasons in words, and the past
    months without a contact on either side (what the alerts are about)."""

    colour: str
    reasons: tuple[str, ...]
    overdue: tuple[datetime.date, ...] = ()

    @property
    def label(self) -> str:
        return str(LABELS[self.colour])


def contact_state(
    *,
    starts_on: datetime.date,
    today: datetime.date,
    student_months: Iterable[datetime.date],
    family_months: Iterable[datetime.date],
    complete_before: datetime.date | None = None,
) -> ContactState:
    """The rule of the module docstring, for one placement. With `complete_before` (a month
    from the start's on, the stored `first_missing_month`), every month before it counts as
    done on both sides whatever the months given: only the months from it on are looked at."""
    if starts_on > today:
        when = date_format(starts_on, "DATE_FORMAT")
        return ContactState(GREEN, (_("The placement starts on %(date)s.") % {"date": when},))
    words = _state_words(get_language())
    sides = (
        (words.student, set(student_months)),
        (words.family, set(family_months)),
    )
    first = month_of(starts_on)
    if complete_before is not None and complete_before > first:
        first = complete_before  # the months before it are done on both sides
    current = month_of(today)
    reasons, overdue = [], set()
    for month in _months_between(first, current):
        for side, done in sides:
            if month not in done:
                overdue.add(month)
                reasons.append(words.missing % {"side": side, "month": month_label(month)})
    if reasons:
        return ContactState(RED, tuple(reasons), tuple(sorted(overdue)))
    left = calendar.monthrange(today.year, today.month)[1] - today.day
    missing = [side for side, done in sides if current >= first and current not in done]
    if missing and left < AMBER_DAYS:
        reasons = [words.due % {"side": side, "days": left} for side in missing]
        return ContactState(AMBER, tuple(reasons))
    if missing:
        return ContactState(GREEN, (words.to_come % {"sides": words.both.join(missing)},))
    return ContactState(GREEN, (words.done,))


class _Words(NamedTuple):
    student: str
    family: str
    missing: str
    due: str
    to_come: str
    both: str
    done: str


@functools.lru_cache(maxsize=16)
def _state_words(language: str) -> _Words:
    """`contact_state`'s words in `language` (the active one, which it is called with),
    translated once per language rather than on every placement of a page."""
    return _Words(
        student=_("the student"),
        family=_("the host family"),
        missing=_("No contact with %(side)s in %(month)s."),
        due=_("No contact with %(side)s yet this month; %(days)d day(s) left after today."),
        to_come=_("This month's contact with %(sides)s is still to come."),
        both=_(" and "),
        done=_("Both contacts of this month are recorded."),
    )


def first_missing_month(
    *,
    starts_on: datetime.date,
    student_months: Iterable[datetime.date],
    family_months: Iterable[datetime.date],
) -> datetime.date:
    """The first month, from `starts_on`'s month on, without a contact on both sides (the
    month after the last complete one when none is missing; contacts before the start do not
    count). What `Placement.first_missing_month` keeps, so the colour is a comparison
    (`with_contact_colour`): red when it is before the current month, amber when it is the
    current month in its last `AMBER_DAYS`, as `contact_state` decides from the months."""
    both = set(student_months) & set(family_months)
    month = month_of(starts_on)
    while month in both:
        month = next_month(month)
    return month


def refresh_contact_gap(placement: Placement) -> datetime.date:
    """Write `placement`'s `first_missing_month` from its contacts (one read, one update;
    the services that change a placement's contacts or its start call it in their
    transaction)."""
    rows = MonthlyContact.objects.filter(
        placement=placement, month__gte=month_of(placement.starts_on)
    ).order_by()
    months: dict[str, set[datetime.date]] = {side: set() for side in MonthlyContact.With}
    for month, side in rows.values_list("month", "contact_with"):
        months[side].add(month)
    gap = first_missing_month(
        starts_on=placement.starts_on,
        student_months=months[MonthlyContact.With.STUDENT],
        family_months=months[MonthlyContact.With.FAMILY],
    )
    Placement.objects.filter(pk=placement.pk).update(first_missing_month=gap)
    placement.first_missing_month = gap
    return gap


def monitored(placements: PlacementQuerySet, *, contacts: bool = True) -> PlacementQuerySet:
    """Placements with what the dashboards and the task show, and (unless not `contacts`)
    every contact's month and side prefetched (one query for all placements, whatever their
    number)."""
    found = placements.select_related(
        "student__person",
        "student__quota__host",
        "student__season",
        "approval__family",
        "school",
        "coordinator__user",
    )
    return found.prefetch_related(contact_months()) if contacts else found


def contact_months() -> Prefetch:
    """Every contact's month and side, as `placement_state` reads them (one query for a list
    of placements: `prefetch_related` or `prefetch_related_objects`)."""
    return Prefetch(
        "contacts",
        queryset=MonthlyContact.objects.only("placement_id", "month", "contact_with"),
        to_attr="contact_months",
    )


def placement_state(placement: Placement, today: datetime.date) -> ContactState:
    """`contact_state` of a placement fetched through `monitored` or given its months by
    `attach_contact_months` (no query)."""
    rows = getattr(placement, "contact_months", None)
    if rows is None:
        rows = list(placement.contacts.only("month", "contact_with"))
    since = getattr(placement, "contact_months_from", None)
    return months_state(placement.starts_on, today, rows, complete_before=since)


def months_state(
    starts_on: datetime.date,
    today: datetime.date,
    rows: Iterable[Any],
    *,
    complete_before: datetime.date | None = None,
) -> ContactState:
    """`contact_state` from contact rows (each with `month` and `contact_with`). With
    `complete_before` (the placement's stored `first_missing_month`), the rows need only start
    at that month: every month from the start's up to it is complete on both sides, by the
    stored month's definition (`first_missing_month`), and is not looked at again."""
    student: list[datetime.date] = []
    family: list[datetime.date] = []
    for row in rows:
        (student if row.contact_with == MonthlyContact.With.STUDENT else family).append(row.month)
    return contact_state(
        starts_on=starts_on,
        today=today,
        student_months=student,
        family_months=family,
        complete_before=complete_before,
    )


# --- The same rule in SQL, for the colour's counts, filter and order over every placement ------


def colour_conditions(today: datetime.date) -> dict[str, Q]:
    """`contact_state`'s red and amber stated for the database on the placement's stored
    `first_missing_month` (green is neither): a placement not started is green; it is red when
    that month is before this one (a past month lacks a side); in the last `AMBER_DAYS` of the
    month (a test on today, the same for every placement) it is amber when that month is this
    one (a side missing this month; outside those days no condition is given for amber). A
    comparison of one column: no contact is read."""
    current = month_of(today)
    started = Q(starts_on__lte=today)
    found = {RED: started & Q(first_missing_month__lt=current)}
    left = calendar.monthrange(today.year, today.month)[1] - today.day
    if left < AMBER_DAYS:
        found[AMBER] = started & Q(first_missing_month=current)
    return found


def with_contact_colour(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> PlacementQuerySet:
    """`contact_state`'s colour computed by the database, as `contact_colour`
    (`colour_conditions`), so the dashboards count, filter and order every placement without
    reading its contacts; only the page shown is then read in full through `months_state`.
    The same rule as `contact_state` (tests/exchanges/test_monitoring.py checks that both
    agree)."""
    found = colour_conditions(today or association_today())
    whens = [When(condition, then=Value(colour)) for colour, condition in found.items()]
    colour = Case(*whens, default=Value(GREEN), output_field=CharField())
    return placements.annotate(contact_colour=colour)


def colour_counts(
    placements: PlacementQuerySet, today: datetime.date | None = None
) -> dict[str, int]:
    """How many current `placements` are red, amber and green, counted by the database in one
    query (conditional aggregation on `colour_conditions`), whatever their number."""
    found = colour_conditions(today or association_today())
    counts = dict.fromkeys(ORDER, 0)
    counts.update(
        placements.current()
        .order_by()
        .aggregate(
            **{GREEN: Count("pk")},
            **{colour: Count("pk", filter=condition) for colour, condition in found.items()},
        )
    )
    counts[GREEN] -= counts[RED] + counts[AMBER]  # every placement, less the red and amber
    return counts


def dashboard_order(
    placements: PlacementQuerySet, today: datetime.date | None = None, *, colour: str = ""
) -> Any:
    """The current `placements` (of one `colour`, if given) in the dashboards' order, sorted by
    the database: red first, then amber, then green, each by the student's name; as rows of
    `DASHBOARD_FIELDS` and `DASHBOARD_RELATED` (values: a page is one slice, `dashboard_rows`
    adds the states)."""
    found = with_contact_colour(placements.current(), today)
    if colour:
        found = found.filter(contact_colour=colour)  # type: ignore[misc]
    rank = Case(
        *(When(contact_colour=c, then=Value(n)) for c, n in ORDER.items()),
        output_field=IntegerField(),
    )
    return found.order_by(
        rank, "student__person__first_name", "student__person__last_name", "pk"
    ).values(*DASHBOARD_FIELDS, **DASHBOARD_RELATED)


# The SQL of `dashboard_order`, kept per process by what it is made from: the placements' own
# query (the viewer's scope and filters), the day and the colour kept (`dashboard_rows_of`).
# Building its colour and order expressions and compiling them cost about as much as the
# database sorting every placement (bench/exchanges.py); the database still runs it on every
# request, so what it returns is never stale. A few dozen keys at most: a day's scopes.
_DASHBOARD_SQL: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]] = {}
_DASHBOARD_SQL_KEPT = 64


def dashboard_rows_of(
    placements: PlacementQuerySet, today: datetime.date | None = None, *, colour: str = ""
) -> "KeptRows":
    """`dashboard_order`'s rows for a paginator: each page read with the query's SQL, compiled
    once per scope, day and colour (`_DASHBOARD_SQL`), as rows of dicts with the same keys."""
    today = today or association_today()
    scope_sql, scope_params = placements.current().values_list("pk").query.sql_with_params()
    key = (placements.db, scope_sql, tuple(scope_params), today, colour)
    compiled = _DASHBOARD_SQL.get(key)
    if compiled is None:
        found = dashboard_order(placements, today, colour=colour)
        sql, params = found.query.sql_with_params()
        compiled = (sql, tuple(params))
        if len(_DASHBOARD_SQL) >= _DASHBOARD_SQL_KEPT:
            _DASHBOARD_SQL.clear()
        _DASHBOARD_SQL[key] = compiled
    return KeptRows(placements.db, *compiled)


class KeptRows:
    """The rows of a compiled, ordered values query, a slice at a time (`LIMIT`/`OFFSET`), as
    dicts of its columns: the database driver's values, none of the ORM's converters."""

    def __init__(self, using: str, sql: str, params: tuple[Any, ...]) -> None:
        self.using, self.sql, self.params = using, sql, params

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        start = int(index.start or 0)
        limit = int(index.stop) - start
        if limit <= 0:
            return []  # no query, as the ORM for an empty slice
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"{self.sql} LIMIT {limit} OFFSET {start}", self.params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class Counted:
    """A queryset whose length is already known (the dashboards' `colour_counts`), for Django's
    Paginator: it slices the queryset without a COUNT query of its own."""

    def __init__(self, queryset: Any, count: int) -> None:
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self.queryset[index]


class _Month(NamedTuple):
    month: datetime.date
    contact_with: str


def attach_contact_months(placements: list[Placement]) -> list[Placement]:
    """`placement_state`'s months for these placements (a page), as light rows in one query:
    only the contacts from each placement's stored `first_missing_month` on (the months
    before it are complete on both sides), a few rows a placement rather than two a month."""
    months = _months_from_gap([p.pk for p in placements])
    for placement in placements:
        rows = [_Month(month, side) for month, side in months[placement.pk]]
        placement.contact_months = rows  # type: ignore[attr-defined]
        placement.contact_months_from = placement.first_missing_month  # type: ignore[attr-defined]
    return placements


def _months_from_gap(ids: list[int]) -> dict[int, list[tuple[datetime.date, str]]]:
    """The (month, side) of the contacts of the placements `ids` from each one's
    `first_missing_month` on, by placement (one query, `rows_by_ids`)."""
    months: dict[int, list[tuple[datetime.date, str]]] = {pk: [] for pk in ids}
    _names, rows = rows_by_ids("exchanges.contact_months", ids, _contact_months)
    for pk, month, side in rows:
        months[pk].append((month, side))
    return months


def _contact_months(ids: list[int]) -> Any:
    return (
        MonthlyContact.objects.filter(
            placement__in=ids, month__gte=F("placement__first_missing_month")
        )
        .order_by()
        .values_list("placement_id", "month", "contact_with")
    )


# The SQL of a page's reads by ids (`rows_by_ids`), kept per process by the read's name, the
# database and the number of ids. Building and compiling a query cost more than the database
# running it for a page (a millisecond for the compliance page's placements, bench/exchanges.py);
# the database still runs it on every request, so what it returns is never stale. A few dozen
# keys: a page has 25 or 50 rows, its last page fewer.
_BY_IDS: dict[tuple[str, str, int], tuple[str, tuple[Any, ...]]] = {}
_BY_IDS_KEPT = 256


def rows_by_ids(
    name: str, ids: Iterable[int], make: Callable[[list[int]], Any], using: str = DEFAULT_DB_ALIAS
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names and rows (plain tuples: the database driver's values, none of the ORM's
    converters) of `make(ids)`, a values query whose only parameters that vary are the `ids`
    of its last filter (`field__in=ids`). Its SQL is compiled once per `name`, database and
    number of ids and kept (`_BY_IDS`); when the compiled parameters do not end with the ids
    (a query of another shape), it is not kept. No query for no ids."""
    ids = list(dict.fromkeys(ids))  # as the database's IN reads them: each once, in order
    if not ids:
        return [], []
    key = (name, using, len(ids))
    compiled = _BY_IDS.get(key)
    if compiled is None:
        sql, params = make(ids).using(using).query.sql_with_params()
        if tuple(params[len(params) - len(ids) :]) == tuple(ids):
            if len(_BY_IDS) >= _BY_IDS_KEPT:
                _BY_IDS.clear()
            _BY_IDS[key] = (sql, tuple(params[: len(params) - len(ids)]))
    else:
        sql, params = compiled[0], (*compiled[1], *ids)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return names, cursor.fetchall()


# What a dashboard row shows, read as values (no model instance).
DASHBOARD_FIELDS = ("pk", "starts_on", "first_missing_month")
DASHBOARD_RELATED = {
    "first_name": F("student__person__first_name"),
    "last_name": F("student__person__last_name"),
    "committee": F("student__quota__host__name"),
    "family_name": F("approval__family__family_name"),
    "coordinator_name": F("coordinator__name"),
}


def dashboard_rows(
    rows: Iterable[dict[str, Any]], today: datetime.date | None = None
) -> list[tuple[dict[str, Any], ContactState]]:
    """A page of `dashboard_order` rows, each (plus `name`) with its full state and reasons
    (`contact_state` on the contacts from its stored first missing month; one query)."""
    today = today or association_today()
    rows = list(rows)
    months = _months_from_gap([row["pk"] for row in rows])
    found = []
    for row in rows:
        row["name"] = f"{row['first_name']} {row['last_name']}"
        student: list[datetime.date] = []
        family: list[datetime.date] = []
        for month, side in months[row["pk"]]:
            (student if side == MonthlyContact.With.STUDENT else family).append(month)
        state = contact_state(
            starts_on=row["starts_on"],
            today=today,
            student_months=student,
            family_months=family,
            complete_before=row["first_missing_month"],
        )
        found.append((row, state))
    return found


@transaction.atomic
def record_contact(
    *,
    placement: Placement,
    contact_with: str,
    contacted_on: datetime.date,
    method: str,
    notes: str = "",
    by: Any,
) -> MonthlyContact:
    """Record a month's contact with the student or the family (the hosting committee's
    admins and coordinators, verified staff). Refused: a contact in the future, before the
    placement starts, on an ended placement, or a second one for the same month and side."""
    require(by, "exchanges.manage_committee", placement.student.quota.host)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_at is not None:
        raise ValidationError(_("This placement has ended: contacts are no longer recorded."))
    if contacted_on > association_today():
        raise ValidationError({"contacted_on": _("The contact date is in the future.")})
    if contacted_on < placement.starts_on:
        raise ValidationError(
            {
                "contacted_on": _("The placement starts on %(date)s: the contact is before it.")
                % {"date": date_format(placement.starts_on, "DATE_FORMAT")}
            }
        )
    month = month_of(contacted_on)
    if MonthlyContact.objects.filter(
        placement=placement, month=month, contact_with=contact_with
    ).exists():
        raise ValidationError(
            {
                "contacted_on": _("A contact with %(side)s in %(month)s is already recorded.")
                % {
                    "side": MonthlyContact.With(contact_with).label,
                    "month": month_label(month),
                }
            }
        )
    contact = MonthlyContact(
        placement=placement,
        month=month,
        contact_with=contact_with,
        contacted_on=contacted_on,
        method=method,
        notes=notes.strip(),
        recorded_by=acting_user(by),
    )
    contact.full_clean()
    contact.save()
    refresh_contact_gap(placement)
    log_activity(
        placement,
        "exchanges.contact.recorded",
        by=by,
        data={"month": month.isoformat(), "with": contact_with, "method": method},
    )
    return contact


def send_contact_alerts(*, today: datetime.date | None = None, by: Any) -> int:
    """E-mail each current placement's coordinator about its overdue months, each month once
    (a `ContactAlert` row per placement and month; a second run sends nothing). SYSTEM or
    verified staff. Returns how many e-mails were queued."""
    require(by, "exchanges.manage_seasons")
    today = today or association_today()
    sent = 0
    placements = monitored(Placement.objects.current().filter(starts_on__lt=month_of(today)))
    placements = placements.prefetch_related("alerts")
    for placement in placements:
        state = placement_state(placement, today)
        done = {alert.month for alert in placement.alerts.all()}
        new = [month for month in state.overdue if month not in done]
        if not new:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ContactAlert.objects.bulk_create(
                        [ContactAlert(placement=placement, month=month) for month in new]
                    )
            except IntegrityError:
                continue  # another run sent them
            _alert_mail(placement, new, state, by)
            sent += 1
    return sent


def _alert_mail(
    placement: Placement, months: list[datetime.date], state: ContactState, by: Any
) -> None:
    host = placement.student.quota.host
    queue_email(
        to=placement.coordinator.user.email,
        template=emails.CONTACT_OVERDUE,
        context={
            "coordinator_name": placement.coordinator.name,
            "student_name": placement.student.name,
            "committee": host.name,
            "months": ", ".join(month_label(m) for m in months),
            "missing": " ".join(state.reasons),
            "page_url": absolute_url(
                reverse("exchanges:placement_contacts", kwargs={"pk": placement.pk})
            ),
        },
        recipient=placement.coordinator.user,
        related=placement,
        by=by,
        key=f"exchanges.contact_overdue.{placement.pk}.{months[0]:%Y-%m}.{len(months)}",
    )
    log_activity(
        placement,
        "exchanges.contact.alerted",
        by=by,
        data={"months": [m.isoformat() for m in months]},
    )
