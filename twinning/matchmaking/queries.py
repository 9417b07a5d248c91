"""Reads of matchmaking for pages and the API: the registry as the scoring sees it (four
queries whatever its size, kept by the process while the registry's version is unchanged), a
seeker's suggestions with their communities (its ranking from this process, else from the
shared cache where the task after a change put it, else made here), and the public list of
seeking profiles with its filters."""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import FilteredRelation, Q, QuerySet

from twinning.activities.models import Sector
from twinning.core.reverse import cached_reverse
from twinning.matchmaking.languages import language_label, official_languages
from twinning.matchmaking.models import ExpertiseOffer, ExpertiseRequest, Interest, SeekingProfile
from twinning.matchmaking.scoring import (
    Node,
    OfferSuggestion,
    Ranked,
    Registry,
    Suggestion,
    Want,
    Wishes,
    explain,
    rank,
    rank_offers,
)
from twinning.network.mapdata import map_data_version
from twinning.network.models import Community, Country, Member, Partnership, Region
from twinning.network.text import fold

# The last snapshot this process read, with the version of the registry it was read at, and
# the rankings made on it (per seeker and length): the suggestions pages of one registry
# version reuse them (reading 3,300 communities, their partnerships and profiles, and ranking
# them all for a seeker, cost more than the rest of the page). The snapshot itself is not put
# in the shared cache: unpickling it costs about as much as reading it again (12 ms against
# 15 on the bench's registry). The rankings are: a few kilobytes each, see `warm_suggestions`.
RANKINGS_KEPT = 500
# A ranking in the shared cache: its seeker's suggestions (ids with their reasons' parts) and
# the kept communities' nodes, with the registry's version it was made at (one entry per
# page: a newer ranking replaces the older); a ranking of another version is never read,
# whatever the cache holds. The pages viewed lately (seeker and length, with the time of the
# view) are what the task ranks again after a change: at most VIEWED_KEPT, the latest, within
# VIEWED_SECONDS, so the cache holds a bounded number of entries (a cache with an entry limit,
# the file or local-memory backends, would otherwise cull other keys) and the task's work
# follows the pages people read, not the registry's size.
SHARED_TIMEOUT = 24 * 3600
WARMED_KEY = "matchmaking:suggestions:warmed"
VIEWED_KEY = "matchmaking:suggestions:viewed"
VIEWED_KEPT = 200
VIEWED_SECONDS = 7 * 24 * 3600
SUGGESTIONS_LIMIT = 20

Shared = tuple[Ranked, dict[int, Node]]


# The version's three parts: network's map data version (communities and partnerships), the
# profiles' count and latest change, the countries' count. The version is their hash.
Parts = tuple[str, str, str]


@dataclass
class _Memo:
    version: str
    parts: Parts
    registry: Registry | None  # read when a ranking is not found in the shared cache
    rankings: dict[tuple[int, int], Shared]


_memo: _Memo | None = None


@dataclass
class _Reads:
    """What this process read of the registry, each read with the part of the version it was
    read at (taken before reading, so a change during the read makes it read again next
    time): a change of the profiles re-reads the profiles only (330 rows on the bench, not
    3,300 communities and 2,750 partnerships), one of the countries the countries only. A
    read is reused only while its part is unchanged, and the version is made of nothing but
    these parts: a registry built from kept reads is the one a full read would give at the
    same version (tests/matchmaking/test_warming.py checks it after every kind of change)."""

    network: tuple[str, tuple[list[tuple[int, str, str, int | None]], dict]] | None = None
    countries: tuple[str, dict[str, str]] | None = None
    profiles: tuple[str, dict[int, tuple]] | None = None
    # The nodes of communities without a profile, for every community: rebuilt when the
    # communities or the countries changed (network's and countries' parts).
    bare: tuple[tuple[str, str], dict[int, Node]] | None = None


_reads = _Reads()


def _shared_key(seeker: int, limit: int) -> str:
    """One entry per page, whatever the version (each holds the version it was made at): a
    newer ranking replaces the older, so the cache holds at most one per page viewed. (":n":
    entries whose nodes are named tuples; those of the former frozen dataclass, which would
    not unpickle, are never read.)"""
    return f"matchmaking:suggestions:{seeker}:{limit}:n"


def _shared_at(version: str, value: Any) -> Shared | None:
    """The ranking of a shared entry if it was made at `version`, else None."""
    if value is None or value[0] != version:
        return None
    return value[1]


def registry_version() -> str:
    """A short hash that changes whenever a community, partnership, seeking profile or country
    is added or removed, a community, partnership or profile saved, or network's map data
    invalidated (its writes with `QuerySet.update()`): two queries of single aggregates,
    whatever the registry's size (network's `map_data_version`, then the profiles' and
    countries')."""
    return _version_of(_version_parts())


def _version_of(parts: Parts) -> str:
    return hashlib.blake2b("|".join(parts).encode(), digest_size=10).hexdigest()


def _version_parts() -> Parts:
    quote = connection.ops.quote_name
    profiles = quote(SeekingProfile._meta.db_table)
    countries = quote(Country._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {profiles}), "  # noqa: S608 (no input)
            f"(SELECT MAX({quote('updated_at')}) FROM {profiles}), "
            f"(SELECT COUNT(*) FROM {countries})"
        )
        row = cursor.fetchone()
    return map_data_version(), f"{row[0]}|{row[1]}", str(row[2])


def registry_snapshot() -> Registry:
    """The registry as the scoring sees it: read again only when its version changed since
    this process last read it (two queries to know), and then only the parts that changed."""
    return _snapshot(_memo_at(_version_parts()))


def _memo_at(parts: Parts) -> _Memo:
    """This process's memo for the version of `parts`: a new, empty one when it changed."""
    global _memo  # noqa: PLW0603 (the process's one memo, replaced whole)
    version = _version_of(parts)
    if _memo is None or _memo.version != version:
        _memo = _Memo(version, parts, None, {})
    return _memo


def _snapshot(memo: _Memo) -> Registry:
    if memo.registry is None:
        memo.registry = _registry_at(memo.parts)
    return memo.registry


def _ranking(memo: _Memo, seeker: int, limit: int) -> Shared:
    """`seeker`'s ranking at the memo's version: this process's, else the shared cache's
    (warmed after a change by `warm_suggestions_task`, or put there by another process's
    view), else made here on the snapshot (read if this process has none) and shared."""
    key = (seeker, limit)
    found = memo.rankings.get(key)
    if found is None:
        _note_viewed(key)
        shared_key = _shared_key(seeker, limit)
        found = _shared_at(memo.version, cache.get(shared_key))
        if found is None:
            found = _ranked(_snapshot(memo), seeker, limit)
            cache.set(shared_key, (memo.version, found), SHARED_TIMEOUT)
        if len(memo.rankings) >= RANKINGS_KEPT:
            memo.rankings.clear()
        memo.rankings[key] = found
    return found


def _ranked(registry: Registry, seeker: int, limit: int) -> Shared:
    ranked = rank(registry, registry.nodes[seeker], limit=limit)
    return ranked, {pk: registry.nodes[pk] for pk, _parts in ranked}


def _note_viewed(key: tuple[int, int]) -> None:
    """Remember that `key`'s page (seeker, length) was viewed now: once per version of the
    registry per process (the process's memo has it after). Two views noting at once may
    lose one: its page is then made by its next view after a change, and noted again."""
    now = time.time()
    viewed = cache.get(VIEWED_KEY) or {}
    viewed[key] = now
    recent = sorted(
        ((at, page) for page, at in viewed.items() if at > now - VIEWED_SECONDS), reverse=True
    )
    cache.set(VIEWED_KEY, {page: at for at, page in recent[:VIEWED_KEPT]}, VIEWED_SECONDS)


def warm_suggestions() -> int:
    """Rank the suggestions pages viewed lately on the registry as it is now and put the
    rankings in the shared cache, so the first view after a change reads its ranking instead
    of the whole registry. Nothing when the current version was warmed already; nothing kept
    if the registry changed while it read (the next view or task does it). Returns the number
    of rankings made (those the views made at this version already are not made again)."""
    parts = _version_parts()
    version = _version_of(parts)
    if cache.get(WARMED_KEY) == version:
        return 0
    keys = {_shared_key(*page): page for page in cache.get(VIEWED_KEY) or {}}
    present = cache.get_many(keys)
    missing = sorted(
        page for key, page in keys.items() if _shared_at(version, present.get(key)) is None
    )
    made = {}
    if missing:  # some may have been made by their views already
        registry = _registry_at(parts)
        made = {
            _shared_key(seeker, limit): (version, _ranked(registry, seeker, limit))
            for seeker, limit in missing
            if seeker in registry.nodes
        }
    if registry_version() != version:
        return 0
    cache.set_many(made, SHARED_TIMEOUT)
    cache.set(WARMED_KEY, version, SHARED_TIMEOUT)
    return len(made)


def read_registry() -> Registry:
    """Every country's region, every profile, every partnership and every community, in four
    queries of plain rows (nothing kept: `registry_snapshot` reuses what did not change)."""
    return _registry_from(_read_network(), _read_regions(), _read_profiles())


def _registry_at(parts: Parts) -> Registry:
    """The registry at the version of `parts` (taken before reading): the reads kept by this
    process whose part is unchanged, the others read again and kept with their part."""
    network, profiles, countries = parts
    reads = _reads
    if reads.network is None or reads.network[0] != network:
        reads.network = (network, _read_network())
    if reads.countries is None or reads.countries[0] != countries:
        reads.countries = (countries, _read_regions())
    if reads.profiles is None or reads.profiles[0] != profiles:
        reads.profiles = (profiles, _read_profiles())
    if reads.bare is None or reads.bare[0] != (network, countries):
        reads.bare = ((network, countries), _bare_nodes(reads.network[1][0], reads.countries[1]))
    return _with_profiles(reads.bare[1], reads.network[1][1], reads.profiles[1])


def _read_network() -> tuple[list[tuple[int, str, str, int | None]], dict[int, frozenset[int]]]:
    """Every community (id, name, country, population) and every community's partners. The
    communities are read without their country (a join costs a lookup per row, three times
    the read itself on SQLite): the countries' regions are read apart, a few hundred rows."""
    partners: dict[int, set[int]] = {}
    for a, b in Partnership.objects.values_list("community_a_id", "community_b_id").order_by():
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    rows = Community.objects.values_list("pk", "name", "country_id", "population").order_by()
    return list(rows), {pk: frozenset(others) for pk, others in partners.items()}


def _read_regions() -> dict[str, str]:
    return dict(Country.objects.values_list("code", "region").order_by())


def _read_profiles() -> dict[int, tuple]:
    """Every profile as (community, open, countries, regions, smallest, largest, fields,
    languages), the lists as frozensets. Read as the database gives the rows, the JSON lists as
    text each decoded once per distinct text (a few dozen): the ORM's converters decoded every
    value (1,300 on the bench, most of the read's time)."""
    rows = SeekingProfile.objects.values_list(
        "community_id",
        "is_open",
        "preferred_countries",
        "preferred_regions",
        "population_min",
        "population_max",
        "sectors",
        "languages",
    ).order_by()  # no ordering: its join on the community's name costs more than the read
    values = _json_sets()
    return {
        pk: (pk, bool(is_open), values(c), values(r), low, high, values(f), values(lang))
        for pk, is_open, c, r, low, high, f, lang in _plain_rows(rows)
    }


def _plain_rows(rows: QuerySet) -> list[tuple]:
    """The rows of a values_list query as the database gives them: JSON lists as their text
    (both backends give it so; the ORM's converters would decode every value, `_json_sets`
    decodes each distinct text once), booleans as SQLite's integers."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _json_sets() -> Callable[[str | None], frozenset[str]]:
    """A decoder of JSON lists of strings given as text into frozensets, each distinct text
    decoded once (a few dozen among hundreds of rows)."""
    decoded: dict[str | None, frozenset[str]] = {}

    def values(text: str | None) -> frozenset[str]:
        found = decoded.get(text)
        if found is None:
            found = decoded[text] = frozenset((json.loads(text) if text else None) or ())
        return found

    return values


def _bare_nodes(
    rows: list[tuple[int, str, str, int | None]], regions: dict[str, str]
) -> dict[int, Node]:
    """Every community as a node without a profile: its country's official languages."""
    languages = official_languages
    return {
        pk: Node(
            pk, name, country, regions.get(country, ""), population, frozenset(), languages(country)
        )
        for pk, name, country, population in rows
    }


def _registry_from(
    network: tuple[list[tuple[int, str, str, int | None]], dict[int, frozenset[int]]],
    regions: dict[str, str],
    profiles: dict[int, tuple],
) -> Registry:
    rows, partners = network
    return _with_profiles(_bare_nodes(rows, regions), partners, profiles)


def _with_profiles(
    bare: dict[int, Node], partners: dict[int, frozenset[int]], profiles: dict[int, tuple]
) -> Registry:
    """The registry: the communities' bare nodes, those with a profile replaced by a node with
    what their profile says (a copy: `bare` is kept unchanged for the next profiles)."""
    nodes = dict(bare)
    for pk, is_open, countries, wanted, low, high, sectors, languages in profiles.values():
        node = bare.get(pk)
        if node is None:  # a community added after the communities were read
            continue
        nodes[pk] = Node(
            pk,
            node.name,
            node.country,
            node.region,
            node.population,
            fields=sectors,
            languages=languages or node.languages,
            seeking=is_open,
            wishes=Wishes(
                countries=countries, regions=wanted, population_min=low, population_max=high
            ),
        )
    return Registry(nodes, partners)


@dataclass
class SuggestionRow:
    suggestion: Suggestion
    community: Community
    sent: bool  # the seeker already expressed interest
    received: bool  # the other side expressed interest in the seeker


def suggestions_for(community: Community, *, limit: int = SUGGESTIONS_LIMIT) -> list[SuggestionRow]:
    """The best partners for `community` with their communities and the interest either side
    expressed, over a registry of any size (the ranking is in memory): four queries when this
    process or the shared cache has the ranking at the registry's version (its version, two;
    the communities kept, the interest), eight when it is made here (the registry read again,
    four)."""
    ranked, nodes = _ranking(_memo_at(_version_parts()), community.pk, limit)
    suggestions = explain(nodes, ranked)
    pks = [s.node.pk for s in suggestions]
    communities = Community.objects.select_related("country").in_bulk(pks)
    sent, received = interest_sets(community)
    return [
        SuggestionRow(s, communities[s.node.pk], s.node.pk in sent, s.node.pk in received)
        for s in suggestions
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


@dataclass(slots=True)
class SeekingRow:
    """One card of /seeking/: what its template shows, read as plain values."""

    name: str
    url: str
    flag: str
    country_name: str
    population: int | None
    latitude: float | None
    longitude: float | None
    members: list[str]
    requested_by: str
    region_labels: list[str]
    preferred_countries: list[str]
    field_labels: list[str]
    language_labels: list[str]
    text: str


def seeking_rows(profiles: QuerySet[SeekingProfile]) -> list[SeekingRow]:
    """The cards of a page of `seeking_profiles` (sliced): two queries, its profiles as value
    rows with their community's and country's fields, and the names of the members holding
    their communities; labels looked up once per value, not per card."""
    rows = list(
        profiles.values_list(
            "community_id",
            "community__name",
            "community__slug",
            "community__country_id",
            "community__country__name",
            "community__population",
            "community__latitude",
            "community__longitude",
            "requested_by",
            "preferred_regions",
            "preferred_countries",
            "sectors",
            "languages",
            "text",
        )
    )
    held: dict[int, list[str]] = {}
    if rows:
        through = Member.communities.through
        pairs = through.objects.filter(community_id__in=[row[0] for row in rows])
        for community, name in pairs.values_list("community_id", "member__name").order_by(
            "member__name", "member_id"
        ):
            held.setdefault(community, []).append(name)
    regions = {value: str(label) for value, label in Region.choices}
    fields = {value: str(label) for value, label in Sector.choices}
    flags: dict[str, str] = {}
    cards = []
    for (
        pk,
        name,
        slug,
        country,
        country_name,
        population,
        latitude,
        longitude,
        requested_by,
        wanted,
        countries,
        sectors,
        languages,
        text,
    ) in rows:
        flag = flags.get(country)
        if flag is None:
            flag = flags[country] = Country(code=country).flag
        cards.append(
            SeekingRow(
                name=name,
                url=cached_reverse("network:community_detail", slug=slug),
                flag=flag,
                country_name=country_name,
                population=population,
                latitude=latitude,
                longitude=longitude,
                members=held.get(pk, []),
                requested_by=requested_by,
                region_labels=[regions.get(value, value) for value in wanted],
                preferred_countries=countries,
                field_labels=[fields[value] for value in sectors if value in fields],
                language_labels=[language_label(code) for code in languages],
                text=text,
            )
        )
    return cards


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
    by_field: dict[str, dict[int, Want]] = {}  # each request is ranked against its field's only
    declined: dict[int, set[int]] = {}
    values = _json_sets()
    for pk, community, field, languages, forms, declined_for in _plain_rows(rows):
        in_field = by_field.setdefault(field, {})
        if pk not in in_field:
            in_field[pk] = Want(pk, community, field, values(languages), values(forms))
        if declined_for is not None:
            declined.setdefault(declined_for, set()).add(pk)
    partners = partners_among({r.community_id for r in requests})
    ranked = {}
    for request in requests:
        field_offers = by_field.get(request.field, {})
        never = declined.get(request.pk)
        fitting = (
            [w for pk, w in field_offers.items() if pk not in never]
            if never
            else field_offers.values()
        )
        ranked[request.pk] = rank_offers(want_of(request), fitting, partners, limit=limit)
    kept = {s.offer.pk for suggestions in ranked.values() for s in suggestions}
    offers = ExpertiseOffer.objects.select_related("community__country").in_bulk(kept)
    return {
        pk: [OfferRow(s, offers[s.offer.pk]) for s in suggestions if s.offer.pk in offers]
        for pk, suggestions in ranked.items()
    }
