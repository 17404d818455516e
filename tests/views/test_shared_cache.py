"""The shared page cache: Django's Redis backend when REDIS_URL is set (the real Redis on
127.0.0.1:6379, database 13 here), and a Redis that does not answer is a miss, never an
error. Two gunicorn servers with the production settings share it: an edit made through
one database is seen by both at once, and a page one rendered is served by the other.

Under pytest-xdist each worker has a database of its own (13 for gw0, 12 for gw1…):
``cache.clear()`` empties a whole database, which must not be another worker's."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from sources.models import Person

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 13 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
BAGIROV = "/people/mir-jafar-bagirov/"
TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"


def redis_cache(location: str = REDIS_URL, prefix: str = "h13-tests") -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def on_redis():
    with override_settings(CACHES=redis_cache(), PUBLIC_PAGE_CACHE=True, PAGE_CACHE_CLOCK_MARGIN=0):
        cache.clear()
        yield
        cache.clear()


@pytest.mark.django_db
def test_pages_are_kept_in_redis_and_go_stale_on_an_edit(client, on_redis):
    assert client.get(BAGIROV)["X-Archive-Cache"] == "miss"
    hit = client.get(BAGIROV)
    assert hit["X-Archive-Cache"] == "hit"
    assert "Mir Jafar Bagirov" in hit.content.decode()
    assert cache._cache.get_client().keys("h13-tests:*")  # in Redis, not in memory
    person = Person.objects.get(slug="mir-jafar-bagirov")
    person.description = "Edited, and seen through Redis."
    person.save()
    response = client.get(BAGIROV)
    assert response["X-Archive-Cache"] == "stale"
    assert "Edited, and seen through Redis." in response.content.decode()
    assert client.get(BAGIROV)["X-Archive-Cache"] == "hit"


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_is_a_miss_never_an_error(client, caplog):
    nobody = redis_cache("redis://127.0.0.1:9/13")  # the discard port: nothing listens
    with override_settings(CACHES=nobody, PUBLIC_PAGE_CACHE=True, PAGE_CACHE_CLOCK_MARGIN=0):
        for _ in range(2):
            response = client.get(BAGIROV)
            assert response.status_code == 200
            assert response["X-Archive-Cache"] == "pass"
            assert "Mir Jafar Bagirov" in response.content.decode()
    assert "page cache unavailable" in caplog.text


def test_the_settings_choose_redis_only_when_redis_url_is_set():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings.test"}
    env.pop("REDIS_URL", None)
    without = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert without.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    with_redis = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "REDIS_URL": REDIS_URL},
        capture_output=True,
        text=True,
        check=True,
    )
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


# --- Two app servers --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(base: str, path: str) -> tuple[str, str]:
    """(X-Archive-Cache, body) as a reader behind the proxy (one host name) sees it."""
    request = urllib.request.Request(base + path, headers={"Host": "archive.test"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["X-Archive-Cache"], response.read().decode()


@pytest.fixture
def two_servers(tmp_path):
    prefix = f"h13-two-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.prod",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "archive.test,127.0.0.1",
        "SITE_URL": "https://archive.test",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
    }
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "-v0"], ["load_corpus", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            servers.append(
                subprocess.Popen(
                    [gunicorn, "archive.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"{base}/health/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("gunicorn did not answer /health/")

        def edit(python: str) -> None:
            subprocess.run(
                [*manage, "shell", "-c", python], cwd=ROOT, env=env, check=True, capture_output=True
            )

        yield bases, edit
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_two_servers_share_the_cache_and_see_an_edit_at_once(two_servers):
    (first, second), edit = two_servers
    assert _get(first, TELEGRAM)[0] == "miss"
    assert _get(second, TELEGRAM)[0] == "hit"  # rendered by the first, served by the second
    assert _get(first, BAGIROV)[0] == "miss"
    time.sleep(1.1)  # the servers keep no page whose tokens changed in the last second
    edit(
        "from sources.models import Document; "
        "d = Document.objects.get(slug='1945-11-21-telegram-baku-to-moscow'); "
        "d.title = 'Telegram, edited on one server'; d.save()"
    )
    label, body = _get(second, TELEGRAM)
    # Rendered again at once ("pass" if the edit is under a second old: not kept yet).
    assert label in ("stale", "pass")
    assert "Telegram, edited on one server" in body
    time.sleep(1.1)
    label, body = _get(first, TELEGRAM)
    assert label in ("stale", "hit")
    assert "Telegram, edited on one server" in body
    label, body = _get(second, TELEGRAM)
    assert label == "hit" and "Telegram, edited on one server" in body
