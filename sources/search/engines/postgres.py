"""PostgreSQL: a weighted ``tsvector`` on each document (A title, B every name of the
records it mentions, C summary, D transcription) with a GIN index, websearch syntax,
``ts_rank`` and ``ts_headline``; record names through an expression GIN index; near
misses through a trigram GIN index on the folded names (pg_trgm). The index and the
text search configuration are made by migration 0006_search."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce, Greatest, NullIf

from ...models import Document, Entity
from ..highlight import START_SEL, STOP_SEL, marked
from ..textsearch import NEAR_MISS_SIMILARITY, Query
from .base import CONFIG, Engine, InIds, in_order


class NamesVector(Func):
    """``to_tsvector`` of a record's folded names, as the expression index has it."""

    template = f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("search_names"))


def planned_rows(queryset) -> int:
    """The planner's estimate of the rows ``queryset`` gives (from the statistics of
    the search index's lexemes), without reading them."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class PostgresEngine(Engine):
    vendor = "postgresql"

    def _write(self, rows) -> None:
        if not rows:
            return
        table = Document._meta.db_table
        values = ", ".join(["(%s::bigint, %s, %s, %s, %s)"] * len(rows))
        params = []
        for pk, parts in rows:
            params.extend([pk, *(text for text, *_ in parts[:4])])
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
            # Further texts (issue 14), each in its own language's configuration,
            # appended in order as Vector.from_parts appends them.
            for pk, parts in rows:
                if len(parts) <= 4:
                    continue
                extra = " || ".join(
                    f"setweight(to_tsvector(%s::regconfig, %s), '{weight}')"
                    for _, weight, _ in parts[4:]
                )
                cursor.execute(
                    f"UPDATE {table} SET search_vector = search_vector || {extra} WHERE id = %s",
                    [*(x for text, _, config in parts[4:] for x in (config, text)), pk],
                )

    @staticmethod
    def tsquery(query: Query) -> SearchQuery:
        return SearchQuery(query.websearch, search_type="websearch", config=CONFIG)

    @staticmethod
    def readings(query: Query) -> list[SearchQuery]:
        """One tsquery per reading of the query (``Query.variants``), each in its
        configuration: English, and Russian for a query in Cyrillic."""
        return [
            SearchQuery(variant.websearch, search_type="websearch", config=variant.config)
            for variant in query.variants
            if variant
        ]

    def _scores_of(self, query: Query) -> dict[int, float]:
        readings = self.readings(query)
        matching = Document.objects.published().filter(self._matches(readings))
        ranks = [SearchRank(F("search_vector"), reading) for reading in readings]
        rank = Greatest(*ranks) if len(ranks) > 1 else ranks[0]
        ranked = (
            matching.annotate(rank=rank)
            .order_by()
            .values_list("pk", "date_earliest", "title", "rank")
        )
        if self.bounded:
            # At most RANK_LIMIT + 1 matches are read. When the planner expects no more
            # than the limit, they are ranked as they are read: the search's own scan
            # (a bitmap heap scan, in page order) is the cheapest way to each row and
            # its vector, where a second query ranking the probe's ids read each row
            # again by primary key (a name with 1,925 matches: 8 + 38 → 31 ms of SQL,
            # docs/scale.md). When it expects more (a common word, a phrase of common
            # words), the probe reads ids only, as ranking rows that will be dropped
            # would cost more (13 ms more for a common word); its estimate is the one a
            # broad search shows.
            expected = planned_rows(matching)
            if expected <= self.rank_limit:
                rows = list(ranked[: self.rank_limit + 1])
                if len(rows) <= self.rank_limit:
                    return self._keep(query, rows)
            else:
                probe = matching.order_by().values_list("pk", flat=True)
                ids = list(probe[: self.rank_limit + 1])
                if len(ids) <= self.rank_limit:  # fewer than expected: rank them
                    rows = list(
                        Document.objects.filter(InIds(F("pk"), ids))
                        .annotate(rank=rank)
                        .values_list("pk", "date_earliest", "title", "rank")
                    )
                    return self._keep(query, rows)
            self._note_broad(query, max(expected, self.rank_limit + 1))
            return {}
        return self._keep(query, list(ranked))

    def _keep(self, query: Query, rows: list[tuple]) -> dict[int, float]:
        """{id: rank} of the ranked (id, date, title, rank) rows; their order kept."""
        scores = {row[0]: row[3] for row in rows}
        self._order[query.websearch] = in_order((row[:3] for row in rows), scores)
        return scores

    @staticmethod
    def _matches(readings: list[SearchQuery]) -> Q:
        """A document matches any reading of the query (English; Russian in Cyrillic)."""
        condition = Q()
        for reading in readings:
            condition |= Q(search_vector=reading)
        return condition

    def _matching_broad(self, queryset, query: Query):
        return queryset.filter(self._matches(self.readings(query)))

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
        return {pk: marked(headline) for pk, headline in rows}

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
        # At that threshold the planner expects many matches and compares every
        # record's names instead of asking the trigram index (5,500 records: 35-70 ms
        # against 3 ms, docs/scale.md): the index is asked for this one query (the
        # setting is put back after it, should a transaction hold the request).
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
                "current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)",
                [str(NEAR_MISS_SIMILARITY)],
            )
            seqscan = cursor.fetchone()[1]
            found = list(
                Entity.objects.filter(condition)
                .order_by("sort_name", "pk")
                .values_list("pk", "search_names")[:200]
            )
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
            return found
