"""The search a page runs: records first, then documents, each with why it matched;
suggestions as the reader types."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString, mark_safe

from ..models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    Entity,
    Mention,
    NameVariant,
    RecordCount,
)
from ..models.entities import install_prefetched
from ..prepared import PreparedModelQuery, PreparedQuery
from ..text import fold, words
from .engines import Engine, engine
from .query import clean_query
from .textsearch import Literal, Query, Vector, near_miss, parse_query, similarity

ENTITY_LIMIT = 20


@dataclass
class EntityHit:
    entity: Entity
    matched: str  # the name or variant that matched, as written
    document_count: int = 0
    near_miss_of: str = ""  # the word typed, when found as a near miss

    @property
    def matched_variant(self) -> bool:
        return self.matched != self.entity.name


@dataclass
class MentionReason:
    """A matched record that a document names, and the words it uses for it."""

    entity: Entity
    words: list[str]

    @property
    def as_written(self) -> bool:
        """Whether the document calls it anything but its preferred name."""
        return self.words != [self.entity.name]


@dataclass
class RoleReason:
    """A matched record that stands to a document in a role: "written by Mir Jafar
    Bagirov" (an agent), "reports Iranian troops halted at Qazvin" (an event link)."""

    entity: Entity
    phrase: str  # "written by", "received by", "reports"…
    certainty: str = "certain"


@dataclass
class DocumentHit:
    document: Document
    headline: SafeString = field(default_factory=lambda: mark_safe(""))
    mentions: list[MentionReason] = field(default_factory=list)
    roles: list[RoleReason] = field(default_factory=list)


# A search page's queries of records and links, compiled once per process (and per
# number of keys asked for: sources.prepared).
_RECORDS = PreparedModelQuery(lambda ids: Entity.objects.filter(pk__in=ids))
_VARIANTS = PreparedModelQuery(lambda ids: NameVariant.objects.filter(entity_id__in=ids))
_COUNTS = PreparedQuery(
    lambda ids: RecordCount.objects.filter(entity_id__in=ids).values_list("entity_id", "documents")
)
_MENTIONS_OF = PreparedQuery(
    lambda documents, records: (
        Mention.objects.filter(document_id__in=documents, entity_id__in=records)
        .order_by("document_id", "start")
        .values_list("document_id", "entity_id", "text", "start", "end")
    )
)
_AGENTS_OF = PreparedQuery(
    lambda documents, records: (
        DocumentAgent.objects.filter(document_id__in=documents, entity_id__in=records)
        .order_by("document_id", "role", "order")
        .values_list("document_id", "entity_id", "role", "certainty")
    )
)
_EVENTS_OF = PreparedQuery(
    lambda documents, records: (
        DocumentEvent.objects.filter(document_id__in=documents, event_id__in=records)
        .order_by("document_id", "event_id")
        .values_list("document_id", "event_id", "role", "certainty")
    )
)


class Search:
    """One reader's search: records first, then documents, each with why it matched.

    Usage: ``search = Search(q)``, then ``search.entities``, ``search.matching(qs)`` for
    the documents (and their facet counts), ``search.ranked(qs)`` to paginate and
    ``search.explain(page)`` for the page's passages and reasons.
    """

    def __init__(self, text: str | None, engine_: Engine | None = None, bounded: bool = False):
        self.text, self.shortened = clean_query(text)
        self.engine = engine_ or engine(bounded)
        self.query = parse_query(self.text)
        self.original = self.query
        self.corrected: Query | None = None
        self.near_misses: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self.query)

    @property
    def only_common_words(self) -> bool:
        return bool(self.text) and bool(self.query.groups) and not self.query

    # records -----------------------------------------------------------------------

    @cached_property
    def entities(self) -> list[EntityHit]:
        """Records whose names answer the whole query; then, unless one name holds all
        the words asked together ("Mir Jafar Bagirov"), those answering a part of it
        ("Stalin Pishevari" also lists Stalin and Pishevari)."""
        if not self.query:
            return []
        limit = ENTITY_LIMIT * 2
        tiers = [self.engine.entity_candidates(self.query, limit)]
        positive = self.query.positive_literals
        if len(positive) > 1 or not tiers[0]:
            together = Query(self.query.raw, ((Literal(tuple(self.query.positive_words)),),))
            if not (tiers[0] and self.engine.entity_candidates(together, 1)):
                tiers.append(self.engine.entity_candidates(self.query.any_of_positive(), limit))
        return self._entity_hits(tiers)

    def _entity_hits(self, tiers: list[list[int]]) -> list[EntityHit]:
        tier_of: dict[int, int] = {}
        for tier, ids in enumerate(tiers):
            for pk in ids:
                tier_of.setdefault(pk, tier)
        ids = list(tier_of)
        if not ids:
            return []
        records = {e.pk: e for e in _RECORDS.objects(ids)}
        variants = defaultdict(list)
        for variant in _VARIANTS.objects(ids):
            variants[variant.entity_id].append(variant)
        for pk, entity in records.items():  # as prefetch_related("variants") leaves them
            install_prefetched(entity, "variants", variants[pk])
        counts = dict(_COUNTS.rows(ids))
        positive = self.query.positive_literals
        typed = set(self.query.positive_words)
        reverse = {new: old for old, new in self.near_misses.items()}
        hits = []
        for pk in ids:
            entity = records.get(pk)
            if entity is None:
                continue
            matched, exact = _matched_name(entity, positive, typed)
            near = next((reverse[w] for w in words(matched) if w in reverse), "")
            hit = EntityHit(entity, matched, counts.get(pk, 0), near)
            key = (tier_of[pk], not exact, -hit.document_count, entity.sort_name.lower(), pk)
            hits.append((key, hit))
        hits.sort(key=lambda item: item[0])
        return [hit for _, hit in hits[:ENTITY_LIMIT]]

    # documents ---------------------------------------------------------------------

    def matching(self, queryset):
        """The documents of ``queryset`` that match: by their words, or by naming a
        matched record under any of its names (the names are in their vector).
        With no match at all, the nearest spellings of record names are tried."""
        if not self.query:
            return queryset.none()
        if (
            not self.engine.scores(self.query)
            and not self.engine.broad(self.query)
            and self.query is self.original
        ):
            corrected = self._correct()
            if corrected is not None:
                self.corrected = self.query = corrected
                self.__dict__.pop("entities", None)
        return self.engine.matching(queryset, self.query)

    @property
    def broad(self) -> int:
        """The estimated number of matches when there are too many to rank (then
        the documents come in date order), else 0."""
        return self.engine.broad(self.query)

    def ranked(self, queryset, filtered: bool = True):
        return self.engine.ranked(queryset, self.query, filtered)

    def _correct(self) -> Query | None:
        """The query with each typed word that is no known name replaced by the nearest
        name word (one slip in 4–7 letters, two from 8), if any."""
        typed = [w for w in self.query.positive_words if not any(ch.isdigit() for ch in w)]
        typed = [w for w in typed if len(w) >= 4]
        if not typed:
            return None
        best: dict[str, tuple[int, float, str]] = {}
        known: set[str] = set()
        for _, search_names in self.engine.name_candidates(typed):
            for name_word in set(words(search_names)):
                known.add(name_word)
                for word in typed:
                    slips = near_miss(word, name_word)
                    if slips is None:
                        continue
                    score = (slips, -similarity(word, name_word), name_word)
                    if word not in best or score < best[word]:
                        best[word] = score
        replacements = {w: best[w][2] for w in typed if w in best and w not in known}
        if not replacements:
            return None
        self.near_misses = replacements
        return self.query.replace_words(replacements)

    def explain(self, documents: Sequence[Document]) -> list[DocumentHit]:
        """Each document of a page with its passage and the matched records it names."""
        documents = list(documents)
        entity_ids = [hit.entity.pk for hit in self.entities]
        hits = {document.pk: DocumentHit(document) for document in documents}
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if entity_ids and documents:
            by_entity = {hit.entity.pk: hit.entity for hit in self.entities}
            used: dict[tuple[int, int], list[str]] = defaultdict(list)
            rows = _MENTIONS_OF.rows(list(hits), entity_ids)
            for document_id, entity_id, text, start, end in rows:
                if text not in used[document_id, entity_id]:
                    used[document_id, entity_id].append(text)
                spans[document_id].append((start, end))
            for (document_id, entity_id), texts in used.items():
                hits[document_id].mentions.append(MentionReason(by_entity[entity_id], texts))
            agents = _AGENTS_OF.rows(list(hits), entity_ids)
            for document_id, entity_id, role, certainty in agents:
                phrase = DocumentAgent(role=role).by_phrase
                hits[document_id].roles.append(RoleReason(by_entity[entity_id], phrase, certainty))
            events = _EVENTS_OF.rows(list(hits), entity_ids)
            for document_id, event_id, role, certainty in events:
                phrase = DocumentEvent(role=role).get_role_display()
                hits[document_id].roles.append(RoleReason(by_entity[event_id], phrase, certainty))
        names = {hit.entity.name for hit in self.entities}
        names |= {v.name for hit in self.entities for v in hit.entity.variants.all()}
        headlines = self.engine.headlines(documents, self.query, names, spans)
        for pk, hit in hits.items():
            hit.headline = headlines.get(pk, mark_safe(""))
        return [hits[document.pk] for document in documents]


def _matched_name(entity: Entity, literals: list[Literal], typed: set[str]) -> tuple[str, bool]:
    """The record's name or variant that best answers the query, and whether the query
    is exactly that name."""
    best, best_score = entity.name, (-1, False)
    names = [entity.name, *(variant.name for variant in entity.variants.all())]
    for name in names:
        vector = Vector.from_words(words(name))
        matched = sum(1 for literal in literals if literal.matches(vector))
        score = (matched, set(words(name)) == typed)
        if score > best_score:
            best, best_score = name, score
    return best, best_score[1]


# --- Suggestions as the reader types -------------------------------------------------


def suggest(text: str | None, limit: int = 8) -> list[dict[str, str]]:
    """Records whose name or variant starts with what was typed (at a word), the
    preferred name first; near misses when nothing starts so."""
    typed = fold(clean_query(text)[0])[:100]
    if len(typed) < 2:
        return []
    rows = list(
        Entity.objects.filter(search_names__contains=typed)
        .prefetch_related("variants")
        .order_by("sort_name", "pk")[: limit * 4]
    )
    found = []
    for entity in rows:
        for rank, name in enumerate([entity.name, *(v.name for v in entity.variants.all())]):
            folded = fold(name)
            if folded.startswith(typed) or f" {typed}" in f" {folded}":
                found.append(((rank > 0, not folded.startswith(typed)), entity, name))
                break
    if not found and len(typed) >= 4:
        search = Search(typed)
        corrected = search._correct()
        if corrected is not None:
            search.query = search.corrected = corrected
            found = [((True, True), hit.entity, hit.matched) for hit in search.entities]
    found.sort(key=lambda item: (item[0], item[1].sort_name.lower()))
    return [
        {
            "name": entity.name,
            "kind": entity.get_kind_display(),
            "url": entity.get_absolute_url(),
            "matched": name,
        }
        for _, entity, name in found[:limit]
    ]
