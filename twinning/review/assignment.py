"""The assignment algorithm as pure Python (no database), so it can be tested on thousands of
generated scenarios (BLIND-4); `services.assign_reviews` feeds it and stores its plan.

Each item needs `k` distinct reviewers none of whom is in conflict with it. Reviewers are
chosen least-loaded first from a heap (items with the fewest eligible reviewers go first); a
repair pass then moves new assignments along alternating paths (reviewer A gives item i to
reviewer B, who gives item j to C...) while some reviewer has at least two more than another
reachable one. When no such path is left the loads minimise the sum of squares, which is the
convex-cost-flow optimality condition: the busiest and least busy reviewers differ by at most
one whenever any conflict-free assignment can achieve it.
"""

import heapq
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemSpec:
    id: int
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReviewerSpec:
    id: int
    keys: frozenset[str] = frozenset()
    # Items this reviewer may not have whatever the keys (declared conflicts, revoked pairs).
    excluded_items: frozenset[int] = frozenset()


@dataclass
class Plan:
    pairs: list[tuple[int, int]]  # new (item id, reviewer id) pairs
    loads: dict[int, int]  # reviewer id -> live assignments after the plan
    short: dict[int, int] = field(default_factory=dict)  # item id -> reviews it still lacks


def eligible_reviewers(
    item: ItemSpec, reviewers: Sequence[ReviewerSpec], by_key: Mapping[str, set[int]]
) -> list[int]:
    conflicted: set[int] = set()
    for key in item.keys:
        conflicted |= by_key.get(key, set())
    return [r.id for r in reviewers if r.id not in conflicted and item.id not in r.excluded_items]


def is_conflicted(item: ItemSpec, reviewer: ReviewerSpec) -> bool:
    return bool(item.keys & reviewer.keys) or item.id in reviewer.excluded_items


def plan_assignments(
    items: Sequence[ItemSpec],
    reviewers: Sequence[ReviewerSpec],
    k: int,
    existing: Iterable[tuple[int, int]] = (),
) -> Plan:
    """Plan new assignments so every item has `k` unconflicted reviewers, loads balanced.

    `existing` are live (item id, reviewer id) pairs that stay as they are and count towards
    both the item's reviews and the reviewer's load. Items with fewer than `k` eligible
    reviewers get as many as they can and are listed in `Plan.short`.
    """
    by_key: dict[str, set[int]] = defaultdict(set)
    for reviewer in reviewers:
        for key in reviewer.keys:
            by_key[key].add(reviewer.id)
    on_item: dict[int, set[int]] = defaultdict(set)
    loads = {r.id: 0 for r in reviewers}
    for item_id, reviewer_id in existing:
        on_item[item_id].add(reviewer_id)
        if reviewer_id in loads:
            loads[reviewer_id] += 1

    eligible: dict[int, set[int]] = {}
    for item in items:
        eligible[item.id] = set(eligible_reviewers(item, reviewers, by_key)) - on_item[item.id]
    # Most constrained first: items with few choices must not find their reviewers full.
    order = sorted(items, key=lambda it: (len(eligible[it.id]), it.id))

    tick = 0
    heap = [(loads[r.id], 0, r.id) for r in reviewers]
    heapq.heapify(heap)
    new_on_item: dict[int, list[int]] = defaultdict(list)
    short: dict[int, int] = {}
    for item in order:
        need = k - len(on_item[item.id])
        if need <= 0:
            continue
        choices = set(eligible[item.id])
        skipped = []
        while need and choices and heap:
            entry = heapq.heappop(heap)
            load, _tick, rid = entry
            if rid not in choices:
                skipped.append(entry)
                continue
            # a reviewer is never taken twice for one item
            choices.discard(rid)
            new_on_item[item.id].append(rid)
            tick += 1
            loads[rid] = load + 1
            skipped.append((load + 1, tick, rid))
            need -= 1
        for entry in skipped:
            heapq.heappush(heap, entry)
        if need:
            short[item.id] = need

    _balance(new_on_item, eligible, loads)
    pairs = [(item_id, rid) for item_id, rids in new_on_item.items() for rid in rids]
    return Plan(pairs=pairs, loads=loads, short=short)


def _balance(
    new_on_item: dict[int, list[int]], eligible: dict[int, set[int]], loads: dict[int, int]
) -> None:
    """Move new assignments along alternating paths while a reviewer has >= 2 more than a
    reviewer it can pass work to (directly or through others). Changes the arguments."""
    if not loads:
        return
    held: dict[int, set[int]] = defaultdict(set)  # reviewer -> items newly assigned to them
    for item_id, rids in new_on_item.items():
        for rid in rids:
            held[rid].add(item_id)
    while max(loads.values()) - min(loads.values()) > 1:
        if not _improve_once(new_on_item, eligible, loads, held):
            return


def _improve_once(
    new_on_item: dict[int, list[int]],
    eligible: dict[int, set[int]],
    loads: dict[int, int],
    held: dict[int, set[int]],
) -> bool:
    """Find and apply one load-reducing path, from the most loaded reviewers down."""
    for level in sorted(set(loads.values()), reverse=True):
        sources = [rid for rid, load in loads.items() if load == level]
        # BFS over reviewers: an edge A -> B (through item i) when A newly holds i, and B is
        # eligible for i and not already on it.
        parent: dict[int, tuple[int, int] | None] = dict.fromkeys(sources)
        queue = deque(sources)
        while queue:
            giver = queue.popleft()
            for item_id in held[giver]:
                taken = new_on_item[item_id]
                for taker in eligible[item_id]:
                    if taker in parent or taker in taken:
                        continue
                    parent[taker] = (giver, item_id)
                    if loads[taker] <= level - 2:
                        _shift(taker, parent, new_on_item, loads, held)
                        return True
                    queue.append(taker)
    return False


def _shift(
    end: int,
    parent: dict[int, tuple[int, int] | None],
    new_on_item: dict[int, list[int]],
    loads: dict[int, int],
    held: dict[int, set[int]],
) -> None:
    taker = end
    loads[end] += 1
    step = parent[taker]
    while step is not None:
        giver, item_id = step
        reviewers = new_on_item[item_id]
        reviewers[reviewers.index(giver)] = taker
        held[giver].discard(item_id)
        held[taker].add(item_id)
        taker = giver
        step = parent[taker]
    loads[taker] -= 1
