"""Background work of the outbox (C13): sending one message, and sending whatever is due."""

import logging

from django_tasks import task

from twinning.outbox.services import send_due_messages, send_message

logger = logging.getLogger(__name__)


@task()
def send_message_task(message_id: int) -> str:
    """Send one queued message (enqueued on commit by the services). Safe to run twice: the
    message is claimed atomically, so only one run sends it (IDEM-4). Returns the outcome."""
    return send_message(message_id=message_id)


@task()
def send_due_messages_task(limit: int = 200) -> dict[str, int]:
    """Send messages whose next attempt is due (retries after a mail server error)."""
    outcomes = send_due_messages(limit=limit)
    logger.info("outbox run: %s", outcomes)
    return outcomes
