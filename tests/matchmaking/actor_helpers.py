"""Matchmaking's services in tests/core/test_service_actors.py: a member's community and one
abroad, for actors who may not act for either (none is verified staff or an admin of a
current member holding the community), so each call is refused."""

from types import SimpleNamespace

from tests.factories import CommunityFactory
from twinning.core.authz import SYSTEM
from twinning.matchmaking.models import Interest
from twinning.matchmaking.services import save_profile


def actor_world(springfield) -> SimpleNamespace:
    abroad = CommunityFactory(name="Actor Abroad", slug="actor-abroad", country__code="KE")
    save_profile(community=abroad, by=SYSTEM, sectors=["arts"])
    interest = Interest.objects.create(community=springfield, target=abroad)
    return SimpleNamespace(springfield=springfield, abroad=abroad, interest=interest)


_M = "matchmaking.services."
ACTOR_CASES = {
    f"{_M}profiles.save_profile": lambda w: {
        "community": w.matchmaking.springfield,
        "text": "Rogue",
    },
    f"{_M}profiles.list_community_abroad": lambda w: {
        "community": w.matchmaking.abroad,
        "requested_by": "Rogue association",
    },
    f"{_M}interest.express_interest": lambda w: {
        "community": w.matchmaking.abroad,
        "target": w.matchmaking.springfield,
    },
    f"{_M}interest.withdraw_interest": lambda w: {"interest": w.matchmaking.interest},
}
