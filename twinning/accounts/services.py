"""Writes on accounts: the profile, the staff's TOTP authenticator, password reset mail."""

import time
from functools import partial
from typing import Any

import django_otp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from twinning.accounts.models import User
from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff
from twinning.core.services import log_activity

TOTP_DEVICE_NAME = "authenticator"


def _check_self(user: User, by: Any) -> None:
    """The user themself, verified staff, or SYSTEM (NotAllowed for anyone else)."""
    if by is SYSTEM or is_verified_staff(by):
        return
    if not getattr(by, "is_authenticated", False) or by.pk != user.pk:
        raise NotAllowed("self")


@transaction.atomic
def update_profile(*, user: User, by: User, full_name: str, language: str) -> User:
    """Change a user's own name and preferred language; logs what changed.

    Raises NotAllowed if someone other than the user (or verified staff) tries, and
    ValidationError for bad values.
    """
    _check_self(user, by)
    changed = {}
    for name, value in (("full_name", full_name.strip()), ("language", language)):
        if getattr(user, name) != value:
            changed[name] = value
            setattr(user, name, value)
    if not changed:
        return user
    user.full_clean()
    user.save(update_fields=list(changed))
    log_activity(user, "accounts.profile.changed", by=by, data=changed)
    return user


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


WRONG_CODE = _lazy("That code is not right, or was already used. Enter the code shown now.")
THROTTLED = _lazy("Too many wrong codes. Wait a minute, then try again.")


def verify_totp_code(*, device: TOTPDevice, token: str) -> TOTPDevice:
    """Check a code from the user's authenticator (AUTH-8): ±1 step of 30 s, a code once only
    (django-otp keeps the last used step), wrong codes slow down further tries.

    Raises ValidationError({"token": ...}) when the code is not accepted.
    """
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"token": THROTTLED})
    verified = django_otp.verify_token(device.user, device.persistent_id, token)
    if verified is None:
        raise ValidationError({"token": WRONG_CODE})
    return verified


@transaction.atomic
def confirm_totp_device(*, user: User, key: str, token: str, by: User) -> TOTPDevice:
    """Save the user's new authenticator once a first code from it is right; logs it.

    `key` is the hex secret shown on the set-up page. Raises ValidationError({"token": ...})
    if the code does not match. Only the user themself sets up their authenticator
    (NotAllowed for anyone else, staff included).
    """
    if by is not SYSTEM and (not getattr(by, "is_authenticated", False) or by.pk != user.pk):
        raise NotAllowed("self")
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    device.full_clean()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not token.isdigit() or not totp.verify(int(token), device.tolerance):
        raise ValidationError({"token": WRONG_CODE})
    device.last_t = totp.t()  # the confirming code cannot be used again
    device.save()
    log_activity(user, "accounts.totp.confirmed", by=by)
    return device


def send_password_reset(*, user: User, domain: str, use_https: bool, language: str) -> None:
    """Queue the password reset e-mail for `user` (the task builds the link, so no reset
    token is stored in the task queue). Queued, not sent inline, so that asking for a known
    and an unknown address takes the same time (AUTH-4)."""
    from twinning.accounts.tasks import send_password_reset_task

    transaction.on_commit(
        partial(
            send_password_reset_task.enqueue,
            user_id=user.pk,
            domain=domain,
            use_https=use_https,
            language=language,
        )
    )
