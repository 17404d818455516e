"""An import killed halfway (SIGKILL: no cleanup of any kind) leaves the archive as it
was: the import is one transaction, and PostgreSQL rolls back a transaction whose
client vanished. PostgreSQL only: the test's SQLite database lives in the test process's
memory, where another process cannot write (on a file, SQLite's journal rolls back the
same way on the next open)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from sources.models import ArchiveVersion, Document, DocumentAgent, MentionProposal

from .test_importer import GOOD

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = pytest.mark.skipif(
    not POSTGRES,
    reason="PostgreSQL only: the SQLite test database is in memory, out of another process's reach",
)

FILES = 400


def state() -> tuple:
    return (
        Document.objects.count(),
        sorted(Document.objects.values_list("slug", flat=True)),
        DocumentAgent.objects.count(),
        MentionProposal.objects.count(),
        Document.history.count(),
        ArchiveVersion.objects.current().token,
    )


def writing_backends() -> int:
    """Other sessions of this database with an open transaction that has written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0]


def test_an_import_killed_halfway_leaves_the_archive_as_before(live_corpus, tmp_path):
    for n in range(FILES):
        text = GOOD.replace("A report on the rallies", f"Killed import report {n}").replace(
            "language: en", "language: en\nauthors: [mir-jafar-bagirov]"
        )
        (tmp_path / f"report-{n:03}.md").write_text(text, encoding="utf-8")
    before = state()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_sources", str(tmp_path)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while writing_backends() == 0:  # wait until it is writing, inside its transaction
            assert importer.poll() is None, importer.communicate()
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        time.sleep(0.5)  # well into the batch
        assert importer.poll() is None, "the import finished before it could be killed"
        importer.send_signal(signal.SIGKILL)
        out, _ = importer.communicate(timeout=30)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == -signal.SIGKILL
    assert "Imported" not in out
    deadline = time.monotonic() + 60
    while writing_backends():  # PostgreSQL notices the lost client and rolls back
        assert time.monotonic() < deadline, "the killed import's transaction never ended"
        time.sleep(0.1)
    assert state() == before
    assert not Document.objects.filter(title__startswith="Killed import report").exists()
