"""The funding proposal: which applications, taken best-ranked first, fit the budget.

A pure function over plain values (no database), so it is property-tested (tests/grants/
test_funding_properties.py) and benchmarked on its own."""

from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _


# Immutable named tuples rather than frozen dataclasses: the proposal walks every ranked
# application on each view of the funding table, and a frozen dataclass costs several times
# more to build.
class Candidate(NamedTuple):
    key: Hashable
    amount: Decimal  # what it asks, >= 0


class Placed(NamedTuple):
    candidate: Candidate
    funded: bool
    running_total: Decimal  # the proposal's total after this candidate
    left: Decimal  # budget left after this candidate
    reason: str  # why it falls out ("" when funded)


def propose_funding(candidates: Sequence[Candidate], budget: Decimal) -> list[Placed]:
    """Walk the candidates in the order given (best rank first) and fund each one that still
    fits what is left of `budget`; one that does not fit falls out, with the reason, and the
    walk goes on (a cheaper, lower-ranked one may still fit).

    Guarantees (checked by property tests):

    - the funded total never exceeds `budget`;
    - the funded set is the best in *rank order*: compare two sets by the best-ranked
      candidate that is in one and not the other; the set holding it is better (the order of
      sets by their sorted rank positions, lexicographically). No set that fits the budget is
      better, and in particular none reached from the proposal by one swap (take out one
      funded candidate, put in one that fell out) or by one addition. Greedy achieves this
      because it funds position i exactly when the better-ranked choices already made leave
      room for it, which is what the lexicographically best fitting set must do.
    """
    placed = []
    total = Decimal(0)
    falls_out = _("asks %(amount)s, only %(left)s left")  # translated once, not per candidate
    for candidate in candidates:
        left = budget - total
        if candidate.amount <= left:
            total += candidate.amount
            placed.append(Placed(candidate, True, total, budget - total, ""))
        else:
            reason = falls_out % {"amount": candidate.amount, "left": left}
            placed.append(Placed(candidate, False, total, left, reason))
    return placed


def rank_key(funded: set[int], size: int) -> tuple[bool, ...]:
    """A set of positions as the tuple compared in rank order (True sorts after False, so a
    greater tuple is the better set)."""
    return tuple(position in funded for position in range(size))
