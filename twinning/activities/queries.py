"""Reads that assemble activities with the registry: a member's partnerships to report on,
the last reported activity per partnership (the members' dashboard shows it), the dormant
partnerships for staff, and the staff list's filters."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import QueryDict
from django.utils.translation import gettext as _

from twinning.activities.models import Activity, Kind, Sector
from twinning.network.models import Member, Partnership, Region


def member_partnerships(member: Member) -> QuerySet[Partnership]:
    """The partnerships one of the member's communities is a side of: the only ones its
    reports may name (ACC-3)."""
    ids = member.communities.values("pk")
    return Partnership.objects.filter(Q(community_a__in=ids) | Q(community_b__in=ids))


def member_partnership_choices(member: Member) -> QuerySet[Partnership]:
    return (
        member_partnerships(member)
        .select_related("community_a__country", "community_b__country")
        .order_by("community_a__name", "community_b__name", "pk")
    )


@dataclass(frozen=True)
class LastActivity:
    """The most recent reported activity of a partnership."""

    activity_id: int
    title: str
    kind: str
    kind_label: str
    start_date: datetime.date
    end_date: datetime.date
    state: str
    state_label: str


def last_activity_by_partnership(partnership_ids: Any) -> dict[int, LastActivity]:
    """For each partnership id, its latest reported activity (submitted, sent back for
    changes or verified; drafts do not count), by end date. Partnerships without one are
    absent from the result. One query whatever the number of ids."""
    ids = [int(pk) for pk in partnership_ids]
    if not ids:
        return {}
    through = Activity.partnerships.through
    rows = (
        through.objects.filter(partnership_id__in=ids)
        .exclude(activity__state=Activity.State.DRAFT)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("partnership_id")],
                order_by=[F("activity__end_date").desc(), F("activity_id").desc()],
            )
        )
        .filter(rank=1)
        .values_list(
            "partnership_id",
            "activity_id",
            "activity__title",
            "activity__kind",
            "activity__start_date",
            "activity__end_date",
            "activity__state",
        )
    )
    kinds = dict(Kind.choices)
    states = dict(Activity.State.choices)
    return {
        partnership_id: LastActivity(
            activity_id=activity_id,
            title=title,
            kind=kind,
            kind_label=str(kinds.get(kind, kind)),
            start_date=start,
            end_date=end,
            state=state,
            state_label=str(states.get(state, state)),
        )
        for partnership_id, activity_id, title, kind, start, end, state in rows
    }


def _last_reported_end() -> Subquery:
    through = Activity.partnerships.through
    latest = (
        through.objects.filter(partnership_id=OuterRef("pk"))
        .exclude(activity__state=Activity.State.DRAFT)
        .order_by("-activity__end_date")
        .values("activity__end_date")[:1]
    )
    return Subquery(latest, output_field=DateField())


DORMANT_YEARS_DEFAULT = 2


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def dormant_partnerships(*, years: int, today: datetime.date) -> QuerySet[Partnership]:
    """Current partnerships of the members' communities that are dormant by status, or that
    no reported activity has touched in `years` years (or ever). Each carries
    `last_activity_end` (None when nothing was ever reported). Partnerships of communities
    without a member are left out: no one reports on them."""
    cutoff = years_before(today, years)
    member_communities = Member.objects.values("communities")
    return (
        Partnership.objects.current()
        .filter(Q(community_a__in=member_communities) | Q(community_b__in=member_communities))
        .annotate(last_activity_end=_last_reported_end())
        .filter(
            Q(status=Partnership.Status.DORMANT)
            | Q(last_activity_end__isnull=True)
            | Q(last_activity_end__lt=cutoff)
        )
        .select_related("community_a__country", "community_b__country")
        .order_by(F("last_activity_end").asc(nulls_first=True), "community_a__name", "pk")
    )


@dataclass(frozen=True)
class ActivityFilters:
    """The staff list's filters, parsed from a query string; unknown values are dropped."""

    state: str = ""
    sector: str = ""
    kind: str = ""
    year: int | None = None
    region: str = ""
    country: str = ""
    q: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, params: QueryDict) -> "ActivityFilters":
        state = params.get("state", "").strip()
        sector = params.get("sector", "").strip()
        kind = params.get("kind", "").strip()
        region = params.get("region", "").strip()
        country = params.get("country", "").strip().upper()[:2]
        year_text = params.get("year", "").strip()
        errors = {}
        year = None
        if year_text:
            if year_text.isdigit() and 1900 <= int(year_text) <= 2200:
                year = int(year_text)
            else:
                errors["year"] = _("Give the year as four digits, e.g. 2025.")
        return cls(
            state=state if state in Activity.State.values else "",
            sector=sector if sector in Sector.values else "",
            kind=kind if kind in Kind.values else "",
            year=year,
            region=region if region in Region.values else "",
            country=country if country.isalpha() else "",
            q=params.get("q", "").strip()[:100],
            errors=errors,
        )

    def apply(self, queryset: QuerySet[Activity]) -> QuerySet[Activity]:
        if self.state:
            queryset = queryset.filter(state=self.state)
        if self.sector:
            queryset = queryset.filter(sector=self.sector)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.year:
            queryset = queryset.filter(start_date__year=self.year)
        if self.q:
            queryset = queryset.filter(
                Q(title__icontains=self.q) | Q(member__name__icontains=self.q)
            )
        for path, value in (("country_id", self.country), ("country__region", self.region)):
            if not value:
                continue
            place = Q(**{f"community_a__{path}": value}) | Q(**{f"community_b__{path}": value})
            queryset = queryset.filter(
                Q(
                    pk__in=Activity.partnerships.through.objects.filter(
                        partnership__in=Partnership.objects.filter(place)
                    ).values("activity_id")
                )
                | Q(**{f"community__{path}": value})
                | Q(**{f"counterpart__{path}": value})
            )
            break  # the country, else the region
        return queryset
