"""The word index behind the directory's name search (migration 0005_community_name_word_index):
FTS5 on SQLite, a trigram index on PostgreSQL. The search finds the same rows as before
(the start of any word, accents and case ignored), follows every way a community's name
changes, and the database answers it from the index."""

import pytest
from django.db import connection

from tests.factories import CommunityFactory
from twinning.network.models import WORDS_TABLE, Community
from twinning.network.text import fold

pytestmark = pytest.mark.django_db


def names(query):
    return sorted(Community.objects.search(query).values_list("name", flat=True))


def listed(client, query):
    page = client.get("/communities/", {"q": query})
    assert page.status_code == 200
    return sorted(c.name for c in page.context["page_obj"].object_list)


def test_the_directory_finds_the_start_of_any_word_ignoring_accents(anonymous):
    for name in ("São Paulo", "Zürich", "Saint-Étienne", "Le Puy-en-Velay", "Sandusky"):
        CommunityFactory(name=name)

    assert listed(anonymous, "sao pa") == ["São Paulo"]
    assert listed(anonymous, "ZUR") == ["Zürich"]
    assert listed(anonymous, "etien") == ["Saint-Étienne"]
    assert listed(anonymous, "puy en") == ["Le Puy-en-Velay"]
    assert listed(anonymous, "sa") == ["Saint-Étienne", "Sandusky", "São Paulo"]
    # Not inside a word.
    assert listed(anonymous, "aulo") == []
    assert listed(anonymous, "andusky") == []


def test_the_index_follows_new_renamed_and_deleted_communities():
    town = CommunityFactory(name="Oldtown")
    bulk = Community(
        name="Bulkville", slug="bulkville", search_name=fold("Bulkville"), country=town.country
    )
    Community.objects.bulk_create([bulk])
    assert names("old") == ["Oldtown"]
    assert names("bulk") == ["Bulkville"]

    town.name = "Newtown"
    town.save()
    Community.objects.filter(slug="bulkville").update(name="Raw", search_name="raw")
    assert names("old") == []
    assert names("new") == ["Newtown"]
    assert names("bulk") == []
    assert names("raw") == ["Raw"]

    town.delete()
    assert names("new") == []


def test_search_terms_are_words_not_index_syntax():
    CommunityFactory(name="Ville-d'Avray")
    CommunityFactory(name="Andover")

    for query in ('"', "*", "AND", "NOT ville", "NEAR(a b)", "^", "ville OR", "a:b", "-", "&&"):
        assert isinstance(names(query), list)
    assert names("d'avr") == ["Ville-d'Avray"]
    assert names("and") == ["Andover"]  # an FTS operator word is a plain word here


def test_the_database_answers_the_search_from_the_index():
    CommunityFactory(name="Santa Fe")
    sql, params = Community.objects.search("san").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and WORDS_TABLE in plan
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'community_search_name_trgm'"
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]
    assert names("san") == ["Santa Fe"]
