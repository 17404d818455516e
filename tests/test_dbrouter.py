"""The read-replica router: anonymous GET/HEAD requests read from the replica; staff,
the admin, forms, commands and every write use the primary; nothing migrates the
replica. Unit tests (CI has one PostgreSQL cluster), plus the settings that install it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from archive.dbrouter import ReplicaMiddleware, ReplicaRouter
from sources.models import Document

ROOT = Path(__file__).resolve().parents[1]
router = ReplicaRouter()


def database_during(method: str, path: str = "/documents/", user=None) -> dict[str, str]:
    """Where reads and writes go while the middleware answers this request."""
    seen: dict[str, str] = {}

    def view(request):
        seen["read"] = router.db_for_read(Document)
        seen["write"] = router.db_for_write(Document)
        return None

    request = getattr(RequestFactory(), method.lower())(path)
    request.user = user or AnonymousUser()
    ReplicaMiddleware(view)(request)
    return seen


class Staff:
    is_authenticated = True


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_anonymous_reads_go_to_the_replica(method):
    assert database_during(method) == {"read": "replica", "write": "default"}


@pytest.mark.parametrize(
    ("method", "path", "user"),
    [
        ("GET", "/documents/", Staff()),  # staff see what they just saved
        ("POST", "/documents/", None),
        ("GET", "/admin/login/", None),
    ],
    ids=["staff", "post", "admin-login"],
)
def test_everything_else_uses_the_primary(method, path, user):
    assert database_during(method, path, user) == {"read": "default", "write": "default"}


def test_outside_a_request_everything_uses_the_primary():
    assert router.db_for_read(Document) == "default"
    database_during("GET")  # a finished request leaves nothing behind
    assert router.db_for_read(Document) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "sources")
    assert not router.allow_migrate("replica", "sources")
    assert router.allow_relation(Document(), Document())


def test_the_settings_install_the_router_only_with_a_replica():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "'archive.dbrouter.ReplicaMiddleware' in settings.MIDDLEWARE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings.test"}
    env.pop("DATABASE_REPLICA_URL", None)
    run = [sys.executable, "-c", code]
    without = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert without.stdout.strip() == "['default'] [] False"
    replica = "postgres://reader@replica.example.org:5432/archive"
    with_replica = subprocess.run(
        run, cwd=ROOT, env={**env, "DATABASE_REPLICA_URL": replica},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert with_replica.stdout.strip() == (
        "['default', 'replica'] ['archive.dbrouter.ReplicaRouter'] True"
    )
