"""Whole-archive backups as JSON: records, mentions, proposals, history, curators.

Links between rows are written as natural keys (slugs, usernames, permission codenames),
so a backup is readable and does not depend on another database's numbering. Each row
keeps its own primary key too: history rows store the id of the record they describe,
and keeping ids is what lets a restore into an empty database reproduce the archive
exactly, history included.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from ..models import Document, Entity, Repository, everything_changed
from .checks import check_database

BACKUP_LABELS = ["auth.group", "auth.user", "sources"]


class RestoreRefused(Exception):
    pass


def export_archive() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *BACKUP_LABELS,
        # Derived state (cache version and change tokens, kept counts) is rebuilt, not
        # backed up.
        exclude=[
            "sources.archiveversion",
            "sources.changetoken",
            "sources.recordcount",
            "sources.countssnapshot",
        ],
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
        everything_changed()
        problems = check_database()
        if problems:
            raise RestoreRefused(
                "The restored archive fails its checks (nothing was written): "
                + "; ".join(str(p) for p in problems[:20])
            )
