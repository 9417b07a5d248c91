"""Who may use matchmaking for a community: staff for any; a committee admin for the
communities of their member while its membership is current (or in grace). The partnership
rule of good standing (members/standing.py) is left out on purpose: a member seeking its
first partner has no active partnership yet, and matchmaking is how it finds one."""

from typing import Any

from twinning.core.authz import is_verified_staff
from twinning.core.dates import association_today
from twinning.members.standing import GOOD_STANDING_STATUSES
from twinning.members.status import membership_on
from twinning.network.models import Community, Member


def membership_is_current(member: Member) -> bool:
    """The status only (the membership that speaks for the member today): `member_status`
    also words its explanation, reading the membership's invoices for a sentence this check
    never shows (a query and a fifth of a committee's request page)."""
    day = association_today()
    membership = membership_on(list(member.memberships.all()), day)
    return membership is not None and membership.status_on(day) in GOOD_STANDING_STATUSES


def administered_members(user: Any, community: Community) -> list[Member]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Member.objects.administered_by(user).filter(communities=community))


def may_act_for(user: Any, community: Community) -> bool:
    """Staff, or a committee admin of a current member holding `community`."""
    if is_verified_staff(user):
        return True
    return any(membership_is_current(m) for m in administered_members(user, community))


def may_act_for_member(user: Any, member: Member) -> bool:
    """Staff, or a committee admin of `member` while its membership is current (the
    expertise exchange: a member's offers and requests, its partners' requests by link)."""
    if is_verified_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Member.objects.administered_by(user).filter(
        pk=member.pk
    ).exists() and membership_is_current(member)
