"""Reads that assemble several models for one page or export: a round's ranking (raw mean,
weighted total and the per-judge normalised score side by side, ties flagged) and its
progress per group and per judge. Both cost a fixed number of queries, whatever the round's
size.

The numbers are aggregated in SQL (one row per submitted review: its weighted total, score
sum and count; counts per group and per judge), folded into compact tuples in one pass, and
cached under the round's `results_token` (a new random value from every service that changes
what they count) plus a one-query fingerprint of the rubric. Model instances are never cached:
codes, titles and decisions are read fresh, for the rows shown only."""

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.db.models.functions import Round as SqlRound

from twinning.review.models import Assignment, Decision, ReviewItem, Round

TIE_PRECISION = 9  # normalised scores equal to 1e-9 are a tie
CACHE_SECONDS = 3600
CENT = Decimal("0.01")

# One ranked row as cached: (item id, group, reviews, raw mean, weighted total, normalised,
# rank, tie). Items without submitted reviews: (id, group, 0, None, None, None, None, False).
Row = tuple[int, str, int, Decimal | None, Decimal | None, float | None, int | None, bool]


@dataclass
class RankedItem:
    item: ReviewItem
    group: str
    reviews: int  # submitted reviews
    raw_mean: Decimal | None  # mean of every criterion score given to the item
    weighted_total: Decimal | None  # mean over judges of sum(weight x score)
    normalised: float | None  # mean over judges of the z-score of their weighted total
    rank: int | None = None
    tie: bool = False
    decision: Decision | None = None


@dataclass
class GroupProgress:
    group: str
    items: int
    reviews_due: int
    submitted: int
    short: int  # items with fewer live assignments than the round asks

    @property
    def percent(self) -> int:
        return math.floor(100 * self.submitted / self.reviews_due) if self.reviews_due else 0


# --- Cache ----------------------------------------------------------------------------------


def round_version(round: Round) -> str:
    """The cache key part for the round's current state: its `results_token` (read fresh, so a
    stale Round instance still finds the current state), the reviews asked per item and the
    rubric (count, weights, range - the criteria are few), in one query."""
    row = (
        Round.objects.filter(pk=round.pk)
        .annotate(n=Count("criteria"), w=Sum("criteria__weight"), m=Max("criteria__max_score"))
        .values_list("results_token", "reviews_per_item", "n", "w", "m")
        .first()
    )
    return "-".join(str(part) for part in row or ("gone",))


def _cached(key: str, compute: Any) -> Any:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- Ranking --------------------------------------------------------------------------------


# Scores have 2 decimal places and weights 2: sums are exact as integers of 1/100 (scores) and
# 1/10,000 (weight x score). Integers come back from the database without a Decimal
# conversion per value, and float(units / 10,000) is the same float as float(Decimal total).
SCORE_UNITS, WEIGHTED_UNITS = 100, 10_000


def _units(total: Any, scale: int) -> Cast:
    return Cast(SqlRound(total * Value(scale)), BigIntegerField())


def judge_totals(round: Round) -> list[tuple[int, int, int, int, int]]:
    """One tuple per submitted assignment, aggregated in SQL: (reviewer id, item id, weighted
    total sum(weight x score) in 1/10,000, score sum in 1/100, score count)."""
    weighted = ExpressionWrapper(
        F("scores__value") * F("scores__criterion__weight"),
        output_field=DecimalField(max_digits=14, decimal_places=4),
    )
    rows = (
        Assignment.objects.submitted()
        .filter(item__round=round)
        .values_list("reviewer_id", "item_id")
        .annotate(
            weighted=_units(
                Sum(weighted, output_field=DecimalField(max_digits=14, decimal_places=4)),
                WEIGHTED_UNITS,
            ),
            raw_sum=_units(Sum("scores__value"), SCORE_UNITS),
            count=Count("scores"),
        )
        .order_by()
    )
    # Plain integers need none of the ORM's per-value converters (30,000 rows x 3 values).
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def judge_stats(totals: Sequence[tuple[int, int, int, int, int]]) -> dict[int, tuple[float, float]]:
    """Reviewer id -> (mean, population standard deviation) of their weighted totals; std 0
    when a judge has one total or all equal (their z-scores are then 0)."""
    by_judge: dict[int, list[float]] = defaultdict(list)
    for reviewer_id, _item, weighted, _raw, _n in totals:
        by_judge[reviewer_id].append((weighted or 0) / WEIGHTED_UNITS)
    stats = {}
    for reviewer_id, values in by_judge.items():
        mean = math.fsum(values) / len(values)
        std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        stats[reviewer_id] = (mean, 0.0 if len(values) < 2 or std < 1e-12 else std)
    return stats


def _table(round: Round) -> list[Row]:
    """The whole ranking as compact tuples, in order: by group, then best first."""
    totals = judge_totals(round)
    stats = judge_stats(totals)
    reviews: dict[int, int] = defaultdict(int)
    raw_units: dict[int, int] = defaultdict(int)
    weighted_units: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    zs: dict[int, list[float]] = defaultdict(list)
    for reviewer_id, item_id, weighted, raw, count in totals:
        mean, std = stats[reviewer_id]
        zs[item_id].append(((weighted or 0) / WEIGHTED_UNITS - mean) / std if std else 0.0)
        reviews[item_id] += 1
        raw_units[item_id] += raw or 0
        weighted_units[item_id] += weighted or 0
        counts[item_id] += count
    rows: list[list] = []
    for item_id, group, code in ReviewItem.objects.filter(round=round).values_list(
        "pk", "group", "code"
    ):
        n = reviews.get(item_id)
        if not n:
            rows.append([item_id, group, 0, None, None, None, code])
            continue
        count = counts[item_id]
        rows.append(
            [
                item_id,
                group,
                n,
                (Decimal(raw_units[item_id]).scaleb(-2) / count).quantize(CENT) if count else None,
                (Decimal(weighted_units[item_id]).scaleb(-4) / n).quantize(CENT),
                math.fsum(zs[item_id]) / n,
                code,
            ]
        )
    rows.sort(key=lambda r: (r[1], r[5] is None, -(r[5] or 0.0), -(r[4] or 0), -(r[3] or 0), r[6]))
    return _with_ranks(rows)


def _with_ranks(rows: list[list]) -> list[Row]:
    """Competition ranks (1, 2, 2, 4) per group over the scored rows, ties flagged."""
    counts: dict[tuple[str, float], int] = defaultdict(int)
    for r in rows:
        if r[5] is not None:
            counts[(r[1], round(r[5], TIE_PRECISION))] += 1
    result: list[Row] = []
    group, position, rank, previous = None, 0, 0, None
    for item_id, g, reviews, raw, weighted, normalised, _code in rows:
        if g != group:
            group, position, rank, previous = g, 0, 0, None
        if normalised is None:
            result.append((item_id, g, reviews, raw, weighted, None, None, False))
            continue
        position += 1
        key = round(normalised, TIE_PRECISION)
        if key != previous:
            rank, previous = position, key
        result.append((item_id, g, reviews, raw, weighted, normalised, rank, counts[(g, key)] > 1))
    return result


def _summary(table: list[Row]) -> dict[str, Any]:
    """Where each group's rows start and end in the table (it is sorted by group)."""
    bounds: dict[str, list[int]] = {}
    for index, row in enumerate(table):
        bounds.setdefault(row[1], [index, index])[1] = index + 1
    return {"groups": sorted(bounds), "bounds": {g: tuple(b) for g, b in bounds.items()}}


class RankingView:
    """The round's ranking at its current state, from the cache: the group names and each
    group's row count come from a small summary, the rows of a slice from the table."""

    def __init__(self, round: Round) -> None:
        self.round = round
        self.prefix = f"review:{round.pk}:{round_version(round)}"
        self._table: list[Row] | None = None
        self.summary = _cached(f"{self.prefix}:summary", lambda: _summary(self.table()))

    def table(self) -> list[Row]:
        if self._table is None:
            self._table = _cached(f"{self.prefix}:table", lambda: _table(self.round))
        return self._table

    @property
    def groups(self) -> list[str]:
        return self.summary["groups"]

    def span(self, group: str | None) -> tuple[int, int]:
        if group is None:
            bounds = self.summary["bounds"].values()
            return (0, max((b[1] for b in bounds), default=0))
        return self.summary["bounds"].get(group, (0, 0))

    def rows(self, group: str | None, start: int, stop: int) -> list[Row]:
        """Rows start:stop of the group (or of all groups), cached per slice: a page costs one
        small cache read once its slice has been seen."""
        low, high = self.span(group)
        start, stop = min(low + start, high), min(low + stop, high)
        return _cached(f"{self.prefix}:rows:{start}:{stop}", lambda: self.table()[start:stop])


def hydrate(round: Round, rows: Sequence[Row], *, full_items: bool = False) -> list[RankedItem]:
    """RankedItems for these rows, with their items and current decisions (two queries)."""
    ids = [row[0] for row in rows]
    fields = ["pk", "code", "title", "group", "round_id", "forwarded_from_id"]
    if full_items:
        fields += ["content_type_id", "object_id"]
    items = ReviewItem.objects.filter(round=round).only(*fields)
    if len(ids) <= 500:
        items = items.filter(pk__in=ids)
    by_pk = {item.pk: item for item in items}
    decisions: dict[int, Decision] = {}
    found = Decision.objects.filter(item__round=round)
    if len(ids) <= 500:
        found = found.filter(item_id__in=ids)
    for decision in found.order_by("item_id", "-decided_at", "-pk"):
        decisions.setdefault(decision.item_id, decision)
    return [
        RankedItem(
            item=by_pk[item_id],
            group=group,
            reviews=reviews,
            raw_mean=raw,
            weighted_total=weighted,
            normalised=normalised,
            rank=rank,
            tie=tie,
            decision=decisions.get(item_id),
        )
        for item_id, group, reviews, raw, weighted, normalised, rank, tie in rows
        if item_id in by_pk  # an item deleted since the table was cached
    ]


class RankingPageRows(Sequence):
    """One group's ranking (or all groups') as a sequence for Django's Paginator: its length
    from the cached summary; a slice is read from the cache and hydrated, so a page of 100
    rows costs the same whatever the round's size."""

    def __init__(self, view: RankingView, group: str | None) -> None:
        self.view, self.group = view, group

    def __len__(self) -> int:
        low, high = self.view.span(self.group)
        return high - low

    @overload
    def __getitem__(self, index: int) -> RankedItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[RankedItem]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        return hydrate(self.view.round, self.view.rows(self.group, start, stop))

    def __iter__(self) -> Iterator[RankedItem]:
        return iter(self[:])


def ranking(round: Round, group: str | None = None) -> list[RankedItem]:
    """The round's items by group, best first by normalised score, with competition ranks
    (1, 2, 2, 4) and ties flagged; items without submitted reviews come last, unranked.
    Computed once per state of the round; the items and decisions are read fresh (with the
    fields a forward needs)."""
    view = RankingView(round)
    low, high = view.span(group)
    return hydrate(round, view.table()[low:high], full_items=True)


# --- Progress -------------------------------------------------------------------------------


def _progress(round: Round) -> dict[str, Any]:
    """Counts per group and per judge, all aggregated in SQL (three small result sets)."""
    live = Q(revoked_at__isnull=True)
    done = live & Q(submitted_at__isnull=False)
    complete = (  # items that have their k live reviews
        Assignment.objects.live()
        .filter(item__round=round)
        .values("item_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=round.reviews_per_item)
        .values("item_id")
    )
    groups = {
        group: GroupProgress(group, items, 0, 0, items - full)
        for group, items, full in ReviewItem.objects.filter(round=round)
        .values_list("group")
        .annotate(items=Count("pk"), full=Count("pk", filter=Q(pk__in=complete)))
        .order_by()
    }
    for group, due, submitted in (
        Assignment.objects.filter(item__round=round)
        .values_list("item__group")
        .annotate(due=Count("pk", filter=live), done=Count("pk", filter=done))
        .order_by()
    ):
        groups[group].reviews_due, groups[group].submitted = due, submitted
    judges = {
        reviewer_id: (due, submitted)
        for reviewer_id, due, submitted in Assignment.objects.filter(reviewer__round=round)
        .values_list("reviewer_id")
        .annotate(due=Count("pk", filter=live), done=Count("pk", filter=done))
        .order_by()
    }
    return {"groups": [groups[name] for name in sorted(groups)], "judges": judges}


def _progress_cached(round: Round) -> dict[str, Any]:
    key = f"review:{round.pk}:{round_version(round)}:progress"
    return _cached(key, lambda: _progress(round))


def progress(round: Round) -> list[GroupProgress]:
    """Per group: items, live reviews due, reviews submitted, items short of reviews."""
    return _progress_cached(round)["groups"]


def progress_with_judges(round: Round) -> tuple[list[GroupProgress], dict[int, tuple[int, int]]]:
    """The progress per group, and per reviewer id: (live reviews due, submitted)."""
    data = _progress_cached(round)
    return data["groups"], data["judges"]


@dataclass
class QueueRound:
    pk: int
    name: str
    state: str
    opens_at: Any
    closes_at: Any


@dataclass
class QueueItem:
    code: str
    title: str
    group: str


@dataclass
class QueueAssignment:
    pk: int
    submitted_at: Any
    version: int
    item: QueueItem


def judge_queue(user: Any) -> list[dict[str, Any]]:
    """A judge's open rounds, each with its assignments (code, title, state) and progress.
    Plain rows, not model instances: a judge of a large round has hundreds."""
    rows = (
        Assignment.objects.for_judge(user)
        .filter(item__round__state=Round.State.OPEN)
        # What is still to do first, on every database (PostgreSQL sorts NULLs last).
        .order_by(
            "item__round__closes_at",
            "item__round_id",
            F("submitted_at").asc(nulls_first=True),
            "item__code",
        )
        .values_list(
            "pk",
            "submitted_at",
            "version",
            "item__code",
            "item__title",
            "item__group",
            "item__round_id",
            "item__round__name",
            "item__round__state",
            "item__round__opens_at",
            "item__round__closes_at",
        )
    )
    rounds: dict[int, dict[str, Any]] = {}
    for pk, submitted_at, version, code, title, group, round_id, *round_fields in rows:
        entry = rounds.get(round_id)
        if entry is None:
            entry = rounds[round_id] = {
                "round": QueueRound(round_id, *round_fields),
                "assignments": [],
                "submitted": 0,
                "started": 0,
            }
        entry["assignments"].append(
            QueueAssignment(pk, submitted_at, version, QueueItem(code, title, group))
        )
        entry["submitted"] += submitted_at is not None
        # A saved draft bumps the version; revoked assignments are not listed here.
        entry["started"] += submitted_at is None and version > 0
    for entry in rounds.values():
        total = len(entry["assignments"])
        entry["total"] = total
        entry["percent"] = math.floor(100 * entry["submitted"] / total) if total else 0
    return list(rounds.values())
