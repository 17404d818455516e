"""Indexes for the archive at scale (issue 13), PostgreSQL only (SQLite gets nothing):

- ``document_reading_order``: the document list's order (date, coverage, title, id)
  for published documents, carrying the columns the filters test, so a filtered list
  finds its page's ids in the index alone (an index-only scan), then reads 50 rows;
- trigram indexes (pg_trgm, made by 0006_search) on what the admin searches with
  ``icontains`` (``UPPER(column) LIKE``): documents' title, slug, summary and archival
  reference, and the words of a million mentions, where each admin search read every
  row.

Built as plain ``CREATE INDEX`` (a migration runs in a transaction); on a large live
archive, create them ``CONCURRENTLY`` by hand first: ``IF NOT EXISTS`` then skips them.
"""

from django.db import migrations

INDEXES = {
    "document_reading_order": (
        "ON sources_document (status, date_earliest, coverage_earliest, title, id) "
        "INCLUDE (date_latest, source_kind, document_type, language, repository_id)"
    ),
    "document_title_trgm": "ON sources_document USING gin (upper(title::text) gin_trgm_ops)",
    "document_slug_trgm": "ON sources_document USING gin (upper(slug::text) gin_trgm_ops)",
    "document_summary_trgm": "ON sources_document USING gin (upper(summary::text) gin_trgm_ops)",
    "document_reference_trgm": (
        "ON sources_document USING gin (upper(archival_reference::text) gin_trgm_ops)"
    ),
    "mention_text_trgm": "ON sources_mention USING gin (upper(text::text) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0009_change_tokens"),
    ]

    operations = [migrations.RunPython(create, drop)]
