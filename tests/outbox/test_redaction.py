"""Live links (single-use consent and invitation links, guardians' manage links) never reach
staff reading the outbox: a placeholder declared in `secret_links` is stored and shown redacted
(`…/invite/••••••/`) on every staff page (list, detail and edit, the admin), and only the e-mail
sent carries the real link; once sent or discarded, the outbox forgets it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tests.outbox.delivery import delivered_body
from twinning.outbox.models import OutboxMessage
from twinning.outbox.registry import register_template, unregister_template
from twinning.outbox.services import (
    discard_message,
    edit_message,
    queue_email,
    redact_link,
    release_messages,
)

INVITE = "outbox_test.invite"
LIVE = "https://twinning.example.org/join/invite/Xq7LiveToken0123456789abcdefghijklmnopqrs/"
SHOWN = "https://twinning.example.org/join/invite/••••••/"


@pytest.fixture(autouse=True)
def invite_template():
    register_template(
        INVITE,
        subject=_("You are invited, {{ name }}"),
        body=_("Hello {{ name }},\n\nAccept here (the link works once): {{ link }}\n"),
        description=_("An invitation with a single-use link (test)"),
        placeholders=["name", "link"],
        secret_links=["link"],
    )
    yield
    unregister_template(INVITE)


def _queue(**kwargs):
    return queue_email(
        to="guest@example.org", template=INVITE, context={"name": "Ada", "link": LIVE}, **kwargs
    )


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        (LIVE, SHOWN),
        ("/review/invitations/tok/", "/review/invitations/••••••/"),
        ("https://x.example/a?token=secret", "https://x.example/••••••"),
    ],
)
def test_redact_link_hides_the_token_and_any_query(link, shown):
    assert redact_link(link) == shown


def test_a_secret_link_is_stored_redacted(db):
    message = _queue()

    assert SHOWN in message.body
    assert "Xq7LiveToken" not in message.body
    assert message.secret_links == {SHOWN: LIVE}


def test_staff_pages_show_the_link_redacted(db, staff):
    message = _queue(hold=True)
    urls = [
        reverse("outbox:staff_message_list"),
        reverse("outbox:staff_message_detail", args=[message.pk]),
    ]

    pages = [staff.get(url).content.decode() for url in urls]

    assert all("Xq7LiveToken" not in page for page in pages)
    assert SHOWN in pages[1]  # in the edit form's text


def test_the_admin_shows_the_link_redacted(db, staff, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    message = _queue(hold=True)

    page = staff.get(reverse("admin:outbox_outboxmessage_change", args=[message.pk]))

    assert page.status_code == 200
    assert "Xq7LiveToken" not in page.content.decode()


def test_the_sent_mail_carries_the_live_link_then_the_outbox_forgets_it(db):
    message = _queue()

    body = delivered_body(message)

    assert f"Accept here (the link works once): {LIVE}" in body
    message.refresh_from_db()
    assert message.secret_links == {}
    assert "Xq7LiveToken" not in message.body


def test_a_staff_edit_keeps_the_live_link_in_the_mail(db, staff_user):
    message = _queue(hold=True)

    edited = edit_message(
        message=message,
        subject="Your invitation",
        body=message.body.replace("Hello Ada", "Dear Ada"),
        by=staff_user,
    )
    release_messages(messages=[edited], by=staff_user)
    body = delivered_body(OutboxMessage.objects.get(pk=message.pk))

    assert body.startswith("Dear Ada")
    assert LIVE in body


def test_discarding_forgets_the_live_link(db, staff_user):
    message = _queue(hold=True)

    discard_message(message=message, by=staff_user)

    message.refresh_from_db()
    assert message.secret_links == {}


def test_a_secret_link_must_be_one_of_the_placeholders():
    with pytest.raises(ImproperlyConfigured):
        register_template(
            "outbox_test.broken",
            subject=_("S"),
            body=_("B {{ name }}"),
            description=_("Broken (test)"),
            placeholders=["name"],
            secret_links=["link"],
        )
