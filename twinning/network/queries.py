"""Reads that assemble several registry models for one public page or export: the directory's
filters, a community's partners, a country's figures and the cached network statistics."""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict

from twinning.network.models import Community, Country, Member, Partnership, Region

STATS_CACHE_SECONDS = 600


def _count_subquery(queryset: QuerySet[Any], group_field: str) -> Coalesce:
    """Count rows of `queryset` per outer row without a GROUP BY on the outer query, so a
    paginated page computes counts only for its own rows."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_partner_count(queryset: QuerySet[Community]) -> QuerySet[Community]:
    """Annotate `partner_count`: partnerships on either side, whatever their status."""
    as_a = _count_subquery(Partnership.objects.filter(community_a=OuterRef("pk")), "community_a")
    as_b = _count_subquery(Partnership.objects.filter(community_b=OuterRef("pk")), "community_b")
    return queryset.annotate(partner_count=as_a + as_b)


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's filters, parsed from a query string; unknown values are dropped."""

    q: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    status: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, params: QueryDict) -> "DirectoryFilters":
        q = params.get("q", "").strip()[:100]
        country = params.get("country", "").strip().upper()[:2]
        region = params.get("region", "").strip()
        kind = params.get("kind", "").strip()
        status = params.get("status", "").strip()
        return cls(
            q=q,
            country=country if country.isalpha() else "",
            region=region if region in Region.values else "",
            kind=kind if kind in Community.Kind.values else "",
            status=status if status in Partnership.Status.values else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.country or self.region or self.kind or self.status)

    def as_query(self) -> dict[str, str]:
        """The non-empty filters, for building links (exports, pagination)."""
        values = {
            "q": self.q,
            "country": self.country,
            "region": self.region,
            "kind": self.kind,
            "status": self.status,
        }
        return {key: value for key, value in values.items() if value}


def filtered_communities(filters: DirectoryFilters) -> QuerySet[Community]:
    """The directory's communities, filtered; no annotation or related rows yet."""
    queryset = Community.objects.all()
    if filters.q:
        queryset = queryset.search(filters.q)
    if filters.country:
        queryset = queryset.filter(country_id=filters.country)
    if filters.region:
        queryset = queryset.filter(country__region=filters.region)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        # Two uncorrelated IN lists: a correlated EXISTS over "a OR b" defeats the indexes.
        with_status = Partnership.objects.filter(status=filters.status).order_by()
        queryset = queryset.filter(
            Q(pk__in=with_status.values("community_a"))
            | Q(pk__in=with_status.values("community_b"))
        )
    return queryset


class AnnotatedPages:
    """A sliceable stand-in for a queryset, for Paginator: a page first takes its ids from the
    plain ordered query (a cheap sort), then loads those rows with their country and partner
    count. Annotating the sorted query itself would compute the counts for every row sorted
    or skipped (295 ms for page 200 of 17,000 on SQLite, against 10 ms this way)."""

    # A search matches few rows: read all their ids in one pass, instead of scanning the
    # table twice (once to count, once for the page), when there are at most this many.
    FEW = 2000

    def __init__(
        self, queryset: QuerySet[Community], ordering: Sequence[str], *, narrow: bool = False
    ) -> None:
        self.queryset = queryset.order_by(*ordering)
        self._narrow = narrow
        self._all_ids: list[int] | None = None

    def _few_ids(self) -> list[int] | None:
        if not self._narrow:
            return None
        if self._all_ids is None:
            self._all_ids = list(self.queryset.values_list("pk", flat=True)[: self.FEW + 1])
        return self._all_ids if len(self._all_ids) <= self.FEW else None

    def count(self) -> int:
        few = self._few_ids()
        return len(few) if few is not None else self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Community]:
        few = self._few_ids()
        ids = (
            few[index]
            if few is not None
            else list(self.queryset.values_list("pk", flat=True)[index])
        )
        if not ids:
            return []
        rows = with_partner_count(Community.objects.filter(pk__in=ids)).select_related("country")
        by_id = {community.pk: community for community in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


DIRECTORY_ORDER = ("name", "country_id", "pk")


def directory(filters: DirectoryFilters) -> QuerySet[Community]:
    """The directory's rows in name order with country and partner count, as one queryset
    (the API's read). Slow on deep pages of a large directory: see `directory_pages`."""
    return with_partner_count(filtered_communities(filters).select_related("country")).order_by(
        *DIRECTORY_ORDER
    )


def directory_pages(filters: DirectoryFilters) -> AnnotatedPages:
    """The directory's rows in name order for Paginator: one query more than `directory`,
    but a page costs the same at any depth."""
    return AnnotatedPages(filtered_communities(filters), DIRECTORY_ORDER, narrow=bool(filters.q))


def directory_countries() -> list[dict[str, str]]:
    """Countries that have at least one community, for the directory's country filter (code
    and name only; the page caches the rendered list under `registry_fingerprint()`)."""
    return list(
        Country.objects.filter(Exists(Community.objects.filter(country=OuterRef("pk"))))
        .order_by("name")
        .values("code", "name")
    )


def registry_fingerprint() -> str:
    """Changes whenever a community or partnership is added or removed, or a status changes:
    the key under which summaries of the whole registry are cached (one cheap query)."""
    return _stats_version()


def community_partnerships(community: Community) -> list[dict[str, Any]]:
    """A community's partnerships, each with the partner (and its country) and who confirmed,
    in one query whatever their number."""
    partnerships = (
        Partnership.objects.of_community(community)
        .select_related("community_a__country", "community_b__country")
        .order_by("community_a__name", "community_b__name")
    )
    rows = []
    for partnership in partnerships:
        partner = partnership.partner_of(community)
        rows.append(
            {
                "partnership": partnership,
                "partner": partner,
                "confirmed_here": partnership.is_confirmed_by(community),
                "confirmed_there": partnership.is_confirmed_by(partner),
            }
        )
    rows.sort(key=lambda row: (row["partner"].name.casefold(), row["partner"].country_id))
    return rows


def community_members(community: Community) -> QuerySet[Member]:
    return community.members.order_by("name")


def country_figures(country: Country) -> dict[str, Any]:
    """Counts for a country page and its top partner countries (current partnerships), cached
    under the registry's fingerprint: the United States alone has 2,600 partnerships to count."""
    key = f"network:country-figures:{country.pk}:{_stats_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = _country_figures(country)
        cache.set(key, figures, 10 * 60)
    return figures


def _country_figures(country: Country) -> dict[str, Any]:
    # IN lists of the country's communities let both sides use their foreign-key index.
    here = Community.objects.filter(country=country).values("pk")
    involving = Partnership.objects.current().filter(
        Q(community_a__in=here) | Q(community_b__in=here)
    )
    pairs = involving.order_by().values_list("community_a__country_id", "community_b__country_id")
    partner_counts: Counter[str] = Counter()
    total = 0
    for a_country, b_country in pairs.iterator(chunk_size=2000):
        total += 1
        other = b_country if a_country == country.pk else a_country
        if other != country.pk:
            partner_counts[other] += 1
    top_codes = [code for code, _count in partner_counts.most_common(10)]
    names = dict(Country.objects.filter(pk__in=top_codes).values_list("pk", "name"))
    top = [
        {"code": code, "name": names.get(code, code), "count": partner_counts[code]}
        for code in top_codes
    ]
    return {
        "partnerships": total,
        "partner_country_count": len(partner_counts),
        "top_partner_countries": top,
    }


def country_communities(country: Country) -> AnnotatedPages:
    return AnnotatedPages(country.communities.all(), ("name", "pk"))


def countries_by_region() -> list[dict[str, Any]]:
    """Countries that have communities, grouped by region, each with its counts."""
    partnerships = network_stats()["partnerships_by_country"]
    countries = Country.objects.with_counts().filter(community_count__gt=0).order_by("name")
    groups: dict[str, list[Country]] = defaultdict(list)
    for country in countries:
        country.partnership_count = partnerships.get(country.pk, 0)  # type: ignore[attr-defined]
        groups[country.region].append(country)
    return [
        {"region": region, "label": Region(region).label, "countries": groups[region]}
        for region in Region.values
        if groups.get(region)
    ]


# --- Network statistics (cached) ----------------------------------------------------------


_STATS_VERSION_KEY = "network:stats:version"


def invalidate_network_stats() -> None:
    """Make the next page view recompute the figures. Services that change a partnership's
    status call this (a new or deleted row is noticed without it)."""
    try:
        cache.incr(_STATS_VERSION_KEY)
    except ValueError:
        cache.set(_STATS_VERSION_KEY, 1, None)


def _stats_version() -> str:
    """A cheap fingerprint of the registry: the row counts, highest ids and latest changes
    (`updated_at`) of partnerships and communities (each answered from an index, in one
    query), plus the version that `invalidate_network_stats` bumps. The database's part is
    the same for every process, so a status changed through one web process is seen by the
    others even when each keeps its own cache (the local-memory default, README)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)}), "  # noqa: S608 -- names from our models
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)}), "
        f"(SELECT MAX({quote('updated_at')}) FROM {quote(m._meta.db_table)})"
        for m in (Partnership, Community)
    )
    sql = f"SELECT {columns}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    raw = "{}:{}".format(cache.get(_STATS_VERSION_KEY, 0), ":".join(str(v) for v in row))
    return hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def network_stats() -> dict[str, Any]:
    """Totals, partnerships per country, per region and per region pair (current ones).

    Cached for ten minutes under a key that changes with the data, so a page view costs
    one small query once the figures are computed.
    """
    key = f"network:stats:{_stats_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = _compute_stats()
        cache.set(key, figures, STATS_CACHE_SECONDS)
    return figures


def _compute_stats() -> dict[str, Any]:
    countries = {
        code: (name, region)
        for code, name, region in Country.objects.values_list("code", "name", "region")
    }
    pairs = (
        Partnership.objects.current()
        .order_by()
        .values_list("community_a__country_id", "community_b__country_id")
        .annotate(n=Count("pk"))
    )
    by_country: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    by_region_pair: Counter[tuple[str, str]] = Counter()
    total = 0
    international = 0
    for a_country, b_country, n in pairs:
        total += n
        by_country[a_country] += n
        if b_country != a_country:
            by_country[b_country] += n
            international += n
        region_a = countries.get(a_country, ("", ""))[1]
        region_b = countries.get(b_country, ("", ""))[1]
        by_region[region_a] += n
        if region_b != region_a:
            by_region[region_b] += n
        low, high = sorted([region_a, region_b])
        by_region_pair[(low, high)] += n
    communities = Community.objects.count()
    countries_with_communities = Country.objects.filter(
        Exists(Community.objects.filter(country=OuterRef("pk")))
    ).count()

    return {
        "totals": {
            "communities": communities,
            "partnerships": total,
            "international": international,
            "countries": countries_with_communities,
        },
        "partnerships_by_country": dict(by_country),
        "top_countries": [
            {"code": code, "name": countries.get(code, (code, ""))[0], "count": count}
            for code, count in sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        ],
        "by_region": sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0])),
        "by_region_pair": sorted(by_region_pair.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def _region_label(value: str) -> str:
    return str(Region(value).label) if value in Region.values else value


def stats_for_display() -> dict[str, Any]:
    """The cached figures with region names in the active language (the cache holds codes)."""
    figures = network_stats()
    return {
        **figures,
        "by_region": [
            {"region": region, "label": _region_label(region), "count": count}
            for region, count in figures["by_region"]
        ],
        "by_region_pair": [
            {
                "label": _region_label(low)
                if low == high
                else f"{_region_label(low)} – {_region_label(high)}",
                "count": count,
            }
            for (low, high), count in figures["by_region_pair"]
        ],
    }
