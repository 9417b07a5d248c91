"""The funding proposal (twinning/grants/funding.py), property-tested: it never exceeds the
budget, and no fitting set reached from it by swapping one application (or adding one) is
better in rank order (the best-ranked application in one set and not the other decides)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.grants.funding import Candidate, propose_funding, rank_key

amounts = st.lists(
    st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False),
    min_size=0,
    max_size=25,
)
budgets = st.decimals(
    min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False
)


def _propose(values, budget):
    candidates = [Candidate(i, v) for i, v in enumerate(values)]
    placed = propose_funding(candidates, budget)
    return {p.candidate.key for p in placed if p.funded}, placed


@settings(max_examples=300, deadline=None)
@given(amounts, budgets)
def test_the_proposal_never_exceeds_the_budget(values, budget):
    funded, placed = _propose(values, budget)

    assert sum((values[i] for i in funded), Decimal(0)) <= budget
    assert all(p.running_total <= budget for p in placed)


@settings(max_examples=300, deadline=None)
@given(amounts, budgets)
def test_no_single_swap_or_addition_gives_a_better_fitting_set_in_rank_order(values, budget):
    funded, _placed = _propose(values, budget)
    size = len(values)
    best = rank_key(funded, size)
    out = [i for i in range(size) if i not in funded]

    for add in out:
        for alternative in [funded | {add}, *({*(funded - {drop}), add} for drop in funded)]:
            fits = sum((values[i] for i in alternative), Decimal(0)) <= budget
            assert not (fits and rank_key(alternative, size) > best)


@settings(max_examples=200, deadline=None)
@given(amounts, budgets)
def test_every_application_that_falls_out_says_why(values, budget):
    _funded, placed = _propose(values, budget)

    for p in placed:
        assert p.funded or (p.reason and p.candidate.amount > p.left)


def test_a_cheaper_lower_ranked_application_still_fits_after_one_that_does_not():
    placed = propose_funding(
        [Candidate("a", Decimal(60)), Candidate("b", Decimal(50)), Candidate("c", Decimal(40))],
        Decimal(100),
    )

    assert [(p.candidate.key, p.funded, p.running_total) for p in placed] == [
        ("a", True, Decimal(60)),
        ("b", False, Decimal(60)),
        ("c", True, Decimal(100)),
    ]
    assert placed[1].reason == "asks 50, only 40 left"
