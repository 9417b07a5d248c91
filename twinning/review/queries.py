"""Reads that assemble several models for one page or export: a round's ranking (raw mean,
weighted total and the per-judge normalised score side by side, ties flagged) and its
progress per group. Both cost a fixed number of queries, whatever the round's size."""

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Sum

from twinning.review.models import Assignment, Decision, ReviewItem, Round

TIE_PRECISION = 9  # normalised scores equal to 1e-9 are a tie
CACHE_SECONDS = 3600


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


def judge_totals(round: Round) -> list[dict[str, Any]]:
    """One row per submitted assignment: reviewer, item, weighted total, score sum and count."""
    weighted = ExpressionWrapper(
        F("scores__value") * F("scores__criterion__weight"),
        output_field=DecimalField(max_digits=14, decimal_places=4),
    )
    return list(
        Assignment.objects.submitted()
        .filter(item__round=round)
        .values("pk", "reviewer_id", "item_id")
        .annotate(
            weighted=Sum(weighted, output_field=DecimalField(max_digits=14, decimal_places=4)),
            raw_sum=Sum("scores__value"),
            count=Count("scores"),
        )
        .order_by()
    )


def z_scores(rows: list[dict[str, Any]]) -> dict[int, float]:
    """Assignment id -> z-score of its weighted total among its judge's submitted totals in
    the round. A judge with one score, or all scores equal, gives z = 0."""
    by_judge: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        by_judge[row["reviewer_id"]].append((row["pk"], float(row["weighted"] or 0)))
    result: dict[int, float] = {}
    for totals in by_judge.values():
        values = [v for _pk, v in totals]
        mean = math.fsum(values) / len(values)
        std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        for pk, value in totals:
            result[pk] = 0.0 if len(values) < 2 or std < 1e-12 else (value - mean) / std
    return result


def round_version(round: Round) -> str:
    """A fingerprint of everything the ranking and the progress depend on (items, every
    assignment's version - bumped by each save, submission and revocation - decisions and the
    rubric), from four small aggregates: a change shows on the next request, no invalidation."""
    parts = [
        ReviewItem.objects.filter(round=round).aggregate(n=Count("pk"), u=Max("updated_at")),
        Assignment.objects.filter(item__round=round).aggregate(
            n=Count("pk"), v=Sum("version"), s=Count("submitted_at"), r=Count("revoked_at")
        ),
        Decision.objects.filter(item__round=round).aggregate(n=Count("pk"), m=Max("pk")),
        round.criteria.aggregate(n=Count("pk"), w=Sum("weight"), m=Max("max_score")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _cached(round: Round, name: str, compute: Any) -> Any:
    key = f"review:{name}:{round.pk}:{round_version(round)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def ranking(round: Round, group: str | None = None) -> list[RankedItem]:
    """The round's items by group, best first by normalised score, with competition ranks
    (1, 2, 2, 4) and ties flagged; items without submitted reviews come last, unranked.
    Computed once per state of the round (cached under `round_version`)."""
    rows = _cached(round, "ranking", lambda: _ranking(round))
    return rows if group is None else [r for r in rows if r.group == group]


def _ranking(round: Round) -> list[RankedItem]:
    rows = judge_totals(round)
    z = z_scores(rows)
    per_item: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        per_item[row["item_id"]].append(row)
    items = ReviewItem.objects.filter(round=round).only(
        "pk", "code", "title", "group", "round_id", "forwarded_from_id"
    )
    decisions: dict[int, Decision] = {}
    for decision in Decision.objects.filter(item__round=round).order_by(
        "item_id", "-decided_at", "-pk"
    ):
        decisions.setdefault(decision.item_id, decision)
    ranked = [_ranked(item, per_item.get(item.pk, []), z, decisions) for item in items]
    ranked.sort(
        key=lambda r: (
            r.group,
            r.normalised is None,
            -(r.normalised or 0.0),
            -(r.weighted_total or 0),
            -(r.raw_mean or 0),
            r.item.code,
        )
    )
    _mark_ranks(ranked)
    return ranked


def _ranked(
    item: ReviewItem, rows: list[dict[str, Any]], z: dict[int, float], decisions: dict
) -> RankedItem:
    if not rows:
        return RankedItem(item, item.group, 0, None, None, None, decision=decisions.get(item.pk))
    count = sum(r["count"] for r in rows)
    raw_sum = sum((r["raw_sum"] or Decimal(0)) for r in rows)
    weighted = sum((r["weighted"] or Decimal(0)) for r in rows)
    return RankedItem(
        item=item,
        group=item.group,
        reviews=len(rows),
        raw_mean=(Decimal(raw_sum) / count).quantize(Decimal("0.01")) if count else None,
        weighted_total=(Decimal(weighted) / len(rows)).quantize(Decimal("0.01")),
        normalised=math.fsum(z[r["pk"]] for r in rows) / len(rows),
        decision=decisions.get(item.pk),
    )


def _mark_ranks(ranked: list[RankedItem]) -> None:
    by_group: dict[str, list[RankedItem]] = defaultdict(list)
    for row in ranked:
        by_group[row.group].append(row)
    for rows in by_group.values():
        scored = [r for r in rows if r.normalised is not None]
        counts: dict[float, int] = defaultdict(int)
        for r in scored:
            counts[round(r.normalised, TIE_PRECISION)] += 1  # type: ignore[arg-type]
        previous, rank = None, 0
        for position, r in enumerate(scored, start=1):
            key = round(r.normalised, TIE_PRECISION)  # type: ignore[arg-type]
            if key != previous:
                rank, previous = position, key
            r.rank = rank
            r.tie = counts[key] > 1


def progress(round: Round) -> list[GroupProgress]:
    """Per group: items, live reviews due, reviews submitted, items short of reviews."""
    return _cached(round, "progress", lambda: _progress(round))


def _progress(round: Round) -> list[GroupProgress]:
    live = Q(assignments__revoked_at__isnull=True)
    per_item = (
        ReviewItem.objects.filter(round=round)
        .values("pk", "group")
        .annotate(
            due=Count("assignments", filter=live),
            done=Count("assignments", filter=live & Q(assignments__submitted_at__isnull=False)),
        )
        .order_by()
    )
    groups: dict[str, GroupProgress] = {}
    for row in per_item:
        entry = groups.setdefault(row["group"], GroupProgress(row["group"], 0, 0, 0, 0))
        entry.items += 1
        entry.reviews_due += row["due"]
        entry.submitted += row["done"]
        entry.short += row["due"] < round.reviews_per_item
    return [groups[name] for name in sorted(groups)]


def judge_queue(user: Any) -> list[dict[str, Any]]:
    """A judge's open rounds, each with its assignments (code, title, state) and progress."""
    assignments = (
        Assignment.objects.for_judge(user)
        .filter(item__round__state=Round.State.OPEN)
        .select_related("item__round")
        .only(
            "pk",
            "submitted_at",
            "version",
            "item__code",
            "item__title",
            "item__group",
            "item__round__name",
            "item__round__closes_at",
            "item__round__state",
            "item__round__opens_at",
        )
        .order_by("item__round__closes_at", "item__round_id", "submitted_at", "item__code")
    )
    rounds: dict[int, dict[str, Any]] = {}
    for assignment in assignments:
        round = assignment.item.round
        entry = rounds.setdefault(
            round.pk, {"round": round, "assignments": [], "submitted": 0, "started": 0}
        )
        entry["assignments"].append(assignment)
        entry["submitted"] += assignment.submitted_at is not None
        # A saved draft bumps the version; revoked assignments are not listed here.
        entry["started"] += assignment.submitted_at is None and assignment.version > 0
    for entry in rounds.values():
        total = len(entry["assignments"])
        entry["total"] = total
        entry["percent"] = math.floor(100 * entry["submitted"] / total) if total else 0
    return list(rounds.values())
