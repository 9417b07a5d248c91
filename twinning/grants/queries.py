"""Reads across several models for one page or export: the portfolio of funded projects for
funders (by program, country pair, theme and year; committed and paid; participants and
outcomes), the public list of funded projects, and the lump-sum calculator."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from twinning.core.maps import Place
from twinning.grants.models import ApplicationSide, Call, Grant, LumpSum, Report, Tranche


def lump_sum(call: Call, *, participants: int, countries: int) -> LumpSum | None:
    """The call's lump sum for this many participants from this many countries: the row for
    the countries with the smallest `participants up to` that covers them (None beyond the
    table)."""
    return (
        call.lump_sums.filter(countries=countries, participants__gte=participants)
        .order_by("participants")
        .first()
    )


@dataclass(frozen=True)
class Side:
    community: str
    country: str
    is_lead: bool
    latitude: float | None
    longitude: float | None


@dataclass
class Project:
    grant_id: int
    title: str
    currency: str
    program: str
    year: int
    theme: str
    countries: str  # "CA-MX-US"
    sides: list[Side]
    committed: Decimal
    paid: Decimal
    participants: int
    outcomes: list[str] = field(default_factory=list)


def funded_projects(filters: dict[str, Any] | None = None) -> list[Project]:
    """Every grant as a portfolio row: four flat queries (grants, sides, paid tranches,
    approved reports), whatever the number of grants."""
    filters = filters or {}
    grants = Grant.objects.all()
    if filters.get("program"):
        grants = grants.filter(application__call__program__slug=filters["program"])
    if filters.get("year"):
        grants = grants.filter(starts_on__year=filters["year"])
    if filters.get("theme"):
        grants = grants.filter(application__theme=filters["theme"])
    rows = list(
        grants.order_by("-starts_on", "pk").values_list(
            "pk",
            "application_id",
            "application__title",
            "currency",
            "application__call__program__name",
            "starts_on",
            "application__theme",
            "amount",
        )
    )
    sides: dict[int, list[Side]] = defaultdict(list)
    for app_id, name, country, lead, lat, lon in (
        ApplicationSide.objects.filter(application__grant__in=grants)
        .order_by("-is_lead", "pk")
        .values_list(
            "application_id",
            "community__name",
            "community__country_id",
            "is_lead",
            "community__latitude",
            "community__longitude",
        )
    ):
        sides[app_id].append(Side(name, country, lead, lat, lon))
    paid = dict(
        Tranche.objects.filter(grant__in=grants, paid_at__isnull=False)
        .values_list("grant_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    reports: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for grant_id, kind, participants, outcomes in Report.objects.filter(
        grant__in=grants, state=Report.State.APPROVED
    ).values_list("grant_id", "kind", "participants", "outcomes"):
        reports[grant_id].append((kind, participants, outcomes))
    projects = []
    for pk, app_id, title, currency, program, starts_on, theme, amount in rows:
        countries = "-".join(sorted({side.country for side in sides[app_id]}))
        if filters.get("countries") and filters["countries"] != countries:
            continue
        approved = reports[pk]
        finals = [r for r in approved if r[0] == Report.Kind.FINAL]
        projects.append(
            Project(
                grant_id=pk,
                title=title,
                currency=currency,
                program=program,
                year=starts_on.year,
                theme=theme,
                countries=countries,
                sides=sides[app_id],
                committed=amount,
                paid=paid.get(pk, Decimal(0)),
                participants=sum(r[1] for r in (finals or approved)),
                outcomes=[r[2] for r in approved if r[2]],
            )
        )
    return projects


def totals(projects: list[Project]) -> dict[str, dict[str, Decimal]]:
    """Committed and paid, grouped by program, country pair, theme and year."""
    groups: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for project in projects:
        for dimension, value in (
            ("program", project.program),
            ("countries", project.countries),
            ("theme", project.theme or "-"),
            ("year", str(project.year)),
        ):
            key = f"{dimension}:{value}"
            row = groups.setdefault(
                key, {"committed": Decimal(0), "paid": Decimal(0), "count": Decimal(0)}
            )
            row["committed"] += project.committed
            row["paid"] += project.paid
            row["count"] += 1
    return dict(groups)


def map_links(projects: list[Project]) -> list[tuple[Place, Place]]:
    """The funded partnerships as pairs of places (lead to each partner) for the world map,
    each pair once however many grants it holds."""
    links: dict[tuple[str, str], tuple[Place, Place]] = {}
    for project in projects:
        placed = [s for s in project.sides if s.latitude is not None and s.longitude is not None]
        lead = next((s for s in placed if s.is_lead), None)
        if lead is None:
            continue
        for side in placed:
            if side is not lead:
                links.setdefault((lead.community, side.community), (_place(lead), _place(side)))
    return list(links.values())


def _place(side: Side) -> Place:
    return Place(side.community, side.latitude or 0.0, side.longitude or 0.0)
