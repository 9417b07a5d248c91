"""Who may do what in events (core/authz vocabulary)."""

# --- Registration (tickets, orders, delegations, the waiting list) ---------------------------
# Appended by the registration part; its predicates read the order, the attendee or the member.
import rules

from twinning.core.authz import is_staff
from twinning.network.rules import is_committee_admin_of


@rules.predicate
def is_order_holder(user, order) -> bool:  # type: ignore[no-untyped-def]
    """The person who registered the order, or an admin of the committee it is for."""
    if not getattr(user, "is_authenticated", False) or order is None:
        return False
    if order.buyer_id == user.pk:
        return True
    return order.member_id is not None and order.member.admins.filter(pk=user.pk).exists()


@rules.predicate
def is_attendee_or_holder(user, attendee) -> bool:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False) or attendee is None:
        return False
    return attendee.user_id == user.pk or is_order_holder(user, attendee.order)


@rules.predicate
def is_waiting_party(user, entry) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_authenticated", False) and entry and entry.user_id == user.pk)


rules.add_perm("events.register", rules.is_authenticated)
rules.add_perm("events.register_delegation", is_staff | is_committee_admin_of)
rules.add_perm("events.manage_order", is_staff | is_order_holder)
rules.add_perm("events.manage_attendee", is_staff | is_attendee_or_holder)
rules.add_perm("events.leave_waiting_list", is_staff | is_waiting_party)
rules.add_perm("events.manage_registrations", is_staff)
