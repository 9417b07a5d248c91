"""Who may do what in the review engine (C11): `review.*` permissions."""

import rules

from twinning.core.authz import is_verified_staff
from twinning.review.models import Assignment, Round


@rules.predicate
def is_round_manager(user, round) -> bool:  # type: ignore[no-untyped-def]
    """Verified staff for every round; a member's committee admins for its local rounds."""
    if not isinstance(round, Round):
        return False
    return Round.objects.managed_by(user).filter(pk=round.pk).exists()


@rules.predicate
def manages_any_round(user) -> bool:  # type: ignore[no-untyped-def]
    return Round.objects.managed_by(user).exists() or bool(
        getattr(user, "is_authenticated", False) and user.administered_members.exists()
    )


@rules.predicate
def is_assigned_judge(user, assignment) -> bool:  # type: ignore[no-untyped-def]
    """The assignment is live and theirs (revocation takes effect on the next request, C5)."""
    if not isinstance(assignment, Assignment):
        return False
    return Assignment.objects.for_judge(user).filter(pk=assignment.pk).exists()


@rules.predicate
def may_create_round_for(user, owner_member) -> bool:  # type: ignore[no-untyped-def]
    """Verified staff create any round; a member's committee admins its local rounds."""
    if is_verified_staff(user):
        return True
    return bool(
        owner_member is not None
        and getattr(user, "is_authenticated", False)
        and owner_member.admins.filter(pk=user.pk).exists()
    )


rules.add_perm("review.create_round", may_create_round_for)
rules.add_perm("review.manage_round", is_round_manager)
rules.add_perm("review.view_round_list", manages_any_round)
rules.add_perm("review.score_item", is_assigned_judge)
