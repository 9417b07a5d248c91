"""Helpers of the tests of special-category data (RELIABILITY P-07, B12): the `staff_welfare`
capability, a session freshly re-authenticated, and one whose confirmation is too old."""

import time

from django.contrib.auth.models import Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import verified
from tests.factories import UserFactory
from twinning.accounts.reauth import PASSWORD_CHECKED_AT, SECOND_FACTOR_CHECKED_AT

PASSWORD = "correct horse battery staple"  # tests/factories/accounts.py


def grant_welfare(user):
    """Give `user` the staff welfare capability, as an admin does in the admin."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="staff_welfare")
    )
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def welfare_staff(email: str = "welfare@example.org"):
    """Association staff with the welfare capability, as services see them from a verified
    session."""
    return grant_welfare(verified(UserFactory(email=email, is_staff=True)))


def _stamp(client, at: float):
    session = client.session
    session[PASSWORD_CHECKED_AT] = int(at)
    session[SECOND_FACTOR_CHECKED_AT] = int(at)
    session.save()
    return client


def reauthenticated(client):
    """The client's session as after the re-authentication page, just now."""
    return _stamp(client, time.time())


def stale(client, minutes: int = 11):
    """The client's session as re-authenticated `minutes` ago."""
    return _stamp(client, time.time() - minutes * 60)


def code_for(user) -> str:
    """The current code of `user`'s authenticator (the one `_client_for(verified=True)` made)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=0)
    return f"{value:06d}"
