"""PostgreSQL: the search entry's tsvectors stored (filled here for every entry, then written
with the entry by search.index_resource) and a GIN index on their concatenation, so a query
matches through the index instead of building every entry's tsvector. On SQLite the two
columns stay empty: the FTS5 table is its index."""

import django.contrib.postgres.search
from django.db import migrations

INDEX = "library_searchentry_vectors_gin"
CREATE_INDEX = (
    f"CREATE INDEX {INDEX} ON library_searchentry USING gin ((stems_vector || words_vector))"
)
FILL = (
    "UPDATE library_searchentry SET "
    "stems_vector = setweight(to_tsvector('simple'::regconfig, COALESCE(title_terms, '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(body_terms, '')), 'B'), "
    "words_vector = setweight(to_tsvector('simple'::regconfig, COALESCE(words, '')), 'C')"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FILL)
    schema_editor.execute(CREATE_INDEX)


def back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_words")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="stems_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="words_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, back),
    ]
