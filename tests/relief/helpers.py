"""Worlds for the relief tests, built through the services: a partner city (Kragujevac) with
its committee and admin (the partner side), an appeal organised by a given committee, needs
confirmed by the partner side, pledges, money received and shipments."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, Sum

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.network.models import Community, Member
from twinning.relief.models import Appeal, Donation, Expense, LedgerTotal, Need, Pledge
from twinning.relief.services import (
    add_need,
    confirm_need,
    create_appeal,
    create_shipment,
    record_pledge,
    set_appeal_status,
)
from twinning.relief.services.ledger import ledger_csv_text


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


def ledger_lines(appeal: Appeal) -> list[list[str]]:
    """The ledger's CSV as a user's spreadsheet reads it (without the header)."""
    text = ledger_csv_text(appeal).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))[1:]


def kept_totals(appeal: Appeal) -> dict[str, tuple[Decimal, Decimal, Decimal, int]]:
    """The running totals the services keep, per currency."""
    return {
        t.currency: (t.received, t.spent, t.pledged, t.donations)
        for t in LedgerTotal.objects.filter(appeal=appeal)
    }


def recomputed_totals(appeal: Appeal) -> dict[str, tuple[Decimal, Decimal, Decimal, int]]:
    """The same totals summed over the rows, for the tests to compare."""
    found: dict[str, list] = {}

    def cell(currency: str) -> list:
        return found.setdefault(currency, [Decimal(0), Decimal(0), Decimal(0), 0])

    for r in (
        Donation.objects.filter(appeal=appeal)
        .values("currency")
        .annotate(t=Sum("amount"), n=Count("pk"))
    ):
        cell(r["currency"])[0], cell(r["currency"])[3] = r["t"], r["n"]
    for r in (
        Expense.objects.filter(appeal=appeal, state="approved")
        .values("currency")
        .annotate(t=Sum("amount"))
    ):
        cell(r["currency"])[1] = r["t"]
    for r in (
        Pledge.objects.filter(appeal=appeal, kind="money")
        .values("currency")
        .annotate(t=Sum("amount"))
    ):
        cell(r["currency"])[2] = r["t"]
    return {c: tuple(v) for c, v in found.items()}  # type: ignore[misc]
