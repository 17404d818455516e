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

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count

from ..models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentRecords,
    Entity,
    FacetCount,
    Mention,
    PublicationStatus,
    RecordCount,
)
from ..models.search import FACET_GROUP, RECORD_FIELDS
from .engines import engine


def index_documents(ids: Iterable[int]) -> None:
    ids = list(ids)
    engine().index_documents(ids)
    keep_document_records(ids)


# Every way a document touches a record: (link model, the link's record field). Search
# names, counts and filters use all three, so an author is found like a mention.
CONNECTIONS = ((Mention, "entity"), (DocumentAgent, "entity"), (DocumentEvent, "event"))


def documents_naming(entity_id: int) -> list[int]:
    """Documents that mention the record, name it as an agent or record it (event)."""
    found: set[int] = set()
    for model, field in CONNECTIONS:
        found.update(
            model.objects.filter(**{f"{field}_id": entity_id}).values_list("document_id", flat=True)
        )
    return sorted(found)


def records_named_in(document_id: int) -> list[int]:
    found: set[int] = set()
    for model, field in CONNECTIONS:
        found.update(
            model.objects.filter(document_id=document_id).values_list(f"{field}_id", flat=True)
        )
    return sorted(found)


def keep_document_records(ids: Iterable[int], batch_size: int = 1000) -> None:
    """Write each document's kept row (``DocumentRecords``): the records it touches
    and its filter columns, as they are now; and move its count in ``FacetCount``
    from the group its old row recorded to its new one. A few queries per batch,
    whatever its size; documents no longer there are skipped (their row went with
    them)."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        # What FacetCount counted for these documents (their kept rows, as they were).
        delta: Counter = Counter(
            _facet_group(*row)
            for row in DocumentRecords.objects.filter(
                document_id__in=batch, published=True
            ).values_list(*FACET_COLUMNS)
        )
        delta = Counter({group: -n for group, n in delta.items()})
        records: dict[int, dict[str, set[int]]] = {
            pk: {field: set() for field in RECORD_FIELDS.values()} for pk in batch
        }
        for model, field in CONNECTIONS:
            triples = (
                model.objects.filter(document_id__in=batch)
                .values_list("document_id", f"{field}_id", f"{field}__kind")
                .distinct()
                .order_by()
            )
            for document_id, entity_id, kind in triples:
                if kind in RECORD_FIELDS:
                    records[document_id][RECORD_FIELDS[kind]].add(entity_id)
        rows = [
            DocumentRecords(
                document_id=row[0],
                published=row[1] == PublicationStatus.PUBLISHED,
                **{field: sorted(ids) for field, ids in records[row[0]].items()},
                **dict(zip(FACET_COLUMNS, row[2:], strict=True)),
            )
            for row in Document.objects.filter(pk__in=batch).values_list(
                "pk", "status", *FACET_COLUMNS
            )
        ]
        for row in rows:
            if row.published:
                delta[_facet_group(*(getattr(row, name) for name in FACET_COLUMNS))] += 1
        DocumentRecords.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=[*RECORD_FIELDS.values(), "published", *FACET_COLUMNS],
        )
        count_facets(delta)


# A document's filter columns, as its kept row (DocumentRecords) and FacetCount hold them.
FACET_COLUMNS = (
    "document_type",
    "source_kind",
    "language",
    "repository_id",
    "date_earliest",
    "date_latest",
)


def _facet_group(document_type, source_kind, language, repository_id, earliest, latest) -> tuple:
    """A document's FacetCount group: its columns and years, 0 for none."""
    return (
        document_type,
        source_kind,
        language,
        repository_id or 0,
        earliest.year if earliest else 0,
        latest.year if latest else 0,
    )


def count_facets(delta: Counter) -> None:
    """Add ``delta`` (FacetCount group -> documents, negative to take away) to the
    kept counts, in one statement (an upsert that adds to the row there), and drop
    the groups left empty."""
    changes = [(group, n) for group, n in delta.items() if n]
    if not changes:
        return
    table = FacetCount._meta.db_table
    marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(changes))
    keys = ", ".join(FACET_GROUP)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({keys}, documents) VALUES {marks} "
            f"ON CONFLICT ({keys}) DO UPDATE "
            f"SET documents = {table}.documents + excluded.documents",
            [value for group, n in changes for value in (*group, n)],
        )
    if any(n < 0 for _, n in changes):
        FacetCount.objects.filter(documents__lte=0).delete()


def count_all_facets() -> None:
    """Recount FacetCount from every published document's kept row (after a bulk
    write, or to repair it): a few thousand groups, whatever the archive's size."""
    groups = Counter(
        _facet_group(*row)
        for row in DocumentRecords.objects.filter(published=True)
        .values_list(*FACET_COLUMNS)
        .iterator(chunk_size=5000)
    )
    with transaction.atomic():
        FacetCount.objects.all().delete()
        FacetCount.objects.bulk_create(
            [
                FacetCount(**dict(zip(FACET_GROUP, group, strict=True)), documents=n)
                for group, n in groups.items()
            ],
            batch_size=1000,
        )


def count_records(entity_ids: Iterable[int]) -> None:
    """Recount the published documents that touch each record (RecordCount): mention
    it, name it as author, recipient, translator…, or record it (an event); and the
    record's mentions in any document (the admin's "mentions" column)."""
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        kinds = dict(Entity.objects.filter(pk__in=batch).values_list("pk", "kind"))
        documents: dict[int, set[int]] = {}
        named_in: dict[int, int] = {}  # by mentions alone (the record page's sources)
        for model, field in CONNECTIONS:
            pairs = (
                model.objects.filter(
                    **{f"{field}_id__in": batch},
                    document__status=PublicationStatus.PUBLISHED,
                )
                .exclude(document_id__in=_deleting)
                .values_list(f"{field}_id", "document_id")
                .distinct()
                .order_by()
            )
            for entity_id, document_id in pairs:
                documents.setdefault(entity_id, set()).add(document_id)
                if model is Mention:  # distinct pairs: one per document
                    named_in[entity_id] = named_in.get(entity_id, 0) + 1
        mentions = dict(
            Mention.objects.filter(entity_id__in=batch)
            .exclude(document_id__in=_deleting)
            .values("entity_id")
            .annotate(n=Count("pk"))
            .values_list("entity_id", "n")
            .order_by()
        )
        RecordCount.objects.bulk_create(
            [
                RecordCount(
                    entity_id=pk,
                    kind=kind,
                    documents=len(documents.get(pk, ())),
                    mentions=mentions.get(pk, 0),
                    named_in=named_in.get(pk, 0),
                )
                for pk, kind in kinds.items()
            ],
            update_conflicts=True,
            unique_fields=["entity"],
            update_fields=["kind", "documents", "mentions", "named_in"],
        )


def count_all_records() -> None:
    count_records(Entity.objects.values_list("pk", flat=True))


def rebuild() -> tuple[int, int]:
    """Index every document and recount every record and the list's facet counts;
    returns (documents, records)."""
    ids = list(Document.objects.values_list("pk", flat=True).order_by("pk"))
    index_documents(ids)
    count_all_records()
    count_all_facets()
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
    # Its kept row goes with it: what FacetCount counted for it is taken away after.
    document._search_facets = (
        DocumentRecords.objects.filter(document_id=document.pk, published=True)
        .values_list(*FACET_COLUMNS)
        .first()
    )


def document_deleted(document: Document) -> None:
    try:
        count_records(getattr(document, "_search_records", []))
        counted = getattr(document, "_search_facets", None)
        if counted is not None:
            count_facets(Counter({_facet_group(*counted): -1}))
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


def text_changed(text, raw: bool) -> None:
    """A further text of a document (issue 14) changed: its document's vector holds it."""
    if text.document_id in _deleting:
        return
    if raw or Document.objects.filter(pk=text.document_id).exists():
        reindex([text.document_id], raw)


def names_changed(entity_id: int, raw: bool) -> None:
    """A record's names changed: the documents naming it carry its names in their index."""
    reindex(documents_naming(entity_id), raw)


def link_saving(link, field: str, raw: bool) -> None:
    """Remember the record an agent or event link pointed at before this save."""
    if link.pk and not raw:
        link._search_old_record = (
            type(link).objects.filter(pk=link.pk).values_list(f"{field}_id", flat=True).first()
        )


def link_changed(link, field: str, raw: bool) -> None:
    """An author, recipient… or an event link changed: the document's index carries
    the record's names, and both records' counts may change."""
    if link.document_id in _deleting:
        return
    records = {getattr(link, f"{field}_id"), getattr(link, "_search_old_record", None)} - {None}
    if raw or Document.objects.filter(pk=link.document_id).exists():
        reindex([link.document_id], raw, records)
