"""Each document's kept row for the search facets (issue 13): the records it touches
and its filter columns (``DocumentRecords``), filled here from the documents and links
already there; the search index's upkeep (``sources.search.index``) keeps it current
from now on, and ``manage.py rebuild_search`` rebuilds it."""

import django.db.models.deletion
from django.db import migrations, models

import sources.models.search

COLUMNS = "document_type, source_kind, language, repository_id, date_earliest, date_latest"
LINKS = (
    "SELECT document_id, entity_id FROM sources_mention "
    "UNION ALL SELECT document_id, entity_id FROM sources_documentagent "
    "UNION ALL SELECT document_id, event_id FROM sources_documentevent"
)
FILL = {
    "postgresql": f"""
        INSERT INTO sources_documentrecords (document_id, records, published, {COLUMNS})
        SELECT d.id, COALESCE(l.records, '{{}}'), d.status = 'published', {COLUMNS}
        FROM sources_document d LEFT JOIN (
            SELECT document_id,
                array_agg(DISTINCT entity_id ORDER BY entity_id)::integer[] AS records
            FROM ({LINKS}) u GROUP BY document_id
        ) l ON l.document_id = d.id
    """,
    "sqlite": f"""
        INSERT INTO sources_documentrecords (document_id, records, published, {COLUMNS})
        SELECT d.id, COALESCE((
            SELECT json_group_array(entity_id) FROM (
                SELECT DISTINCT entity_id FROM ({LINKS}) u
                WHERE u.document_id = d.id ORDER BY entity_id
            )
        ), '[]'), d.status = 'published', {COLUMNS}
        FROM sources_document d
    """,
}


def fill(apps, schema_editor):
    sql = FILL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0017_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentRecords",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="sources.document",
                    ),
                ),
                ("records", sources.models.search.RecordIds(default=list)),
                ("published", models.BooleanField(default=False)),
                ("document_type", models.CharField(blank=True, max_length=24)),
                ("source_kind", models.CharField(blank=True, max_length=16)),
                ("language", models.CharField(blank=True, max_length=8)),
                ("repository_id", models.IntegerField(null=True)),
                ("date_earliest", models.DateField(null=True)),
                ("date_latest", models.DateField(null=True)),
            ],
            options={
                "verbose_name": "document's records",
                "verbose_name_plural": "documents' records",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
