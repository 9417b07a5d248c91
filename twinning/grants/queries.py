"""Reads across several models for one page or export: the portfolio of funded projects for
funders (by program, country pair, theme and year; committed and paid; participants and
outcomes), the public list of funded projects, and the lump-sum calculator."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from twinning.core.maps import Place
from twinning.grants.models import ApplicationSide, Call, Grant, LumpSum, Report


def lump_sum(call: Call, *, participants: int, countries: int) -> LumpSum | None:
    """The call's lump sum for this many participants from this many countries: the row for
    the countries with the smallest `participants up to` that covers them (None beyond the
    table)."""
    return (
        call.lump_sums.filter(countries=countries, participants__gte=participants)
        .order_by("participants")
        .first()
    )


@dataclass
class Project:
    grant: Grant
    program: str
    year: int
    theme: str
    countries: str  # "CA-MX-US"
    sides: list[ApplicationSide]
    committed: Decimal
    paid: Decimal
    participants: int
    outcomes: list[str] = field(default_factory=list)


def funded_projects(filters: dict[str, Any] | None = None) -> list[Project]:
    """Every grant as a portfolio row (a fixed number of queries, whatever the count)."""
    filters = filters or {}
    grants = Grant.objects.select_related("application__call__program").prefetch_related(
        Prefetch(
            "application__sides",
            queryset=ApplicationSide.objects.select_related("community__country"),
        ),
        "tranches",
        Prefetch("reports", queryset=Report.objects.filter(state=Report.State.APPROVED)),
    )
    if filters.get("program"):
        grants = grants.filter(application__call__program__slug=filters["program"])
    if filters.get("year"):
        grants = grants.filter(starts_on__year=filters["year"])
    if filters.get("theme"):
        grants = grants.filter(application__theme=filters["theme"])
    projects = []
    for grant in grants.order_by("-starts_on", "pk"):
        sides = list(grant.application.sides.all())
        countries = "-".join(sorted({s.community.country_id for s in sides}))
        if filters.get("countries") and filters["countries"] != countries:
            continue
        reports = list(grant.reports.all())
        finals = [r for r in reports if r.kind == Report.Kind.FINAL]
        projects.append(
            Project(
                grant=grant,
                program=grant.application.call.program.name,
                year=grant.starts_on.year,
                theme=grant.application.theme,
                countries=countries,
                sides=sides,
                committed=grant.amount,
                paid=sum((t.amount for t in grant.tranches.all() if t.paid_at), Decimal(0)),
                participants=sum(r.participants for r in (finals or reports)),
                outcomes=[r.outcomes for r in reports if r.outcomes],
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
    """The funded partnerships as pairs of places (lead to each partner) for the world map."""
    links: list[tuple[Place, Place]] = []
    for project in projects:
        placed = [s for s in project.sides if s.community.has_point]
        lead = next((s for s in placed if s.is_lead), None)
        if lead is not None:
            links.extend((_place(lead), _place(side)) for side in placed if side is not lead)
    return links


def _place(side: ApplicationSide) -> Place:
    community = side.community
    return Place(str(community), community.latitude or 0.0, community.longitude or 0.0)
