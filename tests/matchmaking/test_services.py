"""Profiles and interest through the services: the member's seeking flag kept in step,
staff's listing of a community abroad, mutual interest recorded as a proposed partnership
with its history and an introduction to both sides through the outbox."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import verified
from tests.factories import PartnershipFactory, UserFactory
from tests.matchmaking.helpers import committee, profile, town
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.matchmaking.models import Interest, SeekingProfile
from twinning.matchmaking.services import (
    express_interest,
    list_community_abroad,
    save_profile,
    withdraw_interest,
)
from twinning.network.models import Partnership
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_committee_opens_a_profile_and_its_member_says_it_is_seeking():
    springfield = town("Springfield", "US")
    town("Lyon", "FR")
    member, admin = committee("Springfield Sister Cities", springfield)

    saved = save_profile(
        community=springfield,
        by=admin,
        preferred_regions=["europe", "africa"],
        preferred_countries=["fr"],
        sectors=["youth"],
        languages=["en", "es"],
        text="Jazz and youth exchanges.",
    )

    member.refresh_from_db()
    assert saved.is_open and member.seeking_partner
    assert saved.preferred_regions == ["africa", "europe"]  # the registry's order
    assert saved.preferred_countries == ["FR"]
    assert ActivityLog.objects.filter(action="matchmaking.profile.created").count() == 1

    save_profile(community=springfield, by=admin, is_open=False)

    member.refresh_from_db()
    assert not member.seeking_partner


def test_a_lapsed_committee_or_another_committee_may_not_keep_the_profile():
    springfield = town("Springfield", "US")
    _member, lapsed_admin = committee("Springfield", springfield, is_current=False)
    _other, other_admin = committee("Shelbyville", town("Shelbyville", "US"))

    for actor in (lapsed_admin, other_admin, UserFactory()):
        with pytest.raises(NotAllowed):
            save_profile(community=springfield, by=actor, text="x")
    assert not SeekingProfile.objects.exists()


def test_a_profile_refuses_unknown_values_and_a_reversed_population_range():
    springfield = town("Springfield", "US")
    _member, admin = committee("Springfield", springfield)

    with pytest.raises(ValidationError) as error:
        save_profile(
            community=springfield,
            by=admin,
            sectors=["astrology"],
            languages=["xx"],
            preferred_countries=["ZZ"],
            population_min=10,
            population_max=5,
        )

    assert set(error.value.message_dict) >= {"sectors", "languages", "preferred_countries"}
    assert not SeekingProfile.objects.exists()


def test_staff_list_a_community_abroad_but_not_a_members():
    staff = verified(UserFactory(is_staff=True))
    nairobi = town("Nairobi", "KE")
    springfield = town("Springfield", "US")
    committee("Springfield", springfield)

    listed = list_community_abroad(
        community=nairobi,
        requested_by="Kenya Sister Cities",
        contact_email="info@kenya.example",
        sectors=["community"],
        by=staff,
    )

    assert (listed.requested_by, listed.is_open) == ("Kenya Sister Cities", True)
    with pytest.raises(ValidationError):
        list_community_abroad(community=springfield, requested_by="Someone", by=staff)


def test_mutual_interest_proposes_a_partnership_and_introduces_both_sides(
    django_capture_on_commit_callbacks,
):
    springfield, lyon = town("Springfield", "US"), town("Lyon", "FR")
    _a, springfield_admin = committee("Springfield", springfield)
    _b, lyon_admin = committee("Lyon", lyon)
    profile(springfield, text="Jazz.")
    profile(lyon, text="Cinema and youth.")

    first = express_interest(community=springfield, target=lyon, by=springfield_admin)
    assert not first.is_mutual
    assert not Partnership.objects.exists()
    assert not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        second = express_interest(community=lyon, target=springfield, note="Yes!", by=lyon_admin)

    partnership = Partnership.objects.get()
    assert second.is_mutual
    assert (partnership.status, partnership.source) == (Partnership.Status.PROPOSED, "matchmaking")
    assert partnership.status_changes.get().status == Partnership.Status.PROPOSED
    assert set(Interest.objects.values_list("partnership", flat=True)) == {partnership.pk}
    messages = {m.to: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {"admin@springfield.example", "admin@lyon.example"}
    assert "Cinema and youth." in messages["admin@springfield.example"].body
    assert "admin@springfield.example" in messages["admin@lyon.example"].body
    assert ActivityLog.objects.filter(action="matchmaking.interest.mutual").count() == 1


def test_interest_in_itself_an_existing_partner_or_twice_is_refused():
    springfield, lyon, kyoto = town("Springfield", "US"), town("Lyon", "FR"), town("Kyoto", "JP")
    _member, admin = committee("Springfield", springfield)
    low, high = sorted([springfield, kyoto], key=lambda c: c.pk)
    PartnershipFactory(community_a=low, community_b=high)
    express_interest(community=springfield, target=lyon, by=admin)

    for target in (springfield, kyoto, lyon):
        with pytest.raises(ValidationError):
            express_interest(community=springfield, target=target, by=admin)
    assert Interest.objects.count() == 1


def test_an_interest_is_withdrawn_until_it_is_mutual():
    springfield, lyon = town("Springfield", "US"), town("Lyon", "FR")
    _member, admin = committee("Springfield", springfield)
    interest = express_interest(community=springfield, target=lyon, by=admin)

    withdraw_interest(interest=interest, by=admin)

    assert not Interest.objects.exists()
