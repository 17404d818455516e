#!/usr/bin/env python
"""Load benchmark: the production server on PostgreSQL, driven by wrk on loopback.

Builds (or reuses) a benchmark database with the corpus, starts gunicorn with the
production settings and two workers, then for each page runs wrk from a second process
(64 connections, 30 s by default) and prints requests per second, p50/p99 latency and
errors, and each page's throughput as a fraction of a minimal 12 kB Django view served
through the same middleware (the ceiling).

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/archive_bench),
BENCH_DURATION (seconds, default 30), BENCH_CONNECTIONS (default 64), BENCH_PORT (any free),
WORKERS (2), BENCH_PAGES (comma-separated names to run, default all), BENCH_MODES
(default "cached,uncached": the server with and without its page cache).
The "document (304)" row revalidates with If-None-Match, as a returning browser does.
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
    ("place", "/places/tabriz/"),
    ("organization", "/organizations/azerbaijan-national-government/"),
    ("event", "/events/battles-of-inje-and-qalaburun/"),
    ("timeline", "/timeline/"),
    ("document list", "/documents/"),
    ("people list", "/people/"),
    ("search", "/search/?q=Baghirov"),
    ("filtered list", "/documents/?document_type=telegram&source_kind=primary"),
]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.bench",
        "DATABASE_URL": DB_URL,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        # Nothing else: the database connections are production's defaults, so what
        # is measured is what `make serve` runs.
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


def run_wrk(
    url: str,
    headers: dict[str, str] | None = None,
    duration: int = DURATION,
    script: str | None = None,
) -> dict:
    """wrk's figures for one run: req/s, p50/p99 ms, errors (socket errors and non-2xx/3xx
    answers), and its whole output (``out``) for what a Lua script printed."""
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    if script:
        extra += ["-s", script]
    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "10s",
         *extra, url],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
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
        "out": out,
    }


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(cached: bool) -> tuple[subprocess.Popen, str, object]:
    env = {**server_env(), "PUBLIC_PAGE_CACHE": "true" if cached else "false"}
    return start_gunicorn(env, f"/tmp/bench-server-{'cached' if cached else 'uncached'}.log")


def start_gunicorn(env: dict[str, str], log_path: str) -> tuple[subprocess.Popen, str, object]:
    """gunicorn with the production configuration (gunicorn.conf.py) on a free port;
    returns once /health/ answers. Shared by both benchmarks, so both measure what
    `make serve` runs."""
    port = PORT or free_port()
    log = open(log_path, "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**env, "WORKERS": WORKERS}, stderr=log, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn did not start: see {log.name}")
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=1)
            return server, base, log
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health/ in 30 s")


def stop_server(server: subprocess.Popen, log) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    log.close()


def measure(base: str, pages: list[tuple[str, str]], label: str) -> int:
    print(f"\n{label}")
    print(f"{'page':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of ceiling':>12}")
    ceiling = None
    errors = 0
    for name, path in pages:
        headers = {}
        if name.endswith("(304)"):
            etag = urllib.request.urlopen(base + path, timeout=10).headers["ETag"]
            headers = {"If-None-Match": etag}
        else:
            urllib.request.urlopen(base + path, timeout=10).read()  # warm up, fail early
        figures = run_wrk(base + path, headers)
        ceiling = ceiling or figures["rps"]
        errors += figures["errors"]
        print(
            f"{name:<20}{figures['rps']:>9.0f}{figures['p50']:>9.1f}{figures['p99']:>9.1f}"
            f"{figures['errors']:>8}{figures['rps'] / ceiling:>11.0%}"
        )
    return errors


def main() -> int:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        print("wrk is missing: apt-get install wrk (Debian package)", file=sys.stderr)
        return 1
    prepare_database()
    wanted = {p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()}
    pages = [(n, p) for n, p in PAGES if not wanted or n in wanted or n == "ceiling"]
    modes = os.environ.get("BENCH_MODES", "cached,uncached").split(",")
    print(f"gunicorn, {WORKERS} sync workers, production settings, PostgreSQL;", end=" ")
    print(f"wrk from a second process: {CONNECTIONS} connections, {DURATION} s per page")
    errors = 0
    for mode in modes:
        cached = mode.strip() == "cached"
        server, base, log = start_server(cached)
        try:
            label = (
                "WITH the page cache (rendered pages kept with the change tokens of what they show)"
                if cached
                else "WITHOUT the page cache (every request renders; 304s still answered)"
            )
            mode_pages = [*pages, ("document (304)", PAGES[2][1])] if cached else pages
            errors += measure(base, mode_pages, label)
        finally:
            stop_server(server, log)
    print(f"\ntotal errors: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
