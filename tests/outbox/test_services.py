"""The outbox's services: rendering in the recipient's language, held and queued mail, staff's
review, idempotency, unsubscribing, and sending once, on commit, with retries (DUR-5, IDEM-4,
LOAD-7)."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests.factories import UserFactory
from tests.outbox.backends import FlakyBackend
from tests.outbox.conftest import NEWSLETTER, REMINDER, REMINDER_CONTEXT
from twinning.core.authz import SYSTEM
from twinning.core.models import ActivityLog
from twinning.core.services import get_association, update_association
from twinning.outbox.models import EmailTemplate, OutboxMessage, Unsubscribe
from twinning.outbox.registry import UnknownTemplate
from twinning.outbox.services import (
    MAX_ATTEMPTS,
    delete_template_override,
    discard_message,
    edit_message,
    message_for_token,
    queue_email,
    release_messages,
    save_template_override,
    send_due_messages,
    send_message,
    unsubscribe,
    unsubscribe_token,
)
from twinning.outbox.tasks import send_due_messages_task, send_message_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.FlakyBackend"
    FlakyBackend.failures = 0
    FlakyBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def french_override(staff_user):
    return save_template_override(
        key=REMINDER,
        language="fr",
        subject="Renouvelez {{ member_name }}",
        body="Bonjour {{ name }}, votre adhésion se termine le {{ end_date }}.",
        by=staff_user,
    )


def _queue(**kwargs):
    defaults = {"to": "ada@example.org", "template": REMINDER, "context": REMINDER_CONTEXT}
    return queue_email(**{**defaults, **kwargs})


# --- Rendering in the recipient's language -----------------------------------------------------


def test_french_user_gets_the_french_override(french_override):
    ada = UserFactory(email="ada@example.org", language="fr")

    message = _queue(recipient=ada, hold=True)

    assert message.language == "fr"
    assert message.subject == "Renouvelez Springfield"
    assert message.body == "Bonjour Ada, votre adhésion se termine le 31 March.\n"


def test_user_without_override_in_their_language_gets_the_default_text(french_override):
    ada = UserFactory(email="ada@example.org", language="de")

    message = _queue(recipient=ada, hold=True)

    assert message.language == "de"
    assert message.subject == "Renew Springfield"
    assert message.body.startswith("Hello Ada,")


def test_language_not_offered_falls_back_to_the_association_first_language(
    staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_association(association=get_association(), languages=["de", "en"], by=staff_user)

    message = _queue(language="fr", hold=True)

    assert message.language == "de"


def test_explicit_language_wins_over_the_recipient_language(french_override):
    ada = UserFactory(email="ada@example.org", language="en")

    message = _queue(recipient=ada, language="fr", hold=True)

    assert message.subject == "Renouvelez Springfield"


def test_common_placeholders_are_filled(staff_user):
    message = queue_email(to="b@example.org", template=NEWSLETTER, context={"name": "B"}, hold=True)

    assert message.subject == f"News from {get_association().name}"


def test_unknown_template_is_a_programming_error():
    with pytest.raises(UnknownTemplate):
        queue_email(to="a@example.org", template="nope", context={})


def test_invalid_address_is_refused_and_nothing_stored():
    with pytest.raises(ValidationError):
        _queue(to="not an address")

    assert OutboxMessage.objects.count() == 0


# --- Held and queued ---------------------------------------------------------------------------


def test_held_message_waits_for_staff(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(hold=True)

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.HELD
    assert mail.outbox == []


def test_queued_message_is_sent_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.sent_at is not None
    assert [(m.subject, m.to) for m in mail.outbox] == [("Renew Springfield", ["ada@example.org"])]
    assert "Hello Ada," in mail.outbox[0].body
    assert mail.outbox[0].content_subtype == "plain"


def test_rollback_sends_nothing_and_commit_sends_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _queue(to="rolled@example.org")
            raise RuntimeError("the workflow failed")
        _queue(to="kept@example.org")

    assert [m.to for m in mail.outbox] == [["kept@example.org"]]
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["kept@example.org"]


def test_related_object_and_author_are_recorded(staff_user):
    message = _queue(related=staff_user, by=staff_user, hold=True)

    assert message.related == staff_user
    assert message.created_by == staff_user
    assert ActivityLog.objects.filter(action="outbox.message.held", actor=staff_user).count() == 1


# --- Staff's review ----------------------------------------------------------------------------


def test_release_sends_held_messages(held_message, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        released = release_messages(messages=[held_message], by=staff_user)

    held_message.refresh_from_db()
    assert released == 1
    assert held_message.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1
    assert ActivityLog.objects.filter(action="outbox.message.released").count() == 1


def test_release_leaves_sent_and_discarded_messages_alone(held_message, staff_user):
    discard_message(message=held_message, by=staff_user)

    released = release_messages(messages=[held_message], by=staff_user)

    held_message.refresh_from_db()
    assert released == 0
    assert held_message.state == OutboxMessage.State.DISCARDED


def test_discarded_message_is_never_sent(
    held_message, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        discard_message(message=held_message, by=staff_user)
        send_message(message_id=held_message.pk)

    held_message.refresh_from_db()
    assert held_message.state == OutboxMessage.State.DISCARDED
    assert mail.outbox == []


def test_discarding_a_sent_message_is_refused(staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()

    with pytest.raises(ValidationError):
        discard_message(message=message, by=staff_user)

    assert message.state == OutboxMessage.State.SENT


def test_edit_changes_what_is_sent(held_message, staff_user, django_capture_on_commit_callbacks):
    edit_message(
        message=held_message, subject="Renew today", body="Dear Ada, please renew.", by=staff_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        release_messages(messages=[held_message], by=staff_user)

    assert [(m.subject, m.body) for m in mail.outbox] == [
        ("Renew today", "Dear Ada, please renew.")
    ]
    assert ActivityLog.objects.filter(action="outbox.message.edited", actor=staff_user).count() == 1


def test_edit_refuses_an_empty_subject(held_message, staff_user):
    with pytest.raises(ValidationError) as caught:
        edit_message(message=held_message, subject="  ", body="Text", by=staff_user)

    held_message.refresh_from_db()
    assert list(caught.value.message_dict) == ["subject"]
    assert held_message.subject == "Renew Springfield"


def test_edit_of_a_queued_message_is_refused(staff_user):
    message = _queue()  # queued; the send waits for the commit

    with pytest.raises(ValidationError):
        edit_message(message=message, subject="New", body="New", by=staff_user)


# --- Idempotency (IDEM-4) --------------------------------------------------------------------


def test_same_key_twice_stores_and_sends_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(key="renewal:42:60")
        second = _queue(key="renewal:42:60")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_send_task_run_twice_sends_once(held_message, staff_user):
    release_messages(messages=[held_message], by=staff_user)  # no commit: the task is not run

    first = send_message_task.enqueue(message_id=held_message.pk)
    second = send_message_task.enqueue(message_id=held_message.pk)

    assert (first.return_value, second.return_value) == ("sent", "skipped")
    assert len(mail.outbox) == 1


# --- Unsubscribing -----------------------------------------------------------------------------


def test_non_essential_mail_is_not_sent_to_an_address_that_unsubscribed(
    django_capture_on_commit_callbacks,
):
    unsubscribe(email="Bob@Example.org", by=SYSTEM)

    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(to="bob@example.org", template=NEWSLETTER, context={"name": "Bob"})

    assert message.state == OutboxMessage.State.DISCARDED
    assert mail.outbox == []


def test_essential_mail_still_reaches_an_address_that_unsubscribed(
    django_capture_on_commit_callbacks,
):
    unsubscribe(email="ada@example.org", by=SYSTEM)

    with django_capture_on_commit_callbacks(execute=True):
        _queue()

    assert len(mail.outbox) == 1


def test_non_essential_mail_carries_an_unsubscribe_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(to="bob@example.org", template=NEWSLETTER, context={"name": "Bob"})

    link = f"/unsubscribe/{unsubscribe_token(message)}/"
    assert link in mail.outbox[0].body
    assert link in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_essential_mail_has_no_unsubscribe_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue()

    assert "/unsubscribe/" not in mail.outbox[0].body


def test_unsubscribing_discards_waiting_non_essential_mail():
    waiting = queue_email(
        to="bob@example.org", template=NEWSLETTER, context={"name": "B"}, hold=True
    )

    unsubscribe(email="bob@example.org", message=waiting, by=SYSTEM)

    waiting.refresh_from_db()
    assert waiting.state == OutboxMessage.State.DISCARDED
    assert list(Unsubscribe.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_unsubscribing_twice_keeps_one_entry():
    unsubscribe(email="bob@example.org", by=SYSTEM)
    unsubscribe(email="BOB@example.org", by=SYSTEM)

    assert Unsubscribe.objects.count() == 1


def test_a_forged_unsubscribe_token_names_no_message(held_message):
    token = unsubscribe_token(held_message)

    assert message_for_token(token) == held_message
    assert message_for_token(token[:-2] + "xx") is None
    assert message_for_token("garbage") is None


# --- Mail server down (LOAD-7) ---------------------------------------------------------------


def test_mail_server_down_keeps_the_message_queued_with_a_later_attempt(
    flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 1

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.QUEUED
    assert message.attempts == 1
    assert "Connection unexpectedly closed" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert mail.outbox == []


def test_message_is_sent_on_the_retry_after_the_server_is_back(
    flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False):
        outcomes = send_due_messages()

    message.refresh_from_db()
    assert outcomes == {"sent": 1}
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 2
    assert len(mail.outbox) == 1


def test_retry_waits_until_its_time(flaky_mail, django_capture_on_commit_callbacks):
    flaky_mail.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        _queue()

    assert send_due_messages() == {}
    assert mail.outbox == []


def test_connection_refused_is_retried_too(flaky_mail, django_capture_on_commit_callbacks):
    flaky_mail.failures = 1
    flaky_mail.error = ConnectionRefusedError(111, "Connection refused")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.QUEUED
    assert "Connection refused" in message.last_error


def test_a_run_stops_at_the_first_server_error_and_loses_nothing(flaky_mail):
    flaky_mail.failures = 100
    messages = [_queue(to=f"p{n}@example.org") for n in range(3)]  # not committed: not sent yet

    outcomes = send_due_messages()

    assert outcomes == {"retry": 1}
    states = sorted(OutboxMessage.objects.values_list("state", "attempts"))
    assert states == [("queued", 0), ("queued", 0), ("queued", 1)]
    assert len(messages) == 3


def test_message_fails_for_good_after_the_last_attempt(flaky_mail):
    flaky_mail.failures = 1
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)

    outcome = send_message(message_id=message.pk)

    message.refresh_from_db()
    assert outcome == "failed"
    assert message.state == OutboxMessage.State.FAILED
    assert ActivityLog.objects.filter(action="outbox.message.failed").count() == 1


def test_failed_message_can_be_released_again(
    flaky_mail, staff_user, django_capture_on_commit_callbacks
):
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(state="failed", attempts=MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        release_messages(messages=[message], by=staff_user)

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 1


def test_message_left_sending_by_a_dead_worker_is_sent_after_its_lease():
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="sending", next_attempt_at=timezone.now() + datetime.timedelta(minutes=15)
    )
    assert send_due_messages() == {}

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16), tick=False):
        result = send_due_messages_task.enqueue()

    assert result.return_value == {"sent": 1}
    assert len(mail.outbox) == 1


# --- Staff's texts -----------------------------------------------------------------------------


def test_saving_an_override_with_an_unknown_placeholder_is_refused(staff_user):
    with pytest.raises(ValidationError) as caught:
        save_template_override(
            key=REMINDER, language="fr", subject="Hi", body="{{ iban }}", by=staff_user
        )

    assert "iban" in caught.value.message_dict["body"][0]
    assert EmailTemplate.objects.count() == 0


def test_saving_an_override_twice_updates_it_and_logs_each_change(french_override, staff_user):
    save_template_override(
        key=REMINDER, language="fr", subject="Nouveau", body="Texte", by=staff_user
    )

    assert list(EmailTemplate.objects.values_list("subject", flat=True)) == ["Nouveau"]
    assert ActivityLog.objects.filter(action="outbox.template.changed").count() == 2


def test_deleting_the_override_brings_back_the_default(french_override, staff_user):
    assert delete_template_override(key=REMINDER, language="fr", by=staff_user) is True

    message = _queue(language="fr", hold=True)

    assert message.subject == "Renew Springfield"  # no French catalogue entry for test texts
    assert ActivityLog.objects.filter(action="outbox.template.reset").count() == 1


def test_override_that_fails_at_render_time_falls_back_to_the_default(staff_user):
    EmailTemplate.objects.create(
        key=REMINDER, language="en", subject="{{ member_name|date:'Y' }}", body="{% for %}"
    )

    message = _queue(language="en", hold=True)

    assert message.subject == "Renew Springfield"


def test_address_refused_by_the_server_fails_at_once(flaky_mail):
    flaky_mail.failures = 1
    flaky_mail.error = smtplib.SMTPRecipientsRefused({"ada@example.org": (550, b"No such user")})
    message = _queue()

    outcome = send_message(message_id=message.pk)

    message.refresh_from_db()
    assert outcome == "failed"
    assert (message.state, message.attempts) == ("failed", 1)
    assert "SMTPRecipientsRefused" in message.last_error


def test_temporary_refusal_is_retried(flaky_mail):
    flaky_mail.failures = 1
    flaky_mail.error = smtplib.SMTPSenderRefused(451, b"Try again later", "noreply@localhost")
    message = _queue()

    assert send_message(message_id=message.pk) == "retry"


def test_an_unexpected_error_fails_the_message_without_crashing_the_worker(flaky_mail):
    flaky_mail.failures = 1
    flaky_mail.error = ValueError("bad header")
    message = _queue()

    outcome = send_message_task.enqueue(message_id=message.pk).return_value

    message.refresh_from_db()
    assert outcome == "failed"
    assert message.state == "failed"


def test_the_log_never_holds_the_address(flaky_mail, caplog):
    flaky_mail.failures = 1
    flaky_mail.error = smtplib.SMTPRecipientsRefused({"zq7kestrel@example.org": (550, b"No")})
    message = _queue(to="zq7kestrel@example.org")

    send_message(message_id=message.pk)

    assert "zq7kestrel" not in caplog.text


def test_regional_language_uses_its_base_language(french_override):
    ada = UserFactory(email="ada@example.org", language="fr-ca")

    message = _queue(recipient=ada, hold=True)

    assert (message.language, message.subject) == ("fr", "Renouvelez Springfield")


def test_a_broken_translation_falls_back_to_the_source_text():
    from django.utils.functional import lazy
    from django.utils.translation import get_language
    from django.utils.translation import gettext_lazy as _

    from twinning.outbox.registry import register_template, unregister_template

    def body() -> str:  # a translation catalogue whose French text names an unknown placeholder
        return "Bonjour {{ prenom }}" if get_language() == "fr" else "Hello {{ name }}"

    register_template(
        "outbox_test.mistranslated",
        subject=_("Hi"),
        body=lazy(body, str)(),
        description=_("Mistranslated"),
        placeholders=["name"],
    )
    try:
        message = queue_email(
            to="a@example.org",
            template="outbox_test.mistranslated",
            context={"name": "Ada"},
            language="fr",
            hold=True,
        )
    finally:
        unregister_template("outbox_test.mistranslated")

    assert message.body == "Hello Ada\n"
