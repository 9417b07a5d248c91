"""Re-authentication before special-category data (RELIABILITY B12, P-07).

The session remembers when its user last gave their password (`PASSWORD_CHECKED_AT`: at
sign-in, by any form, and on the re-authentication page) and, for staff, their second factor
(`SECOND_FACTOR_CHECKED_AT`: the code page and the re-authentication page). A session is
*recently authenticated* while both checks it needs are younger than `settings.REAUTH_MINUTES`
(10 by default). Pages that show health, passport or safeguarding data call `reauth_redirect`
(or wear `reauth_required`) after their own access check, so a refused role still gets 404 and
never learns that a confirmation would open the page.

The confirmation page (`accounts:reauth`) goes through `authenticate`, so the sign-in rate
limits (`ratelimit.RateLimitedModelBackend`) count and refuse its attempts too, and through
django-otp's code check (its own throttle) for staff.
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

PASSWORD_CHECKED_AT = "accounts_password_checked_at"  # noqa: S105 -- a session key, no secret
SECOND_FACTOR_CHECKED_AT = "accounts_second_factor_checked_at"
DEFAULT_MINUTES = 10


def reauth_seconds() -> int:
    """How long a password (and second factor) check stays fresh, in seconds."""
    return int(getattr(settings, "REAUTH_MINUTES", DEFAULT_MINUTES)) * 60


def needs_second_factor(user: Any) -> bool:
    """Staff confirm their second factor too (they must have one to be verified staff)."""
    return bool(getattr(user, "is_staff", False))


def mark_password_checked(session: SessionBase) -> None:
    session[PASSWORD_CHECKED_AT] = int(time.time())


def mark_second_factor_checked(session: SessionBase) -> None:
    session[SECOND_FACTOR_CHECKED_AT] = int(time.time())


def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: signing in is a password check."""
    if request is not None and hasattr(request, "session"):
        mark_password_checked(request.session)


def _fresh(session: SessionBase, key: str) -> bool:
    checked_at = session.get(key)
    if not isinstance(checked_at, int | float):
        return False
    age = time.time() - float(checked_at)
    return 0 <= age <= reauth_seconds()


def is_recently_authenticated(request: HttpRequest) -> bool:
    """The signed-in user gave their password (and, for staff, their code) within the last
    `REAUTH_MINUTES` minutes in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return False
    if not _fresh(request.session, PASSWORD_CHECKED_AT):
        return False
    return not needs_second_factor(user) or _fresh(request.session, SECOND_FACTOR_CHECKED_AT)


def reauth_url(next_url: str) -> str:
    return f"{reverse('accounts:reauth')}?{urlencode({'next': next_url})}"


def reauth_redirect(request: HttpRequest) -> HttpResponse | None:
    """None when the session is recently authenticated; else the redirect to the confirmation
    page, which comes back to this page (for a POST, to the page the form is on)."""
    if is_recently_authenticated(request):
        return None
    return redirect(reauth_url(request.get_full_path()))


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask for a fresh confirmation before `view`. Put it inside the view's access gate
    (`staff_required` above it), so a refused user is refused first; anonymous visitors pass
    through to that gate."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and (refused := reauth_redirect(request)):
            return refused
        return view(request, *args, **kwargs)

    return wrapped
