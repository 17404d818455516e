"""What both engines share: what the index holds for a document, the shape of an
engine, and documents in an order computed in Python."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import F, Lookup, Value

from ...models import Document, DocumentAgent, DocumentEvent, DocumentText, Mention
from ...models.documents import SEARCH_FIELDS
from ...texts.languages import search_config
from ..textsearch import Query, index_text

CONFIG = "archive_search"  # text search configuration made by migration 0006_search
# A bounded engine ranks at most this many matches: past it, a search is "broad" (a
# common word, a phrase of common words) and its documents come in date order, with
# an estimated total, instead of ranking every one of tens of thousands of vectors.
RANK_LIMIT = 2_000


def document_parts(
    title: str,
    original_title: str,
    names: Iterable[str],
    summary: str,
    transcription: str,
    context: str = "",
    texts: Iterable[tuple[str, str]] = (),
) -> list[tuple[str, ...]]:
    """(index text, weight) for each part of a document's vector. ``names`` are those
    of every record the document touches (mentions, authors, recipients, translators…,
    the events it records); ``context`` is its archival and publishing context (holding
    archive, fond/opis/delo, publisher), weighted like the summary. ``texts`` are its
    further texts as (language, text) (issue 14): each weighted like the transcription
    and read by its language's configuration (``sources.texts.languages``)."""
    return [
        (index_text(f"{title}\n{original_title}"), "A"),
        (index_text("\n".join(names)), "B"),
        (index_text(f"{summary}\n{context}" if context else summary), "C"),
        (index_text(transcription), "D"),
        *((index_text(text), "D", search_config(language)) for language, text in texts),
    ]


def connected_pairs(ids: Sequence[int]):
    """(document id, record id, folded names) for every record the documents touch:
    named in the text, as an agent (author, recipient, translator…) or as an event the
    document records. Three queries, whatever the number of documents."""
    for model, field in ((Mention, "entity"), (DocumentAgent, "entity"), (DocumentEvent, "event")):
        yield from (
            model.objects.filter(document_id__in=ids)
            .values_list("document_id", f"{field}_id", f"{field}__search_names")
            .distinct()
            .order_by()
        )


def document_rows(ids: Sequence[int]):
    """(id, parts) for the given documents; names from the records each one touches."""
    names: dict[int, dict[int, str]] = defaultdict(dict)
    for document_id, entity_id, search_names in connected_pairs(ids):
        names[document_id][entity_id] = search_names or ""
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    further = DocumentText.objects.filter(document_id__in=ids).order_by("document", "order", "pk")
    for document_id, language, text in further.values_list("document_id", "language", "text"):
        texts[document_id].append((language, text))
    rows = Document.objects.filter(pk__in=ids).values_list(
        "pk",
        "title",
        "original_title",
        "summary",
        "transcription",
        "archival_reference",
        "publisher",
        "repository__name",
        "repository__abbreviation",
    )
    for pk, title, original_title, summary, transcription, *context in rows.iterator(
        chunk_size=500
    ):
        ordered = [names[pk][key] for key in sorted(names[pk])]
        yield (
            pk,
            document_parts(
                title,
                original_title,
                ordered,
                summary,
                transcription,
                "\n".join(part for part in context if part),
                texts.get(pk, ()),
            ),
        )


def array_literal(ids) -> str:
    """Ids as one PostgreSQL array literal ('{1,2,3}'), where a Python list is sent as
    ARRAY[1, 2, 3], which PostgreSQL parses as one expression per id (2,000 ids: ~5 ms
    more a query)."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


class InIds(Lookup):
    """``pk`` among many ids, in one parameter: ``= ANY(array)`` on PostgreSQL, a JSON
    array on SQLite (``IN`` with one parameter per id breaks past SQLite's limit)."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        rhs = self.rhs.value if isinstance(self.rhs, Value) else self.rhs
        ids = [int(pk) for pk in rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, array_literal(ids)]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]


class Engine:
    """What each database does its own way; everything else is shared.

    ``scores`` finds the published documents that match a query, with their rank, in
    one query per request; pages, counts and filters then work on those ids.
    """

    vendor = ""
    rank_limit = RANK_LIMIT

    def __init__(self, bounded: bool = False):
        self._scores: dict[str, dict[int, float]] = {}
        self._order: dict[str, list[int]] = {}  # matches best first, when known
        # Bounded (the search page): more than RANK_LIMIT matches are not ranked.
        self.bounded = bounded
        self._broad: dict[str, int] = {}  # query -> estimated number of matches

    def broad(self, query: Query) -> int:
        """The estimated number of matches when ``query`` has too many to rank (a
        bounded engine only), else 0."""
        if not self.bounded or not query:
            return 0
        self.scores(query)
        return self._broad.get(query.websearch, 0)

    def _note_broad(self, query: Query, estimate: int) -> None:
        self._broad[query.websearch] = max(estimate, self.rank_limit + 1)

    def index_documents(self, ids: Iterable[int], batch_size: int = 500) -> None:
        ids = list(ids)
        for start in range(0, len(ids), batch_size):
            self._write(list(document_rows(ids[start : start + batch_size])))

    def _write(self, rows) -> None:
        raise NotImplementedError

    def scores(self, query: Query) -> dict[int, float]:
        """{id: rank} of every published document matching ``query`` (cached for the
        life of this engine, i.e. one request)."""
        key = query.websearch
        if key not in self._scores:
            self._scores[key] = self._scores_of(query) if query else {}
        return self._scores[key]

    def _scores_of(self, query: Query) -> dict[int, float]:
        raise NotImplementedError

    def matching(self, queryset, query: Query):
        """The documents of ``queryset`` that match ``query``."""
        ids = self.scores(query)
        if self.broad(query):
            return self._matching_broad(queryset, query)
        if not ids:
            return queryset.none()
        return queryset.filter(InIds(F("pk"), list(ids)))

    def _matching_broad(self, queryset, query: Query):
        return queryset.filter(InIds(F("pk"), list(self.scores(query))))

    def ranked(self, queryset, query: Query, filtered: bool = True):
        """``queryset`` (already matching) in order of relevance, for a paginator:
        rank, then date, then title. Unless ``filtered``, it is every match, whose
        order the scoring query already gave."""
        if self.broad(query):  # too many to rank: the reading order
            return queryset.in_reading_order()
        scores = self.scores(query)
        key = query.websearch
        if filtered or key not in self._order:
            rows = queryset.order_by().values_list("pk", "date_earliest", "title")
            ids = in_order(rows, scores)
        else:
            ids = self._order[key]
        return RankedDocuments(ids, queryset)

    def headlines(self, documents, query: Query, names: Iterable[str], spans) -> dict:
        raise NotImplementedError

    def entity_candidates(self, query: Query, limit: int) -> list[int]:
        """Ids of the records whose names match ``query``, best first."""
        raise NotImplementedError

    def name_candidates(self, folded_words: list[str]) -> list[tuple[int, str]]:
        """(id, search_names) of records with a name close to one of the words."""
        raise NotImplementedError


def in_order(rows, scores: dict[int, float]) -> list[int]:
    """Ids of (id, date, title) rows by rank, then date (undated last), title, id."""
    ordered = sorted(
        rows,
        key=lambda row: (-scores.get(row[0], 0.0), row[1] is None, row[1] or 0, row[2], row[0]),
    )
    return [row[0] for row in ordered]


class RankedDocuments:
    """Documents in an order computed in Python, sliced by a paginator: only the page's
    rows are fetched."""

    def __init__(self, ids: list[int], queryset):
        self.ids = ids
        self.queryset = queryset

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            ids = self.ids[index]
            found = (
                self.queryset.model.objects.filter(pk__in=ids)
                .select_related("repository")
                .defer(*SEARCH_FIELDS)  # a result shows its passage, never its index
            )
            by_id = {document.pk: document for document in found}
            return [by_id[pk] for pk in ids if pk in by_id]
        return self[index : index + 1][0]
