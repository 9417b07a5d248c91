"""Reads for relief's pages and exports: the public ledger (money in by public name, money out
by what it bought, the balance per currency), an appeal's progress, the appeals on the map,
and the figures on `/impact/`. Each is a fixed number of queries whatever the number of
pledges, donations or expenses."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.members.payments import currency_digits
from twinning.relief.models import (
    Appeal,
    Donation,
    Expense,
    LedgerTotal,
    Need,
    Pledge,
    Shipment,
    ShipmentLine,
)

ZERO = Decimal(0)
ANONYMOUS = gettext_lazy("Anonymous")


def exact(amount: Decimal, currency: str) -> Decimal:
    """An amount shown with its currency's digits (120.50 USD, 5000 JPY, 1.250 KWD)."""
    return amount.quantize(Decimal(1).scaleb(-currency_digits(currency)))


@dataclass
class Balance:
    currency: str
    received: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent


def balances(appeal: Appeal, totals: list[LedgerTotal] | None = None) -> list[Balance]:
    """Money in, approved money out and the balance, per currency: the running totals the
    money services keep (one query, or none given the appeal's `totals`)."""
    if totals is None:
        totals = list(LedgerTotal.objects.filter(appeal=appeal))
    rows = [
        Balance(t.currency, exact(t.received, t.currency), exact(t.spent, t.currency))
        for t in totals
        if t.received or t.spent
    ]
    return sorted(rows, key=lambda b: (b.currency != appeal.currency, b.currency))


def money_in(appeal: Appeal) -> QuerySet[Donation]:
    """Donations as the public may read them: never the e-mail or any address."""
    return appeal.donations.only(
        "received_on", "name", "anonymous", "amount", "currency", "appeal_id"
    ).order_by("received_on", "pk")


def money_out(appeal: Appeal) -> QuerySet[Expense]:
    return appeal.expenses.approved().order_by("spent_on", "pk")


def latest_money_in(appeal: Appeal, count: int) -> list[Donation]:
    """The latest `count` donations (the appeal's page; the ledger's pages have them all)."""
    return list(money_in(appeal).order_by("-received_on", "-pk")[:count])


def latest_money_out(appeal: Appeal, count: int) -> list[Expense]:
    return list(money_out(appeal).order_by("-spent_on", "-pk")[:count])


@dataclass
class Progress:
    raised: Decimal
    percent: int
    pledges: int
    donors: int


def progress(appeal: Appeal, totals: list[LedgerTotal] | None = None) -> Progress:
    """Money received in the appeal's own currency against its goal (its running total), and
    the number of pledges and donations (one query, or none given the appeal's `totals`)."""
    if totals is None:
        totals = list(LedgerTotal.objects.filter(appeal=appeal, currency=appeal.currency))
    total = next((t for t in totals if t.currency == appeal.currency), None)
    raised = exact(total.received if total else ZERO, appeal.currency)
    percent = min(100, int(raised * 100 / appeal.goal)) if appeal.goal else 0
    return Progress(raised, percent, appeal.pledge_count, total.donations if total else 0)


def confirmed_needs(appeal: Appeal) -> QuerySet[Need]:
    return appeal.needs.confirmed().order_by("priority", "pk")


def shipments(appeal: Appeal) -> QuerySet[Shipment]:
    """The appeal's shipments, latest first, with their lines (and needs) and events."""
    return (
        appeal.shipments.select_related("receipt")
        .prefetch_related(
            Prefetch("lines", queryset=ShipmentLine.objects.select_related("need")), "events"
        )
        .order_by("-created_at", "-pk")
    )


@dataclass
class ImpactRow:
    year: int
    country: str
    partnership: str
    raised: dict[str, Decimal] = field(default_factory=dict)
    spent: dict[str, Decimal] = field(default_factory=dict)
    delivered: int = 0


def impact_rows() -> list[ImpactRow]:
    """Money raised and spent (per currency) and goods delivered (confirmed receipts), by year,
    the affected community's country and partnership (three queries; an appeal of two
    partnerships counts under each)."""
    public = Appeal.objects.public()
    keys: dict[tuple[int, str, str], ImpactRow] = {}

    def row(year: int, country: str, partnership: Any) -> ImpactRow:
        label = str(partnership) if partnership else _("(no partnership)")
        return keys.setdefault((year, country, label), ImpactRow(year, country, label))

    fields = ("appeal__community__country__name", "appeal__partnerships__pk")
    names = _partnership_names()
    for r in (
        Donation.objects.filter(appeal__in=public)
        .annotate(year=ExtractYear("received_on"))
        .values("year", "currency", *fields)
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cell = row(r["year"], r[fields[0]], names.get(r[fields[1]])).raised
        cell[r["currency"]] = cell.get(r["currency"], ZERO) + r["t"]
    for r in (
        Expense.objects.approved()
        .filter(appeal__in=public)
        .annotate(year=ExtractYear("spent_on"))
        .values("year", "currency", *fields)
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cell = row(r["year"], r[fields[0]], names.get(r[fields[1]])).spent
        cell[r["currency"]] = cell.get(r["currency"], ZERO) + r["t"]
    for r in (
        ShipmentLine.objects.filter(
            shipment__appeal__in=public, shipment__receipt__isnull=False, received__gt=0
        )
        .annotate(year=ExtractYear("shipment__receipt__created_at"))
        .values(
            "year",
            "shipment__appeal__community__country__name",
            "shipment__appeal__partnerships__pk",
        )
        .annotate(t=Sum("received"))
        .order_by()
    ):
        row(
            r["year"],
            r["shipment__appeal__community__country__name"],
            names.get(r["shipment__appeal__partnerships__pk"]),
        ).delivered += r["t"]
    return sorted(keys.values(), key=lambda r: (-r.year, r.country, r.partnership))


def _partnership_names() -> dict[int, str]:
    from twinning.network.models import Partnership

    used = Partnership.objects.filter(relief_appeals__isnull=False).distinct()
    return {
        p.pk: f"{p.community_a.name} – {p.community_b.name}"
        for p in used.select_related("community_a", "community_b")
    }


def pledges_for_staff(appeal: Appeal) -> QuerySet[Pledge]:
    return appeal.pledges.select_related("need", "member").order_by("-created_at", "-pk")


def flagged_receipts() -> Q:
    return Q(receipt__has_differences=True, receipt__acknowledged_at__isnull=True)
