"""Prefix search: each search entry keeps its words folded but unstemmed (`words`), and the
SQLite FTS5 table gets them as a third column with prefix indexes for 3 and 4 characters.
Every resource is indexed again (on PostgreSQL the entry's columns are all there is)."""

from django.db import migrations, models

CREATE = (
    "CREATE VIRTUAL TABLE library_search_fts USING fts5("
    "title, body, words, tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4')"
)
CREATE_BEFORE = (
    "CREATE VIRTUAL TABLE library_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
DROP = "DROP TABLE IF EXISTS library_search_fts"


def reindex(apps, schema_editor):
    from twinning.library.search import entry_fields, write_fts_row

    Resource = apps.get_model("library", "Resource")
    SearchEntry = apps.get_model("library", "SearchEntry")
    Version = apps.get_model("library", "Version")
    on_sqlite = schema_editor.connection.vendor == "sqlite"
    if on_sqlite:
        schema_editor.execute(DROP)
        schema_editor.execute(CREATE)
    with schema_editor.connection.cursor() as cursor:
        for resource in Resource.objects.prefetch_related("topics"):
            current = Version.objects.filter(resource=resource).order_by("-number").first()
            fields = entry_fields(resource, current.text if current else "")
            SearchEntry.objects.update_or_create(resource=resource, defaults=fields)
            if on_sqlite:
                write_fts_row(cursor, resource.pk, fields)


def back(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(DROP)
    schema_editor.execute(CREATE_BEFORE)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO library_search_fts (rowid, title, body) "
            "SELECT resource_id, title_terms, body_terms FROM library_searchentry"
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_fts")]

    operations = [
        migrations.AddField(
            model_name="searchentry", name="words", field=models.TextField(blank=True)
        ),
        migrations.RunPython(reindex, back),
    ]
