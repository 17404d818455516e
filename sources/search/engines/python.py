"""SQLite, the embedded default: the same vectors as PostgreSQL's, kept as text, and the
same matching and ranking in Python (``sources.search.textsearch``): same answers,
slower. Fine for thousands of documents; PostgreSQL is for more."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from ...models import Document, Entity
from ...text import words
from ..highlight import highlight
from ..textsearch import Query, Vector
from .base import Engine


def _entity_vector(search_names: str) -> Vector:
    return Vector.from_words(words(search_names))


class PythonEngine(Engine):
    """SQLite: the vectors are stored as text (``Document.search_terms``) and read back
    for each search. Fine for thousands of documents; PostgreSQL is for more."""

    vendor = "sqlite"

    def _write(self, rows) -> None:
        for pk, parts in rows:
            Document.objects.filter(pk=pk).update(search_terms=Vector.from_parts(parts).dumps())

    def _scores_of(self, query: Query) -> dict[int, float]:
        found = {}
        rows = Document.objects.published().values_list("pk", "search_terms")
        for pk, terms in rows.iterator(chunk_size=500):
            vector = Vector.loads(terms or "")
            if query.matches(vector):
                found[pk] = query.rank(vector)
        if self.bounded and len(found) > self.rank_limit:
            self._note_broad(query, len(found))
        return found

    def headlines(self, documents, query: Query, names: Iterable[str], spans) -> dict:
        positive = query.any_of_positive()
        return {
            document.pk: highlight(
                document.transcription or document.summary,
                positive,
                spans.get(document.pk, ()) if document.transcription else (),
            )
            for document in documents
        }

    @cached_property
    def _all_names(self) -> list[tuple[int, str, str]]:
        return list(Entity.objects.values_list("pk", "search_names", "sort_name"))

    def entity_candidates(self, query: Query, limit: int) -> list[int]:
        found = []
        for pk, search_names, sort_name in self._all_names:
            vector = _entity_vector(search_names)
            if query.matches(vector):
                found.append((-query.rank(vector), sort_name, pk))
        found.sort()
        return [pk for *_, pk in found[:limit]]

    def name_candidates(self, folded_words: list[str]) -> list[tuple[int, str]]:
        return [(pk, search_names) for pk, search_names, _ in self._all_names]
