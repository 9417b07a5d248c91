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
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

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


@dataclass(frozen=True, slots=True)
class Wishes:
    """What a seeking profile asks for (empty: no preference)."""

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    population_min: int | None = None
    population_max: int | None = None


class Node(NamedTuple):
    """One community as the scoring sees it. A named tuple, not a frozen dataclass: the
    registry makes one per community (3,300 on the bench) and a tuple is made in a quarter of
    the time (a frozen dataclass sets each field through `object.__setattr__`); `rank` reads
    the candidates' fields by unpacking."""

    pk: int
    name: str
    country: str
    region: str  # the country's world region
    population: int | None = None
    fields: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    seeking: bool = False
    wishes: Wishes = Wishes()


@dataclass(frozen=True, slots=True)
class Registry:
    nodes: Mapping[int, Node]
    partners: Mapping[int, frozenset[int]]  # every partnership, whatever its status

    def partners_of(self, pk: int) -> frozenset[int]:
        return self.partners.get(pk, frozenset())


@dataclass(frozen=True, slots=True)
class Reason:
    points: int
    text: str


@dataclass(frozen=True, slots=True)
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


# A reason while ranking: its points, its kind and what its text needs. The texts (translated)
# are written only for the suggestions kept: ranking thousands of communities builds no text.
Part = tuple[int, str, object]


def _place_parts(seeker: Node, other: Node, parts: list[Part]) -> None:
    wishes = seeker.wishes
    if other.country in wishes.countries:
        parts.append((COUNTRY_POINTS, "country", None))
    elif other.region in wishes.regions:
        parts.append((REGION_POINTS, "region", None))
    if other.population is None:
        return
    if wishes.population_min is not None or wishes.population_max is not None:
        low, high = wishes.population_min or 0, wishes.population_max
        if other.population >= low and (high is None or other.population <= high):
            parts.append((RANGE_POINTS, "range", None))
    if seeker.population:
        small, large = sorted([seeker.population, other.population])
        points = round(SIMILARITY_POINTS * small / large) if large else 0
        if points:
            parts.append((points, "similar", other.population))


def _shared_parts(seeker: Node, other: Node, parts: list[Part]) -> None:
    fields = len(seeker.fields & other.fields)
    if fields:
        parts.append((min(FIELD_POINTS * fields, FIELD_CAP), "fields", fields))
    languages = seeker.languages & other.languages
    if languages:
        points = min(LANGUAGE_POINTS * len(languages), LANGUAGE_CAP)
        parts.append((points, "languages", sorted(languages)))


def _parts(seeker: Node, other: Node, distance: int | None, degree: int) -> list[Part]:
    parts: list[Part] = []
    _place_parts(seeker, other, parts)
    _shared_parts(seeker, other, parts)
    if distance == 2:
        parts.append((TWO_STEPS_POINTS, "two_steps", None))
    elif distance == 3:
        parts.append((THREE_STEPS_POINTS, "three_steps", None))
    if other.seeking:
        parts.append((SEEKING_POINTS, "seeking", None))
        if seeker.country in other.wishes.countries or seeker.region in other.wishes.regions:
            parts.append((WANTS_US_POINTS, "wants_us", None))
    if degree > CROWD_FREE:
        parts.append((-min((degree - CROWD_FREE) * CROWD_POINTS, CROWD_CAP), "crowded", degree))
    return parts


def _text(kind: str, value: Any) -> str:
    if kind == "fields":
        return ngettext(
            "%(n)d shared field of interest", "%(n)d shared fields of interest", value
        ) % {"n": value}
    if kind == "languages":
        return _("Shared languages: %(codes)s") % {"codes": ", ".join(value)}
    if kind == "similar":
        return _("Similar population (%(n)s)") % {"n": f"{value:,}"}
    if kind == "crowded":
        return ngettext("Already in %(n)d partnership", "Already in %(n)d partnerships", value) % {
            "n": value
        }
    return _(_TEXTS[kind])


# The reasons' fixed texts, translated when used: one lookup per reason, not every text's.
_TEXTS = {
    "country": gettext_noop("In a country you prefer"),
    "region": gettext_noop("In a region you prefer"),
    "range": gettext_noop("Population within the range you want"),
    "two_steps": gettext_noop("A partner of one of your partners"),
    "three_steps": gettext_noop("Three steps away in the partnership graph"),
    "seeking": gettext_noop("Seeking a partner too"),
    "wants_us": gettext_noop("Looking for a partner where you are"),
}


def _explained(other: Node, parts: list[Part]) -> Suggestion:
    reasons = tuple(Reason(points, _text(kind, value)) for points, kind, value in parts)
    return Suggestion(other, sum(r.points for r in reasons), reasons)


def score(seeker: Node, other: Node, *, distance: int | None, degree: int) -> Suggestion:
    """The score of `other` as a partner for `seeker`, with its reasons."""
    return _explained(other, _parts(seeker, other, distance, degree))


def excluded(registry: Registry, seeker: Node) -> frozenset[int]:
    """Who is never suggested to `seeker`: itself and every community partnered with it."""
    return registry.partners_of(seeker.pk) | {seeker.pk}


def suggest(registry: Registry, seeker: Node, *, limit: int = 20) -> list[Suggestion]:
    """The `limit` best partners for `seeker` (score above zero), best first; ties by name.
    Every community is ranked by its points; only the kept ones get their reasons' texts."""
    return explain(registry.nodes, rank(registry, seeker, limit=limit))


Ranked = list[tuple[int, list[Part]]]  # the kept communities' ids, best first, with their parts


def explain(nodes: Mapping[int, Node], ranked: Ranked) -> list[Suggestion]:
    """The suggestions of a ranking, their reasons' texts in the active language (`nodes`:
    the registry's, or at least the kept communities')."""
    return [_explained(nodes[pk], parts) for pk, parts in ranked]


def _population_points(
    own: int | None, population: int, ranged: bool, low: int, high: int | None
) -> int:
    """`_place_parts`' population points as a number: within the wanted range, similar."""
    points = (
        RANGE_POINTS if ranged and low <= population and (high is None or population <= high) else 0
    )
    if own:
        small, large = (own, population) if own <= population else (population, own)
        if large:
            points += round(SIMILARITY_POINTS * small / large)
    return points


def rank(registry: Registry, seeker: Node, *, limit: int = 20) -> Ranked:
    """The `limit` best partners for `seeker` as ids with their reasons' parts (no text).

    Every candidate's total is computed inline (the same points as `_parts`, without building
    its list of parts); the parts are built only for the kept ones. tests/matchmaking/
    test_scoring.py checks the ranking equals scoring every candidate with `score()`."""
    distances = graph_distances(registry, seeker.pk)
    never = excluded(registry, seeker)
    partners = registry.partners
    # What does not change from one candidate to the next.
    wishes = seeker.wishes
    countries, regions = wishes.countries, wishes.regions
    low, high = wishes.population_min, wishes.population_max
    ranged = low is not None or high is not None
    low = low or 0
    own_population = seeker.population
    own_fields, own_languages = seeker.fields, seeker.languages
    own_country, own_region = seeker.country, seeker.region
    steps: dict[int | None, int] = {2: TWO_STEPS_POINTS, 3: THREE_STEPS_POINTS}
    spoken: dict[frozenset[str], int] = {}
    best: list[tuple[int, str, int]] = []
    for node in registry.nodes.values():
        pk, name, country, region, population, fields, languages, seeking, theirs = node
        if pk in never or country == own_country:
            continue
        total = 0
        if country in countries:
            total += COUNTRY_POINTS
        elif region in regions:
            total += REGION_POINTS
        if population is not None:
            total += _population_points(own_population, population, ranged, low, high)
        if own_fields and fields:
            total += min(FIELD_POINTS * len(own_fields & fields), FIELD_CAP)
        if own_languages and languages:
            # The same few sets over and over (a country's official languages): their points
            # looked up, not intersected again.
            points = spoken.get(languages)
            if points is None:
                points = spoken[languages] = min(
                    LANGUAGE_POINTS * len(own_languages & languages), LANGUAGE_CAP
                )
            total += points
        total += steps.get(distances.get(pk), 0)
        if seeking and (own_country in theirs.countries or own_region in theirs.regions):
            total += SEEKING_POINTS + WANTS_US_POINTS
        elif seeking:
            total += SEEKING_POINTS
        degree = len(partners.get(pk, ()))
        if degree > CROWD_FREE:
            total -= min((degree - CROWD_FREE) * CROWD_POINTS, CROWD_CAP)
        if total > 0:
            best.append((-total, name, pk))
    nodes = registry.nodes
    return [
        (pk, _parts(seeker, nodes[pk], distances.get(pk), len(partners.get(pk, ()))))
        for _total, _name, pk in heapq.nsmallest(limit, best)
    ]


# --- The expertise exchange: offers ranked for a request ---------------------------------------
#
# | reason | points |
# | --- | --- |
# | expertise in the field asked for (only such offers are suggested) | +40 |
# | shared languages | +15 each, at most +30 |
# | offers the form the request asks for (a visit, a call, an expert) | +10 |
# | the two communities are partners already (any status) | +25 |
# | partners of the same community (two steps in the partnership graph) | +10 |
#
# Never suggested: an offer from the requesting community itself, a closed offer (the reads
# give only open ones), an offer in another field.

EXPERTISE_FIELD_POINTS = 40
EXPERTISE_LANGUAGE_POINTS, EXPERTISE_LANGUAGE_CAP = 15, 30
EXPERTISE_FORM_POINTS = 10
EXPERTISE_PARTNER_POINTS = 25
EXPERTISE_TWO_STEPS_POINTS = 10


@dataclass(frozen=True, slots=True)
class Want:
    """What one side of the expertise exchange is about: a request or an offer."""

    pk: int
    community: int
    field: str
    languages: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class OfferSuggestion:
    offer: Want
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def _offer_parts(request: Want, offer: Want, partners: Mapping[int, frozenset[int]]) -> list[Part]:
    if offer.community == request.community or offer.field != request.field:
        return []
    parts: list[Part] = [(EXPERTISE_FIELD_POINTS, "field", None)]
    languages = request.languages & offer.languages
    if languages:
        points = min(EXPERTISE_LANGUAGE_POINTS * len(languages), EXPERTISE_LANGUAGE_CAP)
        parts.append((points, "languages", sorted(languages)))
    if request.forms & offer.forms:
        parts.append((EXPERTISE_FORM_POINTS, "form", None))
    own = partners.get(request.community, frozenset())
    if offer.community in own:
        parts.append((EXPERTISE_PARTNER_POINTS, "partners", None))
    elif own & partners.get(offer.community, frozenset()):
        parts.append((EXPERTISE_TWO_STEPS_POINTS, "two_steps", None))
    return parts


def _offer_text(kind: str, value: Any) -> str:
    if kind == "languages":
        return _("Shared languages: %(codes)s") % {"codes": ", ".join(value)}
    return _(_OFFER_TEXTS[kind])


_OFFER_TEXTS = {
    "field": gettext_noop("Expertise in the field you asked about"),
    "form": gettext_noop("Offers the way of working you asked for"),
    "partners": gettext_noop("Already partners"),
    "two_steps": gettext_noop("Partners of the same community"),
}


def _offer_reasons(parts: list[Part]) -> tuple[Reason, ...]:
    return tuple(Reason(points, _offer_text(kind, value)) for points, kind, value in parts)


def offer_reasons(
    request: Want, offer: Want, partners: Mapping[int, frozenset[int]]
) -> tuple[Reason, ...]:
    """Why `offer` fits `request`, each reason with its points (empty: it does not fit).
    `partners` needs the request's community's partners and, for the offer's community, at
    least those it shares with them."""
    return _offer_reasons(_offer_parts(request, offer, partners))


def rank_offers(
    request: Want,
    offers: Iterable[Want],
    partners: Mapping[int, frozenset[int]],
    *,
    limit: int | None = None,
) -> list[OfferSuggestion]:
    """The offers that fit `request`, best first (ties: the older offer first, then the order
    given). Every offer's total is computed inline (the same points as `_offer_parts`, without
    its list of parts); the parts and their texts are made only for the kept ones.
    tests/matchmaking/test_expertise_scoring.py checks it equals ranking each offer by its
    reasons."""
    asking, wanted = request.community, request.field
    own_languages, own_forms = request.languages, request.forms
    own = partners.get(asking, frozenset())
    spoken: dict[frozenset[str], int] = {}  # the same few sets of languages over and over
    totals = []
    for index, offer in enumerate(offers):
        community = offer.community
        if community == asking or offer.field != wanted:
            continue
        total = EXPERTISE_FIELD_POINTS
        languages = offer.languages
        points = spoken.get(languages)
        if points is None:
            shared = len(own_languages & languages)
            points = spoken[languages] = min(
                EXPERTISE_LANGUAGE_POINTS * shared, EXPERTISE_LANGUAGE_CAP
            )
        total += points
        if not own_forms.isdisjoint(offer.forms):
            total += EXPERTISE_FORM_POINTS
        if community in own:
            total += EXPERTISE_PARTNER_POINTS
        elif own and not own.isdisjoint(partners.get(community, ())):
            total += EXPERTISE_TWO_STEPS_POINTS
        totals.append((-total, offer.pk, index, offer))
    kept = sorted(totals) if limit is None else heapq.nsmallest(limit, totals)
    return [
        OfferSuggestion(offer, -total, offer_reasons(request, offer, partners))
        for total, _pk, _index, offer in kept
    ]
