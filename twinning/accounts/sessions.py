"""Session lifetime policy (RELIABILITY B7): privileged sessions time out sooner when idle.

With SESSION_SAVE_EVERY_REQUEST each request of a signed-in user pushes the expiry forward,
so the per-session expiry set at sign-in is an idle timeout.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def session_idle_seconds(user: Any) -> int:
    """Seconds a session may stay idle: 30 min for staff and committee admins, else 2 h."""
    # `administered_members` is the network app's reverse relation; reading it needs no import.
    if user.is_staff or user.administered_members.exists():
        return int(settings.SESSION_IDLE_TIMEOUT_PRIVILEGED)
    return int(settings.SESSION_IDLE_TIMEOUT)


def set_session_expiry(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: every way of signing in (our form, the admin) gets it."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(session_idle_seconds(user))
