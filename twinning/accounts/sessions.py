"""Session lifetime policy (AUTH-7): idle and absolute limits, shorter when privileged.

A signed-in user's request pushes the session's expiry forward, so the per-session expiry set
at sign-in is an idle timeout. It does so at most once a minute (`SESSION_TOUCH_SECONDS`): the
middleware rewrites the session only when its last touch is older than that, instead of
`SESSION_SAVE_EVERY_REQUEST`'s write transaction on every page. The idle limit is therefore
exact to within a minute. The absolute limit counts from the sign-in, whatever the activity:
12 hours for staff and committee admins, 14 days for everyone else; past it,
`SessionLimitMiddleware` signs the user out and sends them to sign in again.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SIGNED_IN_AT = "signed_in_at"
TOUCHED_AT = "touched_at"


def session_idle_seconds(user: Any) -> int:
    """Seconds a session may stay idle: 30 min for staff and committee admins, else 2 h."""
    # `administered_members` is the network app's reverse relation; reading it needs no import.
    if is_privileged(user):
        return int(settings.SESSION_IDLE_TIMEOUT_PRIVILEGED)
    return int(settings.SESSION_IDLE_TIMEOUT)


def is_privileged(user: Any) -> bool:
    """Staff and committee admins read other people's data: shorter sessions."""
    # `administered_members` is the network app's reverse relation; reading it needs no import.
    return bool(user.is_staff or user.administered_members.exists())


def session_absolute_seconds(user: Any) -> int:
    """Seconds a session may last from sign-in: 12 h when privileged, else 14 days."""
    if is_privileged(user):
        return int(settings.SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED)
    return int(settings.SESSION_ABSOLUTE_TIMEOUT)


def set_session_expiry(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: every way of signing in (our form, the admin) gets it."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(session_idle_seconds(user))
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[TOUCHED_AT] = now


class SessionLimitMiddleware:
    """Sign out a session older than its absolute limit; otherwise push its idle expiry
    forward, at most once a minute (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            age = time.time() - float(signed_in_at or 0)
            # Whether the user is privileged costs a query: ask only past the shorter limit.
            expired = age > settings.SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED and (
                signed_in_at is None or age > session_absolute_seconds(user)
            )
            if expired:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            now = int(time.time())
            touched_at = request.session.get(TOUCHED_AT)
            if touched_at is None or now - int(touched_at) >= settings.SESSION_TOUCH_SECONDS:
                # A modified session is saved by SessionMiddleware with a fresh expiry.
                request.session[TOUCHED_AT] = now
        return self.get_response(request)
