"""The outbox's admin pages: readable by verified staff, closed to everyone else, and with no
way to change mail there (that goes through the outbox's pages and services)."""

import pytest
from django.urls import reverse

from tests.outbox.conftest import REMINDER, REMINDER_CONTEXT
from twinning.core.authz import SYSTEM
from twinning.outbox.models import EmailTemplate, OutboxMessage, Unsubscribe
from twinning.outbox.services import queue_email, unsubscribe

pytestmark = pytest.mark.django_db

MODELS = [OutboxMessage, EmailTemplate, Unsubscribe]


@pytest.fixture
def superstaff(staff_user, staff):
    staff_user.is_superuser = True
    staff_user.save()
    return staff


def _url(model, view="changelist", *args):
    return reverse(f"admin:outbox_{model._meta.model_name}_{view}", args=args)


def test_staff_reads_every_outbox_changelist(superstaff):
    message = queue_email(
        to="a@example.org", template=REMINDER, context=REMINDER_CONTEXT, hold=True
    )
    unsubscribe(email="b@example.org", by=SYSTEM)
    EmailTemplate.objects.create(key=REMINDER, language="fr", subject="S", body="B")

    statuses = [superstaff.get(_url(model)).status_code for model in MODELS]
    detail = superstaff.get(_url(OutboxMessage, "change", message.pk))

    assert statuses == [200, 200, 200]
    assert "a@example.org" in detail.content.decode()


def test_outbox_admin_cannot_add_or_change(superstaff):
    message = queue_email(
        to="a@example.org", template=REMINDER, context=REMINDER_CONTEXT, hold=True
    )

    add = superstaff.get(_url(OutboxMessage, "add"))
    change = superstaff.post(_url(OutboxMessage, "change", message.pk), {"subject": "Changed"})

    message.refresh_from_db()
    assert (add.status_code, change.status_code) == (403, 403)
    assert message.subject == "Renew Springfield"


@pytest.mark.parametrize("role", ["anonymous", "public", "committee_admin"])
def test_outbox_admin_is_closed_to_other_roles(request, role):
    client = request.getfixturevalue(role)

    response = client.get(_url(OutboxMessage))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
