"""A copy of the test database as the session set it up (migrated, corpus loaded), kept
beside it and put back in a fraction of a second.

Transactional tests (``live_corpus``: the live server, the browser, a killed import)
cannot roll back, so pytest-django flushes every table after each of them; each used to
reload the corpus from ``fixtures/corpus.json`` by natural keys (``load_corpus``: every
object looked up, inserted, its history written, the archive checked), several seconds
each on a busy machine. The loaded database is the same every time, so it is copied
once and restored:

* SQLite (an in-memory test database): SQLite's online backup, page by page, into a
  second in-memory database and back; schema, rows and ``sqlite_sequence`` exactly.
* PostgreSQL: every table copied with ``CREATE TABLE … AS SELECT`` into a schema of the
  test database that is not on the search path (so Django's introspection, ``flush``
  and the tests never see it), restored with ``INSERT … SELECT`` (server side: no value
  passes through Python, tsvectors and JSON included) and the sequences reset. Django's
  foreign keys are deferrable, so tables load in any order inside one transaction.

Anything else falls back to ``load_corpus``, as before.
"""

from __future__ import annotations

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

SCHEMA = "test_corpus_snapshot"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _in_dependency_order(tables: list[str]) -> list[str]:
    """``tables``, each after the tables its foreign keys point to (where there is no
    cycle): foreign keys are deferred, but the archive's triggers look up the linked
    row when a link is inserted (an event participant's kind)."""
    needs: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        needs.setdefault(model._meta.db_table, set()).update(
            field.related_model._meta.db_table
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not None
        )
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(table: str) -> None:
        seen.add(table)
        for other in sorted(needs.get(table, ())):
            if other not in seen:
                visit(other)
        ordered.append(table)

    for table in sorted(tables):
        if table not in seen:
            visit(table)
    wanted = set(tables)
    return [table for table in ordered if table in wanted]


class Snapshot:
    """The state to restore: taken once per session (per xdist worker)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.sqlite: sqlite3.Connection | None = None
        self.tables: list[str] = []

    def take(self) -> None:
        connection.ensure_connection()
        if self.vendor == "sqlite" and connection.is_in_memory_db():
            self.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite)
        elif self.vendor == "postgresql":
            self.tables = _in_dependency_order(
                connection.introspection.django_table_names(only_existing=True)
            )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
                cursor.execute(f"CREATE SCHEMA {SCHEMA}")
                for table in self.tables:
                    cursor.execute(
                        f"CREATE TABLE {SCHEMA}.{_quote(table)} AS TABLE {_quote(table)}"
                    )

    def restore(self) -> None:
        """The database as it was when the snapshot was taken, whatever the test before
        left in it (a flushed database, or the session's own)."""
        if self.sqlite is not None:
            connection.ensure_connection()
            self.sqlite.backup(connection.connection)
        elif self.tables:
            reset = connection.ops.sequence_reset_sql(
                no_style(), apps.get_models(include_auto_created=True)
            )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in self.tables:
                    cursor.execute(f"DELETE FROM {_quote(table)}")
                for table in self.tables:
                    cursor.execute(f"INSERT INTO {_quote(table)} TABLE {SCHEMA}.{_quote(table)}")
                for statement in reset:
                    cursor.execute(statement)
        else:
            call_command("load_corpus", verbosity=0)
            return
        # Ids in the cache may be the ones post_migrate gave content types after a flush.
        ContentType.objects.clear_cache()
        # As load_corpus does: whatever was cached under the archive's old tokens is stale.
        from sources.models import everything_changed

        everything_changed()
