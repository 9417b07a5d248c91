"""Membership types (periods, roll-over, fee table) and the dated status rules, in Python and
in SQL, on the days around each boundary."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.factories.members import MembershipFactory, MembershipTypeFactory
from twinning.members.models import Membership, MembershipType, Status
from twinning.members.status import member_status

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 7, 1), D(2027, 6, 30)),  # first day of the fiscal year
        (D(2026, 12, 15), D(2027, 6, 30)),  # mid-year join: to the end of this year
        (D(2027, 3, 31), D(2027, 6, 30)),  # the day before the roll-over
        (D(2027, 4, 1), D(2028, 6, 30)),  # the roll-over date: covers the next year too
        (D(2027, 6, 30), D(2028, 6, 30)),  # last day of the year, after the roll-over
    ],
)
def test_fixed_period_runs_to_fiscal_year_end_and_rolls_over(db, start, end):
    kind = MembershipTypeFactory()

    assert kind.period_for(start) == (start, end)


def test_fixed_period_without_rollover_never_covers_next_year(db):
    kind = MembershipTypeFactory(rollover_month=None, rollover_day=None)

    assert kind.period_for(D(2027, 6, 1)) == (D(2027, 6, 1), D(2027, 6, 30))


def test_calendar_fiscal_year(db):
    kind = MembershipTypeFactory(fiscal_year_start_month=1, rollover_month=10, rollover_day=1)

    assert kind.period_for(D(2026, 9, 30)) == (D(2026, 9, 30), D(2026, 12, 31))
    assert kind.period_for(D(2026, 10, 1)) == (D(2026, 10, 1), D(2027, 12, 31))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 3, 15), D(2027, 3, 14)),
        (D(2024, 2, 29), D(2025, 2, 27)),  # leap day: 12 months is 28 February, less a day
        (D(2026, 1, 31), D(2027, 1, 30)),
    ],
)
def test_rolling_period_is_twelve_months_less_a_day(db, start, end):
    kind = MembershipTypeFactory(period=MembershipType.Period.ROLLING)

    assert kind.period_for(start) == (start, end)


@pytest.mark.parametrize(
    ("population", "fee"),
    [
        (0, "300.00"),
        (None, "300.00"),
        (50_000, "300.00"),
        (50_001, "750.00"),
        (9_000_000, "750.00"),
    ],
)
def test_fee_by_population_band(db, population, fee):
    kind = MembershipTypeFactory()

    assert kind.fee_for(population) == Decimal(fee)


def test_no_fee_when_no_band_fits(db):
    kind = MembershipTypeFactory(bands=[(1000, 5000, Decimal("100.00"))])

    assert kind.fee_for(10) is None


def test_invalid_fiscal_start_is_refused(db):
    kind = MembershipTypeFactory.build(fiscal_year_start_month=2, fiscal_year_start_day=30)

    with pytest.raises(Exception) as error:
        kind.full_clean()

    assert "fiscal_year_start_day" in error.value.message_dict


# The membership ends 2027-06-30 with 30 days of grace (to 2027-07-30).
BOUNDARIES = [
    (D(2026, 6, 30), Status.UPCOMING),  # the day before the start
    (D(2026, 7, 1), Status.CURRENT),  # the start
    (D(2027, 6, 29), Status.CURRENT),  # the day before the end
    (D(2027, 6, 30), Status.CURRENT),  # the end
    (D(2027, 7, 1), Status.GRACE),  # the day after the end
    (D(2027, 7, 30), Status.GRACE),  # the end of grace
    (D(2027, 7, 31), Status.EXPIRED),  # the day after grace
]


@pytest.mark.parametrize(("day", "status"), BOUNDARIES)
def test_status_on_each_boundary(db, day, status):
    membership = MembershipFactory()

    assert membership.status_on(day) == status


@pytest.mark.parametrize(("day", "status"), BOUNDARIES)
def test_sql_status_agrees_with_python_on_each_boundary(db, day, status):
    membership = MembershipFactory()

    annotated = Membership.objects.with_status(day).get(pk=membership.pk)

    assert annotated.status_value == status


@pytest.mark.parametrize(("day", "status"), BOUNDARIES)
def test_member_status_today_follows_the_clock(db, day, status):
    membership = MembershipFactory()

    # Noon in New York (the association's zone) on that day.
    with time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 17, 0, tzinfo=datetime.UTC)
    ):
        result = member_status(membership.member)

    assert result.status == status


def test_association_day_not_utc_day_decides(db):
    membership = MembershipFactory()

    # 2027-07-01 02:00 UTC is still 30 June in New York: the membership is current.
    with time_machine.travel(datetime.datetime(2027, 7, 1, 2, 0, tzinfo=datetime.UTC)):
        assert member_status(membership.member).status == Status.CURRENT


def test_pending_until_approved(db):
    membership = MembershipFactory(approved_at=None)

    assert membership.status_on(D(2026, 8, 1)) == Status.PENDING


def test_cancelled_from_its_date(db):
    membership = MembershipFactory(cancelled_on=D(2027, 1, 1), cancel_reason="Resigned")

    assert membership.status_on(D(2026, 12, 31)) == Status.CURRENT
    assert membership.status_on(D(2027, 1, 1)) == Status.CANCELLED


def test_override_holds_until_its_end_date(db):
    membership = MembershipFactory(
        override_status=Status.CURRENT,
        override_reason="Paying late by agreement",
        override_until=D(2027, 9, 30),
    )

    assert membership.status_on(D(2027, 9, 30)) == Status.CURRENT
    assert membership.status_on(D(2027, 10, 1)) == Status.EXPIRED
    sql = Membership.objects.with_status(D(2027, 9, 30)).get(pk=membership.pk)
    assert sql.status_value == Status.CURRENT


def test_member_status_prefers_the_current_membership(db):
    old = MembershipFactory(start=D(2025, 7, 1), end=D(2026, 6, 30))
    MembershipFactory(member=old.member)

    result = member_status(old.member, D(2026, 8, 1))

    assert result.status == Status.CURRENT
    assert result.membership.start == D(2026, 7, 1)


def test_member_without_membership(db, springfield_member):
    result = member_status(springfield_member, D(2026, 8, 1))

    assert (result.status, result.explanation) == (None, "No membership on record.")
