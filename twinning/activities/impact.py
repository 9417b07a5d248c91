"""The network in numbers (`/impact/`, the exports and the annual report): verified
activities by year, sector and kind, region and country, with participants, volunteer hours
and money, beside the partnerships by status and the dormant ones.

Only VERIFIED activities count: a submitted report may still be sent back by staff, and a
public figure should not move backwards. The page says so.

Everything is cached under a fingerprint of the data (the activities' count, highest id and
latest change, the registry's own fingerprint, and a counter bumped when a verification is
withdrawn), like network/queries.py: a change shows on the next request without any
invalidation in the services beyond that counter."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, ExtractYear, Round
from django.http import QueryDict
from django.utils.translation import gettext as _

from twinning.activities.models import (
    OUTCOME_FIELDS,
    PARTICIPANT_FIELDS,
    Activity,
    Kind,
    Sector,
)
from twinning.activities.queries import DORMANT_YEARS_DEFAULT, dormant_partnerships
from twinning.core.dates import association_today
from twinning.network.models import Partnership, Region
from twinning.network.queries import registry_fingerprint

CACHE_SECONDS = 600
_VERSION_KEY = "activities:impact:version"


def invalidate_impact() -> None:
    """Make the next request recompute (a verification withdrawn leaves counts unchanged)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def impact_fingerprint() -> str:
    """Changes whenever an activity is added, removed or changed, or the registry changes."""
    table = connection.ops.quote_name(Activity._meta.db_table)
    sql = f"SELECT COUNT(*), MAX(id), MAX(updated_at) FROM {table}"  # noqa: S608 -- our table
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    raw = "{}:{}:{}".format(
        cache.get(_VERSION_KEY, 0), ":".join(str(v) for v in row), registry_fingerprint()
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


# --- Filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImpactFilters:
    year: int | None = None
    region: str = ""
    country: str = ""

    @classmethod
    def from_query(cls, params: QueryDict) -> "ImpactFilters":
        year_text = params.get("year", "").strip()
        year = int(year_text) if year_text.isdigit() and 1900 <= int(year_text) <= 2200 else None
        region = params.get("region", "").strip()
        country = params.get("country", "").strip().upper()[:2]
        return cls(
            year=year,
            region=region if region in Region.values else "",
            country=country if len(country) == 2 and country.isalpha() else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.year or self.region or self.country)

    def as_query(self) -> dict[str, str]:
        values = {"year": str(self.year or ""), "region": self.region, "country": self.country}
        return {key: value for key, value in values.items() if value}

    def key(self) -> str:
        return f"{self.year or ''}:{self.region}:{self.country}"

    def activity_match(self, prefix: str = "") -> Q | None:
        """The activities the figures count, as a condition on Activity (`prefix` to reach it
        from another model): of the year, with a partnership in the country (or, without a
        partnership, one of its two communities there), and one in the region (not
        necessarily the same one). None without filters."""
        through = Activity.partnerships.through.objects
        match = Q()
        if self.year:
            match &= Q(**{f"{prefix}start_date__year": self.year})
        for path, value in (("country_id", self.country), ("country__region", self.region)):
            if not value:
                continue
            place = Q(**{f"community_a__{path}": value}) | Q(**{f"community_b__{path}": value})
            ids = through.filter(partnership__in=Partnership.objects.filter(place))
            match &= (
                Q(**{f"{prefix}pk__in": ids.values("activity_id")})
                | Q(**{f"{prefix}community__{path}": value})
                | Q(**{f"{prefix}counterpart__{path}": value})
            )
        return match or None

    def partnership_match(self) -> Q:
        """The partnerships counted by status: the country's, else the region's (the year
        does not apply)."""
        if self.country:
            return Q(community_a__country_id=self.country) | Q(community_b__country_id=self.country)
        if self.region:
            return Q(community_a__country__region=self.region) | Q(
                community_b__country__region=self.region
            )
        return Q()


# --- Figures, aggregated by the database -------------------------------------------------------
#
# Money is summed as whole cents: SQLite keeps a decimal column as a floating-point number and
# sums it as one, so Sum("money_raised") would be rounded there (and come back as 2700.5, not
# 2700.50). ROUND(amount * 100) is exact for any amount the column can hold, and integers add
# exactly on both databases.

MONEY = ("money_raised", "money_spent")
_FIGURES = ("activities", "participants", "volunteer_hours", *MONEY, *OUTCOME_FIELDS)
_TOTALS_ONLY = ("visitors", "hosts", "under_18", "age_18_30", "over_30", "agreements")


def _cents(field: str) -> Cast:
    return Cast(Round(F(field) * Value(100)), BigIntegerField())


def _plus(*fields: str) -> Any:
    expression = F(fields[0])
    for name in fields[1:]:
        expression += F(name)
    return expression


def _aggregates(prefix: str = "", *, totals: bool = False) -> dict[str, Any]:
    """Count and sums of the activities of a group (`prefix` reaches Activity from the row)."""

    def sum_of(*fields: str) -> Sum:
        return Sum(_plus(*(prefix + name for name in fields)))

    visitors = PARTICIPANT_FIELDS[:3]
    hosts = PARTICIPANT_FIELDS[3:]
    aggregates: dict[str, Any] = {
        "activities": Count(f"{prefix}pk"),
        "participants": sum_of(*PARTICIPANT_FIELDS),
        "volunteer_hours": sum_of("volunteer_hours"),
        **{name: Sum(_cents(prefix + name)) for name in MONEY},
        **{name: sum_of(name) for name in OUTCOME_FIELDS},
    }
    if totals:
        aggregates |= {
            "visitors": sum_of(*visitors),
            "hosts": sum_of(*hosts),
            "under_18": sum_of(visitors[0], hosts[0]),
            "age_18_30": sum_of(visitors[1], hosts[1]),
            "over_30": sum_of(visitors[2], hosts[2]),
            "agreements": sum_of("agreements_signed"),
        }
    return aggregates


def _grouped(rows: QuerySet, filters: ImpactFilters, prefix: str, *fields: str, **keys: Any) -> Any:
    """`rows` grouped by `fields` and `keys`, and by whether the activity passes the filters
    (worked out once a row; the groups outside them still tell which years and countries
    exist)."""
    match = filters.activity_match(prefix) or Q(pk__isnull=False)
    keys["counted"] = ExpressionWrapper(match, BooleanField())
    return (
        rows.annotate(**keys)
        .order_by()
        .values(*fields, *keys)
        .annotate(**_aggregates(prefix, totals=not prefix))
    )


def _empty() -> dict[str, Any]:
    return dict.fromkeys(_FIGURES, 0)


def _add(bucket: dict[str, Any], row: dict[str, Any]) -> None:
    for name in bucket:
        bucket[name] += int(row[name] or 0)  # PostgreSQL sums bigints as Decimal


def _as_money(bucket: dict[str, Any]) -> dict[str, Any]:
    return {**bucket, **{name: Decimal(bucket[name]).scaleb(-2) for name in MONEY}}


# The two sides of an activity without a partnership (our community and the counterpart), as
# the keys `_place_groups` gives the two sides of a partnership: None for the others.
_PAIR_SIDES = {"a": "community", "b": "counterpart"}


def _activity_groups(filters: ImpactFilters) -> list[dict[str, Any]]:
    """Verified activities by year, sector and kind, and for an activity without a
    partnership by the countries and regions of its two communities (one query)."""
    keys: dict[str, Any] = {"year": ExtractYear("start_date")}
    for side, field in _PAIR_SIDES.items():
        keys[f"country_{side}"] = F(f"{field}__country_id")
        keys[f"name_{side}"] = F(f"{field}__country__name")
        keys[f"region_{side}"] = F(f"{field}__country__region")
    rows = Activity.objects.verified()
    return list(_grouped(rows, filters, "", "sector", "kind", **keys))


def _pair_place_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities without a partnership as place rows (each has no earlier partnership:
    an activity names either partnerships or the pair)."""
    before = {f"{place}_{side}_before": False for place in ("country", "region") for side in "ab"}
    return [row | before for row in rows if row["country_b"] is not None]


def _place_groups(filters: ImpactFilters) -> list[dict[str, Any]]:
    """Verified activities' partnerships by the countries and regions of their two sides, each
    side flagged when a partnership of a lower id of the same activity was already there
    (one query; `_by_place` then counts each activity once in each of its places)."""
    through = Activity.partnerships.through.objects
    keys: dict[str, Any] = {}
    for side in "ab":
        keys[f"country_{side}"] = F(f"partnership__community_{side}__country_id")
        keys[f"name_{side}"] = F(f"partnership__community_{side}__country__name")
        keys[f"region_{side}"] = F(f"partnership__community_{side}__country__region")
        for place, path in (("country", "country_id"), ("region", "country__region")):
            here = OuterRef(f"partnership__community_{side}__{path}")
            earlier = through.filter(
                activity_id=OuterRef("activity_id"),
                partnership_id__lt=OuterRef("partnership_id"),
            ).filter(
                Q(**{f"partnership__community_a__{path}": here})
                | Q(**{f"partnership__community_b__{path}": here})
            )
            keys[f"{place}_{side}_before"] = Exists(earlier)
    rows = through.filter(activity__state=Activity.State.VERIFIED)
    return list(_grouped(rows, filters, "activity__", **keys))


def _by_place(rows: list[dict[str, Any]], place: str) -> dict[str, dict]:
    """Each activity once in each country (or region) of its partnerships: a side counts
    unless an earlier partnership of the activity, or side a of the same one, is there."""
    buckets: dict[str, dict] = defaultdict(_empty)
    for row in rows:
        if not row["counted"]:
            continue
        a, b = row[f"{place}_a"], row[f"{place}_b"]
        if a and not row[f"{place}_a_before"]:
            _add(buckets[a], row)
        if b and b != a and not row[f"{place}_b_before"]:
            _add(buckets[b], row)
    return buckets


def _sorted_by_count(buckets: dict[str, dict]) -> list[tuple[str, dict]]:
    items = ((key, _as_money(bucket)) for key, bucket in buckets.items())
    return sorted(items, key=lambda kv: (-kv[1]["activities"], kv[0]))


def _compute(filters: ImpactFilters) -> dict[str, Any]:
    totals = dict.fromkeys(_FIGURES + _TOTALS_ONLY, 0)
    by_year: dict[int, dict] = defaultdict(_empty)
    by_sector: dict[str, dict] = defaultdict(_empty)
    by_kind: dict[str, dict] = defaultdict(_empty)
    years = set()
    activity_rows = _activity_groups(filters)
    for row in activity_rows:
        years.add(row["year"])  # every year with a verified activity, filtered or not
        if not row["counted"]:
            continue
        _add(totals, row)
        _add(by_year[row["year"]], row)
        _add(by_sector[row["sector"]], row)
        _add(by_kind[row["kind"]], row)

    place_rows = _place_groups(filters) + _pair_place_rows(activity_rows)
    country_names = {}  # every country with a verified activity, filtered or not
    for row in place_rows:
        country_names[row["country_a"]] = row["name_a"]
        country_names[row["country_b"]] = row["name_b"]

    place = filters.partnership_match()
    status_counts = dict(
        Partnership.objects.filter(place)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    dormant = (
        dormant_partnerships(years=DORMANT_YEARS_DEFAULT, today=association_today())
        .filter(place)
        .count()
    )
    return {
        "totals": _as_money(totals),
        "years": sorted(years, reverse=True),
        "by_year": sorted((year, _as_money(b)) for year, b in by_year.items()),
        "by_sector": sorted(
            ((sector, _as_money(b)) for sector, b in by_sector.items()),
            key=lambda kv: Sector.values.index(kv[0]),
        ),
        "by_kind": _sorted_by_count(by_kind),
        "by_region": _sorted_by_count(_by_place(place_rows, "region")),
        "by_country": _sorted_by_count(_by_place(place_rows, "country")),
        "partnerships_by_status": [
            (status, status_counts.get(status, 0)) for status in Partnership.Status.values
        ],
        "dormant": dormant,
        "countries": sorted(country_names.items(), key=lambda item: item[1]),
        "country_names": country_names,
    }


def impact_figures(filters: ImpactFilters, *, version: str | None = None) -> dict[str, Any]:
    """The figures for the page, the exports and the report, cached under the fingerprint
    (codes only; labels are added per request in the active language by `for_display`).
    Computing them costs four queries (and the fingerprint two, unless the caller passes the
    `version` it already has) whatever the number of activities."""
    version = version or impact_fingerprint()
    # v2: the outcome indicators and the activities without a partnership (a figures dict
    # cached before them lacks their keys).
    key = f"activities:impact:figures:v2:{filters.key()}:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = _compute(filters)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


# --- Labels, in the active language ------------------------------------------------------------


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def for_display(figures: dict[str, Any]) -> dict[str, Any]:
    """The cached figures as rows with labels: one list of dicts per breakdown."""
    names = figures["country_names"]

    def rows(items: Any, label: Any) -> list[dict[str, Any]]:
        return [{"key": key, "label": label(key), **values} for key, values in items]

    return {
        **figures,
        "by_year": rows(figures["by_year"], str),
        "by_sector": rows(figures["by_sector"], lambda v: _label(Sector, v)),
        "by_kind": rows(figures["by_kind"], lambda v: _label(Kind, v)),
        "by_region": rows(figures["by_region"], lambda v: _label(Region, v)),
        "by_country": rows(figures["by_country"], lambda v: names.get(v, v)),
        "partnerships_by_status": [
            {"key": status, "label": _label(Partnership.Status, status), "count": count}
            for status, count in figures["partnerships_by_status"]
        ],
    }


BREAKDOWNS = ("by_year", "by_sector", "by_kind", "by_region", "by_country")


def breakdown_titles() -> dict[str, str]:
    return {
        "by_year": _("By year"),
        "by_sector": _("By sector"),
        "by_kind": _("By kind of activity"),
        "by_region": _("By region"),
        "by_country": _("By country"),
    }


def current_year() -> int:
    return association_today().year


def reporting_years(today: datetime.date | None = None) -> list[int]:
    """Years an annual report may be asked for: from 2000 to this year."""
    year = (today or association_today()).year
    return list(range(year, 1999, -1))
