"""Demo member organisations on top of the imported registry, made through the services:
the committee admin's own committee (Springfield, Illinois) with officers, contacts, a profile
seeking a new partner and a request waiting for staff, plus a dozen other member committees
of well-connected communities, some of them seeking partners."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.matchmaking.services import express_interest, save_profile
from twinning.network.models import Community, Member, Officer, Partnership, Region
from twinning.network.services import (
    add_committee_admin,
    add_contact,
    add_officer,
    create_member,
    propose_partnership,
    update_member_profile,
)

OTHER_MEMBERS = 12
# The fields of interest (activity sectors) of each demo interest above, in the same order.
FIELDS = [
    ["youth", "arts"],
    ["municipal"],
    ["youth"],
    ["business"],
    ["arts", "community"],
    ["community"],
]
INTERESTS = [
    "Youth exchanges, jazz and food festivals",
    "Water management and municipal peer learning",
    "High-school exchanges and sport",
    "Trade delegations and tourism promotion",
    "Arts, museums and a shared peace garden",
    "Disaster relief and medical supply drives",
]
REGION_SETS = [
    [Region.ASIA],
    [Region.AFRICA, Region.EUROPE],
    [Region.AMERICAS],
    [Region.OCEANIA, Region.ASIA],
]


def _home_community() -> Community | None:
    springfield = (
        Community.objects.filter(country_id="US", search_name="springfield")
        .with_partnership_count()
        .order_by("-partnership_count")
        .first()
    )
    if springfield is not None:
        return springfield
    return (
        Community.objects.filter(country_id="US")
        .with_partnership_count()
        .order_by("-partnership_count")
        .first()
    )


def attach_committee_admin(user: Any, *, staff: Any = SYSTEM) -> Member | None:
    """Make `user` the committee admin of the Springfield sister-cities committee (once)."""
    member = Member.objects.filter(admins=user).first()
    if member is not None:
        return member
    community = _home_community()
    if community is None:
        return None
    member = create_member(
        name=f"{community.name} Sister Cities Committee",
        communities=[community],
        description=(
            "A volunteer committee keeping our city's partnerships alive since 1985: "
            "student exchanges, a yearly festival and delegations to our sister cities."
        ),
        website="https://example.org/springfield-sister-cities",
        by=staff,
    )
    add_committee_admin(member=member, user=user, by=staff)
    update_member_profile(
        member=member, by=user, interests=INTERESTS[0], languages="English, Spanish"
    )
    # Seeking a new partner: matchmaking's profile (it keeps the member's flag in step).
    save_profile(
        community=community,
        by=staff,
        preferred_regions=[Region.AFRICA, Region.OCEANIA],
        sectors=FIELDS[0],
        languages=["en", "es"],
        population_min=50_000,
        text=INTERESTS[0],
    )
    today = association_today()
    add_officer(
        member=member,
        name="Casey Committee",
        position=Officer.Position.PRESIDENT,
        email="committee@twinning.example",
        term_end=today + datetime.timedelta(days=45),
        by=staff,
    )
    add_officer(
        member=member,
        name="Robin Treasurer",
        position=Officer.Position.TREASURER,
        term_end=today + datetime.timedelta(days=400),
        by=staff,
    )
    add_contact(
        member=member,
        name="Robin Treasurer",
        role="billing",
        email="treasurer@example.org",
        by=staff,
    )
    _pending_proposal(member, community, user)
    return member


def _pending_proposal(member: Member, community: Community, user: Any) -> None:
    """A request for a new partnership, waiting for staff review."""
    partners = Partnership.objects.of_community(community).values_list(
        "community_a_id", "community_b_id"
    )
    taken = {pk for pair in partners for pk in pair}
    candidate = (
        Community.objects.filter(country_id="KE").exclude(pk__in=taken).order_by("name").first()
    )
    if candidate is None:
        return
    try:
        propose_partnership(
            member=member,
            community=community,
            partner=candidate,
            note="We met their delegation at the annual conference.",
            by=user,
        )
    except ValidationError:
        return


def create_other_members(*, staff: Any = SYSTEM) -> int:
    """A dozen member committees for well-connected communities across the network."""
    if Member.objects.count() > 1:
        return 0
    communities = (
        Community.objects.filter(~Q(members__isnull=False))
        .with_partnership_count()
        .order_by("-partnership_count")[: OTHER_MEMBERS * 3 : 3]
    )
    made = 0
    for i, community in enumerate(communities):
        kind = Member.Kind.MUNICIPALITY if i % 3 == 2 else Member.Kind.COMMITTEE
        suffix = (
            "International Relations Office"
            if kind == Member.Kind.MUNICIPALITY
            else ("Sister Cities Association")
        )
        member = create_member(
            name=f"{community.name} {suffix}",
            communities=[community],
            kind=kind,
            description=f"The {suffix.lower()} of {community.name}, {community.country}.",
            by=staff,
        )
        if i % 2 == 0:
            update_member_profile(
                member=member,
                by=staff,
                interests=INTERESTS[i % len(INTERESTS)],
                languages="English",
            )
            save_profile(
                community=community,
                by=staff,
                preferred_regions=REGION_SETS[i % len(REGION_SETS)],
                sectors=FIELDS[i % len(FIELDS)],
                languages=["en"],
                text=INTERESTS[i % len(INTERESTS)],
            )
        made += 1
    _first_interest(staff)
    return made


def _first_interest(staff: Any) -> None:
    """The first other seeking member says it is interested in the committee admin's home, so
    Springfield's matchmaking page has an interest to answer (answering it introduces them)."""
    home = Community.objects.filter(members__admins__isnull=False).order_by("pk").first()
    if home is None:
        return
    partners = Partnership.objects.of_community(home).values_list(
        "community_a_id", "community_b_id"
    )
    known = {pk for pair in partners for pk in pair}
    other = (
        Community.objects.filter(seeking_profile__is_open=True)
        .exclude(country=home.country)
        .exclude(pk__in=known)
        .order_by("pk")
        .first()
    )
    if other is None:
        return
    express_interest(
        community=other, target=home, note="Your jazz festival sounds wonderful.", by=staff
    )
