"""Reads across several models for one page or export: the portfolio of funded projects for
funders (by program, country pair, theme and year; committed and paid; participants and
outcomes), the public list of funded projects, and the lump-sum calculator."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, F, Q, QuerySet, Sum, When
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from twinning.core.fingerprints import Fingerprint, cache_key
from twinning.core.maps import Place, cached_links_map_svg
from twinning.grants.models import (
    Application,
    ApplicationSide,
    Call,
    Grant,
    LumpSum,
    Program,
    Report,
    Tranche,
)
from twinning.network.mapdata import map_data_version


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


def funded_grants(filters: dict[str, Any] | None = None) -> QuerySet[Grant]:
    """Every grant, narrowed by the portfolio's filters (program slug, year, theme, the
    parties' countries "CA-MX-US"), in the portfolio's order; filtered in SQL."""
    filters = filters or {}
    grants = Grant.objects.order_by("-starts_on", "pk")
    if filters.get("program"):
        grants = grants.filter(application__call__program__slug=filters["program"])
    if filters.get("year"):
        grants = grants.filter(starts_on__year=filters["year"])
    if filters.get("theme"):
        grants = grants.filter(application__theme=filters["theme"])
    if filters.get("countries"):
        grants = grants.filter(countries=filters["countries"])
    return grants


PROJECT_FIELDS = (
    "pk",
    "application_id",
    "application__title",
    "currency",
    "application__call__program__name",
    "starts_on",
    "application__theme",
    "amount",
    "countries",
)


def project_rows(grants: QuerySet[Grant]) -> QuerySet[Grant, tuple[Any, ...]]:
    """The grants as light tuples for `projects` (a Paginator slices it in SQL)."""
    return grants.values_list(*PROJECT_FIELDS)


def projects(
    rows: Sequence[tuple[Any, ...]], grants: QuerySet[Grant] | None = None
) -> list[Project]:
    """Portfolio rows for these grants (tuples of `project_rows`: a page, or every grant of
    `grants` for an export, read by subquery rather than a list of ids): three flat queries
    for their sides, paid tranches and approved reports."""
    ids: Any = grants.values("pk") if grants is not None else [row[0] for row in rows]
    app_ids: Any = (
        grants.values("application_id") if grants is not None else [row[1] for row in rows]
    )
    sides: dict[int, list[Side]] = defaultdict(list)
    for app_id, name, country, lead, lat, lon in (
        ApplicationSide.objects.filter(application_id__in=app_ids)
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
        Tranche.objects.filter(grant_id__in=ids, paid_at__isnull=False)
        .values_list("grant_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    reports: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for grant_id, kind, participants, outcomes in Report.objects.filter(
        grant_id__in=ids, state=Report.State.APPROVED
    ).values_list("grant_id", "kind", "participants", "outcomes"):
        reports[grant_id].append((kind, participants, outcomes))
    found = []
    for pk, app_id, title, currency, program, starts_on, theme, amount, countries in rows:
        approved = reports[pk]
        finals = [r for r in approved if r[0] == Report.Kind.FINAL]
        found.append(
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
    return found


def funded_projects(filters: dict[str, Any] | None = None) -> list[Project]:
    """Every grant as a portfolio row (the exports): four flat queries, whatever the number
    of grants."""
    grants = funded_grants(filters)
    return projects(list(project_rows(grants)), grants.order_by())


@dataclass
class Portfolio:
    """The portfolio's figures over a set of grants, aggregated in SQL."""

    committed: Decimal
    paid: Decimal
    participants: int
    groups: list[tuple[str, dict[str, Decimal]]]  # "program:Name" -> count, committed, paid

    @property
    def grants(self) -> int:
        """How many grants the figures cover (each is in one program's group)."""
        return int(sum(g["count"] for k, g in self.groups if k.startswith("program:")))


# The portfolio's dimensions: a name and the grant's field it groups by.
DIMENSIONS = (
    ("program", "application__call__program__name"),
    ("countries", "countries"),
    ("theme", "application__theme"),
    ("year", "starts_on"),
)


def portfolio(grants: QuerySet[Grant]) -> Portfolio:
    """Committed, paid and participants over `grants`, and the same by program, country pair,
    theme and year: three queries grouped in SQL (one row per combination of program,
    countries, theme and start date, not per grant), rolled up per dimension (years from the
    dates: no SQL function per row). Participants per grant are its approved final
    reports' when it has any, else its approved interim reports'."""
    fields = [path for _name, path in DIMENSIONS]
    committed = grants.values(*fields).annotate(count=Count("pk"), total=Sum("amount")).order_by()
    # The grants joined to their paid tranches (no IN over a second copy of the grants).
    paid = (
        grants.filter(tranches__paid_at__isnull=False)
        .values(*fields)
        .annotate(total=Sum("tranches__amount"))
        .order_by()
    )
    groups: dict[str, dict[str, Decimal]] = {}

    def add(row: dict[str, Any], prefix: str, column: str) -> None:
        for name, path in DIMENSIONS:
            value = row[prefix + path]
            if name == "year":
                value = value.year
            key = f"{name}:{value if value not in ('', None) else '-'}"
            group = groups.setdefault(
                key, {"committed": Decimal(0), "paid": Decimal(0), "count": Decimal(0)}
            )
            group[column] += row["total"] or 0
            if column == "committed":
                group["count"] += row["count"]

    for row in committed:
        add(row, "", "committed")
    for row in paid:
        add(row, "", "paid")
    # Per grant (grouped in a subquery), then summed: no correlated subquery per report.
    final = Q(kind=Report.Kind.FINAL)
    people = (
        Report.objects.filter(grant__in=grants, state=Report.State.APPROVED)
        .values("grant_id")
        .annotate(
            finals=Count("pk", filter=final),
            final_people=Sum("participants", filter=final),
            other_people=Sum("participants", filter=~final),
        )
        .order_by()
        .aggregate(
            total=Sum(Case(When(finals__gt=0, then=F("final_people")), default=F("other_people")))
        )
    )
    return Portfolio(
        committed=sum(
            (g["committed"] for k, g in groups.items() if k.startswith("program:")), Decimal(0)
        ),
        paid=sum((g["paid"] for k, g in groups.items() if k.startswith("program:")), Decimal(0)),
        participants=people["total"] or 0,
        groups=sorted(groups.items()),
    )


def map_links(grants: QuerySet[Grant]) -> list[tuple[Place, Place]]:
    """The funded partnerships of `grants` as pairs of places (lead to each partner) for the
    world map, each pair once however many grants it holds: one query, distinct in SQL."""
    pairs = (
        ApplicationSide.objects.filter(
            is_lead=True,
            application__grant__in=grants,
            community__latitude__isnull=False,
            community__longitude__isnull=False,
            application__sides__is_lead=False,
            application__sides__community__latitude__isnull=False,
            application__sides__community__longitude__isnull=False,
        )
        .values_list(
            "community__name",
            "community__latitude",
            "community__longitude",
            "application__sides__community__name",
            "application__sides__community__latitude",
            "application__sides__community__longitude",
        )
        .order_by("community__name", "application__sides__community__name")
        .distinct()
    )
    return [
        (Place(name, lat or 0.0, lon or 0.0), Place(other, other_lat or 0.0, other_lon or 0.0))
        for name, lat, lon, other, other_lat, other_lon in pairs
    ]


PORTFOLIO_SECONDS = 24 * 60 * 60


_PORTFOLIO_TABLES = Fingerprint(
    lambda: [
        (Grant.objects.all(), ("pk", "updated_at")),
        (Application.objects.all(), ("pk", "updated_at")),
        (ApplicationSide.objects.all(), ("pk",)),
        (Call.objects.all(), ("pk", "updated_at")),
        (Program.objects.all(), ("pk", "updated_at")),
        (Tranche.objects.all(), ("pk", "paid_at")),
        (Report.objects.all(), ("pk", "updated_at")),
    ]
)


def portfolio_version() -> str:
    """A key part that changes whenever the portfolio's figures or map may: every table they
    read (grants, their applications, sides, calls and programs, tranches paid, reports),
    fingerprinted in one query from indexes (`core.fingerprints`: every write of these goes
    through a service that saves `updated_at`, or `paid_at` for a tranche), and the
    communities' names and places as the network's map data sees them (`map_data_version`,
    which also counts the registry's writes that bypass `updated_at`)."""
    return _PORTFOLIO_TABLES() + map_data_version()


def portfolio_sections(filters: dict[str, Any], *, label: str) -> tuple[Portfolio, SafeString]:
    """The portfolio's figures (`portfolio`) and its map (`map_links`, drawn with `label`) of
    the grants the filters select, cached under the filters, the language and
    `portfolio_version`: the data changes, the key does, so a page never shows stale
    figures. Two small queries once cached (the figures and the map's queries run over every
    grant: about half of the page's time at 2,200 grants)."""
    key = cache_key(
        "grants:portfolio", sorted(filters.items()), get_language(), label, portfolio_version()
    )
    found = cache.get(key)
    if found is None:
        grants = funded_grants(filters)
        found = (portfolio(grants), str(cached_links_map_svg(map_links(grants), label=label)))
        cache.set(key, found, PORTFOLIO_SECONDS)
    figures, svg = found
    return figures, mark_safe(svg)  # drawn by core.maps from escaped text only
