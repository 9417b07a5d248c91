"""The outbox's part in forgetting a person (PRIV: erasure and retention): the messages to
their addresses, or about their objects, leave the outbox. Other apps call this, never the
outbox's tables."""

from collections.abc import Iterable

from django.db.models import Q

from twinning.core.privacy import Subjects, subjects_condition
from twinning.outbox.models import OutboxMessage


def forget_messages(*, addresses: Iterable[str] = (), subjects: Subjects = ()) -> int:
    """Delete every message sent or waiting to these addresses (case-insensitively) or about
    these objects, whatever its state. Returns how many messages were deleted."""
    condition = subjects_condition(subjects)
    for address in {a.strip().lower() for a in addresses if a and a.strip()}:
        condition |= Q(to__iexact=address)
    deleted, _by_model = OutboxMessage.objects.filter(condition).delete()
    return deleted
