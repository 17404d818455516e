"""Keeping search up to date when records change, never at query time.

Signals re-index a document (``Document.search_vector``, or ``search_terms`` on SQLite)
when it, its mentions, or the names of the records it mentions change, and recount the
published documents of the records concerned (``RecordCount``). Fixture loads (``raw``
saves) are indexed once, when they commit. Bulk writes that bypass signals (the search
benchmark's COPY) call ``index_documents`` and ``count_all_records`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from .models import Document, Entity, Mention, NameVariant, PublicationStatus, RecordCount
from .search import engine


def index_documents(ids: Iterable[int]) -> None:
    engine().index_documents(ids)


def documents_naming(entity_id: int) -> list[int]:
    return list(
        Mention.objects.filter(entity_id=entity_id)
        .values_list("document_id", flat=True)
        .distinct()
        .order_by()
    )


def count_records(entity_ids: Iterable[int], models=None) -> None:
    """Recount the published documents that mention each record (RecordCount)."""
    entity_model, mention_model, count_model = models or (Entity, Mention, RecordCount)
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        kinds = dict(entity_model.objects.filter(pk__in=batch).values_list("pk", "kind"))
        counts = dict(
            mention_model.objects.filter(
                entity_id__in=batch, document__status=PublicationStatus.PUBLISHED
            )
            .exclude(document_id__in=_deleting)
            .values("entity_id")
            .annotate(n=Count("document_id", distinct=True))
            .values_list("entity_id", "n")
        )
        count_model.objects.bulk_create(
            [
                count_model(entity_id=pk, kind=kind, documents=counts.get(pk, 0))
                for pk, kind in kinds.items()
            ],
            update_conflicts=True,
            unique_fields=["entity"],
            update_fields=["kind", "documents"],
        )


def count_all_records(models=None) -> None:
    entity_model = (models or (Entity,))[0]
    count_records(entity_model.objects.values_list("pk", flat=True), models)


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


def _reindex(ids: Iterable[int], raw: bool, records: Iterable[int] = ()) -> None:
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


def _records_named_in(document_id: int) -> list[int]:
    return list(
        Mention.objects.filter(document_id=document_id)
        .values_list("entity_id", flat=True)
        .distinct()
        .order_by()
    )


def _document_saved(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    # Publishing or withdrawing changes the counts of every record the document names.
    _reindex([instance.pk], raw, [] if raw else _records_named_in(instance.pk))


def _document_deleting(sender, instance: Document, **kwargs) -> None:
    _deleting.add(instance.pk)
    instance._search_records = _records_named_in(instance.pk)


def _document_deleted(sender, instance: Document, **kwargs) -> None:
    try:
        count_records(getattr(instance, "_search_records", []))
    finally:
        _deleting.discard(instance.pk)


def _mention_saving(sender, instance: Mention, raw: bool = False, **kwargs) -> None:
    if instance.pk and not raw:
        instance._search_old_entity = (
            Mention.objects.filter(pk=instance.pk).values_list("entity_id", flat=True).first()
        )


def _mention_changed(sender, instance: Mention, raw: bool = False, **kwargs) -> None:
    if instance.document_id in _deleting:
        return  # the document's deletion recounts its records
    records = {instance.entity_id, getattr(instance, "_search_old_entity", None)} - {None}
    if raw or Document.objects.filter(pk=instance.document_id).exists():
        _reindex([instance.document_id], raw, records)


def _names_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    # Runs after the record's search_names were refreshed (those receivers are
    # connected when the models load, before this module's).
    if isinstance(instance, NameVariant):
        entity_id = instance.entity_id
    elif isinstance(instance, Entity):
        entity_id = instance.pk
    else:
        return
    _reindex(documents_naming(entity_id), raw)


def connect_signals() -> None:
    post_save.connect(_document_saved, sender=Document, dispatch_uid="search.document")
    pre_delete.connect(_document_deleting, sender=Document, dispatch_uid="search.doc_deleting")
    post_delete.connect(_document_deleted, sender=Document, dispatch_uid="search.doc_deleted")
    pre_save.connect(_mention_saving, sender=Mention, dispatch_uid="search.mention_saving")
    post_save.connect(_mention_changed, sender=Mention, dispatch_uid="search.mention_saved")
    post_delete.connect(_mention_changed, sender=Mention, dispatch_uid="search.mention_deleted")
    post_save.connect(_names_changed, dispatch_uid="search.names_saved")
    post_delete.connect(_names_changed, sender=NameVariant, dispatch_uid="search.variant_gone")
