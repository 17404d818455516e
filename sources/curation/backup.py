"""Whole-archive backups as JSON: records, mentions, proposals, history, curators.

Links between rows are written as natural keys (slugs, usernames, permission codenames),
so a backup is readable and does not depend on another database's numbering. Each row
keeps its own primary key too: history rows store the id of the record they describe,
and keeping ids is what lets a restore into an empty database reproduce the archive
exactly, history included.

History rows keep their links to records *by id*, not by slug: a history row outlives
the record it describes (that is its purpose), so a deleted person's history still
names its id, and a slug could not be looked up for it. Writing those links as natural
keys made every export after the first deletion fail ("Entity matching query does not
exist"). Ids restore exactly because every row keeps its own id. The user who made a
change stays a username (deleting a user empties the link, so it always resolves).
"""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import transaction

from ..models import ArchiveVersion, Document, Entity, Repository
from .checks import check_database

BACKUP_LABELS = ["auth.group", "auth.user", "sources"]
BACKUP_FORMAT = "archive-backup"


def is_history_row(obj) -> bool:
    """A django-simple-history row (its class knows the model it records)."""
    return hasattr(type(obj), "instance_type")


class Serializer(JSONSerializer):
    """Django's JSON with natural keys, except a history row's links to records: ids."""

    def handle_fk_field(self, obj, field) -> None:
        if is_history_row(obj) and field.remote_field.model._meta.app_label == "sources":
            self._current[field.name] = self._value_from_field(obj, field)
        else:
            super().handle_fk_field(obj, field)


# The stock reader takes an id wherever it finds no natural key.
Deserializer = JSONDeserializer
serializers.register_serializer(BACKUP_FORMAT, __name__)


class RestoreRefused(Exception):
    pass


def export_archive() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *BACKUP_LABELS,
        format=BACKUP_FORMAT,
        # Derived state (cache version, kept counts) is rebuilt, not backed up.
        exclude=["sources.archiveversion", "sources.recordcount", "sources.countssnapshot"],
        use_natural_foreign_keys=True,
        indent=1,
        stdout=out,
        verbosity=0,
    )
    return out.getvalue()


def database_is_empty() -> bool:
    return not (
        Document.objects.exists()
        or Entity.objects.exists()
        or Repository.objects.exists()
        or get_user_model().objects.exists()
    )


def import_archive(path: Path) -> None:
    """Restore into an empty database; refuse otherwise, so nothing is overwritten."""
    if not database_is_empty():
        raise RestoreRefused(
            "The database already holds documents, records or users; restore only into "
            "an empty (freshly migrated) database."
        )
    with transaction.atomic():
        call_command("loaddata", str(path), verbosity=0)
        ArchiveVersion.objects.bump()
        problems = check_database()
        if problems:
            raise RestoreRefused(
                "The restored archive fails its checks (nothing was written): "
                + "; ".join(str(p) for p in problems[:20])
            )
