"""Counts kept for search and the document filters (sources/search.py keeps them)."""

from __future__ import annotations

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
