"""Faults survived (PostgreSQL only: SQLite has no server to restart).

PostgreSQL is restarted while the production server (gunicorn, ``archive.settings.prod``,
its default persistent connections with health checks) is under load: ``/health/``
answers 503 while the database is down and 200 after, and no request that arrives after
the restart fails; the server needs no restart of its own.

The database is a throwaway cluster the test makes (tests/curation/pgcluster.py), never
the machine's own server. Slow (a cluster, a migration, the corpus): about a minute.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from .pgcluster import Cluster, free_port, server_bin

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(
        not POSTGRES, reason="PostgreSQL only: SQLite has no database server to restart"
    ),
    pytest.mark.skipif(server_bin() is None, reason="needs PostgreSQL's server binaries"),
    # Under pytest-xdist (make test), both tests on one worker: one cluster, not two.
    pytest.mark.xdist_group("faults"),
]

PAGES = [
    "/",
    "/documents/1945-11-21-telegram-baku-to-moscow/",
    "/people/mir-jafar-bagirov/",
    "/search/?q=Baghirov",
    "/health/",
]


def get(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return f"{type(error).__name__}: {error}"


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    cluster = Cluster()
    server = None
    try:
        cluster.start()
        cluster.create_database("faults_h14")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CONN_", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "archive.settings.prod",
            "DATABASE_URL": cluster.url("faults_h14"),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
            "WORKERS": "2",
            "LOG_LEVEL": "WARNING",
            "REQUEST_LOG_LEVEL": "WARNING",
        }
        for args in (["migrate", "--noinput", "-v0"], ["load_corpus", "-v0"],
                     ["collectstatic", "--noinput", "-v0"]):  # fmt: skip
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=600)  # fmt: skip
        port = free_port()
        log = open(cluster.root / "gunicorn.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            if get(f"{base}/health/") == 200:
                break
            assert server.poll() is None, (cluster.root / "gunicorn.log").read_text()
            time.sleep(0.2)
        yield cluster, base
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        cluster.destroy()


class Load:
    """Clients requesting the pages in turn until stopped; every answer kept with the
    time its request was sent."""

    def __init__(self, base: str, clients: int = 4) -> None:
        self.base = base
        self.results: list[tuple[float, str, int | str]] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(clients)]

    def client(self, n: int) -> None:
        i = n
        while not self.stopping.is_set():
            path = PAGES[i % len(PAGES)]
            sent = time.monotonic()
            self.results.append((sent, path, get(self.base + path)))
            i += 1

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_postgresql_restarted_under_load_the_server_recovers_itself(production_server):
    cluster, base = production_server
    with Load(base) as load:
        time.sleep(3)
        cluster.stop("fast")  # every server connection is cut
        down = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and 503 not in down:
            down.append(get(f"{base}/health/"))
            time.sleep(0.1)
        cluster.start()
        restarted = time.monotonic()
        time.sleep(6)
    health_after = get(f"{base}/health/")

    before = [r for r in load.results if r[0] < restarted]
    after = [r for r in load.results if r[0] >= restarted]
    assert 503 in down, down
    assert health_after == 200
    assert any(status == 200 for _, _, status in before)
    assert len(after) >= 10, f"only {len(after)} requests after the restart"
    failed = [(path, status) for _, path, status in after if status != 200]
    assert not failed, (
        f"{len(failed)} of {len(after)} requests after the restart failed: {failed[:10]}"
    )


def test_a_quiet_restart_costs_no_request(production_server):
    """The database restarts while the server is idle: every worker still holds a
    connection to the old server. The health check finds it dead and reconnects, so the
    first request on each worker succeeds (without CONN_HEALTH_CHECKS they fail)."""
    cluster, base = production_server
    for _ in range(8):  # every worker holds a kept connection
        assert get(f"{base}/people/mir-jafar-bagirov/") == 200
    cluster.stop("fast")
    cluster.start()
    with Load(base) as load:
        time.sleep(4)
    failed = [(path, status) for _, path, status in load.results if status != 200]
    assert len(load.results) >= 10
    assert not failed, f"{len(failed)} of {len(load.results)} requests failed: {failed[:10]}"
