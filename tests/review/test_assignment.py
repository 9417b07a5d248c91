"""BLIND-4 on the pure assignment core: over thousands of generated scenarios (items,
reviewers, communities, sister cities, declared conflicts) no assignment is ever conflicted,
every item that has k eligible reviewers gets k, and the load spread is at most one whenever
an independent max-flow says such a spread is possible."""

import random
from collections import Counter, defaultdict, deque

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twinning.review.assignment import ItemSpec, ReviewerSpec, is_conflicted, plan_assignments


@st.composite
def scenarios(draw):
    """Few draws per example (a seed and the sizes), the rest from random.Random(seed): fast
    enough for 10,000 scenarios per run."""
    seed = draw(st.integers(0, 2**32))
    communities = draw(st.integers(1, 8))
    n_items = draw(st.integers(0, 25))
    n_reviewers = draw(st.integers(1, 9))
    k = draw(st.integers(1, 4))
    rng = random.Random(seed)
    partners = defaultdict(set)
    for _ in range(rng.randint(0, 6)):
        a, b = rng.randrange(communities), rng.randrange(communities)
        if a != b:
            partners[a].add(b)
            partners[b].add(a)
    items = []
    for i in range(n_items):
        keys = {f"community:{rng.randrange(communities)}"}
        if rng.random() < 0.5:
            keys.add(f"member:{rng.randrange(3)}")
        items.append(ItemSpec(id=i, keys=frozenset(keys)))
    reviewers = []
    for r in range(n_reviewers):
        keys = {f"user:{r}"}
        if rng.random() < 0.8:
            home = rng.randrange(communities)
            keys.add(f"community:{home}")
            keys |= {f"community:{p}" for p in partners[home]}
        if rng.random() < 0.5:
            keys.add(f"member:{rng.randrange(3)}")
        declared = frozenset(
            rng.randrange(n_items) for _ in range(rng.randint(0, 3) if n_items else 0)
        )
        reviewers.append(ReviewerSpec(id=100 + r, keys=frozenset(keys), excluded_items=declared))
    return items, reviewers, k


def _max_flow_feasible(items, reviewers, k, low, high):
    """Independent check: can every item get min(k, eligible) distinct eligible reviewers with
    each reviewer's load in [low, high]? Max flow with lower bounds (Edmonds-Karp)."""
    demand = {}
    for item in items:
        eligible = [r for r in reviewers if not is_conflicted(item, r)]
        demand[item.id] = min(k, len(eligible))
    nodes = ["S", "T", "S*", "T*"] + [("i", i.id) for i in items] + [("r", r.id) for r in reviewers]
    cap = defaultdict(int)
    adj = defaultdict(set)

    def edge(u, v, c):
        cap[(u, v)] += c
        adj[u].add(v)
        adj[v].add(u)

    excess = Counter()
    for item in items:
        # source -> item exactly demand: lower bound = upper bound
        excess[("i", item.id)] += demand[item.id]
        excess["S"] -= demand[item.id]
        for r in reviewers:
            if not is_conflicted(item, r):
                edge(("i", item.id), ("r", r.id), 1)
    for r in reviewers:
        excess["T"] += low
        excess[("r", r.id)] -= low
        edge(("r", r.id), "T", high - low)
    edge("T", "S", 10**9)
    need = 0
    for node, value in excess.items():
        if value > 0:
            edge("S*", node, value)
            need += value
        elif value < 0:
            edge(node, "T*", -value)
    del nodes
    return _max_flow(adj, cap, "S*", "T*") == need


def _max_flow(adj, cap, source, sink):
    flow = 0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v in adj[u]:
                if v not in parent and cap[(u, v)] > 0:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return flow
        path, v = [], sink
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[e] for e in path)
        for u, v in path:
            cap[(u, v)] -= push
            cap[(v, u)] += push
        flow += push


def _check(items, reviewers, k):
    plan = plan_assignments(items, reviewers, k)
    by_id = {r.id: r for r in reviewers}
    per_item = defaultdict(list)
    for item_id, reviewer_id in plan.pairs:
        per_item[item_id].append(reviewer_id)
    return plan, by_id, per_item


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_d4_never_conflicted_and_every_item_with_k_eligible_reviewers_gets_k(scenario):
    items, reviewers, k = scenario

    plan, by_id, per_item = _check(items, reviewers, k)

    assert [(i.id, r) for i in items for r in per_item[i.id] if is_conflicted(i, by_id[r])] == []
    assert all(len(set(rs)) == len(rs) for rs in per_item.values())
    for item in items:
        eligible = sum(not is_conflicted(item, r) for r in reviewers)
        assert len(per_item[item.id]) == min(k, eligible)
        assert plan.short.get(item.id, 0) == k - min(k, eligible)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_d4_load_spread_is_at_most_one_whenever_feasible(scenario):
    items, reviewers, k = scenario

    plan, _by_id, _per_item = _check(items, reviewers, k)

    total = sum(plan.loads.values())
    low = total // len(reviewers)
    if _max_flow_feasible(items, reviewers, k, low, low + 1):
        assert max(plan.loads.values()) - min(plan.loads.values()) <= 1
    assert Counter(r for _i, r in plan.pairs) == Counter({r: n for r, n in plan.loads.items() if n})


def test_d4_existing_assignments_count_towards_k_and_the_load():
    items = [ItemSpec(1), ItemSpec(2)]
    reviewers = [ReviewerSpec(10), ReviewerSpec(11), ReviewerSpec(12)]

    plan = plan_assignments(items, reviewers, 2, existing=[(1, 10), (1, 11)])

    assert sorted(plan.pairs) == [(2, 12), (2, 10)] or sorted(plan.pairs) == [(2, 10), (2, 12)]
    assert plan.loads == {10: 2, 11: 1, 12: 1}


def test_d4_balance_repair_moves_work_along_a_chain():
    # Item 1 can only go to A; items 2-3 can go to A or B; with k=1 greedy may load A with
    # all three; the repair must leave A with 2 and B with 1 at most, never conflicted.
    items = [ItemSpec(1, frozenset({"x"})), ItemSpec(2), ItemSpec(3)]
    reviewers = [ReviewerSpec(10), ReviewerSpec(11, frozenset({"x"}))]

    plan = plan_assignments(items, reviewers, 1)

    assert (1, 10) in plan.pairs
    assert sorted(plan.loads.values()) == [1, 2]
