"""Reads of matchmaking for pages and the API: the registry as the scoring sees it (three
queries whatever its size), a seeker's suggestions with their communities, and the public
list of seeking profiles with its filters."""

from dataclasses import dataclass
from typing import Any

from django.db.models import FilteredRelation, Q, QuerySet

from twinning.matchmaking.languages import official_languages
from twinning.matchmaking.models import ExpertiseOffer, ExpertiseRequest, Interest, SeekingProfile
from twinning.matchmaking.scoring import (
    Node,
    OfferSuggestion,
    Registry,
    Suggestion,
    Want,
    Wishes,
    rank_offers,
    suggest,
)
from twinning.network.models import Community, Partnership
from twinning.network.text import fold


def _wishes(profile: Any) -> Wishes:
    return Wishes(
        countries=frozenset(profile["preferred_countries"] or ()),
        regions=frozenset(profile["preferred_regions"] or ()),
        population_min=profile["population_min"],
        population_max=profile["population_max"],
    )


def registry_snapshot() -> Registry:
    """Every community, every partnership and every profile, in three queries."""
    profiles = {
        row["community_id"]: row
        for row in SeekingProfile.objects.values(
            "community_id",
            "is_open",
            "preferred_countries",
            "preferred_regions",
            "population_min",
            "population_max",
            "sectors",
            "languages",
        ).order_by()  # no ordering: its join on the community's name costs more than the read
    }
    partners: dict[int, set[int]] = {}
    for a, b in Partnership.objects.values_list("community_a_id", "community_b_id").order_by():
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    nodes = {}
    rows = Community.objects.values_list(
        "pk", "name", "country_id", "country__region", "population"
    )
    for pk, name, country, region, population in rows.order_by():
        profile = profiles.get(pk)
        if profile is None:
            nodes[pk] = Node(
                pk, name, country, region, population, languages=official_languages(country)
            )
            continue
        nodes[pk] = Node(
            pk,
            name,
            country,
            region,
            population,
            fields=frozenset(profile["sectors"] or ()),
            languages=frozenset(profile["languages"] or ()) or official_languages(country),
            seeking=profile["is_open"],
            wishes=_wishes(profile),
        )
    return Registry(nodes, {pk: frozenset(others) for pk, others in partners.items()})


@dataclass
class SuggestionRow:
    suggestion: Suggestion
    community: Community
    sent: bool  # the seeker already expressed interest
    received: bool  # the other side expressed interest in the seeker


def suggestions_for(community: Community, *, limit: int = 20) -> list[SuggestionRow]:
    """The best partners for `community` with their communities and the interest either side
    expressed: five queries over a registry of any size (the ranking is in memory)."""
    registry = registry_snapshot()
    seeker = registry.nodes[community.pk]
    ranked = suggest(registry, seeker, limit=limit)
    pks = [s.node.pk for s in ranked]
    communities = Community.objects.select_related("country").in_bulk(pks)
    sent, received = interest_sets(community)
    return [
        SuggestionRow(s, communities[s.node.pk], s.node.pk in sent, s.node.pk in received)
        for s in ranked
        if s.node.pk in communities
    ]


def interest_sets(community: Community) -> tuple[set[int], set[int]]:
    """Ids of the communities `community` is interested in, and of those interested in it."""
    rows = Interest.objects.filter(Q(community=community) | Q(target=community)).values_list(
        "community_id", "target_id"
    )
    sent, received = set(), set()
    for source, target in rows:
        if source == community.pk:
            sent.add(target)
        else:
            received.add(source)
    return sent, received


def seeking_profiles(
    *, q: str = "", country: str = "", region: str = "", field: str = "", language: str = ""
) -> QuerySet[SeekingProfile]:
    """Open profiles for the public list and the API, filtered; each with its community and
    country (one query, plus the members of the page when prefetched)."""
    profiles = SeekingProfile.objects.open().select_related("community__country")
    if country:
        profiles = profiles.filter(community__country_id=country.upper())
    if region:
        profiles = profiles.filter(community__country__region=region)
    # JSON lists are matched as text: each value is a quoted word of a fixed vocabulary.
    if field:
        profiles = profiles.filter(sectors__icontains=f'"{field}"')
    if language:
        profiles = profiles.filter(languages__icontains=f'"{language}"')
    if q.strip():
        folded = fold(q)
        profiles = profiles.filter(
            Q(community__search_name__contains=folded)
            | Q(text__icontains=q.strip())
            | Q(requested_by__icontains=q.strip())
        )
    return profiles.order_by("community__name", "pk")


# --- The expertise exchange ---------------------------------------------------------------------


def want_of(obj: ExpertiseOffer | ExpertiseRequest) -> Want:
    return Want(
        obj.pk,
        obj.community_id,
        obj.field,
        frozenset(obj.languages or ()),
        frozenset(obj.forms or ()),
    )


def partners_among(asking: set[int]) -> dict[int, frozenset[int]]:
    """What the ranking of offers needs of the partnership graph, in two queries that read few
    rows whatever the registry's size: every partner of the asking communities, and every
    partner of those partners (so an offering community two steps away is seen)."""
    found: dict[int, set[int]] = {}

    def add(rows: Any) -> None:
        for a, b in rows.order_by():
            found.setdefault(a, set()).add(b)
            found.setdefault(b, set()).add(a)

    pairs = Partnership.objects.values_list("community_a_id", "community_b_id")
    add(pairs.filter(Q(community_a__in=asking) | Q(community_b__in=asking)))
    theirs = {pk for own in asking for pk in found.get(own, ())}
    if theirs:
        add(pairs.filter(Q(community_a__in=theirs) | Q(community_b__in=theirs)))
    return {pk: frozenset(others) for pk, others in found.items()}


@dataclass
class OfferRow:
    suggestion: OfferSuggestion
    offer: ExpertiseOffer


def offer_suggestions(
    requests: list[ExpertiseRequest], *, limit: int | None = None
) -> dict[int, list[OfferRow]]:
    """For each request, the open offers that fit it, ranked, with their communities: three
    or four queries whatever the number of requests and offers. The open offers in the requests'
    fields are ranked as plain values in memory; only the kept ones are read whole. An offer
    matched with a request before (and declined: the request is open again) is not suggested
    for it again (`match_request` would refuse it)."""
    if not requests:
        return {}
    # Each open offer once, or once per earlier match with one of these requests (a request
    # open again had its matches declined: never suggest those offers to it again). The
    # filtered join reads them in the same query.
    before = FilteredRelation("matches", condition=Q(matches__request__in=[r.pk for r in requests]))
    rows = (
        ExpertiseOffer.objects.open()
        .filter(field__in={r.field for r in requests})
        .annotate(before=before)
        .values_list("pk", "community_id", "field", "languages", "forms", "before__request_id")
        .order_by()
    )
    wants: dict[int, Want] = {}
    declined: dict[int, set[int]] = {}
    for pk, community, field, languages, forms, declined_for in rows:
        if pk not in wants:
            wants[pk] = Want(
                pk, community, field, frozenset(languages or ()), frozenset(forms or ())
            )
        if declined_for is not None:
            declined.setdefault(declined_for, set()).add(pk)
    partners = partners_among({r.community_id for r in requests})
    ranked = {
        request.pk: rank_offers(
            want_of(request),
            [w for pk, w in wants.items() if pk not in declined.get(request.pk, ())],
            partners,
            limit=limit,
        )
        for request in requests
    }
    kept = {s.offer.pk for suggestions in ranked.values() for s in suggestions}
    offers = ExpertiseOffer.objects.select_related("community__country", "member").in_bulk(kept)
    return {
        pk: [OfferRow(s, offers[s.offer.pk]) for s in suggestions if s.offer.pk in offers]
        for pk, suggestions in ranked.items()
    }
