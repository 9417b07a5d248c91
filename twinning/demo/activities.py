"""Demo activity reports: `years` years of realistic activities of every demo member on its
real partnerships, in every state (mostly verified, so /impact/ has figures; some submitted,
sent back or still drafts, so the portal and the staff queue have work), with a delegation
per member. Built through the activities services; a member that already has reports is
left alone, so running it again changes nothing."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import Q

from twinning.activities import services
from twinning.activities.models import KIND_SECTOR, Activity, Kind, Traveller
from twinning.core.dates import association_today
from twinning.network.models import Member, Partnership

PER_MEMBER_PER_YEAR = 6
MAX_PARTNERSHIPS = 8

TITLES = {
    Kind.PERFORMANCE: "Youth orchestra concert with {partner}",
    Kind.EXHIBITION: "Photo exhibition: {partner} through our eyes",
    Kind.PEACE_PARK: "Planting the friendship garden with {partner}",
    Kind.FESTIVAL: "{partner} days at the summer festival",
    Kind.STUDENT_EXCHANGE: "High-school exchange with {partner}",
    Kind.SCHOOL_PARTNERSHIP: "Twinned classrooms with schools of {partner}",
    Kind.YOUTH_SUMMIT: "Youth summit delegation with {partner}",
    Kind.TRADE_DELEGATION: "Trade mission to {partner}",
    Kind.BUSINESS_MATCHMAKING: "Business matchmaking day with {partner}",
    Kind.TOURISM_PROMOTION: "Tourism fair stand with {partner}",
    Kind.SANITATION: "Waste-management peer visit with {partner}",
    Kind.WATER: "Water utility twinning with {partner}",
    Kind.HEALTH: "Public-health exchange with {partner}",
    Kind.TRANSPORTATION: "Bus network workshop with {partner}",
    Kind.MUNICIPAL_TOURISM: "Tourism office staff exchange with {partner}",
    Kind.ECONOMIC_DEVELOPMENT: "Economic development round table with {partner}",
    Kind.MUNICIPAL_EDUCATION: "School administrators' visit to {partner}",
    Kind.DISASTER_RELIEF: "Flood relief appeal for {partner}",
    Kind.SUPPLY_DRIVE: "Medical supply drive for {partner}",
    Kind.CLINIC: "Mobile clinic support in {partner}",
    Kind.WELL: "New village well with {partner}",
    Kind.TRAINING: "Volunteer firefighter training with {partner}",
    Kind.SCHOOL_SUPPORT: "Books and laptops for schools of {partner}",
}
STATES = [Activity.State.VERIFIED] * 7 + [
    Activity.State.SUBMITTED,
    Activity.State.CHANGES_REQUESTED,
    Activity.State.DRAFT,
]
TRAVELLERS = [
    ("Jordan Rivera", Traveller.Role.HEAD),
    ("Sam Okafor", Traveller.Role.OFFICIAL),
    ("Lee Martin", Traveller.Role.MEMBER),
    ("Noor Haddad", Traveller.Role.INTERPRETER),
]


def _member_partnerships(member: Member) -> list[Partnership]:
    ids = member.communities.values("pk")
    return list(
        Partnership.objects.current()
        .filter(Q(community_a__in=ids) | Q(community_b__in=ids))
        .select_related("community_a", "community_b")
        .order_by("pk")[:MAX_PARTNERSHIPS]
    )


def _partner_name(partnership: Partnership, member: Member) -> str:
    own = set(member.communities.values_list("pk", flat=True))
    return (
        partnership.community_b.name
        if partnership.community_a_id in own
        else partnership.community_a.name
    )


def _fields(rng: random.Random, kind: str, start: datetime.date) -> dict[str, Any]:
    youth = KIND_SECTOR[kind] == "youth"
    return {
        "kind": kind,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=rng.choice([0, 1, 2, 4, 6, 9])),
        "visitors_under_18": rng.randint(8, 30) if youth else rng.randint(0, 4),
        "visitors_18_30": rng.randint(0, 8),
        "visitors_over_30": rng.randint(2, 15),
        "hosts_under_18": rng.randint(5, 30) if youth else rng.randint(0, 6),
        "hosts_18_30": rng.randint(0, 10),
        "hosts_over_30": rng.randint(3, 25),
        "volunteer_hours": rng.randint(10, 400),
        "money_raised": Decimal(rng.randint(0, 12_000)) + Decimal("0.00"),
        "money_spent": Decimal(rng.randint(200, 10_000)) + Decimal(rng.choice(["0.00", "0.50"])),
        "agreements_signed": rng.choice([0, 0, 0, 1, 1, 2]),
        "places": "Town hall, schools and the cultural centre",
        "follow_ups": rng.choice(
            ["", "A return visit is planned next year.", "A memorandum will be signed."]
        ),
    }


def _one(
    *, member: Member, partnership: Partnership, fields: dict, state: str, staff: Any, by: Any
) -> Activity:
    title = TITLES[fields["kind"]].format(partner=_partner_name(partnership, member))
    activity = services.create_activity(
        member=member, partnerships=[partnership], by=by, title=title, **fields
    )
    if fields.get("is_delegation"):
        for name, role in TRAVELLERS:
            services.add_traveller(activity=activity, name=name, role=role, by=by)
        services.add_itinerary_stop(
            activity=activity,
            date=activity.start_date,
            place="City hall",
            purpose="Welcome by the mayor and signing ceremony",
            by=by,
        )
    if state == Activity.State.DRAFT:
        return activity
    services.submit_activity(activity=activity, by=by)
    if state == Activity.State.VERIFIED:
        services.verify_activity(activity=activity, by=staff)
    elif state == Activity.State.CHANGES_REQUESTED:
        services.request_changes(
            activity=activity,
            message="Please add the number of hosts by age group and a photo.",
            by=staff,
        )
    return activity


def seed_activities(*, staff: Any, years: int = 2) -> int:
    """Create the reports; returns how many were made (0 when they exist already)."""
    today = association_today()
    kinds = list(Kind.values)
    made = 0
    for member in Member.objects.order_by("pk"):
        if member.activities.exists():
            continue
        partnerships = _member_partnerships(member)
        if not partnerships:
            continue
        by = member.admins.order_by("pk").first() or staff
        rng = random.Random(member.pk)  # noqa: S311 - demo data, not security
        count = PER_MEMBER_PER_YEAR * years
        for index in range(count):
            start = today - datetime.timedelta(days=rng.randint(20, 365 * years))
            fields = _fields(rng, rng.choice(kinds), start)
            if index == 0:  # one delegation each, in the past, already verified
                fields.update(kind=Kind.TRADE_DELEGATION, is_delegation=True)
            state = Activity.State.VERIFIED if index == 0 else rng.choice(STATES)
            _one(
                member=member,
                partnership=partnerships[index % len(partnerships)],
                fields=fields,
                state=state,
                staff=staff,
                by=by,
            )
            made += 1
    return made
