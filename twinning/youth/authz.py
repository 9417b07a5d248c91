"""Who may act on a young person: the person themself, verified staff, or SYSTEM."""

from typing import Any

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff


def check_person_or_staff(person: Any, by: Any) -> None:
    """NotAllowed unless `by` is the young person themself, verified staff, or SYSTEM."""
    if by is SYSTEM or is_verified_staff(by):
        return
    if not getattr(by, "is_authenticated", False) or person.user_id != by.pk:
        raise NotAllowed
