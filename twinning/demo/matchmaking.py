"""The demo's matchmaking beyond the seeking profiles the registry's demo members already keep
(twinning/demo/registry.py): two communities abroad listed by staff at a partner association's
request, and the municipal expertise exchange: every demo member offers its expertise in a
field, the committee admin's member asks for help (open, with offers to choose from), a
partner abroad has a link waiting, and another partner's request, sent through its link, is
matched with its sister city's offer and its outcome recorded (so it is a verified
peer-learning activity on /impact/); and the way back: a match declined on the offering
side's behalf and a request withdrawn. Through the services, as the platform; idempotent."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from twinning.core.dates import association_today
from twinning.matchmaking.models import (
    EXPERTISE_FIELDS,
    ExpertiseMatch,
    ExpertiseOffer,
    SeekingProfile,
)
from twinning.matchmaking.services import (
    create_request,
    decline_match_for_side,
    invite_partner_request,
    list_community_abroad,
    match_request,
    record_outcome,
    save_offer,
    submit_request_by_link,
    withdraw_request,
)
from twinning.network.models import Community, Member, Partnership
from twinning.outbox.models import OutboxMessage

OFFERS = {
    "sanitation": "Separate collection of household waste, from the pilot street to the city.",
    "water": "Finding leaks in an old network: acoustic sensors and a district metering plan.",
    "health": "A mobile clinic for outlying neighbourhoods, run with volunteer nurses.",
    "transportation": "Re-drawing a bus network around frequent lines, with the riders.",
    "municipal_tourism": "A visitor tax that pays for the old town's upkeep.",
    "economic_development": "A business incubator in a former factory, with the college.",
    "municipal_education": "After-school programs run by the library and the schools.",
}
PEOPLE = [
    "Director of public works\nSenior engineer, water utility",
    "Deputy mayor for health\nCoordinator, community clinics",
    "Transit planner\nHead of the visitors' bureau",
]
LANGUAGES = [["en"], ["en", "es"], ["en", "fr"], ["en", "de"]]
FORMS = [["visit", "call"], ["call"], ["expert", "call"], ["visit"]]


def seed_matchmaking(*, staff: Any) -> int:
    """Offers, requests and a recorded match; 0 when the exchange has offers already."""
    if ExpertiseOffer.objects.exists():
        return 0
    members = list(
        Member.objects.filter(communities__isnull=False, admins__isnull=False)
        .distinct()
        .order_by("pk")[:8]
    )
    if len(members) < 2:
        return 0
    _list_communities_abroad(staff)
    offers = []
    for i, member in enumerate(members):
        community = member.communities.order_by("pk")[0]
        field = EXPERTISE_FIELDS[i % len(EXPERTISE_FIELDS)]
        offers.append(
            save_offer(
                member=member,
                community=community,
                department="",
                field=field,
                summary=OFFERS[field],
                people=PEOPLE[i % len(PEOPLE)],
                languages=LANGUAGES[i % len(LANGUAGES)],
                forms=FORMS[i % len(FORMS)],
                by=staff,
            )
        )
    home = members[0]
    create_request(
        member=home,
        community=home.communities.order_by("pk")[0],
        field=offers[1].field,
        problem="Our water network loses a third of what it carries; where do we start?",
        languages=["en"],
        forms=["call", "visit"],
        by=staff,
    )
    _partner_requests(members[1:], offers, staff)
    _the_way_back(home, offers, staff)
    return len(offers)


def _the_way_back(home: Member, offers: list[ExpertiseOffer], staff: Any) -> None:
    """So staff and the committee admin see how an exchange comes undone: a request of the
    committee admin's member matched with another member's offer and declined on the offering
    side's behalf (the request open again, that offer no longer suggested for it), and a
    request matched and then withdrawn by the committee (its match declined with it)."""
    others = [o for o in offers if o.member_id != home.pk]
    if not others:
        return
    community = home.communities.order_by("pk")[0]
    busy = others[-1]
    declined = match_request(
        request=create_request(
            member=home,
            community=community,
            field=busy.field,
            problem="We would like to see how a neighbour city organised this service.",
            languages=["en"],
            forms=["visit"],
            by=staff,
        ),
        offer=busy,
        by=staff,
    )
    decline_match_for_side(
        match=declined,
        side=ExpertiseMatch.Side.OFFER,
        reason="Our team is on the flood works until the spring: we cannot host a visit "
        "this year. (They telephoned the association.)",
        by=staff,
    )
    solved = others[0]
    withdrawn = create_request(
        member=home,
        community=community,
        field=solved.field,
        problem="Our reservoir's pumps fail every summer.",
        languages=["en"],
        forms=["call"],
        by=staff,
    )
    match_request(request=withdrawn, offer=solved, by=staff)
    withdraw_request(
        request=withdrawn,
        reason="The regional water board replaced the pumps: we no longer need help.",
        by=staff,
    )


def _list_communities_abroad(staff: Any) -> None:
    abroad = (
        Community.objects.filter(members__isnull=True, seeking_profile__isnull=True)
        .exclude(country_id="US")
        .order_by("-population", "pk")[:2]
    )
    for community, region in zip(abroad, (["americas"], ["americas", "europe"]), strict=False):
        if SeekingProfile.objects.filter(community=community).exists():
            continue
        list_community_abroad(
            community=community,
            requested_by="Sister-city federation of " + community.country.name,
            preferred_regions=region,
            sectors=["youth", "municipal"],
            text="Our federation asked the association to list this city: it seeks a partner "
            "for school exchanges and municipal peer learning.",
            contact_name="Federation office",
            contact_email=f"federation@{community.slug}.example.org",
            by=staff,
        )


def _partner_requests(members: list[Member], offers: list[ExpertiseOffer], staff: Any) -> None:
    """A partner abroad of the second member asks through its link (the token read back from
    the outbox as the partner would from its mailbox), and is matched with its sister city's
    offer; a partner of the third member has its link waiting."""
    for index, member in enumerate(members[:2]):
        partnership = _partnership_abroad(member)
        if partnership is None:
            continue
        invited = invite_partner_request(
            member=member,
            partnership=partnership,
            contact_name="City hall, international office",
            contact_email=f"international@{partnership.pk}.example.org",
            by=staff,
        )
        if index:
            continue  # the second one waits for its partner
        offer = next(o for o in offers if o.member_id == member.pk)
        message = OutboxMessage.objects.filter(object_id=str(invited.pk)).first()
        if message is None or not message.secret_links:
            continue
        token = next(iter(message.secret_links.values())).rstrip("/").rsplit("/", 1)[-1]
        try:
            request = submit_request_by_link(
                token=token,
                contact_name="City hall, international office",
                field=offer.field,
                problem="We would like to learn how our sister city solved this.",
                languages=["en"],
                forms=offer.forms[:1],
            )
        except ValidationError:
            continue
        match = match_request(request=request, offer=offer, by=staff)
        end = association_today() - datetime.timedelta(days=40)
        record_outcome(
            match=match,
            start_date=end - datetime.timedelta(days=4),
            end_date=end,
            policies_adopted=2,
            people_trained=12,
            outcome="The council adopted a plan modelled on its sister city's, and trained "
            "twelve staff.",
            by=staff,
        )


def _partnership_abroad(member: Member) -> Partnership | None:
    own = list(member.communities.values_list("pk", flat=True))
    for partnership in (
        Partnership.objects.current()
        .filter(Q(community_a__in=own) | Q(community_b__in=own))
        .order_by("pk")
    ):
        if partnership.community_a_id not in own or partnership.community_b_id not in own:
            return partnership
    return None
