"""The read replica with a real one: a throwaway primary and its streaming replica
(tests/curation/pgcluster.py), the archive on the primary, and Django reading through
``DATABASE_REPLICA_URL``. The replica's replay is paused to make it lag, so where each
request read from shows in what it answers:

- an anonymous reader sees the replica (the old title), staff the primary (the new one);
- the page cache stays right while the replica lags: the page kept during the lag is
  kept with the replica's (old) change tokens, so once the replica has replayed the edit,
  the next reader gets the new title, not the page kept during the lag.

PostgreSQL only (a replica needs a server), and slow (two clusters, a migration, the
corpus): about half a minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.curation.pgcluster import Cluster, server_bin

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only: SQLite has no replica"),
    pytest.mark.skipif(server_bin() is None, reason="needs PostgreSQL's server binaries"),
]

DOCUMENT = "/documents/1945-11-21-telegram-baku-to-moscow/"

# Run in a fresh process: the settings read DATABASE_REPLICA_URL when they load.
SCRIPT = """
import json, time
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.contrib.auth import get_user_model
from sources.models import Document

call_command("migrate", verbosity=0, interactive=False)
call_command("load_corpus", verbosity=0)
staff = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
DOCUMENT = %(document)r


def replayed():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    for _ in range(300):
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %%s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise RuntimeError("the replica did not catch up in 30 s")


def replica(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)


def page(client):
    response = client.get(DOCUMENT)
    title = Document.objects.using("default").get(slug=DOCUMENT.split("/")[2]).title
    return {
        "status": response.status_code,
        "cache": response.get("X-Archive-Cache", ""),
        "shows": "new" if "(revised)" in response.content.decode() else "old",
        "title_on_primary": "new" if "(revised)" in title else "old",
    }


seen = {}
with override_settings(PUBLIC_PAGE_CACHE=True):
    replayed()
    time.sleep(1.5)  # the corpus's tokens older than the cache's clock margin
    reader, editor = Client(), Client()
    editor.force_login(staff)
    seen["before"] = page(reader)
    replica("SELECT pg_wal_replay_pause()")
    document = Document.objects.get(slug=DOCUMENT.split("/")[2])
    document.title += " (revised)"
    document.save()
    time.sleep(1.5)
    seen["lagging_reader"] = page(reader)
    seen["lagging_staff"] = page(editor)
    seen["lagging_reader_again"] = page(reader)
    replica("SELECT pg_wal_replay_resume()")
    replayed()
    seen["caught_up_reader"] = page(reader)
print("RESULT " + json.dumps(seen))
"""


@pytest.fixture(scope="module")
def clusters():
    primary = Cluster()
    standby = None
    try:
        primary.start()
        primary.create_database("archive_primary")
        standby = Cluster(standby_of=primary)
        standby.start()
        yield primary, standby
    finally:
        if standby is not None:
            standby.destroy()
        primary.destroy()


def test_readers_read_the_replica_and_the_cache_follows_it(clusters):
    primary, standby = clusters
    assert standby.query("SELECT pg_is_in_recovery()") == "t"  # a real standby
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CONN_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "archive.settings.test",
        "DATABASE_URL": primary.url("archive_primary"),
        "DATABASE_REPLICA_URL": standby.url("archive_primary"),
        "REDIS_URL": "",  # the page cache in this process's memory
    }
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT % {"document": DOCUMENT}],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.split("RESULT ", 1)[1])

    assert seen["before"] == {
        "status": 200, "cache": "miss", "shows": "old", "title_on_primary": "old",
    }  # fmt: skip
    # The edit is on the primary; the paused replica has not replayed it.
    assert seen["lagging_reader"]["title_on_primary"] == "new"
    assert seen["lagging_reader"]["shows"] == "old"  # read from the replica
    assert seen["lagging_reader"]["cache"] == "hit"  # its tokens are the replica's: unchanged
    assert seen["lagging_staff"]["shows"] == "new"  # staff read the primary
    assert seen["lagging_staff"]["cache"] == "pass" or seen["lagging_staff"]["cache"] == ""
    assert seen["lagging_reader_again"]["shows"] == "old"
    # Once replayed, the page kept during the lag is stale: the reader gets the edit.
    assert seen["caught_up_reader"]["shows"] == "new"
    assert seen["caught_up_reader"]["cache"] in {"stale", "pass"}
