"""The public interface other programs use (issue 8 §1): find or create a young person with
their guardian, ask consent for a program's scopes through the guardian's single-use link
(AUTH-11), record the answer scope by scope, an adult's own consent, withdrawal at once, and
the checks. E-mails are the programs' own: the services return what they need (the plain
token of a new link rides on the returned record as `.token`, never stored).

Audit verbs are the program's: "<program>.consent.requested|given|withdrawn"."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.youth.age import age_on
from twinning.youth.authz import check_person_or_staff
from twinning.youth.models import Consent, ConsentScope, Guardian, Person, consent_active
from twinning.youth.programs import get_program

__all__ = [
    "CONSENT_LINK_DAYS",
    "ConsentLinkExpired",
    "ConsentLinkInvalid",
    "ConsentLinkUsed",
    "age_on",
    "answer_consent",
    "consent_active",
    "current_guardian_consent",
    "find_or_create_person",
    "has_consent",
    "hash_token",
    "is_current_guardian",
    "open_consent_link",
    "record_own_consent",
    "request_consent",
    "withdraw_consent",
]

CONSENT_LINK_DAYS = 7  # AUTH-11: a consent link expires within 7 days


class ConsentLinkInvalid(Exception):
    """An unknown, mistyped or replaced consent link (the view answers 404 and says so)."""


class ConsentLinkUsed(ConsentLinkInvalid):
    """A consent link already answered (the view answers 410 and says so)."""


class ConsentLinkExpired(Exception):
    """A consent link past its expiry (the view answers 410 and says so)."""


def _now() -> datetime.datetime:
    return timezone.now()


def _guardian(email: str) -> Guardian:
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    guardian = Guardian.objects.filter(email__iexact=email).first()
    if guardian is None:
        guardian = Guardian(email=email)
        guardian.full_clean()
        guardian.save()
    return guardian


@transaction.atomic
def find_or_create_person(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    community: Any,
    school: str = "",
    guardian_email: str = "",
    by: Any,
) -> Person:
    """The young person of `user`, created on first use: the same person entering the showcase
    and applying to the summit is one row with one guardian. A guardian e-mail given for a
    person without one is recorded. ValidationError when the date of birth differs from the
    one recorded or another guardian is recorded (staff change those). The user themself,
    verified staff or SYSTEM may (NotAllowed for anyone else)."""
    if not (by is SYSTEM or is_verified_staff(by)) and (
        not getattr(by, "is_authenticated", False) or user is None or user.pk != by.pk
    ):
        raise NotAllowed
    guardian_email = (guardian_email or "").strip().lower()
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is not None:
        if person.date_of_birth != date_of_birth:
            raise ValidationError(
                {"date_of_birth": _("This is not the date of birth we have recorded for you.")}
            )
        if guardian_email and person.guardian is not None:
            if person.guardian.email.lower() != guardian_email:
                raise ValidationError(
                    {
                        "guardian_email": _(
                            "Another guardian is recorded for you: ask us to change it."
                        )
                    }
                )
        elif guardian_email:
            person.guardian = _guardian(guardian_email)
            person.save(update_fields=["guardian", "updated_at"])
        return person
    person = Person(
        user=user,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        community=community,
        school=school.strip(),
        guardian=_guardian(guardian_email) if guardian_email else None,
    )
    person.full_clean()
    person.save()
    log_activity(person, "youth.person.created", by=by)
    return person


@transaction.atomic
def request_consent(
    *, person: Person, program: str, by: Any, scopes: Iterable[str] | None = None
) -> Consent:
    """A new single-use link for the person's guardian (AUTH-11): 256 random bits, stored
    hashed, valid 7 days, bound to this one request for `program` and the scopes asked (all
    the program's by default). Earlier unanswered links of the program stop working. The plain
    token rides on the returned record as `.token` for the program's e-mail. The person
    themself, verified staff or SYSTEM may; ValidationError without a guardian."""
    check_person_or_staff(person, by)
    definition = get_program(program)
    asked = list(definition.scopes) if scopes is None else list(scopes)
    if not asked or not set(asked) <= set(definition.scopes):
        raise ValidationError(_("Unknown consent."))
    if not person.guardian_id:
        raise ValidationError(_("No guardian e-mail address is recorded."))
    now = _now()
    Consent.objects.filter(person=person, program=program).pending().update(token_hash=None)
    token = secrets.token_urlsafe(32)
    consent = Consent(
        person=person,
        program=program,
        email=person.guardian_email,
        verified_by=Consent.Verification.GUARDIAN_EMAIL_LINK,
        token_hash=hash_token(token),
        token_expires_at=now + datetime.timedelta(days=CONSENT_LINK_DAYS),
    )
    consent.full_clean()
    consent.save()
    ConsentScope.objects.bulk_create(
        ConsentScope(consent=consent, scope=scope) for scope in definition.scopes if scope in asked
    )
    consent.token = token  # type: ignore[attr-defined]
    log_activity(consent, f"{program}.consent.requested", by=by)
    return consent


def _link_consent(token: str, *, program: str | None, lock: bool = False) -> Consent:
    if not token or len(token) > 100:
        raise ConsentLinkInvalid
    found = Consent.objects.select_related("person__community__country", "person__guardian")
    if lock:
        found = found.select_for_update(of=("self",))
    consent = found.filter(token_hash=hash_token(token)).first()
    if consent is None or (program is not None and consent.program != program):
        raise ConsentLinkInvalid
    if consent.token_used_at is not None or consent.responded_at is not None:
        raise ConsentLinkUsed
    if consent.token_expires_at is None or consent.token_expires_at <= _now():
        raise ConsentLinkExpired
    return consent


def open_consent_link(*, token: str, program: str | None = None) -> Consent:
    """The request a guardian's link names. Opening changes nothing (mail scanners open links
    too): only the answer spends it. ConsentLinkInvalid for an unknown or replaced link (or one
    of another program), ConsentLinkUsed once answered, ConsentLinkExpired after 7 days."""
    return _link_consent(token, program=program)


@transaction.atomic
def answer_consent(*, token: str, granted: set[str], program: str | None = None) -> Consent:
    """Record the guardian's answer, each scope asked separately (PRIV-4), against the notice's
    version and hash; this spends the single-use link (AUTH-11). A scope granted without the
    scopes it needs (the program's dependencies) is refused with ValidationError, and so is a
    scope not asked. Raises the link errors like `open_consent_link`."""
    consent = _link_consent(token, program=program, lock=True)
    definition = get_program(consent.program)
    granted = set(granted)
    definition.check_granted(granted)
    answers = list(consent.answers.all())
    if granted - {a.scope for a in answers}:
        raise ValidationError(_("Unknown consent."))
    now = _now()
    consent.token_used_at = now
    consent.responded_at = now
    consent.notice_version = definition.notice_version
    consent.notice_hash = hashlib.sha256(definition.notice().encode()).hexdigest()
    consent.full_clean()
    consent.save()
    for answer in answers:
        answer.granted_at = now if answer.scope in granted else None
    ConsentScope.objects.bulk_update(answers, ["granted_at"])
    consent = (
        Consent.objects.prefetch_related("answers")
        .select_related("person__guardian", "person__community")
        .get(pk=consent.pk)
    )
    log_activity(consent, f"{consent.program}.consent.given", data={"scopes": consent.scopes})
    return consent


@transaction.atomic
def record_own_consent(*, person: Person, program: str, granted: set[str], by: Any) -> Consent:
    """An adult consents for themself while signed in: the scopes in `granted`, each recorded
    (the others asked and not granted). Only the person themself or SYSTEM (NotAllowed for
    anyone else)."""
    if by is not SYSTEM and (not getattr(by, "is_authenticated", False) or person.user_id != by.pk):
        raise NotAllowed
    definition = get_program(program)
    granted = set(granted)
    definition.check_granted(granted)
    now = _now()
    consent = Consent(
        person=person,
        program=program,
        email=person.user.email,
        verified_by=Consent.Verification.ADULT_SIGNED_IN,
        responded_at=now,
        notice_version=definition.notice_version,
        notice_hash=hashlib.sha256(definition.notice().encode()).hexdigest(),
    )
    consent.full_clean()
    consent.save()
    ConsentScope.objects.bulk_create(
        ConsentScope(consent=consent, scope=scope, granted_at=now if scope in granted else None)
        for scope in definition.scopes
    )
    log_activity(
        consent,
        f"{program}.consent.given",
        by=by,
        data={"scopes": consent.scopes, "adult": True},
    )
    return consent


def is_current_guardian(consent: Consent) -> bool:
    """Whether the consent was answered through the guardian's link by the person's current
    guardian (C5: a replaced guardian loses access)."""
    return (
        consent.verified_by == Consent.Verification.GUARDIAN_EMAIL_LINK
        and consent.token_used_at is not None
        and consent.email.lower() == consent.person.guardian_email.lower()
    )


def current_guardian_consent(pk: Any, program: str) -> Consent | None:
    """The consent of `program` a guardian's answered link left in their session (its pk),
    while they are still the person's current guardian; None otherwise."""
    consent = (
        Consent.objects.select_related("person__guardian")
        .filter(pk=pk or 0, program=program)
        .first()
    )
    return consent if consent is not None and is_current_guardian(consent) else None


@transaction.atomic
def withdraw_consent(
    *, person: Person, program: str, scope: str, by: Any, guardian: Consent | None = None
) -> int:
    """Withdraw `scope` of `program` at once for every record of the person (PRIV-4), and with
    it every scope that needs it (the showcase: participation takes publication with it).
    Returns how many (record, scope) answers changed.

    The person themself, verified staff or SYSTEM may; a guardian (no account) acts through
    `guardian`, the current consent record their link opened. NotAllowed for anyone else."""
    if not (
        guardian is not None
        and guardian.person_id == person.pk
        and guardian.program == program
        and is_current_guardian(guardian)
    ):
        check_person_or_staff(person, by)
    definition = get_program(program)
    if scope not in definition.scopes:
        raise ValidationError(_("Unknown consent."))
    now = _now()
    changed = 0
    for name in definition.dependants(scope):
        active = ConsentScope.objects.active().filter(
            consent__person=person, consent__program=program, scope=name
        )
        for answer in active.select_related("consent"):
            log_activity(
                answer.consent, f"{program}.consent.withdrawn", by=by, data={"scope": name}
            )
        changed += active.update(withdrawn_at=now)
    return changed


def has_consent(person: Person, program: str, scope: str) -> bool:
    """Whether `scope` of `program` is granted and not withdrawn for the person now."""
    return (
        ConsentScope.objects.active()
        .filter(consent__person=person, consent__program=program, scope=scope)
        .exists()
    )
