"""Worlds for the matchmaking tests: members whose membership is current or lapsed (each
with an admin), communities in several countries, profiles made through the services."""

import datetime

from django.utils import timezone

from tests.factories import CommunityFactory, MemberFactory, UserFactory
from tests.factories.members import MembershipFactory
from twinning.core.authz import SYSTEM
from twinning.matchmaking.models import SeekingProfile
from twinning.matchmaking.services import save_profile
from twinning.network.models import Community, Member


def current(member: Member) -> Member:
    """A membership running from 30 days ago to 300 days from now (no partnership needed)."""
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=300),
    )
    return member


def lapsed(member: Member) -> Member:
    """A membership that ended (grace included) 100 days ago."""
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=465),
        end=today - datetime.timedelta(days=100),
    )
    return member


def committee(name: str, community: Community, *, is_current: bool = True):
    """A member holding `community`, its admin, its membership current or lapsed."""
    member = MemberFactory(name=name, communities=[community])
    admin = UserFactory(email=f"admin@{community.slug}.example")
    member.admins.add(admin)
    (current if is_current else lapsed)(member)
    return member, admin


def town(name: str, code: str, **fields) -> Community:
    slug = name.lower().replace(" ", "-")
    return CommunityFactory(name=name, slug=slug, country__code=code, **fields)


def profile(community: Community, **fields) -> SeekingProfile:
    return save_profile(community=community, by=SYSTEM, **fields)


def offer(member: Member, community: Community, **fields):
    """An open offer of expertise through the service (the platform acting)."""
    from twinning.matchmaking.services import save_offer

    values = {
        "field": "water",
        "summary": "We cut the losses of our water network by half.",
        "people": "Ana Ruiz, head of the water utility",
        "languages": ["en"],
        "forms": ["call", "visit"],
    }
    values.update(fields)
    return save_offer(member=member, community=community, by=SYSTEM, **values)


def ask(member: Member, community: Community, **fields):
    """An open request for expertise through the service (the platform acting)."""
    from twinning.matchmaking.services import create_request

    values = {"field": "water", "problem": "Our old pipes leak.", "languages": ["en"]}
    values.update(fields)
    return create_request(member=member, community=community, by=SYSTEM, **values)


def partners(one: Community, other: Community):
    from tests.factories import PartnershipFactory

    low, high = sorted([one, other], key=lambda c: c.pk)
    return PartnershipFactory(community_a=low, community_b=high)
