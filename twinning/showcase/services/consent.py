"""A student's consent for the showcase, on top of youth's consent (issue 8 §1): the
guardian's link (AUTH-11) and its e-mails, an adult's own consent, the guardian's manage
link, withdrawal. The records, tokens and scopes are youth's (program "showcase", scopes
participation and publication); the showcase adds its edition rules and its e-mails."""

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed
from twinning.core.reverse import absolute_url
from twinning.outbox.services import queue_email
from twinning.showcase import emails
from twinning.showcase.models import PROGRAM, Edition
from twinning.showcase.services.students import (
    _check_student_or_staff,
    closed_to_newcomers,
    consent_edition,
)
from twinning.youth import services as youth
from twinning.youth.models import Consent, Person
from twinning.youth.services import (
    CONSENT_LINK_DAYS,
    ConsentLinkExpired,
    ConsentLinkInvalid,
    ConsentLinkUsed,
    is_current_guardian,
)

__all__ = [
    "CONSENT_LINK_DAYS",
    "MANAGE_LINK_MAX_AGE",
    "MANAGE_LINK_SALT",
    "SCOPES",
    "ConsentLinkExpired",
    "ConsentLinkInvalid",
    "ConsentLinkUsed",
    "answer_consent",
    "consent_for_manage_token",
    "give_publication_consent",
    "is_current_guardian",
    "manage_token",
    "manage_url",
    "open_consent_link",
    "record_adult_consent",
    "request_guardian_consent",
    "withdraw_consent",
]

MANAGE_LINK_SALT = "twinning.showcase.guardian-manage"

MANAGE_LINK_MAX_AGE = 3 * 366 * 24 * 3600  # consent records are kept as proof for 3 years

SCOPES = ("participation", "publication")


@transaction.atomic
def request_guardian_consent(
    *, student: Person, edition: Edition | None = None, by: Any
) -> Consent:
    """Send the guardian a new single-use link (youth.request_consent: 256 random bits, stored
    hashed, valid 7 days). Earlier unanswered links stop working. The returned record carries
    the plain token as `.token` (never stored) for the caller that sends the link by other
    means (the demo). Raises ValidationError with the reason after the edition's entries have
    closed (or when no edition is open)."""
    _check_student_or_staff(student, by)
    if not student.guardian_email:
        raise ValidationError(_("No guardian e-mail address is recorded."))
    edition = edition or consent_edition(student)
    closed = closed_to_newcomers(edition)
    if closed:
        raise ValidationError(closed)
    consent = youth.request_consent(person=student, program=PROGRAM, by=by)
    queue_email(
        to=consent.email,
        template=emails.CONSENT_REQUEST,
        context={
            "first_name": student.first_name,
            "edition": edition.year if edition else "",
            "consent_url": absolute_url(
                reverse("showcase:consent_open", args=[consent.token])  # type: ignore[attr-defined]
            ),
            "expires": formats.date_format(
                timezone.localtime(consent.token_expires_at), "DATE_FORMAT"
            ),
        },
        related=student,
        by=by,
    )
    return consent


def record_adult_consent(*, student: Person, publication: bool, by: Any) -> Consent:
    """An adult student takes part on their own say; publication is their separate choice.
    Only the student themself (or SYSTEM) gives it: NotAllowed for anyone else."""
    granted = {"participation", "publication"} if publication else {"participation"}
    return youth.record_own_consent(person=student, program=PROGRAM, granted=granted, by=by)


def open_consent_link(*, token: str) -> Consent:
    """The showcase consent request a guardian's link asks about (youth.open_consent_link).
    Opening the link changes nothing: only the answer spends it."""
    return youth.open_consent_link(token=token, program=PROGRAM)


@transaction.atomic
def answer_consent(*, token: str, participation: bool, publication: bool) -> Consent:
    """Record the guardian's answer: two separate scopes (PRIV-4); this spends the single-use
    link (AUTH-11). Publication without participation is refused (the program's scope
    dependency). Sends the confirmation e-mail with the long-lived link to manage the consent.
    Raises ConsentLinkInvalid, ConsentLinkUsed or ConsentLinkExpired, and ValidationError for
    the scopes."""
    answers = zip(SCOPES, (participation, publication), strict=True)
    granted = {name for name, given in answers if given}
    consent = youth.answer_consent(token=token, granted=granted, program=PROGRAM)
    yes, no = _("yes"), _("no")
    queue_email(
        to=consent.email,
        template=emails.CONSENT_CONFIRMED,
        context={
            "first_name": consent.person.first_name,
            "participation": yes if participation else no,
            "publication": yes if publication else no,
            "manage_url": manage_url(consent),
        },
        related=consent.person,
    )
    return consent


def manage_token(consent: Consent) -> str:
    return signing.dumps({"c": consent.pk}, salt=MANAGE_LINK_SALT, compress=True)


def manage_url(consent: Consent) -> str:
    return absolute_url(reverse("showcase:guardian_link", args=[manage_token(consent)]))


def consent_for_manage_token(value: str) -> Consent | None:
    """The consent record a guardian's manage link names, if the link is genuine, not too old,
    and its guardian is still the student's guardian (C5: a replaced guardian loses access)."""
    try:
        data = signing.loads(value, salt=MANAGE_LINK_SALT, max_age=MANAGE_LINK_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    consent = (
        Consent.objects.select_related("person__guardian")
        .filter(pk=data.get("c"), program=PROGRAM)
        .first()
        if isinstance(data, dict)
        else None
    )
    return consent if consent is not None and is_current_guardian(consent) else None


@transaction.atomic
def withdraw_consent(
    *, student: Person, scope: str, by: Any, guardian: Consent | None = None
) -> int:
    """Withdraw a scope at once for every record of the student (PRIV-4). Withdrawing
    participation withdraws publication too. Returns how many records changed.

    The student themself, verified staff or SYSTEM may; a guardian (no account) acts through
    `guardian`, the current consent record their link opened. NotAllowed for anyone else."""
    changed = youth.withdraw_consent(
        person=student, program=PROGRAM, scope=scope, by=by, guardian=guardian
    )
    current = (
        student.consents.filter(
            program=PROGRAM,
            verified_by=Consent.Verification.GUARDIAN_EMAIL_LINK,
            email__iexact=student.guardian_email,
        ).first()
        if student.guardian_email
        else None
    )
    if changed and current is not None:
        queue_email(
            to=student.guardian_email,
            template=emails.CONSENT_WITHDRAWN,
            context={
                "first_name": student.first_name,
                "scope": _("taking part") if scope == "participation" else _("publication"),
                "when": formats.date_format(timezone.localtime(timezone.now()), "DATETIME_FORMAT"),
                "manage_url": manage_url(current),
            },
            related=student,
            by=by,
        )
    return changed


@transaction.atomic
def give_publication_consent(*, student: Person, by: Any) -> Consent:
    """An adult student (for themself) consents to publication after registering."""
    if not getattr(by, "is_authenticated", False) or student.user_id != by.pk:
        raise NotAllowed
    if any(e.minor_at_cutoff for e in student.entries.all()) or student.guardian_email:
        raise NotAllowed
    active = student.consents.active(PROGRAM, "publication").first()
    if active is not None:
        return active
    return record_adult_consent(student=student, publication=True, by=by)
