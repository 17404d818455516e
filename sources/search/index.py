"""Keeping search up to date when records change, never at query time.

A document is re-indexed (``Document.search_vector``, or ``search_terms`` on SQLite)
when it, its mentions, or the names of the records it mentions change, and the
published documents of the records concerned are recounted (``RecordCount``). The
receivers in ``sources.signals`` call the functions here. Fixture loads (``raw`` saves)
are indexed once, when they commit. Bulk writes that bypass signals (the search
benchmark's COPY, a restore) and databases migrated with documents in them call
``rebuild()``, which ``manage.py rebuild_search`` runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from ..models import Document, Entity, Mention, PublicationStatus, RecordCount
from .engines import engine


def index_documents(ids: Iterable[int]) -> None:
    engine().index_documents(ids)


def documents_naming(entity_id: int) -> list[int]:
    return list(
        Mention.objects.filter(entity_id=entity_id)
        .values_list("document_id", flat=True)
        .distinct()
        .order_by()
    )


def records_named_in(document_id: int) -> list[int]:
    return list(
        Mention.objects.filter(document_id=document_id)
        .values_list("entity_id", flat=True)
        .distinct()
        .order_by()
    )


def count_records(entity_ids: Iterable[int]) -> None:
    """Recount the published documents that mention each record (RecordCount)."""
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        kinds = dict(Entity.objects.filter(pk__in=batch).values_list("pk", "kind"))
        counts = dict(
            Mention.objects.filter(
                entity_id__in=batch, document__status=PublicationStatus.PUBLISHED
            )
            .exclude(document_id__in=_deleting)
            .values("entity_id")
            .annotate(n=Count("document_id", distinct=True))
            .values_list("entity_id", "n")
        )
        RecordCount.objects.bulk_create(
            [
                RecordCount(entity_id=pk, kind=kind, documents=counts.get(pk, 0))
                for pk, kind in kinds.items()
            ],
            update_conflicts=True,
            unique_fields=["entity"],
            update_fields=["kind", "documents"],
        )


def count_all_records() -> None:
    count_records(Entity.objects.values_list("pk", flat=True))


def rebuild() -> tuple[int, int]:
    """Index every document and recount every record; returns (documents, records)."""
    ids = list(Document.objects.values_list("pk", flat=True).order_by("pk"))
    index_documents(ids)
    count_all_records()
    return len(ids), RecordCount.objects.count()


# Fixture loads (``raw`` saves: loaddata, load_corpus, restores) touch each document many
# times; their documents are indexed and their records counted once, when the load commits.
_pending: set[int] = set()
_pending_records: set[int] = set()
_deleting: set[int] = set()  # documents being deleted: their mentions no longer count


def _flush_pending() -> None:
    ids, records = sorted(_pending), sorted(_pending_records)
    _pending.clear()
    _pending_records.clear()
    if ids:
        index_documents(ids)
    if records:
        count_records(records)


def reindex(ids: Iterable[int], raw: bool, records: Iterable[int] = ()) -> None:
    """Index ``ids`` and recount ``records`` now, or once the fixture load commits."""
    ids, records = list(ids), list(records)
    if raw:
        _pending.update(ids)
        _pending_records.update(records)
        transaction.on_commit(_flush_pending)
        return
    if ids:
        index_documents(ids)
    if records:
        count_records(records)


def document_saved(document: Document, raw: bool) -> None:
    # Publishing or withdrawing changes the counts of every record the document names.
    reindex([document.pk], raw, [] if raw else records_named_in(document.pk))


def document_deleting(document: Document) -> None:
    _deleting.add(document.pk)
    document._search_records = records_named_in(document.pk)


def document_deleted(document: Document) -> None:
    try:
        count_records(getattr(document, "_search_records", []))
    finally:
        _deleting.discard(document.pk)


def mention_saving(mention: Mention, raw: bool) -> None:
    if mention.pk and not raw:
        mention._search_old_entity = (
            Mention.objects.filter(pk=mention.pk).values_list("entity_id", flat=True).first()
        )


def mention_changed(mention: Mention, raw: bool) -> None:
    if mention.document_id in _deleting:
        return  # the document's deletion recounts its records
    records = {mention.entity_id, getattr(mention, "_search_old_entity", None)} - {None}
    if raw or Document.objects.filter(pk=mention.document_id).exists():
        reindex([mention.document_id], raw, records)


def names_changed(entity_id: int, raw: bool) -> None:
    """A record's names changed: the documents naming it carry its names in their index."""
    reindex(documents_naming(entity_id), raw)
