"""`manage.py send_due_messages`: what the worker or cron runs."""

import pytest
from django.core import mail
from django.core.management import call_command

from tests.outbox.conftest import REMINDER, REMINDER_CONTEXT
from twinning.outbox.models import OutboxMessage
from twinning.outbox.services import queue_email

pytestmark = pytest.mark.django_db


def test_send_due_messages_sends_queued_mail_and_says_so(capsys):
    queue_email(to="a@example.org", template=REMINDER, context=REMINDER_CONTEXT)  # not committed

    call_command("send_due_messages")

    assert capsys.readouterr().out.strip() == "sent: 1"
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1


def test_send_due_messages_with_nothing_due(capsys):
    call_command("send_due_messages", "--limit", "5")

    assert capsys.readouterr().out.strip() == "nothing due"
