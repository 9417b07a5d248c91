"""Who may do what: the one vocabulary every app uses to refuse an actor.

- `NotAllowed`: raised by a service when its actor (`by`) may not do this to this object.
  Views never catch it: `NotAllowedMiddleware` answers 404 and the API's handler answers 404
  too, so what you may not touch looks exactly like what does not exist (CONVENTIONS C12).
- `is_verified_staff`: association staff with a second factor verified in this session. It
  fails closed: a user object without django-otp's `is_verified` (the OTP middleware did not
  run, a task, a shell) is not verified.
- `SYSTEM`: the platform itself acting (a task, the scheduler, a management command). It is not
  a user, signs nothing in the audit log (actor empty) and passes every actor check; a view
  always passes `request.user`, never `SYSTEM`.
- `require(by, perm, obj)`: the actor check services call first, over the `rules` permissions
  each app registers in its `rules.py`.
"""

from collections.abc import Callable
from typing import Any

import rules
from django.http import Http404, HttpRequest, HttpResponse


class NotAllowed(Exception):
    """The acting user may not do this to this object (views and the API answer 404)."""


class _System:
    """The platform acting on its own behalf; see the module docstring."""

    pk = None
    is_authenticated = False
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __repr__(self) -> str:
        return "SYSTEM"

    def __bool__(self) -> bool:
        return True


SYSTEM: Any = _System()


def is_system(by: Any) -> bool:
    return by is SYSTEM


def acting_user(by: Any) -> Any:
    """The user to record as having done something (a `created_by` column): `by` when it is a
    signed-in user, else None (SYSTEM, anonymous)."""
    return by if getattr(by, "is_authenticated", False) else None


def is_verified_staff(user: Any) -> bool:
    """Active association staff whose second factor is verified in this session (fails closed)."""
    if user is None or user is SYSTEM or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_active and user.is_staff):
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


@rules.predicate
def is_staff(user: Any) -> bool:
    """The `rules` predicate of verified staff, for every app's `rules.py`."""
    return is_verified_staff(user)


def require(by: Any, perm: str, obj: Any = None) -> None:
    """Raise NotAllowed unless `by` holds `perm` (on `obj`); SYSTEM always may."""
    if by is SYSTEM:
        return
    if by is None or not getattr(by, "is_active", False) or not by.has_perm(perm, obj):
        raise NotAllowed(perm)


def require_verified_staff(by: Any) -> None:
    """Raise NotAllowed unless `by` is verified staff (or SYSTEM)."""
    if by is not SYSTEM and not is_verified_staff(by):
        raise NotAllowed("staff")


class NotAllowedMiddleware:
    """Turns a service's NotAllowed into the site's 404 page, once for every view (C12)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotAllowed):
            raise Http404 from exception
