"""The SQLite full-text table of the library's search (library/search.py). PostgreSQL
ranks the same stemmed text with to_tsvector('simple', ...) and needs no table of its own.

The text is already folded and stemmed in Python; the tokenizer only splits words (and folds
again, harmlessly), so every language is stemmed by its own Snowball stemmer."""

from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
DROP = "DROP TABLE IF EXISTS library_search_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_default_topics")]

    operations = [migrations.RunPython(create, drop)]
