"""A student's consent: the guardian's link (AUTH-11), an adult's own consent, the
guardian's manage link, withdrawal."""

import datetime
import hashlib
import secrets
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.outbox.services import queue_email
from twinning.showcase import emails
from twinning.showcase.models import Consent, Edition, Student
from twinning.showcase.privacy import NOTICE_VERSION, notice_hash
from twinning.showcase.services.editions import _now
from twinning.showcase.services.students import (
    _check_student_or_staff,
    closed_to_newcomers,
    consent_edition,
)

CONSENT_LINK_DAYS = 7  # AUTH-11: a consent link expires within 7 days


MANAGE_LINK_SALT = "twinning.showcase.guardian-manage"


MANAGE_LINK_MAX_AGE = 3 * 366 * 24 * 3600  # consent records are kept as proof for 3 years


class ConsentLinkInvalid(Exception):
    """An unknown, mistyped or replaced consent link (the view answers 404 and says so)."""


class ConsentLinkUsed(ConsentLinkInvalid):
    """A consent link already answered (the view answers 410 and says so)."""


class ConsentLinkExpired(Exception):
    """A consent link past its expiry (the view answers 410 and says so)."""


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def request_guardian_consent(
    *, student: Student, edition: Edition | None = None, by: Any
) -> Consent:
    """Send the guardian a new single-use link (AUTH-11): 256 random bits, stored hashed, valid
    7 days, bound to this one consent record. Earlier unanswered links stop working. The
    returned record carries the plain token as `.token` (never stored) for the caller that
    sends the link by other means (the demo). Raises ValidationError with the reason after
    the edition's entries have closed (or when no edition is open)."""
    _check_student_or_staff(student, by)
    if not student.guardian_email:
        raise ValidationError(_("No guardian e-mail address is recorded."))
    edition = edition or consent_edition(student)
    closed = closed_to_newcomers(edition)
    if closed:
        raise ValidationError(closed)
    now = _now()
    Consent.objects.filter(student=student).pending().update(token_hash=None)
    token = secrets.token_urlsafe(32)
    consent = Consent(
        student=student,
        email=student.guardian_email,
        verified_by=Consent.Verification.GUARDIAN_EMAIL_LINK,
        token_hash=_hash_token(token),
        token_expires_at=now + datetime.timedelta(days=CONSENT_LINK_DAYS),
    )
    consent.full_clean()
    consent.save()
    consent.token = token  # type: ignore[attr-defined]
    log_activity(consent, "showcase.consent.requested", by=by)
    queue_email(
        to=consent.email,
        template=emails.CONSENT_REQUEST,
        context={
            "first_name": student.first_name,
            "edition": edition.year if edition else "",
            "consent_url": absolute_url(reverse("showcase:consent_open", args=[token])),
            "expires": formats.date_format(
                timezone.localtime(consent.token_expires_at), "DATE_FORMAT"
            ),
        },
        related=student,
        by=by,
    )
    return consent


@transaction.atomic
def record_adult_consent(*, student: Student, publication: bool, by: Any) -> Consent:
    """An adult student takes part on their own say; publication is their separate choice.
    Only the student themself (or SYSTEM) gives it: NotAllowed for anyone else."""
    if by is not SYSTEM and (
        not getattr(by, "is_authenticated", False) or student.user_id != by.pk
    ):
        raise NotAllowed
    now = _now()
    consent = Consent(
        student=student,
        email=student.user.email,
        verified_by=Consent.Verification.ADULT_SIGNED_IN,
        responded_at=now,
        notice_version=NOTICE_VERSION,
        notice_hash=notice_hash(),
        participation_at=now,
        publication_at=now if publication else None,
    )
    consent.full_clean()
    consent.save()
    log_activity(
        consent, "showcase.consent.given", by=by, data={"scopes": consent.scopes, "adult": True}
    )
    return consent


def _link_consent(token: str, *, lock: bool = False) -> Consent:
    """The consent record a link's token names, if the link can still be answered."""
    if not token or len(token) > 100:
        raise ConsentLinkInvalid
    found = Consent.objects.select_related("student__community__country")
    if lock:
        found = found.select_for_update(of=("self",))
    consent = found.filter(token_hash=_hash_token(token)).first()
    if consent is None:
        raise ConsentLinkInvalid
    if consent.token_used_at is not None or consent.responded_at is not None:
        raise ConsentLinkUsed
    if consent.token_expires_at is None or consent.token_expires_at <= _now():
        raise ConsentLinkExpired
    return consent


def open_consent_link(*, token: str) -> Consent:
    """The consent record a guardian's link asks about. Opening the link changes nothing (mail
    scanners open links too): only the answer spends it. Raises ConsentLinkInvalid for an
    unknown or replaced link, ConsentLinkUsed once answered, ConsentLinkExpired after 7 days."""
    return _link_consent(token)


@transaction.atomic
def answer_consent(*, token: str, participation: bool, publication: bool) -> Consent:
    """Record the guardian's answer to the notice: two separate scopes (PRIV-4); this spends the
    single-use link (AUTH-11). Publication without participation makes no sense and is refused.
    Sends the confirmation e-mail with the long-lived link to manage the consent. Raises
    ConsentLinkInvalid, ConsentLinkUsed (answered already, e.g. in another tab) or
    ConsentLinkExpired like `open_consent_link`, and ValidationError for the scopes."""
    consent = _link_consent(token, lock=True)
    if publication and not participation:
        raise ValidationError(
            {"publication": _("Publication is only possible for a student taking part.")}
        )
    now = _now()
    consent.token_used_at = now
    consent.responded_at = now
    consent.notice_version = NOTICE_VERSION
    consent.notice_hash = notice_hash()
    consent.participation_at = now if participation else None
    consent.publication_at = now if publication else None
    consent.full_clean()
    consent.save()
    log_activity(consent, "showcase.consent.given", data={"scopes": consent.scopes})
    yes, no = _("yes"), _("no")
    queue_email(
        to=consent.email,
        template=emails.CONSENT_CONFIRMED,
        context={
            "first_name": consent.student.first_name,
            "participation": yes if participation else no,
            "publication": yes if publication else no,
            "manage_url": manage_url(consent),
        },
        related=consent.student,
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
        Consent.objects.select_related("student").filter(pk=data.get("c")).first()
        if isinstance(data, dict)
        else None
    )
    return consent if consent is not None and is_current_guardian(consent) else None


def is_current_guardian(consent: Consent) -> bool:
    return (
        consent.verified_by == Consent.Verification.GUARDIAN_EMAIL_LINK
        and consent.token_used_at is not None
        and consent.email.lower() == consent.student.guardian_email.lower()
    )


SCOPES = ("participation", "publication")


@transaction.atomic
def withdraw_consent(
    *, student: Student, scope: str, by: Any, guardian: Consent | None = None
) -> int:
    """Withdraw a scope at once for every record of the student (PRIV-4). Withdrawing
    participation withdraws publication too. Returns how many records changed.

    The student themself, verified staff or SYSTEM may; a guardian (no account) acts through
    `guardian`, the current consent record their link opened. NotAllowed for anyone else."""
    if not (
        guardian is not None and guardian.student_id == student.pk and is_current_guardian(guardian)
    ):
        _check_student_or_staff(student, by)
    if scope not in SCOPES:
        raise ValidationError(_("Unknown consent."))
    now = _now()
    scopes = SCOPES if scope == "participation" else ("publication",)
    changed = 0
    for name in scopes:
        active = student.consents.filter(
            **{f"{name}_at__isnull": False, f"{name}_withdrawn_at__isnull": True}
        )
        for consent in active:
            log_activity(consent, "showcase.consent.withdrawn", by=by, data={"scope": name})
        changed += active.update(**{f"{name}_withdrawn_at": now})
    guardian = student.consents.filter(
        verified_by=Consent.Verification.GUARDIAN_EMAIL_LINK, email__iexact=student.guardian_email
    ).first()
    if changed and guardian is not None and student.guardian_email:
        queue_email(
            to=student.guardian_email,
            template=emails.CONSENT_WITHDRAWN,
            context={
                "first_name": student.first_name,
                "scope": _("taking part") if scope == "participation" else _("publication"),
                "when": formats.date_format(timezone.localtime(now), "DATETIME_FORMAT"),
                "manage_url": manage_url(guardian),
            },
            related=student,
            by=by,
        )
    return changed


@transaction.atomic
def give_publication_consent(*, student: Student, by: Any) -> Consent:
    """An adult student (for themself) consents to publication after registering."""
    if not getattr(by, "is_authenticated", False) or student.user_id != by.pk:
        raise NotAllowed
    if any(e.minor_at_cutoff for e in student.entries.all()) or student.guardian_email:
        raise NotAllowed
    if student.consents.publication_active().exists():
        return student.consents.publication_active().first()  # type: ignore[return-value]
    return record_adult_consent(student=student, publication=True, by=by)
