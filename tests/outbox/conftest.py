"""Fixtures of the outbox tests: e-mails registered for the test only, and messages made
through the services."""

import pytest
from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template, unregister_template
from twinning.outbox.services import queue_email

REMINDER = "outbox_test.reminder"
NEWSLETTER = "outbox_test.newsletter"


@pytest.fixture(autouse=True)
def registered_emails():
    """A transactional reminder and a non-essential newsletter, gone after the test."""
    register_template(
        REMINDER,
        subject=_("Renew {{ member_name }}"),
        body=_("Hello {{ name }},\n\nYour membership ends on {{ end_date }}."),
        description=_("Membership renewal reminder (test)"),
        placeholders=["name", "member_name", "end_date"],
    )
    register_template(
        NEWSLETTER,
        subject=_("News from {{ association_name }}"),
        body=_("Hello {{ name }}, here is our news."),
        description=_("Newsletter (test)"),
        placeholders=["name"],
        transactional=False,
    )
    yield
    unregister_template(REMINDER)
    unregister_template(NEWSLETTER)


REMINDER_CONTEXT = {"name": "Ada", "member_name": "Springfield", "end_date": "31 March"}


@pytest.fixture
def held_message(db):
    return queue_email(to="ada@example.org", template=REMINDER, context=REMINDER_CONTEXT, hold=True)
