"""Serving behind the TLS proxy: the login lock falls on the client, not the proxy, and
says how long it lasts; the production server is the one the benchmark measures."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.1"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def curator(db):
    return User.objects.create_user("curator", password="the-right-password-42", is_staff=True)


def attempt(client, password: str, *, forwarded_for: str | None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": "curator", "password": password}, **extra)


@override_settings(TRUSTED_PROXIES=[PROXY], AXES_FAILURE_LIMIT=5)
def test_behind_the_proxy_an_attacker_cannot_lock_out_a_curator(client, curator):
    # The attacker even claims to be the curator's address; the proxy appends the
    # address it really saw, and only that one is believed.
    for _ in range(6):
        response = attempt(client, "guess", forwarded_for="198.51.100.7, 203.0.113.9")
    assert response.status_code == 429  # the attacker is locked out
    signed_in = attempt(client, "the-right-password-42", forwarded_for="198.51.100.7")
    assert signed_in.status_code == 302, signed_in.content.decode()[:500]
    assert signed_in["Location"] == "/admin/"


@override_settings(TRUSTED_PROXIES=[PROXY], AXES_FAILURE_LIMIT=5)
def test_a_forwarded_for_header_from_an_untrusted_client_is_ignored(client, curator):
    for n in range(6):  # a different claimed address each time: still one client
        response = attempt(client, "guess", forwarded_for=f"198.51.100.{n}", remote="203.0.113.9")
    assert response.status_code == 429
    from archive.proxy import client_ip

    class Request:
        META = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}

    assert client_ip(Request) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=[], AXES_FAILURE_LIMIT=5)
def test_without_trusted_proxies_the_forwarded_for_header_is_ignored(client, curator):
    for _ in range(6):
        response = attempt(client, "guess", forwarded_for="203.0.113.9")
    assert response.status_code == 429
    # Same REMOTE_ADDR, another claimed address: still locked (the header means nothing).
    assert attempt(client, "the-right-password-42", forwarded_for="1.2.3.4").status_code == 429


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_the_lockout_says_how_long_it_lasts(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = attempt(client, "guess", forwarded_for="203.0.113.9")
    assert response.status_code == 429
    message = response.content.decode()
    assert "try again in 1 hour" in message
    assert f"{settings.AXES_FAILURE_LIMIT} failed logins" in message


def serve_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^serve:.*?\n((?:\t.*\n)+)", makefile, re.M).group(1)
    return recipe.replace("\\\n", " ")


def settings_of(module: str) -> dict:
    """The settings a server with ``module`` runs with, from the same environment."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CONN_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": "s" * 64,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1:8000",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/archive_bench",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: repr(getattr(s, k)) for k in ('DATABASES', 'MIDDLEWARE', "
        "'CACHES', 'PUBLIC_PAGE_CACHE', 'DEBUG', 'STORAGES', 'TEMPLATES')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout)


def test_make_serve_runs_the_settings_make_bench_measures():
    recipe = serve_recipe()
    gunicorn = next(line for line in recipe.splitlines() if "gunicorn" in line)
    words = shlex.split(gunicorn)
    assert "DJANGO_SETTINGS_MODULE=archive.settings.prod" in words
    # Workers, timeouts and the app come from the one config file both use.
    assert words[words.index("--config") + 1] == "gunicorn.conf.py"
    options = {w for w in words if w.startswith("--")}
    assert options == {"--config", "--bind", "--access-logfile"}

    bench = (ROOT / "bench" / "load.py").read_text()
    assert '"--config", "gunicorn.conf.py"' in bench
    from bench import load

    env = load.server_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "archive.settings.bench"
    # The benchmark sets nothing that would make its server differ from production's.
    assert not {k for k in env if k.startswith("CONN_")} - set(os.environ)

    served, measured = settings_of("archive.settings.prod"), settings_of("archive.settings.bench")
    assert served == measured
    assert "'CONN_MAX_AGE': 60" in served["DATABASES"]
    assert "'CONN_HEALTH_CHECKS': True" in served["DATABASES"]
