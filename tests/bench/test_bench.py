"""The benchmark app is development-only: installed by the benchmark settings, absent from
production (its ceiling page is a 404 there) and from the test settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
KEY = "k" * 60


def run(settings_module: str, code: str) -> subprocess.CompletedProcess:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
        },
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": KEY,
        "ALLOWED_HOSTS": "archive.example.org",
        "SITE_URL": "https://archive.example.org",
    }
    script = f"import django; django.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


RESOLVE = """
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    resolve("/__bench__/ceiling/")
    print("routed")
except Resolver404:
    print("404")
print("bench" in settings.INSTALLED_APPS)
"""


def test_production_has_no_benchmark_app_or_page():
    result = run("archive.settings.prod", RESOLVE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "False"]


def test_the_benchmark_settings_add_the_app_and_its_ceiling_page():
    result = run("archive.settings.bench", RESOLVE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["routed", "True"]


def test_bench_search_is_a_command_only_with_the_benchmark_settings():
    code = (
        "from django.core.management import get_commands; print('bench_search' in get_commands())"
    )
    assert run("archive.settings.prod", code).stdout.strip() == "False"
    assert run("archive.settings.bench", code).stdout.strip() == "True"


def test_the_test_settings_leave_it_out_too(client, db):
    assert "bench" not in settings.INSTALLED_APPS
    assert client.get("/__bench__/ceiling/").status_code == 404
