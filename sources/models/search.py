"""Counts kept for search and the document filters (sources/search.py keeps them)."""

from __future__ import annotations

import json

from django.db import models

from .entities import Entity


class RecordCount(models.Model):
    """How many published documents mention a record (and how many mentions it has).

    The document list shows, for each person, place, organization and event, how many
    documents it would give; with a million mentions that count is kept here, updated
    when mentions or documents change, instead of being counted on every page.
    A record no published document mentions may have no row (its count is 0).
    """

    entity = models.OneToOneField(
        Entity, on_delete=models.CASCADE, primary_key=True, related_name="record_count"
    )
    kind = models.CharField(max_length=12, help_text="The record's kind, for the facets.")
    documents = models.PositiveIntegerField(default=0)
    # Every mention of the record, in any document (drafts too): what the admin's record
    # lists show and sort by, where counting them per row sorted every record's mentions.
    # ``db_default`` so a writer that does not know the column still inserts.
    mentions = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = "record count"
        indexes = [
            models.Index(fields=["kind", "-documents"], name="recordcount_kind_documents"),
            models.Index(fields=["kind", "-mentions"], name="recordcount_kind_mentions"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.documents}"


class CountsSnapshot(models.Model):
    """The document list's counts with nothing filtered, kept while the archive is
    unchanged: valid while ``token`` is the archive version's token (ArchiveVersion,
    which every change replaces)."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "counts snapshot"

    def __str__(self) -> str:
        return f"{self.name} at {self.token[:8]}"


class RecordIds(models.Field):
    """A list of record ids in one column: ``integer[]`` on PostgreSQL (unnested by
    the facets' counts), a JSON array as text elsewhere (read by ``json_each``)."""

    description = "record ids"

    def db_type(self, connection) -> str:
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        ids = sorted({int(pk) for pk in value})
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


class DocumentRecords(models.Model):
    """What the document filters count, for one document, in one narrow row: the
    records it touches (mentions, agents, event links) and its filter columns.

    Kept by the search index's upkeep (``sources.search.index``) whenever the
    document is indexed, so a search's facets read one small row per match, where
    counting its records read every mention of every match (1,925 matches: ~20,000
    links). The row is also the memory of what ``FacetCount`` counted for the
    document, so that a change moves its count from its old group to its new one.
    Derived: left out of backups, rebuilt by ``rebuild()``."""

    document = models.OneToOneField(
        "sources.Document", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    records = RecordIds(default=list)
    published = models.BooleanField(default=False)
    document_type = models.CharField(max_length=24, blank=True)
    source_kind = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=8, blank=True)
    repository_id = models.IntegerField(null=True)  # no key: a derived copy
    date_earliest = models.DateField(null=True)
    date_latest = models.DateField(null=True)

    class Meta:
        verbose_name = "document's records"
        verbose_name_plural = "documents' records"

    def __str__(self) -> str:
        return f"{self.document_id}: {len(self.records or [])} records"
