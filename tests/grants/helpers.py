"""Worlds for the grants tests: countries, partner communities with their committees (in good
standing, each with an admin), a pair program and a trio program with open calls, and
applications at each stage, all built through the services."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from tests.factories.members import MembershipFactory
from twinning.core.authz import SYSTEM
from twinning.grants.models import Application, Call, Program
from twinning.grants.services import (
    accept_proposal,
    create_call,
    create_program,
    open_review,
    publish_decisions,
    sign_application,
    start_application,
    submit_application,
    update_side,
)
from twinning.network.models import Community, Country, Member, Region

COUNTRIES = {
    "US": ("United States", Region.AMERICAS),
    "CA": ("Canada", Region.AMERICAS),
    "MX": ("Mexico", Region.AMERICAS),
    "KE": ("Kenya", Region.AFRICA),
    "GH": ("Ghana", Region.AFRICA),
}


def country(code: str) -> Country:
    name, region = COUNTRIES[code]
    return Country.objects.get_or_create(code=code, defaults={"name": name, "region": region})[0]


def community(name: str, code: str) -> Community:
    return CommunityFactory(name=name, country=country(code))


def in_good_standing(member: Member) -> Member:
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=300),
    )
    return member


def committee(place: Community, email: str, *, standing: bool = True) -> tuple[Member, object]:
    member = MemberFactory(name=f"{place.name} Sister Cities", communities=[place])
    if standing:
        in_good_standing(member)
    admin = UserFactory(email=email)
    member.admins.add(admin)
    return member, admin


def partner(one: Community, other: Community, **kwargs: object) -> None:
    low, high = sorted([one, other], key=lambda c: c.pk)
    PartnershipFactory(community_a=low, community_b=high, **kwargs)


def pair_program(**fields: object) -> Program:
    defaults = {
        "name": "African Urban Poverty Alleviation Program",
        "slug": "auppa",
        "funder": "A Foundation",
        "budget": Decimal("300000"),
        "currency": "USD",
        "themes": ["Water, sanitation and health", "Economic development"],
        "shape": Program.Shape.PAIR,
        "eligible_regions": ["africa"],
    }
    return create_program(by=SYSTEM, **(defaults | fields))


def trio_program(**fields: object) -> Program:
    defaults = {
        "name": "Young Ambassadors: Tri-lateral North America",
        "slug": "young-ambassadors",
        "funder": "A Fund",
        "budget": Decimal("90000"),
        "currency": "USD",
        "themes": ["Youth"],
        "shape": Program.Shape.TRIO,
        "required_countries": ["US", "CA", "MX"],
    }
    return create_program(by=SYSTEM, **(defaults | fields))


def open_call(program: Program, slug: str = "2026", **fields: object) -> Call:
    now = timezone.now()
    defaults = {
        "title": "Call 2026",
        "slug": f"{program.slug}-{slug}",
        "opens_at": now - datetime.timedelta(days=10),
        "closes_at": now + datetime.timedelta(days=30),
        "max_per_application": Decimal("115000"),
        "cofinancing_percent": Decimal("20"),
        "questions": ["What will you do?", "Who benefits?"],
    }
    rates = fields.pop(
        "rates", {"KES": Decimal("0.0077"), "CAD": Decimal("0.73"), "MXN": Decimal("0.055")}
    )
    return create_call(program=program, rates=rates, by=SYSTEM, **(defaults | fields))  # type: ignore[arg-type]


def pair_world(*, partner_has_account: bool = True) -> SimpleNamespace:
    """Springfield (US) leads, Nakuru (Kenya) partners; both committees in good standing."""
    lead_place = community("Lead Town", "US")
    partner_place = community("Nakuru", "KE")
    partner(lead_place, partner_place)
    lead_member, lead_admin = committee(lead_place, "lead@example.org")
    if partner_has_account:
        partner_member, partner_admin = committee(partner_place, "partner@example.org")
    else:
        partner_member = MemberFactory(name="Nakuru Friends", communities=[partner_place])
        in_good_standing(partner_member)
        partner_member.contacts.create(name="Wanjiru", email="wanjiru@example.org")
        partner_admin = None
    call = open_call(pair_program())
    return SimpleNamespace(
        call=call,
        lead_place=lead_place,
        partner_place=partner_place,
        lead_member=lead_member,
        lead_admin=lead_admin,
        partner_member=partner_member,
        partner_admin=partner_admin,
    )


LEAD_LINES = [{"description": "Travel", "cost": Decimal("20000"), "requested": Decimal("16000")}]
PARTNER_LINES = [
    {"description": "Water kiosk", "cost": Decimal("2000000"), "requested": Decimal("1600000")}
]  # KES: 15,400 / 12,320 USD


def draft(world: SimpleNamespace, title: str = "Clean water for Nakuru") -> Application:
    application = start_application(
        call=world.call,
        member=world.lead_member,
        community=world.lead_place,
        partners=[world.partner_place],
        title=title,
        by=world.lead_admin,
    )
    lead, other = list(application.sides.order_by("-is_lead", "pk"))
    update_side(
        side=lead,
        currency="USD",
        participants=8,
        participant_plan="Engineers",
        lines=LEAD_LINES,
        by=world.lead_admin,
    )
    update_side(
        side=other,
        currency="KES",
        participants=20,
        participant_plan="Youth",
        lines=PARTNER_LINES,
        by=world.partner_admin or world.lead_admin,
    )
    application.refresh_from_db()
    return application


def submitted(world: SimpleNamespace, title: str = "Clean water for Nakuru") -> Application:
    application = draft(world, title)
    lead, other = list(application.sides.order_by("-is_lead", "pk"))
    sign_application(side=lead, by=world.lead_admin)
    sign_application(side=other, by=world.partner_admin or SYSTEM)
    return submit_application(application=application, by=world.lead_admin)


def funded(world: SimpleNamespace) -> Application:
    """A submitted application, reviewed (unscored: ranked last but present), decided as
    proposed and published: a grant."""
    application = submitted(world)
    open_review(call=world.call, by=SYSTEM)
    accept_proposal(call=world.call, by=SYSTEM)
    publish_decisions(call=world.call, by=SYSTEM)
    application.refresh_from_db()
    return application
