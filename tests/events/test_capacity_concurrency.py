"""Capacity is never exceeded, whatever the concurrency: with 10 seats left and 200 people
registering at once on PostgreSQL, exactly 10 succeed and the others are told the event is
full (and offered the waiting list), with no error; on SQLite, 8 people registering at once see
no 'database is locked' and every outcome is right."""

import threading

import pytest
from django.db import connection, connections

from tests.events.registration_helpers import make_event, make_ticket
from tests.factories import UserFactory
from twinning.events.models import Attendee, Order
from twinning.events.services.registration import SoldOut, register_for_event, seats_available

# PostgreSQL serves this machine's other test runs too (max_connections 100): the 200 clients
# share 20 connections, as 200 browsers share a web server's pool of workers.
POOL = 20


def _race(event, ticket, users, pool: int | None = None) -> list[str]:
    barrier = threading.Barrier(len(users))
    gate = threading.BoundedSemaphore(pool or len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(user) -> None:
        barrier.wait()
        try:
            with gate:
                try:
                    register_for_event(
                        event=event,
                        ticket=ticket,
                        first_name="Ada",
                        last_name=user.email,
                        email=user.email,
                        by=user,
                    )
                    outcome = "registered"
                except SoldOut as refusal:
                    outcome = "full: " + " ".join(refusal.messages)
                except Exception as error:  # any other failure is what this test counts
                    outcome = f"failed: {type(error).__name__}: {error}"
                finally:
                    connections.close_all()
        finally:
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _assert_exactly(outcomes, seats, people):
    failures = [o for o in outcomes if o.startswith("failed")]
    assert failures == []
    assert outcomes.count("registered") == seats
    assert outcomes.count("full: Sorry, this event is full.") == people - seats
    assert Attendee.objects.holding_seats().count() == seats
    assert Order.objects.count() == seats


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capa_200_at_once_for_10_seats_on_postgresql_sell_exactly_10():
    assert connection.vendor == "postgresql"
    event = make_event(capacity=10)
    ticket = make_ticket(event)
    users = [UserFactory() for _ in range(200)]

    outcomes = _race(event, ticket, users, pool=POOL)

    _assert_exactly(outcomes, 10, 200)
    assert seats_available(event) == 0


@pytest.mark.django_db(transaction=True)
def test_capa_8_at_once_on_sqlite_see_no_database_locked_and_sell_exactly_the_seats():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test above")
    event = make_event(capacity=5)
    ticket = make_ticket(event)
    users = [UserFactory() for _ in range(8)]

    outcomes = _race(event, ticket, users)

    assert not any("locked" in o for o in outcomes), outcomes
    _assert_exactly(outcomes, 5, 8)


@pytest.mark.django_db(transaction=True)
def test_capa_8_at_once_on_sqlite_with_room_for_all_register_all():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant")
    event = make_event(capacity=100)
    ticket = make_ticket(event)
    users = [UserFactory() for _ in range(8)]

    outcomes = _race(event, ticket, users)

    assert outcomes == ["registered"] * 8
    assert seats_available(event) == 92
