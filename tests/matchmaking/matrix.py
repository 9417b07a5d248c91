"""Matchmaking's routes in the C1 matrix: the public list; a committee's pages (Springfield's
committee, its membership current, reaches them; another committee gets 404 as for a missing
member; staff use their own pages); staff's pages; the expertise exchange's pages (a
partner's link that does not exist is a 404 for everyone). A lapsed member's refusal (403,
with the way to renew) is in tests/matchmaking/test_views.py and test_expertise.py."""

from tests.factories import CommunityFactory, MemberFactory
from tests.matchmaking.helpers import ask, current, offer
from tests.matrix import EVERYONE, OWN_MEMBER, STAFF_ACTION, STAFF_PAGE
from twinning.core.authz import SYSTEM
from twinning.matchmaking.services import match_request, save_profile
from twinning.network.models import Community, Member

OWN_ACTION = (302, 405, 405, 405, 405, 405)  # POST-only: GET is refused before anything else
NOBODY = (404,) * 6  # a partner's single-use link that does not exist
_X = "/portal/{member}/matchmaking/expertise/"

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
    "matchmaking:portal_expertise": (_X, OWN_MEMBER),
    "matchmaking:portal_offer_new": (_X + "offers/new/", OWN_MEMBER),
    "matchmaking:portal_offer": (_X + "offers/{mm_offer}/", OWN_MEMBER),
    "matchmaking:portal_request_new": (_X + "requests/new/", OWN_MEMBER),
    "matchmaking:portal_request": (_X + "requests/{mm_request}/", OWN_MEMBER),
    "matchmaking:portal_match": (
        _X + "requests/{mm_request}/match/{mm_other_offer}/",
        OWN_ACTION,
    ),
    "matchmaking:portal_invite": (_X + "invite/", OWN_ACTION),
    "matchmaking:portal_request_withdraw": (_X + "requests/{mm_request}/withdraw/", OWN_ACTION),
    "matchmaking:portal_match_decline": (_X + "matches/{mm_match}/decline/", OWN_ACTION),
    "matchmaking:expertise_link": ("/expertise/request/not-a-token/", NOBODY),
    # POST-only, and a link that does not exist is a 404 (tests/matchmaking/
    # test_expertise_withdrawal.py)
    "matchmaking:expertise_link_withdraw": (
        "/expertise/request/not-a-token/withdraw/",
        (405,) * 6,
    ),
    "matchmaking:staff_expertise": ("/staff/matchmaking/expertise/", STAFF_PAGE),
    "matchmaking:staff_expertise_request": (
        "/staff/matchmaking/expertise/requests/{mm_request}/",
        STAFF_PAGE,
    ),
    "matchmaking:staff_expertise_match": (
        "/staff/matchmaking/expertise/requests/{mm_request}/match/{mm_other_offer}/",
        STAFF_ACTION,
    ),
    "matchmaking:staff_expertise_outcome": (
        "/staff/matchmaking/expertise/matches/{mm_match}/outcome/",
        STAFF_PAGE,
    ),
    "matchmaking:staff_expertise_decline": (
        "/staff/matchmaking/expertise/matches/{mm_match}/decline/",
        STAFF_ACTION,
    ),
}


def build_world(base: dict) -> dict:
    current(Member.objects.get(slug=base["member"]))
    springfield = Community.objects.get(slug=base["springfield"])
    abroad = CommunityFactory(name="Matrix Abroad", slug="matrix-abroad", country__code="KE")
    save_profile(community=springfield, by=SYSTEM, preferred_regions=["africa"])
    save_profile(community=abroad, by=SYSTEM, sectors=["youth"])
    # The expertise exchange: Springfield's offer and two requests; another member's offer,
    # matched with the second request.
    member = Member.objects.get(slug=base["member"])
    own = offer(member, springfield, field="health")
    portland = CommunityFactory(name="Matrix Portland", slug="matrix-portland", country__code="US")
    other_member = MemberFactory(name="Matrix Portland Committee", communities=[portland])
    other = offer(other_member, portland)
    request = ask(member, springfield)
    matched = ask(member, springfield, problem="Another leak.")
    match = match_request(request=matched, offer=other, by=SYSTEM)
    return {
        "mm_abroad": abroad.slug,
        "mm_offer": own.pk,
        "mm_other_offer": other.pk,
        "mm_request": request.pk,
        "mm_match": match.pk,
    }
