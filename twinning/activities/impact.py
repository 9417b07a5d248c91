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
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.activities.models import PARTICIPANT_FIELDS, Activity, Kind, Sector
from twinning.activities.queries import DORMANT_YEARS_DEFAULT, dormant_partnerships
from twinning.network.models import Country, Partnership, Region
from twinning.network.queries import registry_fingerprint

CACHE_SECONDS = 600
_VERSION_KEY = "activities:impact:version"
ZERO = Decimal("0.00")


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


# --- The verified activities, compactly ------------------------------------------------------


def _base_rows() -> dict[str, Any]:
    """Every verified activity as a small tuple, with the countries of its partnerships
    (three queries whatever the number of activities)."""
    fields = (
        "pk",
        "start_date",
        "sector",
        "kind",
        *PARTICIPANT_FIELDS,
        "volunteer_hours",
        "money_raised",
        "money_spent",
        "agreements_signed",
    )
    countries_of: dict[int, set[str]] = defaultdict(set)
    links = (
        Activity.partnerships.through.objects.filter(activity__state=Activity.State.VERIFIED)
        .values_list(
            "activity_id",
            "partnership__community_a__country_id",
            "partnership__community_b__country_id",
        )
        .iterator(chunk_size=5000)
    )
    for activity_id, country_a, country_b in links:
        countries_of[activity_id].update((country_a, country_b))
    country_info = {
        code: (name, region)
        for code, name, region in Country.objects.values_list("code", "name", "region")
    }
    rows = []
    for values in Activity.objects.verified().values_list(*fields).iterator(chunk_size=5000):
        row = dict(zip(fields, values, strict=True))
        countries = tuple(sorted(countries_of.get(row["pk"], ())))
        rows.append(
            (
                row["start_date"].year,
                row["sector"],
                row["kind"],
                tuple(row[name] for name in PARTICIPANT_FIELDS),
                row["volunteer_hours"],
                row["money_raised"],
                row["money_spent"],
                row["agreements_signed"],
                countries,
                tuple(sorted({country_info.get(c, ("", ""))[1] for c in countries} - {""})),
            )
        )
    used = {c for row in rows for c in row[8]}
    return {
        "rows": rows,
        "countries": sorted(
            ((code, country_info[code][0]) for code in used if code in country_info),
            key=lambda item: item[1],
        ),
        "country_names": {code: country_info[code][0] for code in used if code in country_info},
    }


def _partnership_rows() -> dict[str, Any]:
    """Partnerships counted by status and pair of countries (for the region/country filters),
    and the dormant ones (by status, or no reported activity in two years)."""
    by_status = list(
        Partnership.objects.order_by()
        .values_list("status", "community_a__country_id", "community_b__country_id")
        .annotate(n=Count("pk"))
    )
    dormant = list(
        dormant_partnerships(years=DORMANT_YEARS_DEFAULT, today=timezone.localdate())
        .order_by()
        .values_list("community_a__country_id", "community_b__country_id")
    )
    return {"by_status": by_status, "dormant": dormant}


def _cached(name: str, version: str, build: Any) -> Any:
    key = f"activities:impact:{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


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

    def matches_place(self, countries: tuple[str, ...], regions: tuple[str, ...]) -> bool:
        if self.country and self.country not in countries:
            return False
        return not (self.region and self.region not in regions)


# --- Figures -----------------------------------------------------------------------------------


def _empty() -> dict[str, Any]:
    return {
        "activities": 0,
        "participants": 0,
        "volunteer_hours": 0,
        "money_raised": ZERO,
        "money_spent": ZERO,
    }


def _add(bucket: dict[str, Any], row: tuple) -> None:
    bucket["activities"] += 1
    bucket["participants"] += sum(row[3])
    bucket["volunteer_hours"] += row[4]
    bucket["money_raised"] += row[5]
    bucket["money_spent"] += row[6]


def _compute(filters: ImpactFilters, base: dict[str, Any], partnerships: dict[str, Any]) -> dict:
    totals = {
        **_empty(),
        "visitors": 0,
        "hosts": 0,
        "under_18": 0,
        "age_18_30": 0,
        "over_30": 0,
        "agreements": 0,
    }
    by_year: dict[int, dict] = defaultdict(_empty)
    by_sector: dict[str, dict] = defaultdict(_empty)
    by_kind: dict[str, dict] = defaultdict(_empty)
    by_region: dict[str, dict] = defaultdict(_empty)
    by_country: dict[str, dict] = defaultdict(_empty)
    years = set()
    for row in base["rows"]:
        year, sector, kind, people, _hours, _raised, _spent, agreements, countries, regions = row
        years.add(year)
        if not filters.matches_place(countries, regions):
            continue
        if filters.year and year != filters.year:
            continue
        _add(totals, row)
        totals["visitors"] += people[0] + people[1] + people[2]
        totals["hosts"] += people[3] + people[4] + people[5]
        totals["under_18"] += people[0] + people[3]
        totals["age_18_30"] += people[1] + people[4]
        totals["over_30"] += people[2] + people[5]
        totals["agreements"] += agreements
        _add(by_year[year], row)
        _add(by_sector[sector], row)
        _add(by_kind[kind], row)
        for region in regions:
            _add(by_region[region], row)
        for country in countries:
            _add(by_country[country], row)

    status_counts: Counter[str] = Counter()
    for status, country_a, country_b, n in partnerships["by_status"]:
        if _place_ok(filters, country_a, country_b, base):
            status_counts[status] += n
    dormant = sum(1 for a, b in partnerships["dormant"] if _place_ok(filters, a, b, base))
    return {
        "totals": totals,
        "years": sorted(years, reverse=True),
        "by_year": sorted(by_year.items()),
        "by_sector": sorted(by_sector.items(), key=lambda kv: Sector.values.index(kv[0])),
        "by_kind": sorted(by_kind.items(), key=lambda kv: (-kv[1]["activities"], kv[0])),
        "by_region": sorted(by_region.items(), key=lambda kv: (-kv[1]["activities"], kv[0])),
        "by_country": sorted(by_country.items(), key=lambda kv: (-kv[1]["activities"], kv[0])),
        "partnerships_by_status": [
            (status, status_counts.get(status, 0)) for status in Partnership.Status.values
        ],
        "dormant": dormant,
    }


def _place_ok(filters: ImpactFilters, country_a: str, country_b: str, base: dict) -> bool:
    if filters.country:
        return filters.country in (country_a, country_b)
    if filters.region:
        regions = base["regions_of"]
        return filters.region in (regions.get(country_a), regions.get(country_b))
    return True


def impact_figures(filters: ImpactFilters) -> dict[str, Any]:
    """The figures for the page, the exports and the report, cached under the fingerprint
    (codes only; labels are added per request in the active language by `for_display`)."""
    version = impact_fingerprint()

    def build() -> dict[str, Any]:
        base = _cached("base", version, _with_regions)
        partnerships = _cached("partnerships", version, _partnership_rows)
        figures = _compute(filters, base, partnerships)
        figures["countries"] = base["countries"]
        figures["country_names"] = base["country_names"]
        return figures

    return _cached(f"figures:{filters.key()}", version, build)


def _with_regions() -> dict[str, Any]:
    base = _base_rows()
    base["regions_of"] = dict(Country.objects.values_list("code", "region"))
    return base


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
    return timezone.localdate().year


def reporting_years(today: datetime.date | None = None) -> list[int]:
    """Years an annual report may be asked for: from 2000 to this year."""
    year = (today or timezone.localdate()).year
    return list(range(year, 1999, -1))
