"""Sign-in rate limits (AUTH-2, AUTH-3; AUTH-2, AUTH-3): failures per address and account.

Three counters live in Django's cache, each a fixed window that starts at its first failure:
failures from one client address (``LOGIN_LIMIT_PER_IP``, 10 per 300 s), failures for one
e-mail address from anywhere (``LOGIN_LIMIT_PER_ACCOUNT``, 20 per hour), and failures for that
e-mail address from this client address. An address past its limit is refused for every
account, even with the right password. An account past its limit is refused only from the
addresses that already failed for it: a stranger who guesses twenty times cannot lock the
owner out, who still signs in from an address of their own (each new address of the stranger
gets one guess before it is refused too, and the address limit still holds), or by the e-mailed
password reset link, which clears the account's counter. Unknown accounts are counted the
same way, so the limit tells nothing. No lockout is permanent: a window ends, its counter goes.

Counting is atomic and comes before the check: an attempt first takes a slot
(``cache.add`` creates the counter with the window as its expiry, ``cache.incr`` increments it
in place and returns the new value), is refused when its slot is past the limit, and gives the
slot back when it was refused or the password was right. Twenty attempts sent at the same
moment therefore cannot all pass a check made before any of them counted. Redis, Memcached
and the local memory cache keep the expiry on ``incr``; the database cache would not (its
``incr`` is a get-then-set), so production uses Redis (settings, ``REDIS_URL``).

Why not a package:
* django-ratelimit's system check rejects the locmem and database caches and warns on
  Django's own ``RedisCache``, which would break ``check --deploy --fail-level WARNING`` (HDR-1);
* django-axes keeps one failure limit per key; it cannot express two different limits (per
  IP per 5 minutes and per account per hour) at once.

The limit is enforced inside authentication itself (``RateLimitedModelBackend``), so every
password form, the admin's included, is limited; the backend leaves its refusal on the request
and the sign-in form shows it instead of "wrong password".
"""

import contextlib
import hashlib
import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

REFUSAL_FROM_NETWORK = _("Too many sign-in attempts from your network. Try again in a few minutes.")
REFUSAL_FOR_ACCOUNT = _("Too many sign-in attempts for this account. Try again in a few minutes.")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as our own proxies saw it (AUTH-3), or None when it is unknown.

    Without trusted proxies (``TRUSTED_PROXY_COUNT = 0``) it is REMOTE_ADDR and any
    X-Forwarded-For header is ignored: the client writes that header. Behind N proxies, each
    proxy appends the address it received the connection from, so the client is the N-th
    entry counted from the right; entries further left were written by the client.
    IPv6 clients are counted per /64, the block one household or host usually gets.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        raw = forwarded[-proxies] if len(forwarded) >= proxies else ""
    else:
        raw = request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _account_key(email: str) -> str:
    # Hashed so that no e-mail address sits in the cache (or in a Redis key listing).
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"login-fail:account:{digest}"


def _take(key: str, window: int) -> int:
    """Count one more on `key` (created with the window as its expiry) and return the count."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr: start a new one
        cache.add(key, 0, timeout=window)
        return cache.incr(key)


def _give_back(key: str) -> None:
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        cache.decr(key)


@dataclass(frozen=True)
class SignInAttempt:
    """One attempt to sign in: the client address (if known) and the e-mail address tried."""

    ip: str | None
    email: str

    @classmethod
    def from_request(cls, request: HttpRequest, email: str) -> "SignInAttempt":
        ip = client_ip(request)
        if ip is None:
            # AUTH-3: never one shared bucket for every unknown client; the account limit holds.
            logger.warning("sign-in attempt from an unknown client address; IP limit skipped")
        return cls(ip=ip, email=email or "")

    def _keys(self) -> tuple[str | None, str | None, str | None]:
        """The address's, the account's and the account-from-this-address counters."""
        account = _account_key(self.email) if self.email else None
        ip = f"login-fail:ip:{self.ip}" if self.ip is not None else None
        pair = f"{account}:from:{self.ip}" if account and self.ip is not None else None
        return ip, account, pair

    def begin(self) -> str | None:
        """Take this attempt's slot in each counter, then check: the message to show if it
        must be refused (its slots given back), else None (call `finish` with the outcome)."""
        ip_key, account_key, pair_key = self._keys()
        ip_limit, ip_window = settings.LOGIN_LIMIT_PER_IP
        account_limit, account_window = settings.LOGIN_LIMIT_PER_ACCOUNT
        counts = {
            key: _take(key, window)
            for key, window in ((ip_key, ip_window), (account_key, account_window))
            if key is not None
        }
        # This attempt is the address's first for the account unless another one, failed or
        # still running, took a slot before it; an unknown address never is (AUTH-3).
        first_from_here = pair_key is not None and _take(pair_key, account_window) == 1
        refusal = None
        if ip_key is not None and counts[ip_key] > ip_limit:
            refusal = REFUSAL_FROM_NETWORK
        elif (
            account_key is not None and counts[account_key] > account_limit and not first_from_here
        ):
            refusal = REFUSAL_FOR_ACCOUNT
        if refusal is None:
            return None
        self._give_back_all()
        return str(refusal)

    def finish(self, *, succeeded: bool) -> None:
        """After the password check of an attempt `begin` let through: a failure keeps its
        slots (the pair's marks this address as failed for the account); a success gives them
        back."""
        if succeeded:
            self._give_back_all()
        else:
            logger.info("sign-in failed (client %s)", self.ip or "unknown")

    def _give_back_all(self) -> None:
        for key in self._keys():
            if key is not None:
                _give_back(key)


def clear_account_failures(email: str) -> None:
    """Forget the failures counted for this e-mail address (after a successful reset)."""
    cache.delete(_account_key(email))


class RateLimitedModelBackend(ModelBackend):
    """Django's e-mail/password backend behind the sign-in limits.

    Refuses (``PermissionDenied``, which makes ``authenticate`` stop and return None) while a
    limit is reached, and counts a failure whenever the password check fails. For an unknown
    e-mail ``ModelBackend`` still runs the password hasher, so timing does not tell (AUTH-4).
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(self._username_field())
        if request is None or username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        attempt = SignInAttempt.from_request(request, username)
        refusal = attempt.begin()
        if refusal is not None:
            request.sign_in_refusal = refusal  # type: ignore[attr-defined]  # the form shows it
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        attempt.finish(succeeded=user is not None)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
