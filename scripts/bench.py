#!/usr/bin/env python
"""Load benchmark: the production server on PostgreSQL, driven by wrk on loopback.

Builds (or reuses) a benchmark database with the corpus, starts gunicorn with the
production settings and two workers, then for each page runs wrk from a second process
(64 connections, 30 s by default) and prints requests per second, p50/p99 latency and
errors, and each page's throughput as a fraction of a minimal 12 kB Django view served
through the same middleware (the ceiling).

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/archive_bench),
BENCH_DURATION (seconds, default 30), BENCH_CONNECTIONS (default 64), BENCH_PORT (8765),
WORKERS (2), BENCH_PAGES (comma-separated names to run, default all).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/archive_bench")
DURATION = int(os.environ.get("BENCH_DURATION", "30"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
PORT = int(os.environ.get("BENCH_PORT", "0"))  # 0: any free port
WORKERS = os.environ.get("WORKERS", "2")
PAGES = [
    ("ceiling", "/__bench__/ceiling/"),
    ("home", "/"),
    ("document", "/documents/1945-11-21-telegram-baku-to-moscow/"),
    ("person", "/people/mir-jafar-bagirov/"),
    ("search", "/search/?q=Baghirov"),
    ("filtered list", "/documents/?document_type=telegram&source_kind=primary"),
]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.prod",
        "DATABASE_URL": DB_URL,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "BENCHMARK_ENDPOINTS": "true",
        "CONN_MAX_AGE": "60",
    }


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=server_env(), check=True)


def prepare_database() -> None:
    import psycopg2  # the project's own driver

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    manage("migrate", "--noinput", "-v0")
    manage("load_corpus", "-v0")
    manage("collectstatic", "--noinput", "-v0")


def parse_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(url: str) -> dict[str, float]:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.M))
    if set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"could not read wrk's latency distribution:\n{out}")
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(map(int, socket.groups())) if socket else 0) + (
        int(non2xx.group(1)) if non2xx else 0
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_ms(percentiles["50"]),
        "p99": parse_ms(percentiles["99"]),
        "errors": errors,
    }


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        print("wrk is missing: apt-get install wrk (Debian package)", file=sys.stderr)
        return 1
    prepare_database()
    port = PORT or free_port()
    log = open("/tmp/bench-server.log", "w")  # noqa: SIM115 (closed with the server)
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "archive.wsgi", "--workers", WORKERS,
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=server_env(), stderr=log,
        start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if server.poll() is not None:
                print("gunicorn did not start: see /tmp/bench-server.log", file=sys.stderr)
                return 1
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        wanted = {p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()}
        pages = [(n, p) for n, p in PAGES if not wanted or n in wanted or n == "ceiling"]
        print(f"gunicorn, {WORKERS} workers, PostgreSQL; wrk: {CONNECTIONS} connections,", end=" ")
        print(f"{DURATION} s each")
        print(f"{'page':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of ceiling':>12}")
        ceiling = None
        total_errors = 0
        for name, path in pages:
            urllib.request.urlopen(base + path, timeout=10).read()  # warm up, and fail early
            figures = run_wrk(base + path)
            ceiling = ceiling or figures["rps"]
            total_errors += figures["errors"]
            print(
                f"{name:<14}{figures['rps']:>9.0f}{figures['p50']:>9.1f}{figures['p99']:>9.1f}"
                f"{figures['errors']:>8}{figures['rps'] / ceiling:>11.0%}"
            )
        print(f"total errors: {total_errors}")
        return 1 if total_errors else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
