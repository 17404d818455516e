"""Production settings: refuse to start without secrets, pass Django's deployment
checks, and send every security header."""

import importlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "SECRET_KEY": "x" * 20 + "-a-production-secret-key-long-enough-for-django-check-1234567890",
    "ALLOWED_HOSTS": "archive.example.org",
    "SITE_URL": "https://archive.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "archive.settings.prod", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "archive.example.org"}, "Set SECRET_KEY"),
        ({**PROD_ENV, "SECRET_KEY": "short"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": PROD_ENV["SECRET_KEY"]}, "Set ALLOWED_HOSTS"),
        ({**PROD_ENV, "SITE_URL": ""}, "Set SITE_URL"),
        ({**PROD_ENV, "SITE_URL": "archive.example.org"}, "Set SITE_URL"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.fixture
def production_settings(monkeypatch):
    """The production settings module's values, applied over the test settings (the
    test database stays)."""
    for key, value in PROD_ENV.items():
        monkeypatch.setenv(key, value)
    importlib.reload(importlib.import_module("archive.settings.base"))
    module = importlib.reload(importlib.import_module("archive.settings.prod"))
    values = {k: getattr(module, k) for k in dir(module) if k.isupper() and k != "DATABASES"}
    values["SECURE_SSL_REDIRECT"] = False  # the test client speaks plain HTTP
    values["STORAGES"] = settings.STORAGES  # no collectstatic manifest in tests
    values["ALLOWED_HOSTS"] = ["testserver"]
    with override_settings(**values):
        yield


@pytest.mark.django_db
def test_every_security_header_is_sent(client, production_settings):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_httponly(client, production_settings):
    from django.contrib.auth.models import User

    User.objects.create_user("staff", password="a-long-staff-password", is_staff=True)
    login = client.get("/admin/login/", secure=True)
    assert login.cookies["csrftoken"]["secure"]
    response = client.post(
        "/admin/login/",
        {"username": "staff", "password": "a-long-staff-password",
         "csrfmiddlewaretoken": login.cookies["csrftoken"].value},
        secure=True,
    )  # fmt: skip
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]


@pytest.mark.django_db
def test_health_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_says_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    client.get("/health/")  # open the session machinery first
    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_each_request_is_logged_as_one_json_line(client, caplog):
    from archive.logging import JSONFormatter

    with caplog.at_level(logging.INFO, logger="archive.requests"):
        client.get("/documents/")
    record = next(r for r in caplog.records if r.name == "archive.requests")
    line = json.loads(JSONFormatter().format(record))
    assert line["method"] == "GET" and line["path"] == "/documents/"
    assert line["status"] == 200 and line["duration_ms"] >= 0


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """WhiteNoise's manifest storage resolves every url() and source map in our CSS and
    JS; a missing file would stop `make serve` at collectstatic."""
    result = run_manage(
        "collectstatic", "--noinput", "-v0", env={**PROD_ENV, "STATIC_ROOT": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/leaflet/leaflet.js" in manifest and "css/archive.css" in manifest
    assert list(tmp_path.glob("css/archive.*.css.gz")), "compressed, hashed copies are made"
