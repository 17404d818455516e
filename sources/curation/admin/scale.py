"""The admin at archive scale (100,000 documents, a million mentions): no exact count
of a long list, and counts of linked rows only for the rows a page shows.

Django's changelist counts its list exactly (``COUNT(*)``, over every join the list
filters through) and, unless told otherwise, counts the whole table once more for
"N total". At a million mentions each count reads every row; a curator needs the
page, not the exact total. So:

- ``EstimatedCountPaginator`` counts exactly up to a threshold (``ADMIN_EXACT_COUNT``,
  10,000 by default) with a capped count that stops reading past it, and beyond it
  gives PostgreSQL's estimate (``pg_class.reltuples`` for a whole table, the planner's
  row estimate for a filtered list), never less than what it counted. The pages then
  say "about 951,300 mentions".
- ``linked_count`` is a correlated subquery for a column such as "mentions" or
  "proposed": PostgreSQL evaluates it after the page's ``LIMIT``, so only the shown
  rows are counted, and ``COUNT`` queries leave it out (unused annotations are
  stripped), where a ``Count`` over a join grouped every mention of the archive.
"""

from __future__ import annotations

import json
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, IntegerField, Max, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ...models import Entity, NameVariant
from ..finder import NameIndex

DEFAULT_EXACT_COUNT = 10_000


def exact_count_limit() -> int:
    """Up to how many rows a list is counted exactly (``ADMIN_EXACT_COUNT``)."""
    return int(getattr(settings, "ADMIN_EXACT_COUNT", DEFAULT_EXACT_COUNT))


def estimated_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's idea of how many rows ``queryset`` gives, without reading them:
    the table's ``reltuples`` (kept by VACUUM and ANALYZE) when nothing filters it,
    else the planner's estimate. ``None`` where there is no estimate (SQLite, or a
    table never analysed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if not queryset.query.where:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
            return int(row[0]) if row and row[0] >= 0 else None
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact counts for short lists, estimates for long ones (``estimated`` says which)."""

    estimated = False

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if not isinstance(items, QuerySet):
            return super().count
        limit = exact_count_limit()
        counted = items.order_by()[: limit + 1].count()
        if counted <= limit:
            return counted
        estimate = estimated_rows(items)
        if estimate is None:  # no estimate to give: count it all (small databases)
            return items.count()
        self.estimated = True
        return max(estimate, counted)


class ScaleMixin:
    """Every admin list: estimated totals past the threshold, and no second count
    of the whole table for "N total"."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False


def linked_count(model: type[Model], field: str, condition: Q | None = None) -> Coalesce:
    """How many ``model`` rows (meeting ``condition``) point at each row by ``field``:
    one index lookup per row shown."""
    rows = model.objects.filter(**{field: OuterRef("pk")})
    if condition is not None:
        rows = rows.filter(condition)
    counted = rows.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


_name_index: tuple[tuple, NameIndex] | None = None


def _names_fingerprint() -> tuple:
    """What changes whenever a record's or a variant's name can have changed: how many
    there are, the records' latest save (``modified``) and the variants' latest history
    row (every save of a variant writes one). Two small aggregate queries."""
    entities = Entity.objects.aggregate(n=Count("pk"), last=Max("modified"))
    variants = NameVariant.history.aggregate(last=Max("history_id"))["last"]
    return (entities["n"], entities["last"], NameVariant.objects.count(), variants)


def name_index() -> NameIndex:
    """Every record's names, folded, for "names not yet in the archive" on a document's
    change form: built once per process while no name changes (14,000 names fold in
    ~0.3 s at 5,500 records), where the form built it on every view."""
    global _name_index
    fingerprint = _names_fingerprint()
    if _name_index is not None and _name_index[0] == fingerprint:
        return _name_index[1]
    index = NameIndex.from_database()
    _name_index = (fingerprint, index)
    return index
