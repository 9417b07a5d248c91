"""Property tests (hypothesis): the ledger always balances per currency (money in minus
approved money out is the balance, whatever is refused on the way), and a need's fulfilment is
exactly the sum of confirmed receipts, never what was only pledged or shipped; a money need's
is the sum of the gifts received against it, never beyond what was received; and the running
totals always equal the sums over the rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.relief.helpers import (
    goods_pledge,
    kept_totals,
    ledger_lines,
    recomputed_totals,
    shipped,
)
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.members.payments import from_minor_units
from twinning.relief import queries
from twinning.relief.models import Appeal, Expense
from twinning.relief.services import (
    add_need,
    confirm_need,
    confirm_receipt,
    confirm_skills_delivered,
    create_appeal,
    decide_expense,
    record_donation,
    record_pledge,
    set_appeal_status,
)

pytestmark = pytest.mark.django_db
CURRENCIES = ["USD", "JPY", "KWD", "EUR"]
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

movements = st.lists(
    st.tuples(
        st.sampled_from(["in", "out"]),
        st.sampled_from(CURRENCIES),
        st.integers(min_value=1, max_value=5_000_000),
    ),
    min_size=1,
    max_size=12,
)


def _appeal(community) -> Appeal:
    appeal = create_appeal(
        kind="project",
        title="Property",
        community=community,
        goal=Decimal(1000),
        currency="USD",
        starts_on=association_today() - datetime.timedelta(days=5),
        by=SYSTEM,
    )
    need = add_need(
        appeal=appeal, kind="goods", title="Wells", quantity=10, unit="wells", by=SYSTEM
    )
    confirm_need(need=need, by=SYSTEM)
    return set_appeal_status(appeal=appeal, status="open", by=SYSTEM)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURES)
@given(movements)
def test_the_ledger_balances_per_currency(partner, staff_user, moves):
    appeal = _appeal(partner.community)
    expected: dict[str, Decimal] = {}

    for direction, currency, minor in moves:
        amount = from_minor_units(minor, currency)
        if direction == "in":
            record_donation(
                appeal=appeal,
                amount=amount,
                currency=currency,
                received_on=association_today(),
                name="Donor",
                by=SYSTEM,
            )
            expected[currency] = expected.get(currency, Decimal(0)) + amount
            continue
        expense = Expense.objects.create(
            appeal=appeal,
            description="Bought",
            amount=amount,
            currency=currency,
            spent_on=association_today(),
            receipt_name="relief/p.pdf",
            receipt_mime="application/pdf",
            receipt_display_name="p.pdf",
        )
        if expected.get(currency, Decimal(0)) >= amount:
            decide_expense(expense=expense, approve=True, by=staff_user)
            expected[currency] -= amount

    balances = {b.currency: b for b in queries.balances(appeal)}
    rows = ledger_lines(appeal)
    for currency, balance in balances.items():
        assert balance.received - balance.spent == balance.balance
        assert balance.balance == expected[currency]
        assert balance.balance >= 0
        lines = sum(
            (Decimal(r[3]) for r in rows if r[4] == currency and r[1] in ("in", "out")),
            Decimal(0),
        )
        assert lines == balance.balance
        assert [Decimal(r[3]) for r in rows if r[4] == currency and r[1] == "balance"] == [
            balance.balance
        ]
    assert set(balances) == {c for d, c, _m in moves if d == "in"}
    assert kept_totals(appeal) == recomputed_totals(appeal)


shipments = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=40),  # sent
        st.integers(min_value=0, max_value=45),  # counted by the partner
        st.booleans(),  # the partner confirmed the receipt
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURES)
@given(shipments)
def test_fulfilment_is_exactly_what_confirmed_receipts_counted(partner, plan):
    appeal = _appeal(partner.community)
    need = appeal.needs.get()

    for sent, counted, confirmed in plan:
        shipment = shipped(appeal, [goods_pledge(appeal, need, sent)])
        if confirmed:
            line = shipment.lines.get()
            confirm_receipt(shipment=shipment, counts={line.pk: counted}, by=SYSTEM)

    need.refresh_from_db()
    assert need.fulfilled == sum(c for _s, c, ok in plan if ok)
    assert need.pledged == sum(s for s, _c, _ok in plan)


gifts = st.lists(
    st.tuples(
        st.sampled_from(["gift", "pledge"]),
        st.booleans(),  # against the money need
        st.integers(min_value=1, max_value=2_000_000),  # cents
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURES)
@given(gifts)
def test_a_money_need_is_fulfilled_by_gifts_received_against_it_never_beyond(partner, plan):
    appeal = _appeal(partner.community)
    need = add_need(
        appeal=appeal, kind="money", title="Funds", quantity=1000, unit="USD", by=SYSTEM
    )
    need = confirm_need(need=need, by=SYSTEM)

    for what, against, cents in plan:
        amount = from_minor_units(cents, "USD")
        if what == "pledge":
            record_pledge(appeal=appeal, kind="money", amount=amount, name="P", by=SYSTEM)
            continue
        record_donation(
            appeal=appeal,
            amount=amount,
            currency="USD",
            received_on=association_today(),
            name="Donor",
            need=need if against else None,
            by=SYSTEM,
        )

    need.refresh_from_db()
    received = kept_totals(appeal).get("USD", (Decimal(0),))[0]
    assert need.received_money == sum(
        (from_minor_units(c, "USD") for w, a, c in plan if w == "gift" and a), Decimal(0)
    )
    assert need.received_money <= received
    assert need.fulfilled == 0  # a money need counts money, never pledged or shipped units
    assert kept_totals(appeal) == recomputed_totals(appeal)


deliveries = st.lists(
    st.tuples(st.integers(min_value=1, max_value=6), st.integers(min_value=0, max_value=8)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=20, deadline=None, suppress_health_check=FIXTURES)
@given(deliveries)
def test_a_skills_need_is_fulfilled_by_confirmed_deliveries_never_beyond_the_pledges(partner, plan):
    appeal = _appeal(partner.community)
    need = confirm_need(
        need=add_need(
            appeal=appeal, kind="skills", title="Days", quantity=20, unit="days", by=SYSTEM
        ),
        by=SYSTEM,
    )
    confirmed = 0
    for promised, delivered in plan:
        pledge = goods_pledge(appeal, need, promised)
        try:
            confirm_skills_delivered(pledge=pledge, quantity=delivered, by=SYSTEM)
        except ValidationError:
            continue
        confirmed += delivered

    need.refresh_from_db()
    assert need.fulfilled == confirmed == sum(d for p, d in plan if 0 < d <= p)
    assert need.fulfilled <= need.pledged
