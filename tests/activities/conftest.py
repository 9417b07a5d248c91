"""Fixtures of the activities tests: Springfield's partnership, another committee's, and a
report of each."""

import datetime

import pytest

from tests.factories import CommunityFactory, PartnershipFactory
from tests.factories.activities import ActivityFactory


@pytest.fixture
def partnership(springfield):
    partner = CommunityFactory(name="Kragujevac", country__code="FR")
    a, b = sorted([springfield, partner], key=lambda c: c.pk)
    return PartnershipFactory(community_a=a, community_b=b)


@pytest.fixture
def other_partnership(other_committee_admin_user):
    other = other_committee_admin_user.administered_members.get()
    home = CommunityFactory(name="Shelbyville", country__code="US")
    other.communities.add(home)
    partner = CommunityFactory(name="Nairobi", country__code="KE")
    a, b = sorted([home, partner], key=lambda c: c.pk)
    return PartnershipFactory(community_a=a, community_b=b)


@pytest.fixture
def activity(springfield_member, partnership):
    return ActivityFactory(member=springfield_member, partnerships=[partnership])


@pytest.fixture
def other_activity(other_committee_admin_user, other_partnership):
    other = other_committee_admin_user.administered_members.get()
    return ActivityFactory(member=other, partnerships=[other_partnership], title="Theirs")


@pytest.fixture
def delegation(springfield_member, partnership):
    return ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        is_delegation=True,
        title="Mayor's delegation",
        sector="business",
        kind="trade_delegation",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2025, 9, 5),
    )
