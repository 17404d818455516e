"""Counts for the document filters.

``facets`` counts, for each choice of each filter, how many published documents that
choice would give with the other filters (and the search) as they are. Aggregate
queries, never one per choice: one grouped query for type, primary/secondary, language,
holding archive and years; one for the people, places, organizations and events (kept
counts, ``RecordCount``, when nothing is filtered); one more per record filter in use.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import ExtractYear, RowNumber
from django.http import QueryDict

from ..models import (
    ArchiveVersion,
    CountsSnapshot,
    DocumentRecords,
    Entity,
    FacetCount,
    RecordCount,
    Repository,
)
from ..models.search import RECORD_FIELDS
from .engines.base import array_literal
from .filters import ENTITY_CHOICES_SHOWN, ENTITY_FILTERS, DocumentFilter, clean_params, touching
from .index import FACET_GROUP

COLUMN_FACETS = {  # filter -> column of the grouped query
    "document_type": "document_type",
    "source_kind": "source_kind",
    "language": "language",
    "repository": "repository_id",
}
DATE_FILTERS = ("date_from", "date_to")
# The columns of a kept row (DocumentRecords) that the filters test, in order.
KEPT_COLUMNS = (*COLUMN_FACETS.values(), "date_earliest", "date_latest")
MAX_YEARS = 40
# Past this many documents, the people, places, organizations and events are not
# counted: that count reads every link of every document (a million mentions at
# 100,000 documents), seconds for a broad list. The page says so and offers the
# records chosen; a filter or a word brings the counts back.
RECORD_FACET_LIMIT = 5_000
RECORD_FACET_NOTE = (
    "Too many documents to count by {label}: narrow the list (a filter or a search) "
    "to see the commonest."
)


@dataclass
class Choice:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # this page with this choice (or without it, when selected)


@dataclass
class Facet:
    name: str
    label: str
    choices: list[Choice]
    selected_label: str = ""
    clear_url: str = ""
    note: str = ""  # why its choices are not shown


@dataclass
class Counts:
    facets: list[Facet]
    total: int  # documents with every filter applied


def query_string(params: QueryDict, **changes) -> str:
    """This page's query string without ``page`` and with ``changes`` (None removes).

    Templates use Django's ``{% querystring %}``; the facets build a hundred links per
    page in Python, where copying a QueryDict per link (as that tag does) is the
    page's main cost, so they use this instead."""
    pairs = [
        (key, value)
        for key, values in params.lists()
        if key != "page" and key not in changes
        for value in values
    ]
    for key, value in changes.items():
        if isinstance(value, list | tuple):  # a filter that takes several values
            pairs += [(key, item) for item in value if item not in (None, "")]
        elif value not in (None, ""):
            pairs.append((key, value))
    return "?" + urlencode(pairs) if pairs else "?"


BROAD_NOTE = "Too many documents match to count by {label}: add a word or a filter."


def estimated_count(queryset) -> int:
    """How many rows ``queryset`` gives: PostgreSQL's estimate (no row read), or the
    count where there is no planner to ask."""
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def broad_facets(
    filterset: DocumentFilter, base, params: QueryDict, estimate: int, limit: int
) -> Counts:
    """A search with too many matches to rank (more than ``limit``, about
    ``estimate``): no counts (each would read every match), the chosen values still
    listed so they can be removed, and an estimated total, never below what is known
    (the paginator shows no more than the total)."""
    params = clean_params(params) or QueryDict()
    values = filterset.values
    result = []
    for name in COLUMN_FACETS:
        selected = values.get(name)
        value = getattr(selected, "slug", selected)
        label = getattr(selected, "name", None) or dict(
            filterset.filters[name].extra.get("choices", ())
        ).get(value, value)
        choices = [(value, label)] if value else []
        facet = _facet(name, filterset.filters[name].label, choices, {}, value, params)
        facet.note = BROAD_NOTE.format(label=str(facet.label).lower())
        result.append(facet)
    for facet in _entity_facets(filterset, base, params, everything=False, too_many=True):
        facet.note = BROAD_NOTE.format(label=str(facet.label).lower())
        result.append(facet)
    result.append(_years({"years": {}, "decades": {}}, values, params))
    if not values:
        return Counts(result, max(estimate, limit + 1))
    filtered = filterset.apply(base)
    counted = filtered.order_by()[: limit + 1].count()  # reads at most limit + 1
    total = counted if counted <= limit else max(estimated_count(filtered), counted)
    return Counts(result, total)


def facets(
    filterset: DocumentFilter,
    base,
    params: QueryDict,
    everything: bool = False,
    matches: list[int] | None = None,
) -> Counts:
    """Counts for each filter's choices over ``base`` (the published documents the
    search matches; ``everything`` when that is all of them): each filter counted with
    the others applied, not itself. ``matches``: the ids of ``base`` when the search
    already holds them: with no record filter in use, every count then comes from
    their kept rows (``DocumentRecords``), read once. The list (``everything``) with
    column or date filters only counts from ``FacetCount``."""
    params = clean_params(params) or QueryDict()
    values = filterset.values
    # A search's matches with no record filter: everything is counted from their kept
    # rows (``DocumentRecords``), the column and date filters tested on those rows.
    kept = None
    if matches is not None and not any(name in values for name in ENTITY_FILTERS):
        kept = _kept_counts(matches, values)
    if everything and not values:
        summary = _kept_summary(lambda: _summarize(_grouped_from_counts(values), values))
    elif kept is not None:
        summary = _summarize(kept[0], values)
    elif everything and not any(name in values for name in ENTITY_FILTERS):
        # The list filtered by columns or dates only: from the pre-aggregated counts.
        summary = _summarize(_grouped_from_counts(values), values)
    else:
        summary = _summarize(_grouped(filterset, base), values)
    result = []
    repositories = {pk: (slug, name) for pk, slug, name in _repositories()}
    for name in COLUMN_FACETS:
        counts = summary["columns"][name]
        if name == "repository":
            counts = {
                repositories[int(pk)][0]: n for pk, n in counts.items() if int(pk) in repositories
            }
            choices = [(slug, label) for slug, label in repositories.values()]
        else:
            choices = list(filterset.filters[name].extra["choices"])
        selected = values.get(name)
        result.append(
            _facet(
                name,
                filterset.filters[name].label,
                choices,
                counts,
                getattr(selected, "slug", selected),
                params,
            )
        )
    result.extend(
        _entity_facets(
            filterset,
            base,
            params,
            everything and not values,
            too_many=summary["total"] > RECORD_FACET_LIMIT,
            kept=None if kept is None else kept[1],
        )
    )
    result.append(_years(summary, values, params))
    return Counts(result, summary["total"])


def _summarize(rows: list[dict], values: dict) -> dict:
    """From the grouped rows: each column filter's counts (the other filters applied),
    documents per year (the column filters applied, not the dates) and the total.

    One pass: a row that fails no column filter counts everywhere (the dates
    permitting); one that fails a single filter counts only in that filter's choices;
    one that fails two counts nowhere. (Thousands of groups at 100,000 documents,
    where testing each row once per filter cost more than the query.)"""
    wanted = [
        (name, COLUMN_FACETS[name], getattr(values[name], "pk", values[name]))
        for name in COLUMN_FACETS
        if name in values
    ]
    counted: dict[str, Counter] = {name: Counter() for name in COLUMN_FACETS}
    every = [(counted[name], column) for name, column in COLUMN_FACETS.items()]
    spans: Counter = Counter()  # (first year, last year) -> documents
    total = 0
    for row in rows:
        failed = None
        for name, column, value in wanted:
            if row[column] != value:
                if failed is not None:
                    break
                failed = (counted[name], column)
        else:
            n = row["n"]
            if row["in_dates"]:
                for counts, column in every if failed is None else (failed,):
                    counts[row[column]] += n
                if failed is None:
                    total += n
            if failed is None:
                spans[row["first_year"], row["last_year"]] += n
    columns = {
        name: {str(key): n for key, n in counts.items() if key is not None}
        for name, counts in counted.items()
    }
    years: dict[str, int] = {}
    decades: dict[str, int] = {}
    for (first, last), n in spans.items():
        if first is None or last is None:
            continue
        first, last = int(first), int(last)
        for year in range(first, last + 1):
            years[str(year)] = years.get(str(year), 0) + n
        for decade in range(first - first % 10, last + 1, 10):
            decades[str(decade)] = decades.get(str(decade), 0) + n
    return {"columns": columns, "years": years, "decades": decades, "total": total}


SNAPSHOT = "documents"


def _kept_summary(compute) -> dict:
    """The unfiltered counts from CountsSnapshot while the archive version (which every
    change replaces) is the one they were computed at; else computed now and kept.
    One query to read, one to keep; queryset writes send no signal, so keeping counts
    is no change of the archive."""
    kept = CountsSnapshot.objects.filter(name=SNAPSHOT)
    state = (
        ArchiveVersion.objects.filter(pk=1)
        .annotate(
            kept_token=Subquery(kept.values("token")), kept_data=Subquery(kept.values("data"))
        )
        .values_list("token", "kept_token", "kept_data")
        .first()
    )
    if state is None:  # no archive version yet: nothing to key the counts on
        return compute()
    token, kept_token, data = state
    if isinstance(data, str):  # some databases hand a JSON subquery back as text
        data = json.loads(data)
    if token == kept_token and data:
        return data
    data = compute()
    CountsSnapshot.objects.bulk_create(
        [CountsSnapshot(name=SNAPSHOT, token=token, data=data)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token", "data"],
    )
    return data


def _grouped(filterset: DocumentFilter, base) -> list[dict]:
    """One query: the documents (with the record filters applied) grouped by type, kind,
    language, archive, first and last year, and whether they pass the date filters."""
    queryset = filterset.apply(base, leave_out=(*COLUMN_FACETS, *DATE_FILTERS)).order_by()
    return _grouped_rows(queryset, filterset.values, "pk")


def _grouped_rows(queryset, values: dict, key: str) -> list[dict]:
    """``queryset``'s rows (documents, or their kept rows) grouped by the filter
    columns, first and last year, and whether they pass the date filters."""
    in_dates = Q()
    if "date_from" in values:
        in_dates &= Q(date_latest__gte=values["date_from"])
    if "date_to" in values:
        in_dates &= Q(date_earliest__lte=values["date_to"])
    flag = (
        Case(When(in_dates, then=Value(1)), default=Value(0), output_field=IntegerField())
        if in_dates
        else Value(1, output_field=IntegerField())
    )
    return list(
        queryset.annotate(
            first_year=ExtractYear("date_earliest"),
            last_year=ExtractYear("date_latest"),
            in_dates=flag,
        )
        .values(*COLUMN_FACETS.values(), "first_year", "last_year", "in_dates")
        .annotate(n=Count(key))
    )


def _grouped_from_counts(values: dict) -> list[dict]:
    """``_grouped``'s rows for every published document (the list, no record
    filter), from the pre-aggregated counts (``FacetCount``, a few thousand groups
    kept by the index upkeep), where grouping 100,000 documents took ~120 ms.

    A group's years say whether it passes the date filters, except in a year a
    filter cuts through ("from 1945-11": documents ending in 1945 may end before
    November): those groups are left out and that year's documents counted from
    their kept rows (``DocumentRecords``, by their date index)."""
    start, end = values.get("date_from"), values.get("date_to")
    cut_start = start.year if start and (start.month, start.day) != (1, 1) else None
    cut_end = end.year if end and (end.month, end.day) != (12, 31) else None
    rows = []
    for kind, source, language, archive, first, last, n in FacetCount.objects.values_list(
        *FACET_GROUP, "documents"
    ):
        first, last = first or None, last or None
        if (cut_start and last == cut_start) or (cut_end and first == cut_end):
            continue
        in_dates = (start is None or (last is not None and last >= start.year)) and (
            end is None or (first is not None and first <= end.year)
        )
        rows.append(
            {
                "document_type": kind,
                "source_kind": source,
                "language": language,
                "repository_id": archive or None,
                "first_year": first,
                "last_year": last,
                "in_dates": int(in_dates),
                "n": n,
            }
        )
    cut = Q()
    if cut_start:
        cut |= Q(date_latest__year=cut_start)
    if cut_end:
        cut |= Q(date_earliest__year=cut_end)
    if cut:
        cut_rows = DocumentRecords.objects.filter(cut, published=True).order_by()
        rows += _grouped_rows(cut_rows, values, "document_id")
    return rows


def _kept_counts(matches: list[int], values: dict) -> tuple[list[dict], list[tuple]] | None:
    """From a search's matches' kept rows (``DocumentRecords``, one narrow row a
    match): ``_grouped``'s rows, and (kind, record, documents) for the matches that
    every filter passes. None when a match has no kept row (not rebuilt yet): then
    the documents are counted."""
    if connection.vendor == "postgresql":
        return _kept_counts_postgres(matches, values)
    rows = _kept_rows(matches)
    if len(rows) != len(set(matches)):
        return None
    passing = _passing_kept(rows, values)
    records = []
    for index, kind in enumerate(RECORD_FIELDS):
        counts = Counter(pk for row in passing for pk in row[len(KEPT_COLUMNS) + index])
        records += [(kind, pk, n) for pk, n in counts.items()]
    return _grouped_from_kept(rows, values), records


def _kept_counts_postgres(
    matches: list[int], values: dict
) -> tuple[list[dict], list[tuple]] | None:
    """``_kept_counts`` in one query: each match's kept row read once, by its key (a
    probe per id: the planner otherwise trades 2,000 probes for a scan of all
    100,000 rows), then grouped twice, so that only counts cross the wire (2,000
    rows of four id arrays took longer to parse than to read)."""
    table = DocumentRecords._meta.db_table
    start, end = values.get("date_from"), values.get("date_to")
    dates, date_params = [], []
    if start is not None:
        dates.append("date_latest >= %s")
        date_params.append(start)
    if end is not None:
        dates.append("date_earliest <= %s")
        date_params.append(end)
    in_dates = " AND ".join(dates) or "TRUE"
    passing, passing_params = [in_dates], list(date_params)
    for name, column in COLUMN_FACETS.items():
        if name in values:
            passing.append(f"{column} = %s")
            passing_params.append(getattr(values[name], "pk", values[name]))
    columns = ", ".join(COLUMN_FACETS.values())
    records = " UNION ALL ".join(
        f"SELECT 1, NULL, NULL, NULL, NULL::integer, NULL::integer, NULL::integer, "
        f"NULL::boolean, '{kind}', x, COUNT(*) FROM d CROSS JOIN LATERAL unnest(d.{field}) AS x "
        f"WHERE {' AND '.join(passing)} GROUP BY x"
        for kind, field in RECORD_FIELDS.items()
    )
    sql = (
        f"WITH d AS MATERIALIZED (SELECT k.* FROM unnest(%s::bigint[]) AS m(id) "
        f"CROSS JOIN LATERAL (SELECT * FROM {table} k WHERE k.document_id = m.id "
        "AND k.published LIMIT 1) k) "
        f"SELECT 0, {columns}, CAST(EXTRACT(year FROM date_earliest) AS integer), "
        f"CAST(EXTRACT(year FROM date_latest) AS integer), {in_dates}, NULL, NULL, COUNT(*) "
        f"FROM d GROUP BY 2, 3, 4, 5, 6, 7, 8 UNION ALL {records}"
    )
    params = [array_literal(matches), *date_params]
    for _ in RECORD_FIELDS:
        params += passing_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = (*COLUMN_FACETS.values(), "first_year", "last_year", "in_dates")
    grouped, found, counted = [], [], 0
    for part, *group, kind, pk, n in rows:
        if part == 0:
            grouped.append({**dict(zip(names, group, strict=True)), "n": n})
            grouped[-1]["in_dates"] = int(bool(group[-1]))
            counted += n
        else:
            found.append((kind, pk, n))
    if counted != len(set(matches)):
        return None
    return grouped, found


def _kept_rows(matches: list[int]) -> list[tuple]:
    """The kept rows (``DocumentRecords``) of a search's published matches, as
    (type, kind, language, archive id, earliest, latest, people, places,
    organizations, events): one query, one narrow row a match. On PostgreSQL each row
    is read by its key (a probe per id: the planner otherwise trades 2,000 probes
    for a scan of all 100,000 rows)."""
    table = DocumentRecords._meta.db_table
    fields = ", ".join(f"d.{name}" for name in (*KEPT_COLUMNS, *RECORD_FIELDS.values()))
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {fields} FROM unnest(%s::bigint[]) AS m(id) CROSS JOIN LATERAL "
            f"(SELECT * FROM {table} k WHERE k.document_id = m.id AND k.published "
            "LIMIT 1) d"
        )
    else:
        sql = (
            f"SELECT {fields} FROM {table} d "
            "WHERE d.published AND d.document_id IN (SELECT value FROM json_each(%s))"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_ids_param(matches)])
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return rows
    return [
        (*row[:4], *(_as_date(day) for day in row[4:6]), *(_as_ids(ids) for ids in row[6:]))
        for row in rows
    ]


def _ids_param(ids: list[int]):
    return array_literal(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


def _as_date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _as_ids(value) -> list[int]:
    return json.loads(value) if isinstance(value, str) else list(value or ())


def _in_dates(row: tuple, values: dict) -> bool:
    """Whether a kept row passes the date filters, as ``DocumentFilter`` tests them."""
    start, end = values.get("date_from"), values.get("date_to")
    earliest, latest = row[4], row[5]
    if start is not None and (latest is None or latest < start):
        return False
    return end is None or (earliest is not None and earliest <= end)


def _grouped_from_kept(rows: list[tuple], values: dict) -> list[dict]:
    """``_grouped``'s rows, from the matches' kept rows (no query)."""
    counts: Counter = Counter()
    for row in rows:
        earliest, latest = row[4], row[5]
        first = earliest.year if earliest else None
        last = latest.year if latest else None
        counts[(*row[:4], first, last, int(_in_dates(row, values)))] += 1
    names = (*COLUMN_FACETS.values(), "first_year", "last_year", "in_dates")
    return [{**dict(zip(names, key, strict=True)), "n": n} for key, n in counts.items()]


def _passing_kept(rows: list[tuple], values: dict) -> list[tuple]:
    """The kept rows that every column and date filter passes."""
    wanted = [
        (index, getattr(values[name], "pk", values[name]))
        for index, name in enumerate(COLUMN_FACETS)
        if name in values
    ]
    return [
        row
        for row in rows
        if all(row[index] == value for index, value in wanted) and _in_dates(row, values)
    ]


def _repositories():
    return Repository.objects.order_by("name").values_list("pk", "slug", "name")


def _entity_facets(
    filterset, base, params, everything: bool, too_many: bool = False, kept=None
) -> list[Facet]:
    """People, places, organizations, events: the most frequent choices of each
    (only those chosen, with a note, when the documents are ``too_many`` to count).
    ``kept``: (kind, record, documents) for the documents of ``base`` that every
    filter passes, when a search has counted them from its matches' kept rows."""
    values = filterset.values
    top: dict[str, list[tuple[str, str, int]]] = {}  # kind -> [(slug, name, count)]
    if everything:  # nothing filtered or searched: the kept counts
        ranked = (
            RecordCount.objects.filter(documents__gt=0)
            .annotate(
                place_in_kind=Window(
                    RowNumber(),
                    partition_by=F("kind"),
                    order_by=[F("documents").desc(), F("entity_id").asc()],
                )
            )
            .filter(place_in_kind__lte=ENTITY_CHOICES_SHOWN)
            .values_list("kind", "entity__slug", "entity__name", "documents")
        )
        for kind, slug, name, count in ranked:
            top.setdefault(kind, []).append((slug, name, count))
    else:
        # The kinds whose filter is not in use share one query (all filters applied);
        # with "any of them", a kind whose filter is in use is counted without it (its
        # choices widen the results); with "all of them" (the default), every choice
        # narrows, so it is counted with everything applied.
        widening = filterset.match_mode == "any"
        in_use = {name for name in ENTITY_FILTERS if name in values and widening}
        shared = [kind for name, kind in ENTITY_FILTERS.items() if name not in in_use]
        groups = [(shared, filterset.apply(base))] if shared and not too_many else []
        for name, kind in ENTITY_FILTERS.items():
            if name in in_use and not too_many:
                groups.append(([kind], filterset.apply(base, leave_out=(name,))))
        counted: dict[str, list[tuple[int, int]]] = {}  # kind -> [(count, entity id)]
        for kinds, queryset in groups:
            for kind, entity_id, n in _records_counted(queryset, kinds, kept):
                counted.setdefault(kind, []).append((n, entity_id))
        # The most frequent of each kind (at equal counts, the oldest records).
        shortlist = {
            kind: sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:ENTITY_CHOICES_SHOWN]
            for kind, pairs in counted.items()
        }
        names = {
            pk: (slug, name, sort_name)
            for pk, slug, name, sort_name in Entity.objects.filter(
                pk__in=[pk for pairs in shortlist.values() for _, pk in pairs]
            ).values_list("pk", "slug", "name", "sort_name")
        }
        for kind, pairs in shortlist.items():
            top[kind] = [(names[pk][0], names[pk][1], n) for n, pk in pairs if pk in names]
    for shown in top.values():  # shown by count, then name
        shown.sort(key=lambda item: (-item[2], item[1].lower()))
    result = []
    for name, kind in ENTITY_FILTERS.items():
        shown = top.get(kind, [])
        counts = {slug: count for slug, _, count in shown}
        labels = [(slug, label) for slug, label, _ in shown]
        selected = list(values.get(name) or [])
        for entity in selected:  # a chosen record is always listed, with its count
            if entity.slug not in counts:
                labels.append((entity.slug, entity.name))
                queryset = filterset.apply(base, leave_out=(name,)).order_by()
                counts[entity.slug] = queryset.filter(touching(entity.pk)).count()
        facet = _facet(
            name,
            filterset.filters[name].label,
            labels,
            counts,
            [entity.slug for entity in selected],
            params,
            keep_order=True,
            joiner=" or " if filterset.match_mode == "any" else " and ",
        )
        if too_many and not everything:
            facet.note = RECORD_FACET_NOTE.format(label=str(facet.label).lower())
        result.append(facet)
    return result


def _records_counted(
    documents, kinds: list[str], kept: list[tuple] | None = None
) -> list[tuple[str, int, int]]:
    """(kind, record id, documents) for the records of ``kinds`` that ``documents``
    touch (mention, name as agents, record as events), from each document's kept
    lists of the records it touches (``DocumentRecords``, kept by the index upkeep):
    one narrow row a document, where reading every mention, agent and event link of
    every document read ~20,000 links for a name with 1,925 matches (docs/scale.md).

    ``kept``: the counts when already made (``_kept_counts``, a search's matches):
    then no query at all."""
    if kept is not None:
        return [found for found in kept if found[0] in kinds]
    try:
        base_sql, base_params = documents.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # no documents at all
        return []
    table = DocumentRecords._meta.db_table
    fields = ", ".join(RECORD_FIELDS[kind] for kind in kinds)
    kept_rows = f"SELECT {fields} FROM {table} WHERE document_id IN ({base_sql})"
    if connection.vendor == "postgresql":  # counted where the rows are: counts cross the wire
        counted = " UNION ALL ".join(
            f"SELECT '{kind}', x, COUNT(*) FROM d CROSS JOIN LATERAL "
            f"unnest(d.{RECORD_FIELDS[kind]}) AS x GROUP BY x"
            for kind in kinds
        )
        with connection.cursor() as cursor:
            cursor.execute(f"WITH d AS MATERIALIZED ({kept_rows}) {counted}", base_params)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(kept_rows, base_params)
        lists = [[_as_ids(ids) for ids in row] for row in cursor.fetchall()]
    found = []
    for index, kind in enumerate(kinds):
        counts = Counter(pk for row in lists for pk in row[index])
        found += [(kind, pk, n) for pk, n in counts.items()]
    return found


def _facet(
    name, label, choices, counts, selected, params, keep_order=False, joiner=" and "
) -> Facet:
    """A facet's choices with counts and links. ``selected`` is one value, or a list
    for a filter that takes several (records): then each link adds or removes its value
    and keeps the others."""
    several = isinstance(selected, list)
    chosen = list(selected) if several else [selected]
    items = []
    labels = {}
    for value, choice_label in choices:
        count = counts.get(value, 0)
        is_selected = value in chosen
        if is_selected:
            labels[value] = str(choice_label)
        if count or is_selected:
            if several:
                change = [v for v in chosen if v != value] if is_selected else [*chosen, value]
            else:
                change = None if is_selected else value
            url = query_string(params, **{name: change})
            items.append(Choice(value, str(choice_label), count, is_selected, url))
    if not keep_order:
        items.sort(key=lambda c: (-c.count, c.label))
    selected_label = joiner.join(labels[v] for v in chosen if v in labels)
    return Facet(name, label, items, selected_label, query_string(params, **{name: None}))


def _years(summary: dict, values, params: QueryDict) -> Facet:
    """How many documents each year would give, as the date filters find them: a
    document dated across years counts in each. Decades when the years are many."""
    step = 10 if len(summary["years"]) > MAX_YEARS else 1
    counts = {int(k): n for k, n in summary["decades" if step > 1 else "years"].items()}
    date_from, date_to = params.get("date_from", ""), params.get("date_to", "")
    choices = []
    for bucket in sorted(counts):
        low, high = str(bucket), str(bucket + step - 1)
        label = low if step == 1 else f"{low}s"
        is_selected = bool(values.get("date_from")) and (date_from, date_to) == (low, high)
        url = query_string(
            params,
            date_from=None if is_selected else low,
            date_to=None if is_selected else high,
        )
        choices.append(Choice(low, label, counts[bucket], is_selected, url))
    selected = next((c.label for c in choices if c.selected), "")
    return Facet(
        "year", "Year", choices, selected, query_string(params, date_from=None, date_to=None)
    )
