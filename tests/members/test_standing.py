"""Good standing: a current (or in-grace) membership and at least one active partnership."""

import datetime

import pytest

from tests.factories import CommunityFactory, PartnershipFactory
from tests.factories.members import MembershipFactory
from twinning.members.standing import is_in_good_standing, standing_reasons
from twinning.network.models import Partnership

D = datetime.date


@pytest.fixture
def partnered(springfield_member, springfield):
    partner = CommunityFactory(name="Kyoto-ish")
    PartnershipFactory(community_a=springfield, community_b=partner)
    return springfield_member


@pytest.mark.parametrize(
    ("day", "good"),
    [(D(2027, 6, 30), True), (D(2027, 7, 30), True), (D(2027, 7, 31), False)],
)
def test_current_or_grace_with_an_active_partnership(partnered, day, good):
    MembershipFactory(member=partnered)

    assert is_in_good_standing(partnered, day) is good


def test_no_membership_is_not_good_standing(partnered):
    reasons = standing_reasons(partnered, D(2026, 8, 1))

    assert [r.ok for r in reasons] == [False, True]
    assert reasons[0].text == "No membership on record."


def test_a_dormant_partnership_does_not_count(partnered):
    MembershipFactory(member=partnered)
    Partnership.objects.update(status=Partnership.Status.DORMANT)

    reasons = standing_reasons(partnered, D(2026, 8, 1))

    assert [r.ok for r in reasons] == [True, False]
    assert "no active partnership" in reasons[1].text.lower() or "None of your" in reasons[1].text


def test_pending_application_is_not_good_standing(partnered):
    MembershipFactory(member=partnered, approved_at=None)

    assert is_in_good_standing(partnered, D(2026, 8, 1)) is False
