"""Kept counts for the search and list facets (issue 13): each document's kept row (the
records it touches and its filter columns, ``DocumentRecords``) and the list's
pre-aggregated facet counts (``FacetCount``), filled here from the documents and links
already there; the search index's upkeep (``sources.search.index``) keeps both current
from now on, and ``manage.py rebuild_search`` rebuilds them."""

import django.db.models.deletion
from django.db import migrations, models

import sources.models.fields

COLUMNS = "document_type, source_kind, language, repository_id, date_earliest, date_latest"
KINDS = {"person": "person_ids", "place": "place_ids", "organization": "organization_ids",
         "event": "event_ids"}  # fmt: skip
LISTS = ", ".join(KINDS.values())
LINKS = (
    "SELECT document_id, entity_id FROM sources_mention "
    "UNION ALL SELECT document_id, entity_id FROM sources_documentagent "
    "UNION ALL SELECT document_id, event_id FROM sources_documentevent"
)
POSTGRES_LISTS = ", ".join(
    f"array_agg(DISTINCT u.entity_id ORDER BY u.entity_id) FILTER (WHERE e.kind = '{kind}')"
    f"::integer[] AS {field}"
    for kind, field in KINDS.items()
)
SQLITE_LISTS = ", ".join(
    f"""COALESCE((SELECT json_group_array(entity_id) FROM (
        SELECT DISTINCT u.entity_id FROM ({LINKS}) u JOIN sources_entity e ON e.id = u.entity_id
        WHERE u.document_id = d.id AND e.kind = '{kind}' ORDER BY u.entity_id)), '[]')"""
    for kind in KINDS
)
FILL = {
    "postgresql": f"""
        INSERT INTO sources_documentrecords (document_id, {LISTS}, published, {COLUMNS})
        SELECT d.id, {", ".join(f"COALESCE(l.{field}, '{{}}')" for field in KINDS.values())},
            d.status = 'published', {COLUMNS}
        FROM sources_document d LEFT JOIN (
            SELECT u.document_id, {POSTGRES_LISTS}
            FROM ({LINKS}) u JOIN sources_entity e ON e.id = u.entity_id
            GROUP BY u.document_id
        ) l ON l.document_id = d.id
    """,
    "sqlite": f"""
        INSERT INTO sources_documentrecords (document_id, {LISTS}, published, {COLUMNS})
        SELECT d.id, {SQLITE_LISTS}, d.status = 'published', {COLUMNS}
        FROM sources_document d
    """,
}


YEAR = {
    "postgresql": "CAST(EXTRACT(year FROM {}) AS integer)",
    "sqlite": "CAST(strftime('%Y', {}) AS integer)",
}
GROUP = "document_type, source_kind, language, repository_id, first_year, last_year"


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in FILL:
        return
    schema_editor.execute(FILL[vendor])
    year = YEAR[vendor]
    # The list's facet counts, from the kept rows just written.
    schema_editor.execute(
        f"""INSERT INTO sources_facetcount ({GROUP}, documents)
        SELECT document_type, source_kind, language, COALESCE(repository_id, 0),
            COALESCE({year.format("date_earliest")}, 0), COALESCE({year.format("date_latest")}, 0),
            COUNT(*)
        FROM sources_documentrecords WHERE published
        GROUP BY 1, 2, 3, 4, 5, 6"""
    )


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
                ("person_ids", sources.models.fields.RecordIds(default=list)),
                ("place_ids", sources.models.fields.RecordIds(default=list)),
                ("organization_ids", sources.models.fields.RecordIds(default=list)),
                ("event_ids", sources.models.fields.RecordIds(default=list)),
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
        migrations.AddIndex(
            model_name="documentrecords",
            index=models.Index(
                condition=models.Q(("published", True)),
                fields=["date_latest"],
                name="documentrecords_latest",
            ),
        ),
        migrations.AddIndex(
            model_name="documentrecords",
            index=models.Index(
                condition=models.Q(("published", True)),
                fields=["date_earliest"],
                name="documentrecords_earliest",
            ),
        ),
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("document_type", models.CharField(max_length=24)),
                ("source_kind", models.CharField(max_length=16)),
                ("language", models.CharField(max_length=8)),
                ("repository_id", models.IntegerField(default=0)),
                ("first_year", models.IntegerField(default=0)),
                ("last_year", models.IntegerField(default=0)),
                ("documents", models.IntegerField(default=0)),
            ],
            options={"verbose_name": "facet count"},
        ),
        migrations.AddConstraint(
            model_name="facetcount",
            constraint=models.UniqueConstraint(
                fields=(
                    "document_type",
                    "source_kind",
                    "language",
                    "repository_id",
                    "first_year",
                    "last_year",
                ),
                name="facetcount_group",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
