"""Suggestions of partners, scored in memory over the whole registry (pure functions: no
query here; `queries.registry_snapshot()` loads what they need in a fixed number of queries).

Each suggestion keeps its reasons, the points each one gave, so a committee reads why a
community ranks where it does. The points:

| reason | points |
| --- | --- |
| in a preferred country (or, failing that, a preferred world region) | +30 (+20) |
| population within the wanted range | +10 |
| population similarity (smaller / larger) | up to +15 |
| shared fields of interest | +8 each, up to +24 |
| shared languages | +10 each, up to +20 |
| partner of a partner (two steps in the partnership graph), three steps | +12, +5 |
| the other side is seeking too | +20 |
| the other side's preferences include us | +10 |
| already in many partnerships (beyond two) | -2 each, down to -15 |

Never suggested: the community itself, a community it has any partnership with (proposed,
active, dormant or ended: they know each other), and communities of its own country (a
partnership is between countries)."""

import heapq
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COUNTRY_POINTS = 30
REGION_POINTS = 20
RANGE_POINTS = 10
SIMILARITY_POINTS = 15
FIELD_POINTS, FIELD_CAP = 8, 24
LANGUAGE_POINTS, LANGUAGE_CAP = 10, 20
TWO_STEPS_POINTS, THREE_STEPS_POINTS = 12, 5
SEEKING_POINTS = 20
WANTS_US_POINTS = 10
CROWD_FREE, CROWD_POINTS, CROWD_CAP = 2, 2, 15


@dataclass(frozen=True)
class Wishes:
    """What a seeking profile asks for (empty: no preference)."""

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    population_min: int | None = None
    population_max: int | None = None


@dataclass(frozen=True)
class Node:
    """One community as the scoring sees it."""

    pk: int
    name: str
    country: str
    region: str  # the country's world region
    population: int | None = None
    fields: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    seeking: bool = False
    wishes: Wishes = Wishes()


@dataclass(frozen=True)
class Registry:
    nodes: Mapping[int, Node]
    partners: Mapping[int, frozenset[int]]  # every partnership, whatever its status

    def partners_of(self, pk: int) -> frozenset[int]:
        return self.partners.get(pk, frozenset())


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    node: Node
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def graph_distances(registry: Registry, start: int, depth: int = 3) -> dict[int, int]:
    """Steps from `start` to each community within `depth` in the partnership graph."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        pk = queue.popleft()
        if seen[pk] >= depth:
            continue
        for other in registry.partners_of(pk):
            if other not in seen:
                seen[other] = seen[pk] + 1
                queue.append(other)
    return seen


def _population_reasons(seeker: Node, other: Node) -> list[Reason]:
    reasons: list[Reason] = []
    wishes = seeker.wishes
    if other.population is None:
        return reasons
    if wishes.population_min is not None or wishes.population_max is not None:
        low = wishes.population_min or 0
        high = wishes.population_max
        if other.population >= low and (high is None or other.population <= high):
            reasons.append(Reason(RANGE_POINTS, _("Population within the range you want")))
    if seeker.population:
        small, large = sorted([seeker.population, other.population])
        if large:
            points = round(SIMILARITY_POINTS * small / large)
            if points:
                reasons.append(
                    Reason(points, _("Similar population (%(n)s)") % {"n": f"{other.population:,}"})
                )
    return reasons


def _preference_reasons(seeker: Node, other: Node) -> list[Reason]:
    wishes = seeker.wishes
    if other.country in wishes.countries:
        return [Reason(COUNTRY_POINTS, _("In a country you prefer"))]
    if other.region in wishes.regions:
        return [Reason(REGION_POINTS, _("In a region you prefer"))]
    return []


def score(seeker: Node, other: Node, *, distance: int | None, degree: int) -> Suggestion:
    """The score of `other` as a partner for `seeker`, with its reasons."""
    reasons = _preference_reasons(seeker, other) + _population_reasons(seeker, other)
    fields = sorted(seeker.fields & other.fields)
    if fields:
        reasons.append(
            Reason(
                min(FIELD_POINTS * len(fields), FIELD_CAP),
                ngettext(
                    "%(n)d shared field of interest", "%(n)d shared fields of interest", len(fields)
                )
                % {"n": len(fields)},
            )
        )
    languages = sorted(seeker.languages & other.languages)
    if languages:
        reasons.append(
            Reason(
                min(LANGUAGE_POINTS * len(languages), LANGUAGE_CAP),
                _("Shared languages: %(codes)s") % {"codes": ", ".join(languages)},
            )
        )
    if distance == 2:
        reasons.append(Reason(TWO_STEPS_POINTS, _("A partner of one of your partners")))
    elif distance == 3:
        reasons.append(Reason(THREE_STEPS_POINTS, _("Three steps away in the partnership graph")))
    if other.seeking:
        reasons.append(Reason(SEEKING_POINTS, _("Seeking a partner too")))
        if seeker.country in other.wishes.countries or seeker.region in other.wishes.regions:
            reasons.append(Reason(WANTS_US_POINTS, _("Looking for a partner where you are")))
    if degree > CROWD_FREE:
        penalty = min((degree - CROWD_FREE) * CROWD_POINTS, CROWD_CAP)
        reasons.append(
            Reason(
                -penalty,
                ngettext(
                    "Already in %(n)d partnership",
                    "Already in %(n)d partnerships",
                    degree,
                )
                % {"n": degree},
            )
        )
    return Suggestion(other, sum(r.points for r in reasons), tuple(reasons))


def excluded(registry: Registry, seeker: Node) -> frozenset[int]:
    """Who is never suggested to `seeker`: itself and every community partnered with it."""
    return registry.partners_of(seeker.pk) | {seeker.pk}


def suggest(registry: Registry, seeker: Node, *, limit: int = 20) -> list[Suggestion]:
    """The `limit` best partners for `seeker` (score above zero), best first; ties by name."""
    distances = graph_distances(registry, seeker.pk)
    never = excluded(registry, seeker)
    best: list[tuple[int, str, int, Suggestion]] = []
    for other in _candidates(registry, seeker, never):
        suggestion = score(
            seeker,
            other,
            distance=distances.get(other.pk),
            degree=len(registry.partners_of(other.pk)),
        )
        if suggestion.score > 0:
            best.append((-suggestion.score, other.name, other.pk, suggestion))
    return [item[3] for item in heapq.nsmallest(limit, best)]


def _candidates(registry: Registry, seeker: Node, never: Iterable[int]) -> Iterable[Node]:
    skip = set(never)
    for node in registry.nodes.values():
        if node.pk not in skip and node.country != seeker.country:
            yield node
