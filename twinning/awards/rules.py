"""Who may do what in the awards (C11): staff run the cycles, judging and results; a committee's
admins nominate their committee and edit its nominations; a committee admin or a regional
coordinator may nominate a person of another committee (who then confirms)."""

from typing import Any

import rules

from twinning.core.authz import is_staff


@rules.predicate
def is_committee_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.administered_members.exists())


@rules.predicate
def is_regional_coordinator(user: Any) -> bool:
    from twinning.members.models import AssociationRegion

    return bool(
        getattr(user, "is_authenticated", False)
        and AssociationRegion.objects.filter(coordinators=user).exists()
    )


@rules.predicate
def is_admin_of_member(user: Any, member: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and member is not None
        and member.admins.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_nomination_owner(user: Any, nomination: Any) -> bool:
    """The committee's admins, or the third party who nominated."""
    if not getattr(user, "is_authenticated", False) or nomination is None:
        return False
    return (
        nomination.nominated_by_id == user.pk
        or nomination.member.admins.filter(pk=user.pk).exists()
    )


rules.add_perm("awards.manage_awards", is_staff)
rules.add_perm("awards.nominate_for_member", is_admin_of_member | is_staff)
rules.add_perm(
    "awards.nominate_third_party", is_committee_admin | is_regional_coordinator | is_staff
)
rules.add_perm("awards.change_nomination", is_nomination_owner | is_staff)
