"""On PostgreSQL, 50 committees pledge goods against one need and confirm their receipts at the
same moment: the need's pledged and fulfilled quantities are exact (F() under the row lock),
equal to the sum of the pledges and of the confirmed receipts."""

import threading

import pytest
from django.db import connection, connections

from tests.relief.helpers import make_appeal, partner_city
from twinning.core.authz import SYSTEM
from twinning.relief.models import ShipmentLine
from twinning.relief.services import confirm_receipt, create_shipment, record_pledge

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
