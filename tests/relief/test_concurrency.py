"""On PostgreSQL, 50 committees pledge goods against one need and confirm their receipts at the
same moment, while staff record 50 gifts (against the appeal's money need) and 50 money
pledges: the need's pledged and fulfilled quantities, the money need's received money and the
appeal's running totals are exact (F() under row locks), equal to the sums over the rows."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from tests.relief.helpers import kept_totals, make_appeal, partner_city, recomputed_totals
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.relief.models import ShipmentLine
from twinning.relief.services import (
    add_need,
    confirm_need,
    confirm_receipt,
    create_shipment,
    record_donation,
    record_pledge,
)

# PostgreSQL serves this machine's other test runs too: the 50 writers share 20 connections.
POOL = 20
PEOPLE = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_50_pledges_and_receipts_at_once_against_one_need_leave_fulfilment_exact():
    assert connection.vendor == "postgresql"
    partner = partner_city()
    appeal = make_appeal(community=partner.community)
    need = appeal.needs.get()
    money = confirm_need(
        need=add_need(
            appeal=appeal, kind="money", title="Funds", quantity=500, unit="USD", by=SYSTEM
        ),
        by=SYSTEM,
    )
    barrier = threading.Barrier(PEOPLE)
    gate = threading.BoundedSemaphore(POOL)
    failures: list[str] = []

    def run(n: int) -> None:
        barrier.wait()
        with gate:
            try:
                pledge = record_pledge(
                    appeal=appeal, kind="goods", need=need, quantity=3, name=f"C{n}", by=SYSTEM
                )
                shipment = create_shipment(appeal=appeal, lines=[(pledge, 3)], by=SYSTEM)
                line = shipment.lines.get()
                confirm_receipt(shipment=shipment, counts={line.pk: 2}, by=SYSTEM)
                record_pledge(appeal=appeal, kind="money", amount="1.25", name=f"M{n}", by=SYSTEM)
                record_donation(
                    appeal=appeal,
                    amount="2.50",
                    currency="USD",
                    received_on=association_today(),
                    name=f"D{n}",
                    need=money,
                    by=SYSTEM,
                )
            except Exception as error:  # any failure is what this test counts
                failures.append(f"{type(error).__name__}: {error}")
            finally:
                connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    need.refresh_from_db()
    assert failures == []
    assert (need.pledged, need.fulfilled) == (3 * PEOPLE, 2 * PEOPLE)
    assert sum(ShipmentLine.objects.filter(need=need).values_list("received", flat=True)) == 100
    money.refresh_from_db()
    appeal.refresh_from_db()
    assert money.received_money == Decimal("2.50") * PEOPLE
    assert kept_totals(appeal) == recomputed_totals(appeal)
    assert kept_totals(appeal)["USD"] == (
        Decimal("2.50") * PEOPLE,
        Decimal(0),
        Decimal("1.25") * PEOPLE,
        PEOPLE,
    )
    assert appeal.pledge_count == 2 * PEOPLE
    assert appeal.ledger_version == PEOPLE
