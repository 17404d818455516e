"""Counts kept for search and the document filters (sources/search.py keeps them)."""

from __future__ import annotations

from django.db import models

from .entities import Entity


class RecordCount(models.Model):
    """How many published documents mention a record.

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

    class Meta:
        verbose_name = "record count"
        indexes = [models.Index(fields=["kind", "-documents"], name="recordcount_kind_documents")]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.documents}"


class CountsSnapshot(models.Model):
    """The document list's counts with nothing filtered, kept until a document changes.

    ``version`` goes up with every change of a document (a signal); counts computed at
    version v are stored with ``computed_version`` = v only if no change came meanwhile,
    and used while the two agree.
    """

    name = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=0)
    computed_version = models.BigIntegerField(default=-1)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "counts snapshot"

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
