"""Worlds for the relief tests, built through the services: a partner city (Kragujevac) with
its committee and admin (the partner side), an appeal organised by a given committee, needs
confirmed by the partner side, pledges, money received and shipments."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.network.models import Community, Member
from twinning.relief.models import Appeal, Need, Pledge
from twinning.relief.services import (
    add_need,
    confirm_need,
    create_appeal,
    create_shipment,
    record_pledge,
    set_appeal_status,
)


def partner_city(name: str = "Kragujevac") -> SimpleNamespace:
    place = CommunityFactory(
        name=name, country__code="RS", country__name="Serbia", latitude=44.01, longitude=20.91
    )
    member = MemberFactory(name=f"{name} City", communities=[place])
    admin = UserFactory(email=f"partner@{name.lower()}.example")
    member.admins.add(admin)
    return SimpleNamespace(community=place, member=member, admin=admin)


def make_appeal(
    *,
    community: Community,
    organisers: list[Member] = (),
    title: str = "Kragujevac flood relief",
    goal: str = "10000",
    currency: str = "USD",
    kind: str = Appeal.Kind.EMERGENCY,
    status: str = Appeal.Status.OPEN,
    partner_email: str = "contact@kragujevac.example",
    needs: int = 1,
    starts_on: datetime.date | None = None,
) -> Appeal:
    """An appeal with `needs` goods needs (beds, 100 each) confirmed by the partner side."""
    partner = next(iter(community.members.all()), None)
    appeal = create_appeal(
        kind=kind,
        title=title,
        community=community,
        goal=Decimal(goal),
        currency=currency,
        starts_on=starts_on or association_today() - datetime.timedelta(days=10),
        organisers=organisers,
        partnerships=[_partnership(organisers[0].communities.first(), community)]
        if organisers
        else [],
        partner_name="Jelena",
        partner_email=partner_email,
        by=SYSTEM,
    )
    for n in range(needs):
        need = add_need(
            appeal=appeal,
            kind="goods",
            title=f"Hospital beds {n}",
            quantity=100,
            unit="beds",
            by=SYSTEM,
        )
        if partner is not None:
            confirm_need(need=need, by=_as_partner(partner))
        else:
            confirm_need(need=need, by=SYSTEM)
    if status != Appeal.Status.DRAFT:
        set_appeal_status(appeal=appeal, status=Appeal.Status.OPEN, by=SYSTEM)
    if status not in (Appeal.Status.DRAFT, Appeal.Status.OPEN):
        set_appeal_status(appeal=appeal, status=status, by=SYSTEM)
    appeal.refresh_from_db()
    return appeal


def _partnership(one: Community, other: Community):
    a, b = sorted([one, other], key=lambda c: c.pk)
    return PartnershipFactory(community_a=a, community_b=b)


def _as_partner(member: Member):
    return member.admins.first()


def goods_pledge(appeal: Appeal, need: Need, quantity: int, name: str = "Springfield") -> Pledge:
    return record_pledge(
        appeal=appeal, kind="goods", need=need, quantity=quantity, name=name, by=SYSTEM
    )


def shipped(appeal: Appeal, pledges: list[Pledge]):
    return create_shipment(appeal=appeal, lines=[(p, p.quantity) for p in pledges], by=SYSTEM)
