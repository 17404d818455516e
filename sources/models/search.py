"""Counts kept for search and the document filters (sources/search.py keeps them)."""

from __future__ import annotations

from django.db import models

from .entities import Entity
from .fields import RecordIds


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
    # The published documents that mention the record in words (``documents`` also
    # counts those naming it only as an author, recipient… or recording it as an
    # event): the number of sources its page lists and pages through, which counting
    # took 30–60 ms for a record named by ten thousand documents.
    named_in = models.PositiveIntegerField(default=0, db_default=0)

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


# The kept row's list of records for each kind (EntityKind value -> field).
RECORD_FIELDS = {
    "person": "person_ids",
    "place": "place_ids",
    "organization": "organization_ids",
    "event": "event_ids",
}


class DocumentRecords(models.Model):
    """What the document filters count, for one document, in one narrow row: the
    records it touches (mentions, agents, event links), by kind, and its filter
    columns.

    Kept by the search index's upkeep (``sources.search.index``) whenever the
    document is indexed, so a search's facets read one small row per match, where
    counting its records read every mention of every match (1,925 matches: ~20,000
    links) and grouping its columns read the wide document rows once more.
    Derived: left out of backups, rebuilt by ``rebuild()``."""

    document = models.OneToOneField(
        "sources.Document", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    person_ids = RecordIds(default=list)
    place_ids = RecordIds(default=list)
    organization_ids = RecordIds(default=list)
    event_ids = RecordIds(default=list)
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
        indexes = [  # the documents of one year, for a list's date filters (FacetCount)
            models.Index(
                fields=["date_latest"],
                condition=models.Q(published=True),
                name="documentrecords_latest",
            ),
            models.Index(
                fields=["date_earliest"],
                condition=models.Q(published=True),
                name="documentrecords_earliest",
            ),
        ]

    def __str__(self) -> str:
        count = sum(len(getattr(self, field) or []) for field in RECORD_FIELDS.values())
        return f"{self.document_id}: {count} records"


# The columns that make one group of FacetCount: its unique constraint, and what the
# index upkeep and the facets group by (sources.search.index, sources.search.facets).
FACET_GROUP = (
    "document_type",
    "source_kind",
    "language",
    "repository_id",
    "first_year",
    "last_year",
)


class FacetCount(models.Model):
    """How many published documents have each combination of the columns the
    document list's filters count (type, primary/secondary, language, holding
    archive, first and last year): the list's counts, pre-aggregated.

    A list filtered by columns or dates counts from these few thousand rows (whose
    number does not grow with the archive), where grouping every published document
    took ~120 ms at 100,000 documents; only the documents of a year a date filter
    cuts through (1945-11) are read. Kept current by the search index's upkeep
    (``sources.search.index``), which moves a document's count from the group its
    kept row (``DocumentRecords``) recorded to its new one. 0 stands for no
    archive and no year (a unique key treats NULLs as distinct). Derived: left out
    of backups, recomputed by ``rebuild()``."""

    document_type = models.CharField(max_length=24)
    source_kind = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    repository_id = models.IntegerField(default=0)
    first_year = models.IntegerField(default=0)
    last_year = models.IntegerField(default=0)
    documents = models.IntegerField(default=0)

    class Meta:
        verbose_name = "facet count"
        constraints = [models.UniqueConstraint(fields=list(FACET_GROUP), name="facetcount_group")]

    def __str__(self) -> str:
        return f"{self.document_type}/{self.source_kind}/{self.language}: {self.documents}"
