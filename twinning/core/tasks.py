"""Background work with no domain (C13): sending one e-mail."""

import logging

from django.core.mail import send_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email_task(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; services enqueue it on commit. Returns messages sent."""
    sent = send_mail(subject, body, None, to)
    logger.info("sent e-mail %r to %d recipient(s)", subject, len(to))
    return sent
