"""Search: the documents' search index, and on PostgreSQL the extensions, text search
configuration and GIN indexes it runs on.

The PostgreSQL-only steps check ``schema_editor.connection.vendor``, so SQLite runs the
same migration and simply gets the plain fields. The index's contents derive from the
records, so this migration does not compute them (a migration that imports app code
breaks when that code changes): after migrating a database that already holds
documents, run ``manage.py rebuild_search`` (``make run`` and ``load_corpus`` index
what they load).
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

CONFIG = "archive_search"

POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # English parsing, stemming and stop words; accents folded for words with letters
    # beyond ASCII (the highlighting reads the original text, where they still stand).
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.english);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
    END $$""",
]
POSTGRES_TEARDOWN = [f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}"]

POSTGRES_INDEXES = [
    # Full-text search of documents.
    "CREATE INDEX IF NOT EXISTS document_search_vector "
    "ON sources_document USING gin (search_vector)",
    # Records by any of their names, word by word (sources.search.engines.postgres).
    "CREATE INDEX IF NOT EXISTS entity_search_names_fts "
    f"ON sources_entity USING gin (to_tsvector('{CONFIG}'::regconfig, search_names))",
    # Near misses ("Pishevary") and suggestions as the reader types: trigrams.
    "CREATE INDEX IF NOT EXISTS entity_search_names_trgm "
    "ON sources_entity USING gin (search_names gin_trgm_ops)",
]
POSTGRES_DROP_INDEXES = [
    "DROP INDEX IF EXISTS document_search_vector",
    "DROP INDEX IF EXISTS entity_search_names_fts",
    "DROP INDEX IF EXISTS entity_search_names_trgm",
]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0005_archive_version"),
    ]

    operations = [
        migrations.RunPython(on_postgres(POSTGRES_SETUP), on_postgres(POSTGRES_TEARDOWN)),
        migrations.AddField(
            model_name="document",
            name="search_terms",
            field=models.TextField(blank=True, default="", editable=False, serialize=False),
        ),
        migrations.AddField(
            model_name="document",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, serialize=False
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["status", "title"], name="document_status_title"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=[
                    "status",
                    "document_type",
                    "source_kind",
                    "language",
                    "repository",
                    "date_earliest",
                    "date_latest",
                    "id",
                ],
                name="document_facets",
            ),
        ),
        migrations.CreateModel(
            name="RecordCount",
            fields=[
                (
                    "entity",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="record_count",
                        serialize=False,
                        to="sources.entity",
                    ),
                ),
                (
                    "kind",
                    models.CharField(help_text="The record's kind, for the facets.", max_length=12),
                ),
                ("documents", models.PositiveIntegerField(default=0)),
            ],
            options={"verbose_name": "record count"},
        ),
        migrations.CreateModel(
            name="CountsSnapshot",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("token", models.CharField(blank=True, max_length=32)),
                ("data", models.JSONField(blank=True, default=dict)),
            ],
            options={"verbose_name": "counts snapshot"},
        ),
        migrations.AddIndex(
            model_name="recordcount",
            index=models.Index(fields=["kind", "-documents"], name="recordcount_kind_documents"),
        ),
        migrations.RunPython(on_postgres(POSTGRES_INDEXES), on_postgres(POSTGRES_DROP_INDEXES)),
    ]
