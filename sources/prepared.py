"""Querysets compiled once per process and run again with new values (issue 13).

Turning a queryset into SQL costs Django more than running it: for the small queries of
a public page (a count, a page of a list, the change tokens) the compiler's work is
0.3–0.8 ms each, on every request, to build the same SQL text again. A
``PreparedQuery`` builds its queryset once per database (and shape: the number of values
in an ``IN``), keeps the SQL, the positions of the values that change and the column
converters Django would apply, and from then on only executes. The queryset stays the
one source of the query: the SQL is Django's own, for whichever database is in use, and
the routers (the read replica) choose the database on every run.

``PreparedQuery`` gives rows of a value query (``values_list``); ``PreparedModelQuery``
gives the model instances of a queryset (with ``select_related``, ``only``/``defer``,
annotations), made as Django makes them. The changing values must reach the SQL as
they are (``exact``/``in`` lookups of strings and integers; slices as ``Literal``): a
value the compiler transforms is not found in the compiled parameters, and that shape
then runs through the ORM every time (correct, only not faster), as does a queryset
with prefetches of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

_ALL: list[PreparedQuery] = []


@dataclass
class _Compiled:
    sql: str
    # For each SQL parameter: (argument index, item index or -1 for a scalar), or None
    # for a constant of the query (kept in ``constants``).
    slots: list[tuple[int, int] | None]
    constants: list[Any]
    converters: list[tuple[int, tuple[list[Callable], Any]]]
    empty: bool = False
    model: _ModelInfo | None = None


@dataclass
class _ModelInfo:
    """What Django's ModelIterable reads from the compiler to make instances of rows:
    kept with the SQL, so a prepared model query builds them without compiling."""

    model: type[Model]
    init_list: list[str]
    start: int
    end: int
    populators: list  # django.db.models.query.RelatedPopulator: select_related()
    annotations: list[tuple[str, int]]


@dataclass(frozen=True)
class Literal:
    """A value the SQL carries as text, not as a parameter (a slice's LIMIT and
    OFFSET): part of the shape, compiled once for each value met (up to a bound)."""

    value: Any


MAX_SHAPES = 256  # compiled shapes kept per query; past that, the ORM each time


class PreparedQuery:
    """``build(*values)`` returns a ``values_list`` queryset; ``rows(*values)`` runs it.

    Each value is a string, an integer, or a sequence of them (for ``__in``), or a
    ``Literal``.
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled | None] = {}
        self._model: type | None = None
        _ALL.append(self)

    def rows(self, *values: Any) -> list[tuple]:
        compiled, alias = self._prepared(values)
        if compiled is None:  # a shape the compiler transforms: the ORM each time
            return [tuple(row) for row in self._built(values).using(alias)]
        return [tuple(row) for row in self._run(compiled, alias, values)]

    def _prepared(self, values: Sequence[Any]) -> tuple[_Compiled | None, str]:
        """The compiled query for these values' shape on the database the routers
        choose now (compiled on first use), and that database's alias."""
        shape = tuple(
            ("literal", v.value)
            if isinstance(v, Literal)
            else len(v)
            if isinstance(v, list | tuple)
            else -1
            for v in values
        )
        if self._model is None:
            self._model = self._built(values).model
        alias = router.db_for_read(self._model)
        key = (alias, shape)
        try:
            compiled = self._compiled[key]
        except KeyError:
            compiled = self._compile(alias, values)
            if len(self._compiled) < MAX_SHAPES:
                self._compiled[key] = compiled
        return compiled, alias

    def _run(self, compiled: _Compiled, alias: str, values: Sequence[Any]) -> list:
        """The rows, each a tuple or (with converters) a list, as Django would give them."""
        if compiled.empty:
            return []
        params = [
            constant
            if slot is None
            else (values[slot[0]] if slot[1] < 0 else values[slot[0]][slot[1]])
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in compiled.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def _built(self, values: Sequence[Any]) -> QuerySet:
        return self.build(*(v.value if isinstance(v, Literal) else v for v in values))

    def _compile(self, alias: str, values: Sequence[Any]) -> _Compiled | None:
        marks: dict[Any, tuple[int, int]] = {}
        marked: list[Any] = []
        for index, value in enumerate(values):
            if isinstance(value, Literal):
                marked.append(value.value)
            elif isinstance(value, list | tuple):
                items = [_mark(item, index, position) for position, item in enumerate(value)]
                if any(item is None for item in items):
                    return None
                for position, item in enumerate(items):
                    marks[_key(item)] = (index, position)
                marked.append(type(value)(items))
            else:
                item = _mark(value, index, -1)
                if item is None:
                    return None
                marks[_key(item)] = (index, -1)
                marked.append(item)
        built = self.build(*marked)
        compiler = built.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled("", [], [], [], empty=True)
        slots: list[tuple[int, int] | None] = []
        constants: list[Any] = []
        used = set()
        for param in params:  # a value may reach the SQL more than once
            slot = marks.get(_key(param)) if _markable(param) else None
            if slot is not None:
                used.add(_key(param))
            slots.append(slot)
            constants.append(None if slot is not None else param)
        if used != marks.keys():  # a value did not reach the SQL as it was given
            return None
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            return None
        converters = list(compiler.get_converters(fields).items())
        model = self._model_info(built, compiler, alias)
        return _Compiled(sql, slots, constants, converters, model=model)

    def _model_info(self, built: QuerySet, compiler, alias: str) -> _ModelInfo | None:
        return None


class PreparedModelQuery(PreparedQuery):
    """``build(*values)`` returns a queryset of model instances (``select_related``,
    ``only``/``defer``, annotations and an order, as any queryset); ``objects(*values)``
    returns its instances, made as Django's ``ModelIterable`` makes them (``from_db``,
    so ``post_init`` and the page cache's dependencies see them), without compiling
    the query again. Values are as for ``PreparedQuery``.

    Why: a document or record page's own row joins its archive and places and its
    links join their records; compiling those querysets cost 1–5 ms each on every
    uncached view, several times what the database takes to answer them."""

    def objects(self, *values: Any) -> list[Model]:
        compiled, alias = self._prepared(values)
        if compiled is None or (not compiled.empty and compiled.model is None):
            return list(self._built(values).using(alias))
        if compiled.empty:
            return []
        info = compiled.model
        found = []
        for row in self._run(compiled, alias, values):
            instance = info.model.from_db(alias, info.init_list, row[info.start : info.end])
            for populator in info.populators:
                populator.populate(row, instance)
            for name, position in info.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def rows(self, *values: Any) -> list[tuple]:
        raise TypeError("a PreparedModelQuery gives objects(), not rows()")

    def _model_info(self, built: QuerySet, compiler, alias: str) -> _ModelInfo | None:
        klass_info = compiler.klass_info
        if klass_info is None or compiler.query.extra_select or built._prefetch_related_lookups:
            return None  # made by the ORM each time: prefetches, extra() columns
        select = compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _ModelInfo(
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(klass_info, select, alias),
            annotations=list(compiler.annotation_col_map.items()),
        )


class PreparedPage:
    """What a ``Paginator`` reads of a list (``count()`` and slices), from a prepared
    count (one row, one number) and a prepared model query whose last two values are
    the slice's start and stop: ``PreparedPage(count, page, *values)``. Both compiled
    once per process, as a queryset handed to the paginator would be on every view."""

    def __init__(self, count: PreparedQuery, page: PreparedModelQuery, *values: Any):
        self._count, self._page, self.values = count, page, values

    def count(self) -> int:
        rows = self._count.rows(*self.values)
        return rows[0][0] if rows else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        return self._page.objects(*self.values, Literal(start), Literal(stop))


def _fields(model: type[Model], only: Sequence[str] | None) -> list:
    """The concrete fields loaded, in the model's order (what ``from_db`` expects)."""
    if only is None:
        return list(model._meta.concrete_fields)
    wanted = {model._meta.pk.name, *only}
    return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]


def field_names(model: type[Model], only: Sequence[str] | None = None) -> list[str]:
    """``values_list`` names of the fields ``instances`` reads: every concrete field of
    ``model`` or the primary key and ``only``, in the model's order."""
    return [field.name for field in _fields(model, only)]


def instances(
    model: type[Model],
    rows: Sequence[tuple],
    extra: Sequence[str] = (),
    only: Sequence[str] | None = None,
) -> list:
    """Model instances from rows of ``field_names(model, only)`` followed by the
    ``extra`` annotations: what the queryset (with ``only()``) would have given,
    ``post_init`` included (the page cache's dependencies)."""
    alias = router.db_for_read(model)
    names = [field.attname for field in _fields(model, only)]
    width = len(names)
    found = []
    for row in rows:
        instance = model.from_db(alias, names, row[:width])
        for name, value in zip(extra, row[width:], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


def _mark(value: Any, index: int, position: int) -> Any:
    """A stand-in of the value's type that nothing else in a query can equal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return -(7_000_000_000_000 + index * 100_000 + position + 1)
    if isinstance(value, str):
        return f"\x1fprepared:{index}:{position}\x1f"
    return None


def _markable(param: Any) -> bool:
    return isinstance(param, int | str) and not isinstance(param, bool)


def _key(value: Any) -> tuple[type, Any]:
    return (type(value), value)


def _forget(**kwargs) -> None:
    """A test changed the databases or settings: compile anew."""
    for prepared in _ALL:
        prepared._compiled.clear()


setting_changed.connect(_forget, dispatch_uid="prepared_queries_forget")
