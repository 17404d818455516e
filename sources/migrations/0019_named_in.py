from django.db import migrations, models

# The published documents that mention each record, from the mentions already there
# (the index upkeep, sources.search.index.count_records, keeps the column current from
# now on; manage.py rebuild_search recounts it).
FILL_NAMED_IN = """
UPDATE sources_recordcount SET named_in = (
    SELECT COUNT(DISTINCT m.document_id) FROM sources_mention m
    INNER JOIN sources_document d ON d.id = m.document_id
    WHERE m.entity_id = sources_recordcount.entity_id AND d.status = 'published'
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0018_s_tails"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordcount",
            name="named_in",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.RunSQL(FILL_NAMED_IN, migrations.RunSQL.noop, elidable=True),
    ]
