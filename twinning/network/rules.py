"""Who may do what in the registry (C11): predicates and `network.*` permissions."""

import rules

from twinning.core.authz import is_staff
from twinning.network.models import (
    ApiToken,
    Community,
    Member,
    Partnership,
    PartnershipProposal,
)


@rules.predicate
def is_committee_admin(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_authenticated", False) and user.administered_members.exists())


@rules.predicate
def is_committee_admin_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """The user administers this member, or the member owning this community, proposal or
    API token."""
    if not getattr(user, "is_authenticated", False) or obj is None:
        return False
    if isinstance(obj, Member):
        return obj.admins.filter(pk=user.pk).exists()
    if isinstance(obj, Community):
        return obj.members.filter(admins=user).exists()
    if isinstance(obj, PartnershipProposal | ApiToken):
        return obj.member is not None and obj.member.admins.filter(pk=user.pk).exists()
    if isinstance(obj, Partnership):
        return Member.objects.filter(
            admins=user, communities__in=[obj.community_a_id, obj.community_b_id]
        ).exists()
    return False


rules.add_perm("network.view_staff_pages", is_staff)
rules.add_perm("network.edit_registry", is_staff)
rules.add_perm("network.record_partnership", is_staff)
rules.add_perm("network.manage_partnership", is_staff)
rules.add_perm("network.decide_proposal", is_staff)
rules.add_perm("network.review_locations", is_staff)
rules.add_perm("network.edit_member", is_staff | is_committee_admin_of)
rules.add_perm("network.propose_partnership", is_staff | is_committee_admin_of)
rules.add_perm("network.confirm_partnership", is_staff | is_committee_admin_of)
rules.add_perm("network.use_member_portal", is_committee_admin)
# API tokens: committee admins for their own member's tokens, staff for any (and for staff
# tokens, which act for no member).
rules.add_perm("network.manage_api_tokens", is_staff | is_committee_admin_of)
rules.add_perm("network.revoke_api_token", is_staff | is_committee_admin_of)
rules.add_perm("network.create_staff_api_token", is_staff)
