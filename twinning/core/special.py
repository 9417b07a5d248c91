"""Special-category data (RELIABILITY P-07): health information, passport and visa data,
safeguarding notes. One vocabulary for every program that holds them (the summit today, the
high-school exchanges next):

- `may_read_special(user)`: verified staff (second factor in this session) holding the
  `staff_welfare` capability, the `accounts.staff_welfare` permission an admin grants in the
  admin (on the user, or through a group). A program may add readers of its own on top (the
  summit's nurse and chaperones, named per summit), never fewer checks.
- `require_special_reader(by)`: the actor check of a service that reads or writes them.
- Reading them also needs a fresh re-authentication (B12): that is the session's, so the views
  ask for it (`twinning.accounts.reauth`: `reauth_required`, `reauth_redirect`).
- `log_special_read(record, ...)`: the one way a read is logged (K3): who (the actor), whose
  record (the audit entry's object), which fields and why, never the values.
- Never in a bulk CSV/XLSX export, never in an e-mail, never shown to judges or committee
  admins: each program's canary tests scan its pages, exports and the outbox for them.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff
from twinning.core.models import ActivityLog
from twinning.core.services import log_activity

WELFARE_PERMISSION = "accounts.staff_welfare"


def has_welfare_capability(user: Any) -> bool:
    """The user holds `staff_welfare` (whatever their session): for labels and the admin, not
    for access; access asks `may_read_special`."""
    if user is None or user is SYSTEM or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_active and user.is_staff and user.has_perm(WELFARE_PERMISSION))


def may_read_special(user: Any) -> bool:
    """Verified staff with the `staff_welfare` capability (fails closed like verified staff)."""
    return is_verified_staff(user) and has_welfare_capability(user)


def require_special_reader(by: Any) -> None:
    """Raise NotAllowed unless `by` may read special-category data (or is SYSTEM)."""
    if by is not SYSTEM and not may_read_special(by):
        raise NotAllowed("staff_welfare")


def log_special_read(
    record: models.Model,
    action: str,
    *,
    by: Any,
    fields: Iterable[str],
    purpose: str,
    **context: Any,
) -> ActivityLog:
    """Write the audit entry of one read of `record`'s special-category fields (K3): the actor,
    the record, the field names and the purpose (plus `context`, e.g. the event's key). Values
    never go in: pass names only. Call it inside the reading service's transaction."""
    data: dict[str, Any] = {"fields": sorted(fields), "purpose": purpose, **context}
    return log_activity(record, action, by=by, data=data)
