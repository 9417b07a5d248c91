"""Matchmaking's routes in the C1 matrix: the public list; a committee's pages (Springfield's
committee, its membership current, reaches them; another committee gets 404 as for a missing
member; staff use their own pages); staff's pages. A lapsed member's refusal (403, with the
way to renew) is in tests/matchmaking/test_views.py."""

from tests.factories import CommunityFactory
from tests.matchmaking.helpers import current
from tests.matrix import EVERYONE, OWN_MEMBER, STAFF_ACTION, STAFF_PAGE
from twinning.core.authz import SYSTEM
from twinning.matchmaking.services import save_profile
from twinning.network.models import Community, Member

OWN_ACTION = (302, 405, 405, 405, 405, 405)  # POST-only: GET is refused before anything else

MATRIX = {
    "matchmaking:seeking_list": ("/seeking/?q=spr&region=europe", EVERYONE),
    "matchmaking:portal_home": ("/portal/{member}/matchmaking/", OWN_MEMBER),
    "matchmaking:portal_profile": (
        "/portal/{member}/matchmaking/{springfield}/profile/",
        OWN_MEMBER,
    ),
    "matchmaking:portal_suggestions": (
        "/portal/{member}/matchmaking/{springfield}/suggestions/",
        OWN_MEMBER,
    ),
    "matchmaking:portal_interest": (
        "/portal/{member}/matchmaking/{springfield}/interest/{mm_abroad}/",
        OWN_ACTION,
    ),
    "matchmaking:portal_interest_withdraw": (
        "/portal/{member}/matchmaking/interest/1/withdraw/",
        OWN_ACTION,
    ),
    "matchmaking:staff_profile_list": ("/staff/matchmaking/", STAFF_PAGE),
    "matchmaking:staff_profile_create": ("/staff/matchmaking/new/", STAFF_PAGE),
    "matchmaking:staff_profile_edit": ("/staff/matchmaking/{mm_abroad}/", STAFF_PAGE),
    "matchmaking:staff_suggestions": ("/staff/matchmaking/{mm_abroad}/suggestions/", STAFF_PAGE),
    "matchmaking:staff_interest": (
        "/staff/matchmaking/{mm_abroad}/interest/{springfield}/",
        STAFF_ACTION,
    ),
    "api:list_seeking_profiles": ("/api/seeking?region=europe", EVERYONE),
}


def build_world(base: dict) -> dict:
    current(Member.objects.get(slug=base["member"]))
    springfield = Community.objects.get(slug=base["springfield"])
    abroad = CommunityFactory(name="Matrix Abroad", slug="matrix-abroad", country__code="KE")
    save_profile(community=springfield, by=SYSTEM, preferred_regions=["africa"])
    save_profile(community=abroad, by=SYSTEM, sectors=["youth"])
    return {"mm_abroad": abroad.slug}
