"""The registry's write services: behaviour, audit entries and refusals (C4, C5, C8, C15)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.network.models import (
    Community,
    Partnership,
    PartnershipProposal,
)
from twinning.network.services import (
    accept_suggested_location,
    add_committee_admin,
    approve_proposal,
    change_partnership_status,
    confirm_partnership,
    decline_proposal,
    dismiss_location_flag,
    propose_partnership,
    record_partnership,
    remove_committee_admin,
    update_member_profile,
)

pytestmark = pytest.mark.django_db


def _log(action):
    return ActivityLog.objects.get(action=action)


@pytest.fixture
def lyon():
    return CommunityFactory(name="Lyon")


@pytest.fixture
def frankfurt():
    return CommunityFactory(name="Frankfurt")


@pytest.fixture
def proposal(committee_admin_user, springfield_member, springfield):
    return propose_partnership(
        member=springfield_member,
        community=springfield,
        partner=CommunityFactory(name="Kraków"),
        kind=Partnership.Kind.TWIN_TOWN,
        established_year=2024,
        note="Signed on 1 May",
        by=committee_admin_user,
    )


# --- record_partnership ------------------------------------------------------------------------


def test_record_partnership_stores_the_pair_in_id_order_and_logs(lyon, frankfurt, staff_user):
    partnership = record_partnership(
        community=frankfurt, partner=lyon, source="charter", by=staff_user
    )

    assert (partnership.community_a, partnership.community_b) == (lyon, frankfurt)
    assert partnership.status_changes.get().status == Partnership.Status.ACTIVE
    entry = _log("network.partnership.recorded")
    assert (entry.actor, entry.target) == (staff_user, partnership)
    assert entry.data["source"] == "charter"


def test_record_partnership_refuses_a_community_with_itself(lyon, staff_user):
    with pytest.raises(ValidationError, match="cannot be partnered with itself"):
        record_partnership(community=lyon, partner=lyon, by=staff_user)

    assert Partnership.objects.count() == 0


@pytest.mark.parametrize("reverse_order", [False, True])
def test_record_partnership_refuses_a_duplicate_pair_in_either_order(
    lyon, frankfurt, staff_user, reverse_order
):
    record_partnership(community=lyon, partner=frankfurt, by=staff_user)
    one, other = (frankfurt, lyon) if reverse_order else (lyon, frankfurt)

    with pytest.raises(ValidationError, match="already partners"):
        record_partnership(community=one, partner=other, by=staff_user)

    assert Partnership.objects.count() == 1
    assert ActivityLog.objects.filter(action="network.partnership.recorded").count() == 1


# --- change_partnership_status / confirm_partnership ----------------------------------------


def test_change_partnership_status_keeps_the_dated_history_and_logs(staff_user):
    partnership = PartnershipFactory()

    change_partnership_status(
        partnership=partnership,
        status=Partnership.Status.ENDED,
        on=datetime.date(2020, 6, 30),
        note="Council vote",
        by=staff_user,
    )

    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ENDED
    assert partnership.status_changed_on == datetime.date(2020, 6, 30)
    assert list(partnership.status_changes.values_list("status", "note")) == [
        ("ended", "Council vote")
    ]
    assert _log("network.partnership.status_changed").data == {
        "from": "active",
        "to": "ended",
        "note": "Council vote",
    }


@pytest.mark.parametrize("status", ["active", "cancelled"])
def test_change_partnership_status_refuses_the_same_or_an_unknown_status(staff_user, status):
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError) as error:
        change_partnership_status(partnership=partnership, status=status, by=staff_user)

    assert "status" in error.value.message_dict
    assert partnership.status_changes.count() == 0


def test_confirm_partnership_records_one_side_and_logs(staff_user):
    partnership = PartnershipFactory()

    confirm_partnership(
        partnership=partnership,
        side=partnership.community_b,
        on=datetime.date(2025, 1, 2),
        by=staff_user,
    )

    partnership.refresh_from_db()
    assert (partnership.confirmed_by_a_on, partnership.confirmed_by_b_on) == (
        None,
        datetime.date(2025, 1, 2),
    )
    assert _log("network.partnership.confirmed").data == {"side": partnership.community_b.name}


def test_confirm_partnership_refuses_a_community_outside_the_pair(staff_user):
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError, match="is not a side"):
        confirm_partnership(partnership=partnership, side=CommunityFactory(), by=staff_user)


# --- propose / approve / decline ---------------------------------------------------------------


def test_propose_partnership_creates_a_pending_request_and_logs(proposal, committee_admin_user):
    assert proposal.state == PartnershipProposal.State.PENDING
    assert proposal.proposed_by == committee_admin_user
    assert _log("network.proposal.submitted").actor == committee_admin_user
    assert Partnership.objects.count() == 0


def test_propose_partnership_refuses_another_members_community(
    committee_admin_user, springfield_member
):
    theirs = CommunityFactory(name="Shelbyville")
    MemberFactory(communities=[theirs])

    with pytest.raises(ValidationError) as error:
        propose_partnership(
            member=springfield_member,
            community=theirs,
            partner=CommunityFactory(),
            by=committee_admin_user,
        )

    assert "community" in error.value.message_dict
    assert PartnershipProposal.objects.count() == 0


def test_propose_partnership_refuses_a_user_who_does_not_administer_the_member(
    other_committee_admin_user, springfield_member, springfield
):
    with pytest.raises(NotAllowed):
        propose_partnership(
            member=springfield_member,
            community=springfield,
            partner=CommunityFactory(),
            by=other_committee_admin_user,
        )

    assert PartnershipProposal.objects.count() == 0


def test_propose_partnership_refuses_a_second_pending_request_for_the_pair(
    proposal, committee_admin_user, springfield_member, springfield
):
    with pytest.raises(ValidationError, match="already waiting"):
        propose_partnership(
            member=springfield_member,
            community=springfield,
            partner=proposal.partner,
            by=committee_admin_user,
        )


def test_approve_proposal_records_the_partnership_with_our_confirmation(proposal, staff_user):
    approve_proposal(proposal=proposal, message="Welcome", by=staff_user)

    proposal.refresh_from_db()
    partnership = proposal.partnership
    assert proposal.state == PartnershipProposal.State.APPROVED
    assert (proposal.decided_by, proposal.decision_message) == (staff_user, "Welcome")
    assert partnership.kind == Partnership.Kind.TWIN_TOWN
    assert partnership.is_confirmed_by(proposal.community)
    assert not partnership.is_confirmed_by(proposal.partner)
    assert _log("network.proposal.approved").actor == staff_user


def test_approve_proposal_of_a_status_change_changes_the_status(
    committee_admin_user, springfield_member, springfield, staff_user
):
    partnership = PartnershipFactory(community_a=springfield)
    proposal = propose_partnership(
        member=springfield_member,
        community=springfield,
        partner=partnership.community_b,
        action=PartnershipProposal.Action.STATUS,
        status=Partnership.Status.DORMANT,
        by=committee_admin_user,
    )

    approve_proposal(proposal=proposal, by=staff_user)

    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.DORMANT


def test_approve_proposal_twice_is_refused(proposal, staff_user):
    approve_proposal(proposal=proposal, by=staff_user)

    with pytest.raises(ValidationError, match="already been decided"):
        approve_proposal(proposal=proposal, by=staff_user)

    assert Partnership.objects.count() == 1
    assert ActivityLog.objects.filter(action="network.proposal.approved").count() == 1


def test_decline_proposal_without_a_message_is_refused(proposal, staff_user):
    with pytest.raises(ValidationError) as error:
        decline_proposal(proposal=proposal, message="   ", by=staff_user)

    proposal.refresh_from_db()
    assert "message" in error.value.message_dict
    assert proposal.state == PartnershipProposal.State.PENDING


def test_decline_proposal_keeps_the_message_for_the_committee(proposal, staff_user):
    decline_proposal(proposal=proposal, message="Send the resolution", by=staff_user)

    proposal.refresh_from_db()
    assert proposal.state == PartnershipProposal.State.DECLINED
    assert proposal.decision_message == "Send the resolution"
    assert _log("network.proposal.declined").data == {"message": "Send the resolution"}
    assert Partnership.objects.count() == 0


def test_decline_proposal_after_approval_is_refused(proposal, staff_user):
    approve_proposal(proposal=proposal, by=staff_user)

    with pytest.raises(ValidationError, match="already been decided"):
        decline_proposal(proposal=proposal, message="Too late", by=staff_user)


# --- Member profile and admins -----------------------------------------------------------------


def test_update_member_profile_changes_only_the_profile_and_logs_the_change(
    springfield_member, committee_admin_user
):
    update_member_profile(
        member=springfield_member,
        by=committee_admin_user,
        website="https://springfield.example",
        preferred_regions=["asia", "africa"],
        description="",
    )

    springfield_member.refresh_from_db()
    assert springfield_member.website == "https://springfield.example"
    assert springfield_member.preferred_regions == ["africa", "asia"]
    assert _log("network.member.profile_changed").data == {
        "website": "https://springfield.example",
        "preferred_regions": "['africa', 'asia']",
    }


def test_update_member_profile_refuses_unknown_fields(springfield_member, committee_admin_user):
    with pytest.raises(ValidationError, match="cannot be changed here: name, slug"):
        update_member_profile(
            member=springfield_member, by=committee_admin_user, name="Hijacked", slug="x"
        )

    springfield_member.refresh_from_db()
    assert springfield_member.name == "Springfield Sister Cities"


def test_update_member_profile_refuses_another_members_admin(
    springfield_member, other_committee_admin_user
):
    with pytest.raises(NotAllowed):
        update_member_profile(
            member=springfield_member, by=other_committee_admin_user, description="Ours now"
        )

    springfield_member.refresh_from_db()
    assert springfield_member.description == ""


def test_add_committee_admin_gives_access_and_logs(springfield_member, staff_user):
    user = UserFactory(email="new@springfield.example")

    add_committee_admin(member=springfield_member, user=user, by=staff_user)

    assert list(springfield_member.admins.filter(pk=user.pk)) == [user]
    assert _log("network.member.admin_added").data == {"user": "new@springfield.example"}


def test_remove_committee_admin_takes_effect_at_once(
    committee_admin, committee_admin_user, springfield_member, staff_user
):
    url = f"/portal/{springfield_member.slug}/"
    assert committee_admin.get(url).status_code == 200

    remove_committee_admin(member=springfield_member, user=committee_admin_user, by=staff_user)

    assert committee_admin.get(url).status_code == 404
    assert _log("network.member.admin_removed").actor == staff_user


# --- Locations ---------------------------------------------------------------------------------


@pytest.fixture
def misplaced():
    return CommunityFactory(
        name="Birmingham",
        latitude=52.48,
        longitude=-1.89,
        suggested_latitude=33.52,
        suggested_longitude=-86.81,
        location_status=Community.LocationStatus.OUTSIDE_COUNTRY,
        location_note="Point lies in GB",
    )


def test_accept_suggested_location_moves_the_point_and_clears_the_flag(misplaced, staff_user):
    accept_suggested_location(community=misplaced, by=staff_user)

    misplaced.refresh_from_db()
    assert (misplaced.latitude, misplaced.longitude) == (33.52, -86.81)
    assert (misplaced.suggested_latitude, misplaced.location_note) == (None, "")
    assert misplaced.location_status == Community.LocationStatus.OK
    assert _log("network.community.location_accepted").data == {
        "from": [52.48, -1.89],
        "to": [33.52, -86.81],
    }


def test_accept_suggested_location_without_a_suggestion_is_refused(staff_user):
    community = CommunityFactory(location_status=Community.LocationStatus.UNMATCHED)

    with pytest.raises(ValidationError, match="no suggested point"):
        accept_suggested_location(community=community, by=staff_user)


def test_dismiss_location_flag_keeps_the_point_and_logs_the_flag(misplaced, staff_user):
    dismiss_location_flag(community=misplaced, by=staff_user)

    misplaced.refresh_from_db()
    assert (misplaced.latitude, misplaced.longitude) == (52.48, -1.89)
    assert misplaced.location_status == Community.LocationStatus.OK
    assert misplaced.suggested_latitude is None
    assert _log("network.community.location_confirmed").data == {"flag": "Point lies in GB"}
