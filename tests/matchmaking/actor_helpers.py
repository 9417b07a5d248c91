"""Matchmaking's services in tests/core/test_service_actors.py: a member's community and one
abroad, and the expertise exchange's offers, requests and a match, for actors who may not act
for them (none is verified staff or an admin of a
current member holding the community), so each call is refused."""

import datetime
from types import SimpleNamespace

from tests.factories import CommunityFactory
from twinning.core.authz import SYSTEM
from twinning.matchmaking.models import Interest
from twinning.matchmaking.services import save_profile


def actor_world(springfield) -> SimpleNamespace:
    abroad = CommunityFactory(name="Actor Abroad", slug="actor-abroad", country__code="KE")
    save_profile(community=abroad, by=SYSTEM, sectors=["arts"])
    interest = Interest.objects.create(community=springfield, target=abroad)
    return SimpleNamespace(
        springfield=springfield,
        abroad=abroad,
        interest=interest,
        expertise=expertise_world(springfield),
    )


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
    f"{_M}expertise.save_offer": lambda w: {
        "member": w.matchmaking.expertise.member,
        "offer": w.matchmaking.expertise.offer,
        "summary": "Rogue",
    },
    f"{_M}expertise.create_request": lambda w: {
        "member": w.matchmaking.expertise.member,
        "community": w.matchmaking.springfield,
        "field": "water",
        "problem": "Rogue",
    },
    f"{_M}expertise.invite_partner_request": lambda w: {
        "member": w.matchmaking.expertise.member,
        "partnership": w.matchmaking.expertise.partnership,
        "contact_name": "",
        "contact_email": "rogue@example.org",
    },
    f"{_M}expertise.match_request": lambda w: {
        "request": w.matchmaking.expertise.request,
        "offer": w.matchmaking.expertise.other_offer,
    },
    f"{_M}expertise.record_outcome": lambda w: {
        "match": w.matchmaking.expertise.match,
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2026, 1, 2),
        "policies_adopted": 1,
        "people_trained": 1,
        "outcome": "",
    },
    f"{_M}expertise.withdraw_request": lambda w: {
        "request": w.matchmaking.expertise.request,
        "reason": "Rogue",
    },
    f"{_M}expertise.decline_match": lambda w: {
        "match": w.matchmaking.expertise.match,
        "member": w.matchmaking.expertise.member,
        "reason": "Rogue",
    },
    f"{_M}expertise.decline_match_for_side": lambda w: {
        "match": w.matchmaking.expertise.match,
        "side": "offer",
        "reason": "Rogue",
    },
}


def expertise_world(springfield):
    """An offer and an open request of Springfield's member, and a match of another request
    with an offer of another member (for the services of the expertise exchange)."""
    from tests.factories import MemberFactory
    from tests.matchmaking.helpers import ask, offer, partners
    from twinning.matchmaking.services import match_request

    member = springfield.members.get()
    portland = CommunityFactory(name="Actor Portland", slug="actor-portland", country__code="US")
    other = offer(MemberFactory(name="Actor Portland", communities=[portland]), portland)
    abroad = CommunityFactory(name="Actor Partner", slug="actor-partner", country__code="RS")
    matched = ask(member, springfield, problem="Matched.")
    return SimpleNamespace(
        member=member,
        offer=offer(member, springfield, field="health"),
        other_offer=other,
        request=ask(member, springfield),
        partnership=partners(springfield, abroad),
        match=match_request(request=matched, offer=other, by=SYSTEM),
    )
