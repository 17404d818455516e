"""Emptying tables for the tests that restore or reload an archive into an empty one
(backups, data dumps).

Deleting the corpus through the ORM sends every row's signals: each mention, variant and
link re-indexes its document and records and bumps change tokens, and each record writes
a deletion into its history. That took most of those tests' time, and none of it is what
they check, which is what a restore or an import makes of a database that holds
nothing. So the rows go in SQL, table by table, and with them every row whose foreign
key constraint points at one of them (what the ORM's cascade would delete; the foreign
keys are deferred, so the order does not matter). Nothing else changes: no history row,
no token, no index entry is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import connection, models, transaction


def _referencing(targets: set[type[models.Model]]) -> set[type[models.Model]]:
    """``targets`` and every model whose database-enforced foreign key points at one of
    them, transitively (multi-table children, links, ``auth_user_groups``…)."""
    found = set(targets)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in found or model._meta.proxy or not model._meta.managed:
                continue
            if any(
                field.is_relation
                and field.related_model in found
                and getattr(field, "db_constraint", True)
                for field in model._meta.concrete_fields
            ):
                found.add(model)
                changed = True
    return found


def delete_rows(targets: Iterable[type[models.Model]]) -> None:
    """Delete every row of ``targets`` and of the tables that reference them, in SQL."""
    tables = sorted({model._meta.db_table for model in _referencing(set(targets))})
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
