"""Reciprocity (issue 10 section 3): how many students each community of a partnership sent
and hosted, per season year, for the public pages (counts only, never a name).

Each `Quota` is (season, hosting committee, partnership): its students are hosted by the
host's community and sent by the partnership's other community. A student counts once they
actually went: placed or any later step (`WENT`: placed, visa issued, arrived, completed,
returned early; a student who came home early did go). Nominated, accepted and declined
students never count.

A season's figures come from exactly one source, so nothing is counted twice: from its
students while its personal data exists, from `ReciprocityFigure` rows once retention has
deleted it (`Season.retention_done_at` set; the rows are written in the same transaction as
the deletion, `services.retention._freeze_figures`)."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear

from twinning.exchanges.models import ReciprocityFigure, Season, Student

WENT = (
    Student.Status.PLACED,
    Student.Status.VISA_ISSUED,
    Student.Status.ARRIVED,
    Student.Status.COMPLETED,
    Student.Status.RETURNED_EARLY,
)


@dataclass(frozen=True)
class Flow:
    """Students one community sent another through a partnership in a season."""

    season_id: int
    partnership_id: int
    year: int
    sending_id: int
    sending_name: str
    hosting_id: int
    hosting_name: str
    students: int


def student_flows(
    *, seasons: Iterable[Season] | None = None, partnership_ids: Iterable[int] | None = None
) -> list[Flow]:
    """The flows counted from the students themselves (one query), for seasons whose personal
    data still exists (or the `seasons` given)."""
    from twinning.network.models import Member

    host_is_a = Member.communities.through.objects.filter(
        member_id=OuterRef("quota__host_id"),
        community_id=OuterRef("quota__partnership__community_a_id"),
    )
    found = Student.objects.filter(status__in=WENT)
    if seasons is None:
        found = found.filter(season__retention_done_at__isnull=True)
    else:
        found = found.filter(season__in=list(seasons))
    if partnership_ids is not None:
        found = found.filter(quota__partnership_id__in=list(partnership_ids))
    rows = (
        found.annotate(host_is_a=Exists(host_is_a))
        .values(
            "season_id",
            "host_is_a",
            partnership_id=F("quota__partnership_id"),
            year=ExtractYear("season__arrival_date"),
            a_id=F("quota__partnership__community_a_id"),
            a_name=F("quota__partnership__community_a__name"),
            b_id=F("quota__partnership__community_b_id"),
            b_name=F("quota__partnership__community_b__name"),
        )
        .annotate(students=Count("pk"))
        .order_by()
    )
    flows = []
    for row in rows:
        host, sender = ("a", "b") if row["host_is_a"] else ("b", "a")
        flows.append(
            Flow(
                season_id=row["season_id"],
                partnership_id=row["partnership_id"],
                year=row["year"],
                sending_id=row[f"{sender}_id"],
                sending_name=row[f"{sender}_name"],
                hosting_id=row[f"{host}_id"],
                hosting_name=row[f"{host}_name"],
                students=row["students"],
            )
        )
    return flows


def kept_flows(*, partnership_ids: Iterable[int] | None = None) -> list[Flow]:
    """The flows kept in `ReciprocityFigure` for seasons whose personal data is deleted (one
    query)."""
    found = ReciprocityFigure.objects.filter(season__retention_done_at__isnull=False)
    if partnership_ids is not None:
        found = found.filter(partnership_id__in=list(partnership_ids))
    rows = found.values(
        "season_id",
        "partnership_id",
        "year",
        "sending_id",
        "hosting_id",
        "students",
        sending_name=F("sending__name"),
        hosting_name=F("hosting__name"),
    )
    return [Flow(**row) for row in rows]


def all_flows(*, partnership_ids: Iterable[int] | None = None) -> list[Flow]:
    """Every season's flows, each season from its one source (two queries)."""
    ids = None if partnership_ids is None else list(partnership_ids)
    return student_flows(partnership_ids=ids) + kept_flows(partnership_ids=ids)


# --- For the pages -------------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    first_sent: int = 0  # sent by the first community, hosted by the second
    second_sent: int = 0

    @property
    def total(self) -> int:
        return self.first_sent + self.second_sent


@dataclass
class PartnershipReciprocity:
    """One partnership's exchange, seen from `first` (the page's community)."""

    partnership_id: int
    first: str
    second: str
    years: list[YearRow] = field(default_factory=list)

    @property
    def first_sent(self) -> int:
        return sum(row.first_sent for row in self.years)

    @property
    def second_sent(self) -> int:
        return sum(row.second_sent for row in self.years)


def partnership_reciprocity(
    partnerships: Iterable[Any], *, first_community_ids: Collection[int] = ()
) -> list[PartnershipReciprocity]:
    """The exchange of each partnership that has one (a partnership without any student who
    went is left out), year by year, seen from its side in `first_community_ids` (the page's
    communities; community A's by default). Two queries whatever the number of
    partnerships."""
    by_pk = {p.pk: p for p in partnerships}
    if not by_pk:
        return []

    def first_of(partnership: Any) -> Any:
        b = partnership.community_b
        return b if b.pk in first_community_ids else partnership.community_a

    firsts = {pk: first_of(p) for pk, p in by_pk.items()}
    years: dict[int, dict[int, YearRow]] = defaultdict(dict)
    for flow in all_flows(partnership_ids=by_pk):
        row = years[flow.partnership_id].setdefault(flow.year, YearRow(flow.year))
        if flow.sending_id == firsts[flow.partnership_id].pk:
            row.first_sent += flow.students
        else:
            row.second_sent += flow.students
    result = []
    for pk, partnership in by_pk.items():
        if pk not in years:
            continue
        first = firsts[pk]
        result.append(
            PartnershipReciprocity(
                partnership_id=pk,
                first=first.name,
                second=partnership.partner_of(first).name,
                years=[years[pk][year] for year in sorted(years[pk])],
            )
        )
    return sorted(result, key=lambda r: (r.first, r.second))


def _of_communities(community_ids: Collection[int]) -> list[PartnershipReciprocity]:
    from twinning.network.models import Partnership

    partnerships = Partnership.objects.filter(
        Q(community_a_id__in=community_ids) | Q(community_b_id__in=community_ids)
    ).select_related("community_a", "community_b")
    return partnership_reciprocity(partnerships, first_community_ids=community_ids)


def community_reciprocity(community: Any) -> list[PartnershipReciprocity]:
    """The exchange of each of the community's partnerships, from its side."""
    return _of_communities({community.pk})


def member_reciprocity(member: Any) -> list[PartnershipReciprocity]:
    """The exchange of each partnership of the member's communities, from their side."""
    return _of_communities(set(member.communities.values_list("pk", flat=True)))


@dataclass
class NetworkYear:
    year: int
    students: int
    partnerships: int
    both_ways: int  # partnerships whose students went in both directions that year
    matched: int  # students matched by a student going the other way

    @property
    def balance_percent(self) -> int:
        return round(100 * self.matched / self.students) if self.students else 0


def network_reciprocity() -> list[NetworkYear]:
    """The network's totals by year (two queries): students exchanged, partnerships that
    exchanged, of which both ways, and how balanced the directions were (the share of students
    matched by one going the other way in the same partnership)."""
    directions: dict[int, dict[int, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for flow in all_flows():
        directions[flow.year][flow.partnership_id][flow.sending_id] += flow.students
    result = []
    for year in sorted(directions, reverse=True):
        pairs = directions[year]
        sides = [list(by_side.values()) for by_side in pairs.values()]
        result.append(
            NetworkYear(
                year=year,
                students=sum(sum(counts) for counts in sides),
                partnerships=len(pairs),
                both_ways=sum(1 for counts in sides if len(counts) == 2),
                matched=sum(2 * min(counts) for counts in sides if len(counts) == 2),
            )
        )
    return result
