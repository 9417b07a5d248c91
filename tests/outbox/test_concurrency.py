"""Senders racing for one message send it once, and the same event queued at once by several
writers stores one message (IDEM-4; on SQLite here, on PostgreSQL in .ci/run)."""

import threading

import pytest
from django.core import mail
from django.db import connections

from tests.outbox.conftest import REMINDER, REMINDER_CONTEXT
from twinning.outbox.models import OutboxMessage
from twinning.outbox.services import queue_email, send_message

RACERS = 6


def _race(target) -> list[str]:
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = target()
        except Exception as error:  # any failure is what this test counts
            outcome = f"failed: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_senders_racing_for_one_message_send_it_once():
    message = queue_email(
        to="ada@example.org", template=REMINDER, context=REMINDER_CONTEXT, hold=True
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="queued", next_attempt_at=message.created_at
    )

    outcomes = _race(lambda: send_message(message_id=message.pk))

    assert sorted(outcomes) == ["sent"] + ["skipped"] * (RACERS - 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_event_queued_at_once_stores_one_message():
    outcomes = _race(
        lambda: (
            queue_email(
                to="ada@example.org",
                template=REMINDER,
                context=REMINDER_CONTEXT,
                hold=True,
                key="renewal:7:30",
            ).pk
        )
    )

    assert len(set(outcomes)) == 1, outcomes
    assert OutboxMessage.objects.count() == 1
