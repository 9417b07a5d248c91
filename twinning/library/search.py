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

Both see the same words, so a query ranks resources the same way on both."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F
from django.db.models.expressions import CombinedExpression

from twinning.library.access import Access, access_for, open_levels
from twinning.library.models import Resource, SearchEntry, Topic
from twinning.library.text import Term, query_terms, stems, words

MAX_RESULTS = 100
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
_FTS5_SEARCH = (
    "SELECT fts.rowid FROM library_search_fts AS fts "
    "JOIN library_resource AS resource ON resource.id = fts.rowid "
    "WHERE library_search_fts MATCH %s AND resource.access IN (%s, %s, %s) "
    "ORDER BY bm25(library_search_fts, %s, 1.0, %s), fts.rowid LIMIT %s"
)


def _ranked_ids(terms: list[Term], levels: list[str]) -> list[int]:
    """Ids of the resources at these access levels matching every word, best first."""
    if connection.vendor == "sqlite":
        padded = (levels + levels[:1] * 3)[:3]  # the IN list has three places
        weights = [TITLE_WEIGHT, PREFIX_WEIGHT]
        with connection.cursor() as cursor:
            cursor.execute(_FTS5_SEARCH, [_fts5_query(terms), *padded, *weights, MAX_RESULTS])
            return [row[0] for row in cursor.fetchall()]
    return _postgresql_ranked_ids(terms, levels)


def _postgresql_ranked_ids(terms: list[Term], levels: list[str]) -> list[int]:
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
        .values_list("resource_id", flat=True)[:MAX_RESULTS]
    )


# --- The one query interface ---------------------------------------------------------------


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Results:
    """The ranked resources (iterate over it) and the facet counts among them."""

    resources: list[Resource]
    topics: list[Facet] = field(default_factory=list)
    languages: list[Facet] = field(default_factory=list)
    kinds: list[Facet] = field(default_factory=list)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)


def _with_topics(resources: list[Resource]) -> list[Resource]:
    """Each resource with `topic_list`, its topics by name, read in one query (a prefetch
    would clone a queryset per resource: a tenth of a second on a page of 100), as value rows
    with one `Topic` per topic shared by the resources that have it (a link and a topic
    instance per row were a sixth of a search page's time at 100 results)."""
    by_resource: dict[int, list[Topic]] = {resource.pk: [] for resource in resources}
    links = Resource.topics.through.objects.filter(resource_id__in=list(by_resource))
    shared: dict[int, Topic] = {}
    for resource_id, pk, slug, name in links.order_by("topic__name").values_list(
        "resource_id", "topic_id", "topic__slug", "topic__name"
    ):
        topic = shared.get(pk)
        if topic is None:
            topic = shared[pk] = Topic(pk=pk, slug=slug, name=name)
        by_resource[resource_id].append(topic)
    for resource in resources:
        resource.topic_list = by_resource[resource.pk]
    return resources


def _facets(resources: Iterable[Resource]) -> tuple[list[Facet], list[Facet], list[Facet]]:
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


def search(
    query: str,
    *,
    language: str | None = None,
    topics: Iterable[str] = (),
    kind: str | None = None,
    user: Any,
    access: Access | None = None,
) -> Results:
    """The resources `user` may open that match `query` (every word, through its stems; an
    empty query matches all, featured first, then by title), narrowed to a language, topics
    (slugs, all of them) and a kind, best match first. Facet counts are over the matches
    before the topic, language and kind filters, so each choice shows what it would give.
    Pass `access` when the caller has it (a view's `request_access`)."""
    access = access or access_for(user)
    allowed = Resource.objects.filter(access__in=open_levels(access))
    languages = [language] if language else [code for code, _ in settings.LANGUAGES]
    terms = query_terms(query or "", languages)
    if terms:
        ids = _ranked_ids(terms, open_levels(access))
        matched = {r.pk: r for r in allowed.filter(pk__in=ids)}
        ordered = _with_topics([matched[pk] for pk in ids if pk in matched])
    else:
        ordered = _with_topics(list(allowed.order_by("-featured", "title")[:MAX_RESULTS]))
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
