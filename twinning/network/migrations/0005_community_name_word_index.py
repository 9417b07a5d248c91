"""A word index on communities' search names, so the directory's name search (the start of
any word, accent- and case-insensitive: `CommunityQuerySet.search`) no longer reads the
whole table.

- SQLite: an FTS5 table over `search_name` (external content: the community table itself),
  kept in step by triggers on insert, update and delete, so bulk inserts, `update()` and raw
  SQL are indexed too. Django's SQLite schema editor rebuilds a table for most column
  changes, and the triggers go with the old table: a later migration that alters
  `network_community` on SQLite must run `install_sqlite_word_index` again
  (`tests/network/test_search_index.py` fails when it does not).
- PostgreSQL: a trigram GIN index (pg_trgm) on `search_name`, which serves the search's two
  `LIKE` patterns ('san%' and '% san%') directly.

The search names are already folded (`network.text.fold`), so both keep the accent-insensitive
behaviour; the query keeps the exact `LIKE` test, the index only narrows the rows."""

from django.db import migrations

FTS_TABLE = "network_community_words"

SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_name, "
    "content='network_community', content_rowid='id', tokenize='unicode61', prefix='1 2 3')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON network_community BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_name) VALUES (new.id, new.search_name); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON network_community BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_name "
    f"ON network_community BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_name) VALUES (new.id, new.search_name); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS community_search_name_trgm "
    "ON network_community USING gin (search_name gin_trgm_ops)",
]
POSTGRES_REMOVE = ["DROP INDEX IF EXISTS community_search_name_trgm"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install_sqlite_word_index(schema_editor):
    """Create (or re-create after a table rebuild) the FTS5 table and its triggers, and fill
    it from the communities. Idempotent."""
    _run(schema_editor, SQLITE_INSTALL)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        install_sqlite_word_index(schema_editor)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_INSTALL)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("network", "0004_api_tokens")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
