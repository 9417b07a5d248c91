"""Search: one interface over titles, summaries and the text inside documents, stemmed in each
resource's language (en, fr, es, de), accents folded, ranked, with facets; only what the user
may open."""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.library.helpers import committee, document, docx_upload, link, pdf_upload, topic
from twinning.core.authz import SYSTEM
from twinning.library.models import Resource, SearchEntry, Version
from twinning.library.search import search
from twinning.library.services.resources import update_resource

vectors_migration = importlib.import_module("twinning.library.migrations.0005_search_vectors")

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def titles(results) -> list[str]:
    return [resource.title for resource in results]


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("en", "Fundraising for twinning festivals", "fundraiser"),
        ("fr", "Collectes de fonds pour les jumelages", "collecte"),
        ("es", "Intercambios juveniles entre ciudades", "intercambio"),
        ("de", "Städtepartnerschaften für Jugendliche", "Städtepartnerschaft"),
    ],
)
def test_a_stemmed_form_finds_the_resource_in_its_language(language, title, query):
    link(title, language=language)
    link("Unrelated notes", language=language)

    assert titles(search(query, user=ANONYMOUS)) == [title]
    assert titles(search(query, language=language, user=ANONYMOUS)) == [title]


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("en", "Café culture exchanges", "cafe"),
        ("fr", "Économie créative et jumelage", "economie creative"),
        ("es", "Recaudación de fondos para desastres", "recaudacion"),
        ("de", "Städtepartnerschaften für Jugendliche", "stadtepartnerschaften"),
    ],
)
def test_accents_are_folded_in_each_language(language, title, query):
    link(title, language=language)

    assert titles(search(query, user=ANONYMOUS)) == [title]


def test_a_title_match_ranks_above_a_match_in_the_summary_only():
    link("Festival planning", summary="A chapter covers fundraising among other things.")
    link("Fundraising guide", summary="How committees raise money.")

    assert titles(search("fundraising", user=ANONYMOUS)) == [
        "Fundraising guide",
        "Festival planning",
    ]


# A small corpus per language: the word asked in a title, the word in a summary only, a word
# that only begins like it (another stem), and nothing of it.
RANKING_CORPORA = {
    "en": (
        "partner",
        [
            ("Finding a partner city", "Steps for a committee."),
            ("Annual report", "How each committee met its partner abroad."),
            ("Partnership agreements", "Templates to sign."),
            ("Budget sheet", "Columns for costs."),
        ],
    ),
    "fr": (
        "échange",
        [
            ("Guide de l'échange", "Les étapes pour un comité."),
            ("Rapport annuel", "Ce que chaque échange a apporté cette année."),
            ("L'échangeur de chaleur", "Une étude comparée."),
            ("Tableau du budget", "Les colonnes des coûts."),
        ],
    ),
    "es": (
        "ciudad",
        [
            ("La ciudad abierta", "Pasos para un comité."),
            ("Informe anual", "Lo que hizo cada ciudad este año."),
            ("Ciudadanía activa", "Un estudio comparado."),
            ("Hoja de presupuesto", "Las columnas de los costes."),
        ],
    ),
    "de": (
        "Verein",
        [
            ("Der Verein und seine Mitglieder", "Schritte für ein Komitee."),
            ("Jahresbericht", "Was jeder Verein in diesem Jahr getan hat."),
            ("Vereinbarungen schließen", "Eine vergleichende Studie."),
            ("Haushaltsplan", "Die Spalten der Kosten."),
        ],
    ),
}


@pytest.mark.parametrize("language", sorted(RANKING_CORPORA))
def test_the_better_match_ranks_first_in_each_language(language):
    query, corpus = RANKING_CORPORA[language]
    for title, summary in reversed(corpus):  # created worst first: the order is the ranking's
        link(title, summary=summary, language=language)
    in_title, in_summary, begun, _unrelated = (title for title, _ in corpus)

    assert titles(search(query, user=ANONYMOUS)) == [in_title, in_summary, begun]
    assert titles(search(query, language=language, user=ANONYMOUS)) == [
        in_title,
        in_summary,
        begun,
    ]


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("en", "Twinning handbook", "twin"),
        ("en", "Municipalities learning from each other", "municipalit"),
        ("fr", "Le jumelage des villes", "jumel"),
        ("es", "Hermanamientos entre ciudades", "hermanam"),
        ("de", "Städtepartnerschaften für Jugendliche", "Städtepart"),
    ],
)
def test_a_word_begun_finds_the_resource(language, title, query):
    link(title, language=language)
    link("Unrelated notes", language=language)

    assert titles(search(query, user=ANONYMOUS)) == [title]
    assert titles(search(query, language=language, user=ANONYMOUS)) == [title]


def test_a_word_begun_inside_a_document_finds_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document("Guide", docx_upload("Intermunicipal cooperation"), access="public")

    assert titles(search("intermunic", user=ANONYMOUS)) == ["Guide"]


def test_two_letters_are_not_taken_as_the_start_of_a_word():
    link("Twinning handbook")

    assert titles(search("tw", user=ANONYMOUS)) == []
    assert titles(search("twi", user=ANONYMOUS)) == ["Twinning handbook"]


@pytest.mark.postgres
def test_on_postgresql_a_word_begun_matches_and_the_ranking_holds():
    """The tests above run on the database configured (SQLite under `make test`, PostgreSQL
    under `make test-postgres`); this one states that PostgreSQL's own query is exercised."""
    assert connection.vendor == "postgresql"
    query, corpus = RANKING_CORPORA["de"]
    for title, summary in reversed(corpus):
        link(title, summary=summary, language="de")
    link("Twinning handbook")

    assert titles(search("twin", user=ANONYMOUS)) == ["Twinning handbook"]
    assert titles(search("vereinb", user=ANONYMOUS)) == ["Vereinbarungen schließen"]
    assert titles(search(query, user=ANONYMOUS)) == [title for title, _ in corpus[:3]]


def test_on_sqlite_the_search_reads_the_fts5_table():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test above")
    link("Twinning handbook")

    with CaptureQueriesContext(connection) as captured:
        found = titles(search("twin", user=ANONYMOUS))

    assert found == ["Twinning handbook"]
    assert any("library_search_fts MATCH" in q["sql"] for q in captured.captured_queries)


def test_every_word_asked_must_match():
    link("Youth exchange handbook")
    link("Youth summit report")

    assert titles(search("youth exchange", user=ANONYMOUS)) == ["Youth exchange handbook"]


def test_words_inside_a_pdf_are_found_once_its_text_is_read(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document("Annual toolkit", pdf_upload("Partnership agreements with municipalities"))

    found = search("municipality", user=ANONYMOUS, access=_member_access())

    assert titles(found) == ["Annual toolkit"]
    assert Version.objects.get().text_state == Version.TextState.DONE


def test_words_inside_a_docx_are_found_once_its_text_is_read(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document("Guide", docx_upload("Disaster relief logistics"), access=Resource.Access.PUBLIC)

    assert titles(search("logistic", user=ANONYMOUS)) == ["Guide"]


def test_a_query_of_punctuation_only_lists_everything_the_user_may_open():
    link("Open guide")
    link("Members guide", access=Resource.Access.MEMBERS)

    assert titles(search('"*) ( -', user=ANONYMOUS)) == ["Open guide"]


def test_member_only_and_staff_only_resources_are_found_only_by_those_who_may_open_them():
    link("Public fundraising", access=Resource.Access.PUBLIC)
    link("Members fundraising", access=Resource.Access.MEMBERS)
    link("Staff fundraising", access=Resource.Access.STAFF)
    _, admin = committee("Springfield Sister Cities", "admin@springfield.example")
    _, former = committee("Shelbyville", "admin@shelbyville.example", standing=False)

    assert titles(search("fundraising", user=ANONYMOUS)) == ["Public fundraising"]
    assert titles(search("fundraising", user=former)) == ["Public fundraising"]
    assert sorted(titles(search("fundraising", user=admin))) == [
        "Members fundraising",
        "Public fundraising",
    ]


def test_facets_count_topics_languages_and_kinds_among_the_matches():
    link("Youth guide", topics=[topic("youth"), topic("exchanges")])
    link("Guide jeunesse", language="fr", topics=[topic("youth")])
    link("Budget guide", topics=[topic("fundraising")])
    link("Another thing")

    results = search("guide", user=ANONYMOUS)

    assert {(f.value, f.count) for f in results.topics} == {
        ("youth", 2),
        ("exchanges", 1),
        ("fundraising", 1),
    }
    assert [(f.value, f.count) for f in results.languages] == [("en", 2), ("fr", 1)]
    assert [(f.value, f.count) for f in results.kinds] == [("link", 3)]


def test_topic_language_and_kind_narrow_the_results():
    link("Youth guide", topics=[topic("youth")])
    link("Guide jeunesse", language="fr", topics=[topic("youth")])
    link("Budget guide", topics=[topic("fundraising")])

    assert sorted(titles(search("guide", topics=["youth"], user=ANONYMOUS))) == [
        "Guide jeunesse",
        "Youth guide",
    ]
    assert titles(search("", language="fr", user=ANONYMOUS)) == ["Guide jeunesse"]
    assert titles(search("", kind="document", user=ANONYMOUS)) == []


def _member_access():
    from twinning.library.access import Access

    return Access(good=[object()])


def _explain(sql: str) -> str:
    """PostgreSQL's plan for `sql` with sequential scans, plain index scans and nested loops
    discouraged: a test's tables are tiny, so the planner would otherwise read the entry by
    its key, whatever the other indexes; this asks whether the match can use the GIN one."""
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_nestloop"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_on_postgresql_the_entry_keeps_its_vectors_in_step_with_the_text():
    resource = link("Twinning handbook", summary="Youth exchanges.")

    resource.title = "Partnership guide"
    update_resource(resource=resource, by=SYSTEM)

    entry = SearchEntry.objects.get(resource=resource)
    assert "'partnership':1A" in str(entry.stems_vector)
    assert titles(search("partnership", user=ANONYMOUS)) == ["Partnership guide"]
    assert titles(search("handbook", user=ANONYMOUS)) == []


@pytest.mark.postgres
def test_on_postgresql_a_query_matches_through_the_gin_index_not_per_row_tsvectors():
    link("Twinning handbook")

    with CaptureQueriesContext(connection) as captured:
        assert titles(search("twinning", user=ANONYMOUS)) == ["Twinning handbook"]

    (sql,) = [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]
    assert "to_tsvector" not in sql
    assert "Bitmap Index Scan on library_searchentry_vectors_gin" in _explain(sql)


@pytest.mark.postgres
def test_on_postgresql_the_migration_fills_the_vectors_of_existing_entries():
    link("Twinning handbook")
    SearchEntry.objects.update(stems_vector=None, words_vector=None)

    with connection.cursor() as cursor:
        cursor.execute(vectors_migration.FILL)

    assert titles(search("twin", user=ANONYMOUS)) == ["Twinning handbook"]
