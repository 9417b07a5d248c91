"""Search over the library, behind one query interface: `search(query, *, language=None,
topics=(), kind=None, user)` returns the resources the user may open, best match first, with
facet counts by topic, language and kind.

Every resource's text (title; summary, topics, partner and the text of its current file) is
folded and stemmed in Python in the resource's own language (library/text.py, Snowball
stemmers for en, fr, es, de) and kept in `SearchEntry`. A query is stemmed the same way, in
the language asked for or else in each of the four (a French resource is indexed with French
stems, so any of a word's stems finds it). The database then only matches and ranks words:

Each word asked also matches the start of a word of the resource (a user typing "twin" finds
"twinning"): the entry keeps the words folded but unstemmed for that, since a word begun
("municipalit") is often longer than the stem of the whole word ("municip").

- SQLite: the FTS5 table `library_search_fts` (migrations 0003, 0004), stems matched in the
  title and body columns, `"word"*` prefix queries in the words column, `bm25` with the title
  weighted above the body and the body above a prefix;
- PostgreSQL: `to_tsvector('simple', ...)` of the same stemmed text (the stemming is ours,
  so the 'simple' configuration keeps it as it is), weights A (title), B (body) and C
  (words), stored in the entry when it is written (`stems_vector`, `words_vector`; a GIN
  index on their concatenation, migration 0005), `to_tsquery` with `'stem':AB` and
  `'word':*C`, `ts_rank` with the same proportions.

Both see the same words, so a query ranks resources the same way on both.

What a query finds at each set of access levels (the ranked resources with their topics) is
cached under `library_version`, a fingerprint of every row it is read from, so the next
request after any change reads afresh; the filters and facets are worked out from it on
each request."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.expressions import CombinedExpression

from twinning.core.fingerprints import Fingerprint, cache_key
from twinning.library.access import Access, access_for, open_levels
from twinning.library.models import Resource, SearchEntry, Topic
from twinning.library.text import Term, query_terms, stems, words

MAX_RESULTS = 100
FOUND_SECONDS = 24 * 60 * 60  # a cached result lasts until the library changes, or a day
TITLE_WEIGHT = 4.0  # a word in the title counts four times a word in the body (bm25 weights)


# --- Indexing ------------------------------------------------------------------------------


def entry_fields(resource: Any, current_text: str) -> dict[str, str]:
    """The search entry's columns for a resource (a model instance, or a migration's
    historical one) and the text of its current version: title and body stemmed in the
    resource's language, and all their words folded unstemmed for prefix matching."""
    body = " ".join(
        [
            resource.summary,
            " ".join(topic.name for topic in resource.topics.all()),
            resource.partner,
            resource.source,
            current_text,
        ]
    )
    return {
        "title_terms": " ".join(stems(resource.title, resource.language)),
        "body_terms": " ".join(stems(body, resource.language)),
        "words": " ".join(words(resource.title + " " + body)),
    }


def write_fts_row(cursor: Any, resource_id: int, fields: dict[str, str]) -> None:
    """The resource's row of the SQLite FTS5 table, replaced."""
    cursor.execute("DELETE FROM library_search_fts WHERE rowid = %s", [resource_id])
    cursor.execute(
        "INSERT INTO library_search_fts (rowid, title, body, words) VALUES (%s, %s, %s, %s)",
        [resource_id, fields["title_terms"], fields["body_terms"], fields["words"]],
    )


def index_resource(resource: Resource) -> SearchEntry:
    """(Re)write the resource's search entry from its title, summary, topics, partner and
    the text of its current version."""
    current = resource.versions.order_by("-number").first()
    fields = entry_fields(resource, current.text if current else "")
    entry, _ = SearchEntry.objects.update_or_create(resource=resource, defaults=fields)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            write_fts_row(cursor, resource.pk, fields)
    else:
        SearchEntry.objects.filter(pk=entry.pk).update(**stored_vectors())
    return entry


def stored_vectors() -> dict[str, Any]:
    """PostgreSQL: the entry's tsvectors, built from its own columns (an UPDATE's values)."""
    return {
        "stems_vector": SearchVector("title_terms", weight="A", config="simple")
        + SearchVector("body_terms", weight="B", config="simple"),
        "words_vector": SearchVector("words", weight="C", config="simple"),
    }


def unindex_resource(resource_id: int) -> None:
    SearchEntry.objects.filter(resource_id=resource_id).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM library_search_fts WHERE rowid = %s", [resource_id])


# --- Matching and ranking ------------------------------------------------------------------


def _fts5_query(terms: list[Term]) -> str:
    """`({title body}: ("a" OR "b") OR words: "ab"*) AND ...`: each word asked must match
    through one of its stems in the title or body, or as the start of a word. Stems and
    words are letters and digits only (text._WORD), quoted all the same."""
    parts = []
    for term in terms:
        stemmed = " OR ".join(f'"{stem}"' for stem in sorted(term.stems))
        either = f"{{title body}}: ({stemmed})"
        if term.prefix:
            either += f' OR words: "{term.prefix}"*'
        parts.append(f"({either})")
    return " AND ".join(parts)


def _tsquery(terms: list[Term], *, prefixes: bool = True) -> str:
    """The same on PostgreSQL: stems in the title (A) or body (B), a prefix in the words (C)."""
    parts = []
    for term in terms:
        either = [f"'{stem}':AB" for stem in sorted(term.stems)]
        if term.prefix and prefixes:
            either.append(f"'{term.prefix}':*C")
        parts.append("(" + " | ".join(either) + ")")
    return " & ".join(parts)


# bm25: lower is better; the title's stems weigh TITLE_WEIGHT times the body's, a word's
# start PREFIX_WEIGHT (a whole word, matched by its stem too, counts above a word begun).
PREFIX_WEIGHT = 0.5
# ts_rank's weights for D, C, B, A in the same proportions (A title, B body, C words).
_TS_RANK_WEIGHTS = [0.0, PREFIX_WEIGHT / TITLE_WEIGHT, 1.0 / TITLE_WEIGHT, 1.0]
# The topics of some resources, by name (the same on SQLite and PostgreSQL).
_TOPICS_OF = (
    "SELECT link.resource_id, topic.slug, topic.name "
    "FROM library_resource_topics AS link "
    "JOIN library_topic AS topic ON topic.id = link.topic_id "
    "WHERE link.resource_id IN ({places}) ORDER BY topic.name"
)
# What a result's card shows (library_cards), read with the match: no model instances.
CARD_FIELDS = (
    "pk",
    "slug",
    "title",
    "kind",
    "language",
    "partner",
    "access",
    "summary",
    "featured",
)
_FTS5_SEARCH = (
    "SELECT resource.id, resource.slug, resource.title, resource.kind, resource.language, "
    "resource.partner, resource.access, resource.summary, resource.featured "
    "FROM library_search_fts AS fts "
    "JOIN library_resource AS resource ON resource.id = fts.rowid "
    "WHERE library_search_fts MATCH %s AND resource.access IN (%s, %s, %s) "
    "ORDER BY bm25(library_search_fts, %s, 1.0, %s), fts.rowid LIMIT %s"
)


def _ranked_rows(terms: list[Term], levels: list[str]) -> list[tuple[Any, ...]]:
    """The CARD_FIELDS of the resources at these access levels matching every word, best
    first."""
    if connection.vendor == "sqlite":
        padded = (levels + levels[:1] * 3)[:3]  # the IN list has three places
        weights = [TITLE_WEIGHT, PREFIX_WEIGHT]
        with connection.cursor() as cursor:
            cursor.execute(_FTS5_SEARCH, [_fts5_query(terms), *padded, *weights, MAX_RESULTS])
            return cursor.fetchall()
    return _postgresql_ranked_rows(terms, levels)


def _postgresql_ranked_rows(terms: list[Term], levels: list[str]) -> list[tuple[Any, ...]]:
    """`@@` with the whole query decides the match (every word; the weights in the query
    keep stems to the title and body and prefixes to the words). ts_rank ignores a query's
    weights and adds up every word a prefix reaches, so the rank is the stems' rank over
    the title and body plus the prefixes' over the words alone."""
    stemmed = F("stems_vector")
    begun = F("words_vector")
    # The expression the GIN index of migration 0005 is built on, so `@@` uses it.
    document = CombinedExpression(stemmed, "||", begun, output_field=SearchVectorField())
    match = SearchQuery(_tsquery(terms), config="simple", search_type="raw")
    stems_only = SearchQuery(_tsquery(terms, prefixes=False), config="simple", search_type="raw")
    rank: Any = SearchRank(stemmed, stems_only, weights=_TS_RANK_WEIGHTS)
    prefixes = sorted({term.prefix for term in terms if term.prefix})
    if prefixes:
        started = SearchQuery(
            " | ".join(f"'{prefix}':*" for prefix in prefixes), config="simple", search_type="raw"
        )
        rank += SearchRank(begun, started, weights=_TS_RANK_WEIGHTS)
    return list(
        SearchEntry.objects.filter(resource__access__in=levels)
        .annotate(document=document)
        .filter(document=match)
        .annotate(rank=rank)
        .order_by("-rank", "resource_id")
        .values_list(*(f"resource__{name}" for name in CARD_FIELDS))[:MAX_RESULTS]
    )


# --- The one query interface ---------------------------------------------------------------


@dataclass
class Facet:
    value: str
    label: str
    count: int


class Tag(NamedTuple):
    """A topic as a result shows it."""

    slug: str
    name: str


class Found(NamedTuple):
    """A resource as a search result: what its card shows (library_cards), its topics by
    name (`topic_list`), and nothing else, so a result is cheap to read and to keep (a
    model instance per result was a third of reading a search afresh, with its pickling)."""

    pk: int
    slug: str
    title: str
    kind: str
    language: str
    partner: str
    access: str
    summary: str
    featured: bool
    topic_list: tuple[Tag, ...]

    def get_language_display(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


@dataclass
class Results:
    """The ranked resources (iterate over it) and the facet counts among them."""

    resources: list[Found]
    topics: list[Facet] = field(default_factory=list)
    languages: list[Facet] = field(default_factory=list)
    kinds: list[Facet] = field(default_factory=list)

    def __iter__(self) -> Iterator[Found]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)


def _with_topics(rows: list[tuple[Any, ...]]) -> list[Found]:
    """A `Found` per row of CARD_FIELDS, with its topics by name read in one query (a
    prefetch would clone a queryset per resource: a tenth of a second on a page of 100; the
    ORM's building of this one query was most of its time)."""
    by_resource: dict[int, list[Tag]] = {row[0]: [] for row in rows}
    if by_resource:
        places = ", ".join(["%s"] * len(by_resource))
        with connection.cursor() as cursor:
            cursor.execute(_TOPICS_OF.format(places=places), list(by_resource))
            for resource_id, slug, name in cursor.fetchall():
                by_resource[resource_id].append(Tag(slug, name))
    # row: CARD_FIELDS, the last `featured` (0 or 1 from SQLite's own query)
    return [Found._make((*row[:-1], bool(row[-1]), tuple(by_resource[row[0]]))) for row in rows]


def _facets(resources: Iterable[Found]) -> tuple[list[Facet], list[Facet], list[Facet]]:
    topics: Counter[tuple[str, str]] = Counter()
    languages: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for resource in resources:
        topics.update((t.slug, t.name) for t in resource.topic_list)
        languages[resource.language] += 1
        kinds[resource.kind] += 1
    names = dict(settings.LANGUAGES)
    return (
        [Facet(slug, name, n) for (slug, name), n in sorted(topics.items(), key=_by_count)],
        [Facet(c, str(names.get(c, c)), n) for c, n in sorted(languages.items(), key=_by_count)],
        [Facet(k, str(Resource.Kind(k).label), n) for k, n in sorted(kinds.items(), key=_by_count)],
    )


def _by_count(item: tuple[Any, int]) -> tuple[int, str]:
    return (-item[1], str(item[0]))


_LIBRARY_VERSION = Fingerprint(
    lambda: [
        (Resource.objects.all(), ("pk", "updated_at")),
        (SearchEntry.objects.all(), ("pk", "indexed_at")),
        (Topic.objects.all(), ("pk", "updated_at")),
        (Resource.topics.through.objects.all(), ("pk",)),
    ]
)


def library_version() -> str:
    """A key part that changes whenever what a query finds may: the resources (a write goes
    through a service that saves `updated_at`), their search entries (rewritten with
    `indexed_at` whenever a resource is indexed, its file's text read in the background
    included), the topics and which resource has which, in one query from indexes
    (core.fingerprints)."""
    return _LIBRARY_VERSION()


def topic_choices(version: str) -> list[tuple[str, str]]:
    """Every topic as (slug, name), for the search form, cached under `version`
    (`library_version()`, which the page reads once for this and its search)."""
    key = cache_key("library:topics", version)
    choices: list[tuple[str, str]] | None = cache.get(key)
    if choices is None:
        choices = list(Topic.objects.values_list("slug", "name"))
        cache.set(key, choices, FOUND_SECONDS)
    return choices


def _found(terms: list[Term], levels: list[str], version: str) -> list[Found]:
    """The resources at these access levels matching every word, best first (with no words:
    all of them, featured first, then by title), at most MAX_RESULTS, each with its
    `topic_list`; cached under the words' stems, the levels and `version` (the
    ranking and reading them was most of a search page's time at 5,000 resources)."""
    asked = [(sorted(term.stems), term.prefix) for term in terms]
    key = cache_key("library:found", asked, sorted(levels), version)
    found: list[Found] | None = cache.get(key)
    if found is None:
        if terms:
            rows = _ranked_rows(terms, levels)
        else:
            everything = Resource.objects.filter(access__in=levels).order_by("-featured", "title")
            rows = list(everything.values_list(*CARD_FIELDS)[:MAX_RESULTS])
        found = _with_topics(rows)
        cache.set(key, found, FOUND_SECONDS)
    return found


def search(
    query: str,
    *,
    language: str | None = None,
    topics: Iterable[str] = (),
    kind: str | None = None,
    user: Any,
    access: Access | None = None,
    version: str | None = None,
) -> Results:
    """The resources `user` may open that match `query` (every word, through its stems; an
    empty query matches all, featured first, then by title), narrowed to a language, topics
    (slugs, all of them) and a kind, best match first. Facet counts are over the matches
    before the topic, language and kind filters, so each choice shows what it would give.
    Pass `access` when the caller has it (a view's `request_access`), and `version`
    (`library_version()`) when it has read it."""
    access = access or access_for(user)
    languages = [language] if language else [code for code, _ in settings.LANGUAGES]
    terms = query_terms(query or "", languages)
    ordered = _found(terms, open_levels(access), version or library_version())
    facets = _facets(ordered)
    wanted = set(topics)
    chosen = [
        resource
        for resource in ordered
        if (not language or resource.language == language)
        and (not kind or resource.kind == kind)
        and wanted <= {t.slug for t in resource.topic_list}
    ]
    return Results(chosen, *facets)
