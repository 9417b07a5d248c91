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
