"""Who may do what in the registry (C11): the predicates and `network.*` permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import CommunityFactory, PartnershipFactory, UserFactory
from twinning.network.models import PartnershipProposal
from twinning.network.rules import is_committee_admin, is_committee_admin_of, is_staff

pytestmark = pytest.mark.django_db

STAFF_PERMS = [
    "network.view_staff_pages",
    "network.record_partnership",
    "network.manage_partnership",
    "network.decide_proposal",
    "network.review_locations",
]


def _verified(user, verified):
    user.is_verified = lambda: verified
    return user


@pytest.mark.parametrize("perm", STAFF_PERMS)
def test_staff_permission_needs_a_verified_second_factor(staff_user, perm):
    assert _verified(staff_user, True).has_perm(perm)
    assert not _verified(staff_user, False).has_perm(perm)


@pytest.mark.parametrize("perm", STAFF_PERMS)
def test_staff_permission_is_refused_to_committee_admins_and_anonymous(committee_admin_user, perm):
    assert not _verified(committee_admin_user, True).has_perm(perm)
    assert not AnonymousUser().has_perm(perm)


def test_is_staff_refuses_an_inactive_staff_user():
    user = _verified(UserFactory(is_staff=True, is_active=False), True)

    assert not is_staff(user)


def test_is_committee_admin_of_covers_member_community_partnership_and_proposal(
    committee_admin_user, springfield_member, springfield
):
    partnership = PartnershipFactory(community_a=springfield)
    proposal = PartnershipProposal(member=springfield_member)

    assert is_committee_admin_of(committee_admin_user, springfield_member)
    assert is_committee_admin_of(committee_admin_user, springfield)
    assert is_committee_admin_of(committee_admin_user, partnership)
    assert is_committee_admin_of(committee_admin_user, proposal)


def test_is_committee_admin_of_refuses_another_members_objects(
    other_committee_admin_user, springfield_member, springfield
):
    partnership = PartnershipFactory(community_a=springfield)

    assert not is_committee_admin_of(other_committee_admin_user, springfield_member)
    assert not is_committee_admin_of(other_committee_admin_user, springfield)
    assert not is_committee_admin_of(other_committee_admin_user, partnership)
    assert not is_committee_admin_of(other_committee_admin_user, CommunityFactory())


def test_is_committee_admin_of_refuses_anonymous_and_no_object(springfield_member):
    assert not is_committee_admin_of(AnonymousUser(), springfield_member)
    assert not is_committee_admin_of(UserFactory(), None)


def test_edit_member_is_for_its_admins_and_verified_staff(
    committee_admin_user, other_committee_admin_user, staff_user, springfield_member
):
    assert committee_admin_user.has_perm("network.edit_member", springfield_member)
    assert not other_committee_admin_user.has_perm("network.edit_member", springfield_member)
    assert _verified(staff_user, True).has_perm("network.edit_member", springfield_member)
    assert not _verified(staff_user, False).has_perm("network.edit_member", springfield_member)


def test_propose_partnership_is_for_the_members_admins(
    committee_admin_user, other_committee_admin_user, springfield_member
):
    assert committee_admin_user.has_perm("network.propose_partnership", springfield_member)
    assert not other_committee_admin_user.has_perm(
        "network.propose_partnership", springfield_member
    )


def test_use_member_portal_is_for_users_who_administer_a_member(
    committee_admin_user, public_user, staff_user
):
    assert is_committee_admin(committee_admin_user)
    assert committee_admin_user.has_perm("network.use_member_portal")
    assert not public_user.has_perm("network.use_member_portal")
    assert not _verified(staff_user, True).has_perm("network.use_member_portal")
