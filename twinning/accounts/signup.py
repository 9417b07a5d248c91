"""Signing up on the site (AUTH-n): a person gives their e-mail address, name and password; the
account stays inactive (no sign-in) until they open the e-mailed link and confirm.

The link is signed (django.core.signing, salted for this use), expires after
`VERIFY_MAX_AGE`, and is single-use: confirming sets `email_verified_at`, and a link made
before the last change of the pending account (a second sign-up with a new password) no
longer matches it. Opening the link spends nothing (mail scanners open links): the button
on the page does. Asking again for an address that already has an account says nothing on
the page (the same "check your inbox"), and e-mails the owner instead (AUTH-4). Sign-ups are
rate-limited per client address and per e-mail address; the counter is incremented before it
is checked, so parallel requests cannot overshoot."""

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from twinning.accounts.mail import send_account_mail
from twinning.accounts.models import User
from twinning.core.services import log_activity

logger = logging.getLogger(__name__)

VERIFY_SALT = "twinning.accounts.verify-email"
VERIFY_MAX_AGE = 48 * 3600  # seconds
SIGNUPS_PER_IP = 5
SIGNUPS_PER_EMAIL = 3
SIGNUP_WINDOW = 3600  # seconds

TOO_MANY = _("Too many sign-ups from your network or for this address. Try again in an hour.")


class VerificationLinkInvalid(Exception):
    """Not a link we made (or for an account that is gone)."""


class VerificationLinkExpired(VerificationLinkInvalid):
    """A link we made, older than VERIFY_MAX_AGE."""


class VerificationLinkUsed(VerificationLinkInvalid):
    """A link already used: the address is confirmed."""


def _count(key: str) -> int:
    cache.add(key, 0, SIGNUP_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, SIGNUP_WINDOW)
        return 1


def check_signup_rate(*, ip: str | None, email: str) -> None:
    """Count this sign-up and refuse it (ValidationError) past either limit."""
    by_ip = _count(f"accounts:signup:ip:{ip or 'unknown'}")
    digest = salted_hmac("accounts.signup.email", email.lower()).hexdigest()
    by_email = _count(f"accounts:signup:email:{digest}")
    if by_ip > SIGNUPS_PER_IP or by_email > SIGNUPS_PER_EMAIL:
        raise ValidationError(TOO_MANY, code="rate_limited")


def _fingerprint(user: User) -> str:
    """Changes when the pending account is replaced by a new sign-up (a new password)."""
    return salted_hmac(VERIFY_SALT, f"{user.pk}:{user.password}").hexdigest()[:16]


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=VERIFY_SALT, compress=True)


def user_for_token(token: str) -> User:
    """The pending account of a verification link, or the reason it cannot be used."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as error:
        raise VerificationLinkExpired from error
    except signing.BadSignature as error:
        raise VerificationLinkInvalid from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise VerificationLinkInvalid
    user = User.objects.filter(pk=data["u"]).first()
    if user is None:
        raise VerificationLinkInvalid
    if user.signed_up_at is not None and user.email_verified_at is not None:
        raise VerificationLinkUsed
    if not user.awaits_confirmation or user.is_active or data.get("f") != _fingerprint(user):
        raise VerificationLinkInvalid
    return user


@transaction.atomic
def sign_up(
    *, email: str, full_name: str, password: str, language: str, link_for: Any
) -> User | None:
    """Create (or replace) the pending account for `email` and e-mail its verification link;
    `link_for(token)` makes the absolute URL. For an address with an account already, e-mail
    its owner instead and return None."""
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not (existing.awaits_confirmation and not existing.is_active):
        # An account in use, or one staff deactivated: a sign-up neither replaces nor revives it.
        send_account_mail(
            template="accounts.signup_existing",
            user=existing,
            context={"login_url": link_for(None)},
        )
        logger.info("sign-up for the existing account of user %s", existing.pk)
        return None
    user = existing or User(email=email)
    user.full_name = full_name
    user.language = language if language in dict(settings.LANGUAGES) else ""
    user.is_active = False
    user.signed_up_at = timezone.now()
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    log_activity(user, "accounts.user.signed_up", by=None)
    send_account_mail(
        template="accounts.verify_email",
        user=user,
        context={
            "person_name": user.get_short_name(),
            "verify_url": link_for(verification_token(user)),
            "hours": VERIFY_MAX_AGE // 3600,
        },
    )
    return user


@transaction.atomic
def verify_email(*, token: str) -> User:
    """Spend the link: the account becomes active. Raises VerificationLink* when it cannot."""
    user = user_for_token(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    user_for_token(token)  # again under the lock: two clicks at once confirm once
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])
    log_activity(user, "accounts.user.email_verified", by=user)
    return user
