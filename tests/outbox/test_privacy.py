"""The outbox forgets a person through its own service (issue 7): messages to their addresses
or about their objects leave the outbox, whatever their state; other mail stays."""

import pytest
from django.utils import timezone

from tests.factories import CommunityFactory
from tests.outbox.conftest import REMINDER, REMINDER_CONTEXT
from twinning.network.models import Community
from twinning.outbox.models import OutboxMessage
from twinning.outbox.privacy import forget_messages
from twinning.outbox.services import queue_email


def _queue(to, **kwargs):
    return queue_email(to=to, template=REMINDER, context=REMINDER_CONTEXT, hold=True, **kwargs)


@pytest.mark.django_db
def test_messages_to_an_address_are_deleted_in_every_state_whatever_its_case():
    held = _queue("ana@example.org")
    sent = _queue("ana@example.org")
    OutboxMessage.objects.filter(pk=sent.pk).update(
        state=OutboxMessage.State.SENT, sent_at=timezone.now()
    )
    kept = _queue("ben@example.org")

    assert forget_messages(addresses=[" Ana@Example.org "]) == 2

    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not OutboxMessage.objects.filter(pk__in=[held.pk, sent.pk]).exists()


@pytest.mark.django_db
def test_messages_about_an_object_are_deleted():
    forgotten, other = CommunityFactory(), CommunityFactory()
    about = _queue("office@example.org", related=forgotten)
    kept = _queue("office@example.org", related=other)

    assert forget_messages(subjects=[(Community, [forgotten.pk])]) == 1

    assert not OutboxMessage.objects.filter(pk=about.pk).exists()
    assert OutboxMessage.objects.filter(pk=kept.pk).exists()


@pytest.mark.django_db
def test_nothing_named_deletes_nothing():
    message = _queue("ana@example.org")

    assert forget_messages() == 0
    assert forget_messages(addresses=["", "  "]) == 0
    assert OutboxMessage.objects.filter(pk=message.pk).exists()
