"""Sign-in rate limits (RELIABILITY B2, B3): failures counted per client IP and per account.

Two counters live in Django's cache, each a fixed window that starts at the first failure:
at most ``LOGIN_LIMIT_PER_IP`` (10 per 300 s) failures from one client address and
``LOGIN_LIMIT_PER_ACCOUNT`` (20 per hour) for one e-mail address, whether or not an account
has that address (so the limit itself tells nothing). While either counter is full, every
attempt is refused, even with the right password; when its window ends the counter is gone
(no permanent lockout). A successful password reset clears the account's counter.

Counting is atomic: ``cache.add`` creates the counter with the window as its expiry (a no-op
when it exists) and ``cache.incr`` increments it in place. Redis, Memcached and the local
memory cache keep the expiry on ``incr``; the database cache would not (its ``incr`` is a
get-then-set that restarts the timeout), so production uses Redis (settings, ``REDIS_URL``).

Why not a package:
* django-ratelimit's system check rejects the locmem and database caches and warns on
  Django's own ``RedisCache``, which would break ``check --deploy --fail-level WARNING`` (A1);
* django-axes keeps one failure limit per key; it cannot express two different limits (per
  IP per 5 minutes and per account per hour) at once.

The limit is enforced inside authentication itself (``RateLimitedModelBackend``), so every
password form, the admin's included, is limited; the sign-in form checks first to show the
refusal message instead of "wrong password".
"""

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
    """The client's address as our own proxies saw it (B3), or None when it is unknown.

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


@dataclass(frozen=True)
class SignInAttempt:
    """One attempt to sign in: the client address (if known) and the e-mail address tried."""

    ip: str | None
    email: str

    @classmethod
    def from_request(cls, request: HttpRequest, email: str) -> "SignInAttempt":
        ip = client_ip(request)
        if ip is None:
            # B3: never one shared bucket for every unknown client; the account limit holds.
            logger.warning("sign-in attempt from an unknown client address; IP limit skipped")
        return cls(ip=ip, email=email or "")

    def _counters(self) -> list[tuple[str, int, int, Any]]:
        ip_limit, ip_window = settings.LOGIN_LIMIT_PER_IP
        account_limit, account_window = settings.LOGIN_LIMIT_PER_ACCOUNT
        counters = []
        if self.ip is not None:
            counters.append((f"login-fail:ip:{self.ip}", ip_limit, ip_window, REFUSAL_FROM_NETWORK))
        if self.email:
            counters.append(
                (_account_key(self.email), account_limit, account_window, REFUSAL_FOR_ACCOUNT)
            )
        return counters

    def refusal(self) -> str | None:
        """The message to show if this attempt must be refused, else None."""
        keys = self._counters()
        counts = cache.get_many([key for key, *_rest in keys])
        for key, limit, _window, message in keys:
            if counts.get(key, 0) >= limit:
                return str(message)
        return None

    def record_failure(self) -> None:
        """Count one failed attempt against the client address and the e-mail address."""
        for key, _limit, window, _message in self._counters():
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)
            except ValueError:  # the window ended between add and incr: start a new one
                cache.add(key, 1, timeout=window)
        logger.info("sign-in failed (client %s)", self.ip or "unknown")


def clear_account_failures(email: str) -> None:
    """Forget the failures counted for this e-mail address (after a successful reset)."""
    cache.delete(_account_key(email))


class RateLimitedModelBackend(ModelBackend):
    """Django's e-mail/password backend behind the sign-in limits.

    Refuses (``PermissionDenied``, which makes ``authenticate`` stop and return None) while a
    limit is reached, and counts a failure whenever the password check fails. For an unknown
    e-mail ``ModelBackend`` still runs the password hasher, so timing does not tell (B4).
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
        if attempt.refusal() is not None:
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            attempt.record_failure()
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
