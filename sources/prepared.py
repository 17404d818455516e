"""Querysets compiled once per process and run again with new values (issue 13).

Turning a queryset into SQL costs Django more than running it: for the small queries of
a public page (a count, a page of a list, the change tokens) the compiler's work is
0.3–0.8 ms each, on every request, to build the same SQL text again. A
``PreparedQuery`` builds its queryset once per database (and shape: the number of values
in an ``IN``), keeps the SQL, the positions of the values that change and the column
converters Django would apply, and from then on only executes. The queryset stays the
one source of the query: the SQL is Django's own, for whichever database is in use, and
the routers (the read replica) choose the database on every run.

Only for value queries (``values_list``) whose changing values reach the SQL as they are
(``exact``/``in`` lookups of strings and integers): a value the compiler transforms is
not found in the compiled parameters, and that shape then runs through the ORM every
time (correct, only not faster).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet

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
        if compiled is None:  # a shape the compiler transforms: the ORM each time
            return [tuple(row) for row in self._built(values).using(alias)]
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
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in compiled.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
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
        compiler = self.build(*marked).query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled("", [], [], [], empty=True)
        slots: list[tuple[int, int] | None] = []
        constants: list[Any] = []
        for param in params:
            slot = marks.pop(_key(param), None) if _markable(param) else None
            slots.append(slot)
            constants.append(None if slot is not None else param)
        if marks:  # a value did not reach the SQL as it was given
            return None
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            return None
        converters = list(compiler.get_converters(fields).items())
        return _Compiled(sql, slots, constants, converters)


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
