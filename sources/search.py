"""Search: one interface, two engines.

* ``PostgresEngine``: a weighted ``tsvector`` on each document (A title, B every name of
  the records it mentions, C summary, D transcription) with a GIN index, websearch
  syntax, ``ts_rank`` and ``ts_headline``; record names through an expression GIN index;
  near misses through a trigram GIN index on the folded names (pg_trgm).
* ``PythonEngine`` (SQLite, the embedded default): the same vectors kept as text and the
  same matching and ranking in Python (``sources.textsearch``): same answers, slower.

``engine()`` picks one by ``connection.vendor``. Text is folded in Python
(``sources.text``) before either engine sees it. Indexes are kept up to date when
records change (``sources.search_index``), never at query time.

``Search`` is what pages use: it matches records and documents, falls back to the
nearest spelling when nothing matches, and explains each result.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import F, Func, Lookup, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Document, Entity, Mention, RecordCount
from .text import fold, word_tokens, words
from .textsearch import (
    NEAR_MISS_SIMILARITY,
    Literal,
    Query,
    Vector,
    index_text,
    lexeme,
    near_miss,
    parse_query,
    similarity,
)

CONFIG = "archive_search"  # text search configuration made by migration 0006_search
MAX_QUERY_LENGTH = 200
ENTITY_LIMIT = 20
# Sentinels around highlighted words in ts_headline output: Unicode noncharacters, removed
# from the text first, so after escaping they can only mark what PostgreSQL marked.
START_SEL, STOP_SEL = "\ufdd0", "\ufdd1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef]")


def clean_query(text: str | None) -> tuple[str, bool]:
    """What a reader typed, made safe to search: NUL and other control characters
    removed, at most MAX_QUERY_LENGTH characters. Returns (text, shortened)."""
    text = _CONTROL.sub(" ", text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


# --- What the index holds for a document -------------------------------------------


def document_parts(
    title: str, original_title: str, names: Iterable[str], summary: str, transcription: str
) -> list[tuple[str, str]]:
    """(index text, weight) for each part of a document's vector."""
    return [
        (index_text(f"{title}\n{original_title}"), "A"),
        (index_text("\n".join(names)), "B"),
        (index_text(summary), "C"),
        (index_text(transcription), "D"),
    ]


def _document_rows(ids: Sequence[int], document_model=None, mention_model=None):
    """(id, parts) for the given documents; names from the records each one mentions."""
    document_model = document_model or Document
    mention_model = mention_model or Mention
    names: dict[int, list[str]] = defaultdict(list)
    pairs = (
        mention_model.objects.filter(document_id__in=ids)
        .values_list("document_id", "entity_id", "entity__search_names")
        .distinct()
        .order_by("document_id", "entity_id")
    )
    for document_id, _, search_names in pairs:
        names[document_id].append(search_names or "")
    rows = document_model.objects.filter(pk__in=ids).values_list(
        "pk", "title", "original_title", "summary", "transcription"
    )
    for pk, title, original_title, summary, transcription in rows.iterator(chunk_size=500):
        yield pk, document_parts(title, original_title, names[pk], summary, transcription)


# --- Engines -----------------------------------------------------------------------


class NamesVector(Func):
    """``to_tsvector`` of a record's folded names, as the expression index has it."""

    template = f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("search_names"))


def _entity_vector(search_names: str) -> Vector:
    return Vector.from_words(words(search_names))


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
            return f"{lhs} = ANY(%s::bigint[])", [*params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]


class Engine:
    """What each database does its own way; everything else is shared.

    ``scores`` finds the published documents that match a query, with their rank, in
    one query per request; pages, counts and filters then work on those ids.
    """

    vendor = ""

    def __init__(self):
        self._scores: dict[str, dict[int, float]] = {}
        self._order: dict[str, list[int]] = {}  # matches best first, when known

    def index_documents(self, ids: Iterable[int], batch_size: int = 500, models=None) -> None:
        ids = list(ids)
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            self._write(list(_document_rows(batch, *(models or ()))), models)

    def _write(self, rows, models) -> None:
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
        if not ids:
            return queryset.none()
        return queryset.filter(InIds(F("pk"), list(ids)))

    def ranked(self, queryset, query: Query, filtered: bool = True):
        """``queryset`` (already matching) in order of relevance, for a paginator:
        rank, then date, then title. Unless ``filtered``, it is every match, whose
        order the scoring query already gave."""
        scores = self.scores(query)
        key = query.websearch
        if filtered or key not in self._order:
            rows = queryset.order_by().values_list("pk", "date_earliest", "title")
            ids = _in_order(rows, scores)
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


class PostgresEngine(Engine):
    vendor = "postgresql"

    def _write(self, rows, models) -> None:
        if not rows:
            return
        table = (models[0] if models else Document)._meta.db_table
        values = ", ".join(["(%s::bigint, %s, %s, %s, %s)"] * len(rows))
        params = []
        for pk, parts in rows:
            params.extend([pk, *(text for text, _ in parts)])
        vector = " || ".join(
            f"setweight(to_tsvector('{CONFIG}'::regconfig, v.{part}), '{weight}')"
            for part, weight in zip("abcd", "ABCD", strict=True)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS d SET search_vector = {vector} "
                f"FROM (VALUES {values}) AS v(id, a, b, c, d) WHERE d.id = v.id",
                params,
            )

    @staticmethod
    def tsquery(query: Query) -> SearchQuery:
        return SearchQuery(query.websearch, search_type="websearch", config=CONFIG)

    def _scores_of(self, query: Query) -> dict[int, float]:
        tsquery = self.tsquery(query)
        rows = list(
            Document.objects.published()
            .filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .values_list("pk", "date_earliest", "title", "rank")
        )
        scores = {row[0]: row[3] for row in rows}
        self._order[query.websearch] = _in_order((row[:3] for row in rows), scores)
        return scores

    def headlines(self, documents, query: Query, names: Iterable[str], spans) -> dict:
        ids = [document.pk for document in documents]
        if not ids:
            return {}
        # One websearch query: every word of what was asked, each on its own (the text
        # may write a phrase with hyphens or apostrophes the folded query no longer has),
        # or any name of a matched record as written, as a phrase.
        alternatives = list(query.positive_words)
        alternatives += [f'"{name.replace(chr(34), " ")}"' for name in sorted(set(names))]
        if not alternatives:
            return {}
        highlight = SearchQuery(" or ".join(alternatives), search_type="websearch", config=CONFIG)
        text = Func(
            Coalesce(NullIf(F("transcription"), Value("")), F("summary")),
            Value(START_SEL + STOP_SEL),
            Value(""),
            function="translate",
        )
        rows = (
            Document.objects.filter(pk__in=ids)
            .annotate(
                headline=SearchHeadline(
                    text,
                    highlight,
                    config=CONFIG,
                    start_sel=START_SEL,
                    stop_sel=STOP_SEL,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "headline")
        )
        return {pk: _marked(headline) for pk, headline in rows}

    def entity_candidates(self, query: Query, limit: int) -> list[int]:
        tsquery = self.tsquery(query)
        return list(
            Entity.objects.annotate(names_vector=NamesVector())
            .filter(names_vector=tsquery)
            .annotate(rank=SearchRank(NamesVector(), tsquery))
            .order_by("-rank", "sort_name", "pk")
            .values_list("pk", flat=True)[:limit]
        )

    def name_candidates(self, folded_words: list[str]) -> list[tuple[int, str]]:
        condition = Q()
        for word in folded_words:
            condition |= Q(search_names__trigram_word_similar=word)
        # The near-miss rule (textsearch.near_miss) asks for a word similarity of at
        # least NEAR_MISS_SIMILARITY; the operator's threshold is a setting, set here
        # for this transaction only.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(NEAR_MISS_SIMILARITY)],
            )
            return list(
                Entity.objects.filter(condition)
                .order_by("sort_name", "pk")
                .values_list("pk", "search_names")[:200]
            )


class PythonEngine(Engine):
    """SQLite: the vectors are stored as text (``Document.search_terms``) and read back
    for each search. Fine for thousands of documents; PostgreSQL is for more."""

    vendor = "sqlite"

    def _write(self, rows, models) -> None:
        model = models[0] if models else Document
        for pk, parts in rows:
            model.objects.filter(pk=pk).update(search_terms=Vector.from_parts(parts).dumps())

    def _scores_of(self, query: Query) -> dict[int, float]:
        found = {}
        rows = Document.objects.published().values_list("pk", "search_terms")
        for pk, terms in rows.iterator(chunk_size=500):
            vector = Vector.loads(terms or "")
            if query.matches(vector):
                found[pk] = query.rank(vector)
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


def _in_order(rows, scores: dict[int, float]) -> list[int]:
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
            found = self.queryset.model.objects.filter(pk__in=ids).select_related("repository")
            by_id = {document.pk: document for document in found}
            return [by_id[pk] for pk in ids if pk in by_id]
        return self[index : index + 1][0]


def engine() -> Engine:
    return PostgresEngine() if connection.vendor == "postgresql" else PythonEngine()


# --- Highlighting (the Python engine's ts_headline) -----------------------------------


def _marked(headline: str) -> SafeString:
    """ts_headline output as HTML: escaped, then the sentinels become <mark>."""
    text = escape(headline).replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    return mark_safe(text)  # escaped above; only our own tags added


def highlight(
    text: str, query: Query, spans: Iterable[tuple[int, int]] = (), words_around: int = 17
) -> SafeString:
    """A passage of ``text`` around what matched, as safe HTML: every piece of the text
    escaped, matches wrapped in <mark>. ``spans`` are extra (start, end) ranges to mark
    (the mentions of matched records)."""
    text = _CONTROL.sub(" ", text or "")
    tokens = list(word_tokens(text))
    if not tokens:
        return mark_safe("")
    hits = [False] * len(tokens)
    lexemes = [lexeme(token.word) for token in tokens]
    for literal in query.positive_literals:
        _mark_literal(literal, lexemes, hits)
    spans = list(spans)
    for i, token in enumerate(tokens):
        if any(start <= token.start and token.end <= end for start, end in spans):
            hits[i] = True
    fragments = _fragments(hits, words_around)
    pieces = []
    for first, last in fragments:
        start, end = tokens[first].start, tokens[last].end
        while end < len(text) and not text[end].isspace():  # closing punctuation
            end += 1
        out, cursor = [], start
        for i in range(first, last + 1):
            if hits[i] and tokens[i].start >= cursor:
                out.append(escape(text[cursor : tokens[i].start]))
                out.append(f"<mark>{escape(text[tokens[i].start : tokens[i].end])}</mark>")
                cursor = tokens[i].end
        out.append(escape(text[cursor:end]))
        pieces.append("".join(out))
    return mark_safe(" … ".join(pieces))  # every piece escaped above


def _mark_literal(literal: Literal, lexemes: list[str | None], hits: list[bool]) -> None:
    wanted = literal.lexemes
    if not wanted:
        return
    for i, found in enumerate(lexemes):
        if found != wanted[0][0]:
            continue
        if all(i + offset < len(lexemes) and lexemes[i + offset] == lex for lex, offset in wanted):
            for _, offset in wanted:
                hits[i + offset] = True


def _fragments(hits: list[bool], around: int) -> list[tuple[int, int]]:
    """Up to two windows of words around the first hits; the opening if none."""
    positions = [i for i, hit in enumerate(hits) if hit]
    if not positions:
        return [(0, min(len(hits), 2 * around) - 1)]
    windows: list[tuple[int, int]] = []
    for i in positions:
        if windows and i <= windows[-1][1]:
            continue
        if len(windows) == 2:
            break
        windows.append((max(0, i - around // 2), min(len(hits) - 1, i + around)))
    return windows


# --- The search a page runs ------------------------------------------------------------


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
class DocumentHit:
    document: Document
    headline: SafeString = field(default_factory=lambda: mark_safe(""))
    mentions: list[MentionReason] = field(default_factory=list)


class Search:
    """One reader's search: records first, then documents, each with why it matched.

    Usage: ``search = Search(q)``, then ``search.entities``, ``search.matching(qs)`` for
    the documents (and their facet counts), ``search.ranked(qs)`` to paginate and
    ``search.explain(page)`` for the page's passages and reasons.
    """

    def __init__(self, text: str | None, engine_: Engine | None = None):
        self.text, self.shortened = clean_query(text)
        self.engine = engine_ or engine()
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
        records = {e.pk: e for e in Entity.objects.filter(pk__in=ids).prefetch_related("variants")}
        counts = dict(
            RecordCount.objects.filter(entity_id__in=ids).values_list("entity_id", "documents")
        )
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
        if not self.engine.scores(self.query) and self.query is self.original:
            corrected = self._correct()
            if corrected is not None:
                self.corrected = self.query = corrected
                self.__dict__.pop("entities", None)
        return self.engine.matching(queryset, self.query)

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
            rows = (
                Mention.objects.filter(document_id__in=list(hits), entity_id__in=entity_ids)
                .order_by("document_id", "start")
                .values_list("document_id", "entity_id", "text", "start", "end")
            )
            for document_id, entity_id, text, start, end in rows:
                if text not in used[document_id, entity_id]:
                    used[document_id, entity_id].append(text)
                spans[document_id].append((start, end))
            for (document_id, entity_id), texts in used.items():
                hits[document_id].mentions.append(MentionReason(by_entity[entity_id], texts))
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
