"""Writes of the outbox (C4, C5): queueing a rendered e-mail, staff's review (edit, release,
discard), staff's texts per language, unsubscribing, and sending with retries.

Every message is stored before it is sent. `queue_email(hold=False)` schedules the send task
when the transaction commits (nothing goes out if it rolls back, DUR-5); `hold=True` leaves it
for staff. Sending claims the row atomically, so a task run twice sends once (IDEM-4), and a mail
server that is down leaves the message queued with its error and a later attempt (LOAD-7)."""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from functools import partial
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, is_verified_staff, require
from twinning.core.reverse import absolute_url
from twinning.core.services import get_association, log_activities, log_activity
from twinning.outbox.models import EmailTemplate, OutboxMessage, Unsubscribe
from twinning.outbox.registry import (
    TemplateSpec,
    get_template_spec,
    render_texts,
    validate_override,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "twinning.outbox.unsubscribe"
MAX_ATTEMPTS = 10
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=6)
# How long a sender owns a message it claimed; past that, a crashed sender's claim lapses.
SENDING_LEASE = datetime.timedelta(minutes=15)
# Errors of the mail server or the network: the message waits and is tried again.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def _user(by: Any) -> Any:
    return acting_user(by)


# --- Rendering ---------------------------------------------------------------------------------


def choose_language(*, language: str | None = None, recipient: Any = None) -> str:
    """The given language, else the recipient's, if the association offers it; else the
    association's first language."""
    offered = list(get_association().languages) or [settings.LANGUAGE_CODE]
    for candidate in (language, getattr(recipient, "language", None)):
        for code in (candidate, (candidate or "").split("-")[0]):  # "fr-ca" -> "fr"
            if code and code in offered:
                return code
    return offered[0]


def base_context() -> dict[str, Any]:
    association = get_association()
    return {
        "association_name": association.name,
        "association_email": association.email,
        "site_url": settings.SITE_URL,
    }


def render_email(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """(subject, body) of `template` in `language`: staff's text for that language when there is
    one, else the code's text translated. An override that fails to render (a filter given the
    wrong kind of value, say) falls back to the code's text, with a log line."""
    spec = get_template_spec(template)
    missing = spec.placeholders - set(context)
    if missing:
        logger.warning("e-mail %s rendered without %s", template, ", ".join(sorted(missing)))
    full_context = {**base_context(), **context}
    with translation.override(language):
        override = EmailTemplate.objects.filter(key=template, language=language).first()
        if override is not None:
            try:
                return render_texts(spec, override.subject, override.body, full_context)
            except Exception:
                logger.exception("staff's text for e-mail %s (%s) failed", template, language)
        try:
            return render_texts(spec, str(spec.subject), str(spec.body), full_context)
        except ValidationError:  # a mistake in the translation: the source text still works
            logger.exception("the %s translation of e-mail %s is invalid", language, template)
    with translation.override(None):
        return render_texts(spec, str(spec.subject), str(spec.body), full_context)


REDACTED = "••••••"


def redact_link(link: str) -> str:
    """The link as staff may see it: its last path segment (the token) replaced, any query
    dropped. `https://site/showcase/consent/Xy7…/` -> `https://site/showcase/consent/••••••/`."""
    parts = urlsplit(link)
    segments = parts.path.split("/")
    for index in range(len(segments) - 1, -1, -1):
        if segments[index]:
            segments[index] = REDACTED
            break
    return urlunsplit((parts.scheme, parts.netloc, "/".join(segments), "", ""))


def redact_secret_links(
    spec: TemplateSpec, context: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(the context with the spec's secret links redacted, {redacted: live link})."""
    shown_context: dict[str, Any] = dict(context)
    live: dict[str, str] = {}
    for name in sorted(spec.secret_links):
        value = str(context.get(name) or "")
        if not value:
            continue
        shown = redact_link(value)
        while shown in live and live[shown] != value:  # two links alike once redacted
            shown += "•"
        live[shown] = value
        shown_context[name] = shown
    return shown_context, live


def with_live_links(text: str, links: dict[str, str]) -> str:
    """Put the live links back into a redacted subject or body (the longest first, so a
    redacted link that extends another is replaced whole)."""
    for shown in sorted(links, key=len, reverse=True):
        text = text.replace(shown, links[shown])
    return text


def preview_email(*, spec: TemplateSpec, subject: str, body: str, language: str) -> tuple[str, str]:
    """Render staff's draft with sample placeholders; ValidationError if it is not valid.

    The draft is checked first in the staff member's own language, so the message that says
    what is wrong is one they read; the preview itself is rendered in the e-mail's language."""
    validate_override(spec.key, subject=subject, body=body)
    with translation.override(language):
        return render_texts(spec, subject, body, {**base_context(), **spec.sample_context()})


# --- Queueing ----------------------------------------------------------------------------------


def is_unsubscribed(email: str) -> bool:
    return Unsubscribe.objects.filter(email=email.strip().lower()).exists()


def _schedule_send(message: OutboxMessage) -> None:
    from twinning.outbox.tasks import send_message_task

    transaction.on_commit(partial(send_message_task.enqueue, message_id=message.pk))


@transaction.atomic
def queue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    recipient: Any = None,
    hold: bool = False,
    by: Any = None,
    related: Any = None,
    key: str | None = None,
) -> OutboxMessage:
    """Render the e-mail `template` for `to` and store it in the outbox.

    The language is `language`, else the recipient's, else the association's first. With
    hold=False the message is queued and sent once the transaction commits; with hold=True
    staff review it first. A `key` makes the call idempotent: the same key again returns the
    message already stored. Non-essential mail to an address that unsubscribed is stored as
    discarded and never sent. Raises ValidationError for an invalid address and UnknownTemplate
    for an unregistered template."""
    if key:
        existing = OutboxMessage.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
    spec = get_template_spec(template)
    lang = choose_language(language=language, recipient=recipient)
    # Staff read the outbox: live single-use links are stored redacted, the real ones aside.
    context, secret_links = redact_secret_links(spec, context)
    subject, body = render_email(template=template, context=context, language=lang)
    message = OutboxMessage(
        to=to.strip(),
        recipient=recipient,
        template=template,
        language=lang,
        subject=subject,
        body=body,
        transactional=spec.transactional,
        state=OutboxMessage.State.HELD if hold else OutboxMessage.State.QUEUED,
        next_attempt_at=None if hold else timezone.now(),
        created_by=_user(by),
        idempotency_key=key or None,
        secret_links=secret_links,
    )
    if related is not None:
        message.content_type = ContentType.objects.get_for_model(related)
        message.object_id = str(related.pk)
    if not spec.transactional and is_unsubscribed(message.to):
        message.state = OutboxMessage.State.DISCARDED
        message.next_attempt_at = None
        message.last_error = _("Not sent: the address unsubscribed from such mail.")
        message.secret_links = {}
    message.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # A concurrent call stored the same key first: that one is the message.
        existing = OutboxMessage.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    log_activity(
        message,
        f"outbox.message.{message.state}",
        by=by,
        data={"template": template, "language": lang},
    )
    if message.state == OutboxMessage.State.QUEUED:
        _schedule_send(message)
    return message


# --- Staff's review ----------------------------------------------------------------------------


@transaction.atomic
def edit_message(*, message: OutboxMessage, subject: str, body: str, by: Any) -> OutboxMessage:
    """Change a held or failed message's subject and body before it is sent."""
    require(by, "outbox.review_messages")
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if not locked.is_editable:
        raise ValidationError(_("Only a message held for review or failed can be edited."))
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": _("Write a subject.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the message.")})
    locked.subject, locked.body = subject, body
    locked.full_clean(exclude=["idempotency_key"])
    locked.save(update_fields=["subject", "body", "updated_at"])
    log_activity(locked, "outbox.message.edited", by=by)
    return locked


def _ids_of(messages: Iterable[OutboxMessage] | QuerySet[OutboxMessage]) -> Any:
    """A subquery for a queryset (any size, no list of ids in SQL), else the messages' ids."""
    if isinstance(messages, QuerySet):
        return Subquery(messages.values("pk"))
    return [m.pk for m in messages]


@transaction.atomic
def release_messages(
    *, messages: Iterable[OutboxMessage] | QuerySet[OutboxMessage], by: Any
) -> int:
    """Queue held (or failed) messages for sending once the transaction commits; returns how
    many were released. Messages in any other state are left as they are, so releasing the
    same messages again releases none (idempotent). Works in a constant number of queries
    whatever the number of messages: one audit entry each, written in bulk."""
    require(by, "outbox.review_messages")
    releasable = OutboxMessage.objects.filter(
        pk__in=_ids_of(messages), state__in=OutboxMessage.EDITABLE_STATES
    )
    ids = list(releasable.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    OutboxMessage.objects.filter(
        pk__in=_ids_of(releasable), state__in=OutboxMessage.EDITABLE_STATES
    ).update(
        state=OutboxMessage.State.QUEUED,
        next_attempt_at=timezone.now(),
        attempts=0,
        updated_at=timezone.now(),
    )
    log_activities(OutboxMessage, ids, "outbox.message.released", by=by)
    transaction.on_commit(partial(_enqueue_sends, ids))
    return len(ids)


def _enqueue_sends(ids: list[int]) -> None:
    from twinning.outbox.tasks import send_message_task

    for message_id in ids:
        send_message_task.enqueue(message_id=message_id)


@transaction.atomic
def discard_messages(
    *, messages: Iterable[OutboxMessage] | QuerySet[OutboxMessage], by: Any
) -> int:
    """Drop every message among `messages` that has not gone out (held, queued or failed);
    returns how many. Again is harmless; constant queries, one audit entry each."""
    require(by, "outbox.review_messages")
    discardable = OutboxMessage.objects.filter(
        pk__in=_ids_of(messages), state__in=OutboxMessage.DISCARDABLE_STATES
    )
    ids = list(discardable.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    OutboxMessage.objects.filter(
        pk__in=_ids_of(discardable), state__in=OutboxMessage.DISCARDABLE_STATES
    ).update(
        state=OutboxMessage.State.DISCARDED,
        next_attempt_at=None,
        secret_links={},
        updated_at=timezone.now(),
    )
    log_activities(OutboxMessage, ids, "outbox.message.discarded", by=by)
    return len(ids)


@transaction.atomic
def discard_message(*, message: OutboxMessage, by: Any) -> OutboxMessage:
    """Drop a message that has not gone out (held, queued or failed); it stays listed."""
    require(by, "outbox.review_messages")
    changed = OutboxMessage.objects.filter(
        pk=message.pk, state__in=OutboxMessage.DISCARDABLE_STATES
    ).update(
        state=OutboxMessage.State.DISCARDED,
        next_attempt_at=None,
        secret_links={},
        updated_at=timezone.now(),
    )
    message.refresh_from_db()
    if not changed:
        raise ValidationError(
            _("This message is being sent or has already been sent or discarded.")
        )
    log_activity(message, "outbox.message.discarded", by=by)
    return message


# --- Staff's texts -----------------------------------------------------------------------------


@transaction.atomic
def save_template_override(
    *, key: str, language: str, subject: str, body: str, by: Any
) -> EmailTemplate:
    """Store staff's text for e-mail `key` in `language`; ValidationError (keyed by field) for
    invalid syntax or a placeholder the e-mail does not offer."""
    require(by, "outbox.edit_templates")
    override = EmailTemplate.objects.filter(key=key, language=language).first() or EmailTemplate(
        key=key, language=language
    )
    override.subject = " ".join(subject.split())
    override.body = body.replace("\r\n", "\n")
    override.updated_by = _user(by)
    override.full_clean(validate_constraints=False)
    override.save()
    log_activity(
        override, "outbox.template.changed", by=by, data={"key": key, "language": language}
    )
    return override


@transaction.atomic
def delete_template_override(*, key: str, language: str, by: Any) -> bool:
    """Go back to the code's text for `key` in `language`; False if there was no override."""
    require(by, "outbox.edit_templates")
    override = EmailTemplate.objects.filter(key=key, language=language).first()
    if override is None:
        return False
    log_activity(override, "outbox.template.reset", by=by, data={"key": key, "language": language})
    override.delete()
    return True


# --- Unsubscribing -----------------------------------------------------------------------------


def unsubscribe_token(message: OutboxMessage) -> str:
    """A signed token naming the message (not the address), for its unsubscribe link."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(message.pk)


def unsubscribe_url(message: OutboxMessage) -> str:
    path = reverse("outbox:unsubscribe", kwargs={"token": unsubscribe_token(message)})
    return absolute_url(path)


def message_for_token(token: str) -> OutboxMessage | None:
    """The message an unsubscribe token was made for; None if forged or the message is gone."""
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return OutboxMessage.objects.filter(pk=pk).first()


@transaction.atomic
def unsubscribe(*, email: str, message: OutboxMessage | None = None, by: Any) -> Unsubscribe:
    """Record that `email` wants no more non-essential mail (again is harmless); its queued or
    held non-essential messages are discarded. The authority is the message sent to that
    address (its signed unsubscribe link named it), the address's own signed-in user,
    verified staff or SYSTEM: NotAllowed for anyone else."""
    address = email.strip().lower()
    own = getattr(by, "is_authenticated", False) and by.email.lower() == address
    if not (
        (message is not None and message.to.strip().lower() == address)
        or own
        or by is SYSTEM
        or is_verified_staff(by)
    ):
        raise NotAllowed("unsubscribe")
    entry, created = Unsubscribe.objects.get_or_create(email=address, defaults={"message": message})
    if created:
        log_activity(entry, "outbox.address.unsubscribed", by=by)
    OutboxMessage.objects.filter(
        to__iexact=address,
        transactional=False,
        state__in=[OutboxMessage.State.HELD, OutboxMessage.State.QUEUED],
    ).update(
        state=OutboxMessage.State.DISCARDED,
        next_attempt_at=None,
        last_error=_("Not sent: the address unsubscribed from such mail."),
        secret_links={},
        updated_at=timezone.now(),
    )
    return entry


# --- Sending -----------------------------------------------------------------------------------


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8... minutes after the n-th failed attempt, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _claim(message_id: int, now: datetime.datetime) -> OutboxMessage | None:
    """Take the message for sending, atomically: exactly one sender wins."""
    claimed = (
        OutboxMessage.objects.due(now)
        .filter(pk=message_id)
        .update(
            state=OutboxMessage.State.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_LEASE,
            updated_at=now,
        )
    )
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


def _email_for(message: OutboxMessage) -> EmailMessage:
    links = message.secret_links or {}
    subject, body = with_live_links(message.subject, links), with_live_links(message.body, links)
    headers = {"Auto-Submitted": "auto-generated"}
    if not message.transactional:
        link = unsubscribe_url(message)
        with translation.override(message.language):
            footer = _("You receive this e-mail from %(name)s. To stop such e-mails: %(link)s") % {
                "name": get_association().name,
                "link": link,
            }
        body = f"{body.rstrip()}\n\n-- \n{footer}\n"
        headers["List-Unsubscribe"] = f"<{link}>"
    return EmailMessage(subject, body, None, [message.to], headers=headers)


def send_message(*, message_id: int) -> str:
    """Send one due message; returns what happened: "sent", "retry", "failed", "skipped"
    (not due, or another sender has it) or "unsubscribed". Never raises for mail errors."""
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return "skipped"
    if not message.transactional and is_unsubscribed(message.to):
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.DISCARDED,
            next_attempt_at=None,
            last_error=_("Not sent: the address unsubscribed from such mail."),
        )
        return "unsubscribed"
    try:
        _email_for(message).send()
    except TRANSIENT_ERRORS as error:
        return _record_failure(message, error, transient=is_transient(error))
    except Exception as error:
        logger.exception("e-mail %s could not be built or sent", message.pk)
        return _record_failure(message, error, transient=False)
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.SENT,
            sent_at=timezone.now(),
            next_attempt_at=None,
            last_error="",
            secret_links={},  # sent: the live links are no longer kept anywhere here
            updated_at=timezone.now(),
        )
        log_activity(message, "outbox.message.sent", data={"attempts": message.attempts})
    logger.info("sent e-mail %s (%s)", message.pk, message.template)
    return "sent"


def is_transient(error: Exception) -> bool:
    """Worth another attempt: the server or the network is down, or the server answered with a
    4xx (try later). A 5xx answer (no such mailbox, refused) will not change by waiting."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return any(not isinstance(code, int) or code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return not isinstance(error.smtp_code, int) or error.smtp_code < 500
    return isinstance(error, TRANSIENT_ERRORS)


def _record_failure(message: OutboxMessage, error: Exception, *, transient: bool) -> str:
    now = timezone.now()
    give_up = not transient or message.attempts >= MAX_ATTEMPTS
    text = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.FAILED if give_up else OutboxMessage.State.QUEUED,
            next_attempt_at=None if give_up else now + retry_delay(message.attempts),
            last_error=text,
            updated_at=now,
        )
        if give_up:
            log_activity(message, "outbox.message.failed", data={"attempts": message.attempts})
    # The error's text may name the address: the log gets its kind only (LOG-4).
    logger.warning(
        "e-mail %s not sent (attempt %d): %s", message.pk, message.attempts, type(error).__name__
    )
    return "failed" if give_up else "retry"


def send_due_messages(*, limit: int = 200) -> dict[str, int]:
    """Send the messages whose time has come, oldest first; stops at the first mail server
    error (the rest stay queued for the next run). Returns {outcome: count}."""
    now = timezone.now()
    ids = list(OutboxMessage.objects.due(now).values_list("pk", flat=True)[:limit])
    outcomes: dict[str, int] = {}
    for message_id in ids:
        outcome = send_message(message_id=message_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == "retry":
            break
    return outcomes
