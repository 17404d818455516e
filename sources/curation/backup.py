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

import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import transaction

from ..models import (
    Document,
    DocumentAgent,
    Entity,
    Repository,
    everything_changed,
)
from .checks import (
    Problem,
    check_agents,
    check_database,
    check_mentions,
    published_document_problems,
)

BACKUP_LABELS = ["auth.group", "auth.user", "sources"]
BACKUP_FORMAT = "archive-backup"


def is_history_row(obj) -> bool:
    """A django-simple-history row (its class knows the model it records)."""
    return hasattr(type(obj), "instance_type")


class Serializer(JSONSerializer):
    """Django's JSON with natural keys, except a history row's links to records (ids),
    and timestamps to the microsecond."""

    def handle_field(self, obj, field) -> None:
        value = field.value_from_object(obj)
        if isinstance(value, datetime.datetime):
            # Every microsecond: Django's JSON keeps milliseconds only, so a restored
            # timestamp differed from the original (and a re-export from the backup).
            self._current[field.name] = value.isoformat().replace("+00:00", "Z")
        else:
            super().handle_field(obj, field)

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
        # Derived state (cache version and change tokens, kept counts) is rebuilt, not
        # backed up.
        exclude=[
            "sources.archiveversion",
            "sources.changetoken",
            "sources.recordcount",
            "sources.countssnapshot",
            "sources.documentrecords",
            "sources.facetcount",
        ],
        use_natural_foreign_keys=True,
        indent=1,
        stdout=out,
        verbosity=0,
    )
    return out.getvalue()


def publication_problems(document: Document) -> list[Problem]:
    """The restore's checks (``check_database``, which ``import_archive`` runs) that
    concern this document, as if it were published: Publish refuses a document that
    would make the next backup impossible to restore."""
    mine = Document.objects.filter(pk=document.pk)
    return [
        *published_document_problems(document),
        *check_agents(DocumentAgent.objects.filter(document=document)),
        *check_mentions(mine),
    ]


def refuse_unrestorable(document: Document) -> None:
    """Raise a ValidationError listing why a backup holding ``document`` published
    could not be restored (the workflow's Publish calls it before publishing)."""
    problems = publication_problems(document)
    if problems:
        raise ValidationError(
            [
                "This document cannot be published yet: a backup holding it would fail "
                "the restore's checks. Fix these first:",
                *(str(p) for p in problems),
            ]
        )


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
        everything_changed()
        problems = check_database()
        if problems:
            raise RestoreRefused(
                "The restored archive fails its checks (nothing was written): "
                + "; ".join(str(p) for p in problems[:20])
            )


class BackupUnverified(Exception):
    pass


def _scratch_database(workdir: Path) -> tuple[str, Callable[[], None]]:
    """A DATABASE_URL for an empty database of the same kind as the archive's, and how
    to drop it. PostgreSQL: a new database on the same server, named after the
    archive's; SQLite: a file in ``workdir``."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{workdir / 'verify.sqlite3'}", lambda: None
    import psycopg2  # the project's own driver
    from psycopg2 import sql

    name = f"verify_{uuid.uuid4().hex[:8]}_{db['NAME']}"[:63]
    params = {
        "dbname": "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }

    def run(statement) -> None:
        connection = psycopg2.connect(**{k: v for k, v in params.items() if v})
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    url = f"postgres://{auth}@{host}/{name}" if auth else f"postgres://{host}/{name}"
    return url, lambda: run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)
    ))  # fmt: skip


def verify_backup(path: Path) -> int:
    """Restore the backup at ``path`` into a scratch database (migrated from nothing,
    as on the day it is needed), export that again and compare: identical, or
    ``BackupUnverified`` says what differs. Returns the number of rows checked.

    The restore runs in a separate process with the same settings module, so it uses
    exactly the commands a restore would use (``migrate``, ``import_archive``)."""
    path = Path(path)
    original = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="archive-verify-") as workdir:
        url, drop = _scratch_database(Path(workdir))
        try:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            }
            again = Path(workdir) / "again.json"
            for args in (
                ["migrate", "--noinput", "-v0"],
                ["import_archive", str(path.resolve())],
                ["export_archive", str(again)],
            ):
                result = subprocess.run(
                    [sys.executable, "manage.py", *args],
                    cwd=settings.BASE_DIR,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if result.returncode:
                    raise BackupUnverified(
                        f"{args[0]} into a scratch database failed: "
                        + (result.stderr.strip().splitlines() or ["(no message)"])[-1]
                    )
            restored = again.read_text(encoding="utf-8")
        finally:
            drop()
    if restored != original:
        for number, (a, b) in enumerate(
            zip(original.splitlines(), restored.splitlines(), strict=False), 1
        ):
            if a != b:
                raise BackupUnverified(
                    f"the restored archive differs from the backup at line {number}: "
                    f"{a.strip()[:120]!r} became {b.strip()[:120]!r}"
                )
        raise BackupUnverified(
            f"the restored archive has {len(restored.splitlines())} lines, the backup "
            f"{len(original.splitlines())}"
        )
    return len(json.loads(original))
