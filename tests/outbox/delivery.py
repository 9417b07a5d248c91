"""What a recipient reads: an outbox message sent the way the worker sends it (the outbox
stores live links redacted; only the e-mail sent carries them)."""

from django.core import mail

from twinning.outbox.models import OutboxMessage
from twinning.outbox.services import send_message


def delivered_body(message: OutboxMessage) -> str:
    """Send `message` (queued and due) through the outbox's sender; the body that went out."""
    before = len(mail.outbox)
    assert send_message(message_id=message.pk) == "sent"
    assert len(mail.outbox) == before + 1
    return mail.outbox[-1].body
