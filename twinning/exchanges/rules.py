"""Who may do what in the exchange.

- A hosting committee's exchange pages (its families, students, schools, coordinators) are
  managed by the committee's admins, its coordinators and verified staff.
- `may_read_restricted(user, student)`: the ONE reader check of the restricted fields
  (medical, allergies, passport, visa; special-category data, RELIABILITY P-07): the hosting
  committee's exchange coordinator, or welfare staff (`core.special.may_read_special`:
  verified staff holding `staff_welfare`). Plain verified staff do not. The pages that show
  them also ask for a fresh re-authentication (`accounts.reauth`), which is the session's.
"""

from typing import Any

import rules

from twinning.core.authz import is_staff
from twinning.core.special import may_read_special


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def manages_exchanges_of(user: Any, member: Any) -> bool:
    """A committee admin or a coordinator of the hosting committee `member`."""
    if not _signed_in(user) or member is None:
        return False
    if member.admins.filter(pk=user.pk).exists():
        return True
    return member.exchange_coordinators.filter(user=user).exists()


def may_read_restricted(user: Any, student: Any) -> bool:
    """The hosting committee's exchange coordinator or welfare staff, nobody else."""
    if may_read_special(user):
        return True
    if not _signed_in(user):
        return False
    from twinning.exchanges.models import Coordinator

    return Coordinator.objects.filter(
        member_id=student.quota.host_id, user=user, is_exchange_coordinator=True
    ).exists()


rules.add_perm("exchanges.manage_committee", is_staff | manages_exchanges_of)
rules.add_perm("exchanges.manage_seasons", is_staff)


def may_read_restricted_of(user: Any, member: Any) -> bool:
    """`may_read_restricted` for every student of the hosting committee `member` (its lists
    of incidents): its exchange coordinator or welfare staff."""
    if may_read_special(user):
        return True
    if not _signed_in(user) or member is None:
        return False
    return member.exchange_coordinators.filter(user=user, is_exchange_coordinator=True).exists()
