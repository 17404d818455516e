#!/usr/bin/env python
"""Realistic load benchmark (``make bench-realistic``): many pages, few of them hot.

Unlike ``bench/load.py`` (one address again and again), this drives a synthetic archive
(``manage.py bench_search --build-only``, on PostgreSQL) the way readers do: requests
drawn Zipf-like over documents, records, searches and filtered lists, while a curator
edits a document every second. Production settings, the shared Redis page cache, two
gunicorn workers, wrk on loopback with a Lua script that draws the addresses and counts
``X-Archive-Cache``. Prints requests per second as a share of the ceiling (a minimal
12 kB view through the same middleware, measured in the same run), p50/p99, errors, the
cache hit rate, the pages re-rendered per curator edit (``stale`` answers per edit) and
each worker's resident memory after the run.

Environment: REALISTIC_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
archive_realistic_bench), REALISTIC_DOCUMENTS (100000), BENCH_DURATION (60 s),
BENCH_CONNECTIONS (64), WORKERS (2), REDIS_URL (redis://127.0.0.1:6379/14),
EDITS_PER_SECOND (1). The machine is shared: compare the shares, not the raw figures.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import PYTHON, ROOT, run_wrk, start_gunicorn, stop_server

DB_URL = os.environ.get(
    "REALISTIC_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/archive_realistic_bench"
)
DOCUMENTS = int(os.environ.get("REALISTIC_DOCUMENTS", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
WORKERS = os.environ.get("WORKERS", "2")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
EDITS_PER_SECOND = float(os.environ.get("EDITS_PER_SECOND", "1"))
RUNS = int(os.environ.get("RUNS", "2"))
PREFIX = f"realistic-{secrets.token_hex(4)}"
ADDRESSES = 20_000  # drawn in advance; wrk picks among them at random
# The share of each kind of page in the mix.
MIX = {"document": 0.5, "record": 0.25, "search": 0.15, "filtered list": 0.10}

LUA = """
paths = {%(paths)s}
local n = #paths
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() + seed)
  hit, miss, stale, pass, none = 0, 0, 0, 0, 0
end
function request()
  return wrk.format("GET", paths[math.random(n)])
end
function response(status, headers, body)
  local label = headers["X-Archive-Cache"]
  if label == "hit" then hit = hit + 1
  elseif label == "miss" then miss = miss + 1
  elseif label == "stale" then stale = stale + 1
  elseif label == "pass" then pass = pass + 1
  else none = none + 1 end
end
function done(summary, latency, requests)
  local t = {hit = 0, miss = 0, stale = 0, pass = 0, none = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("CACHE hit=%%d miss=%%d stale=%%d pass=%%d none=%%d\\n",
    t.hit, t.miss, t.stale, t.pass, t.none))
end
"""


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.bench",
        "DATABASE_URL": DB_URL,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": PREFIX,
    }


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env(), check=True)


def build() -> None:
    scale = DOCUMENTS / 100_000
    sizes = {"people": 3000, "places": 2000, "organizations": 300, "events": 200}
    scaled = [f"--{name}={max(20, int(size * scale))}" for name, size in sizes.items()]
    manage("bench_search", "--build-only", f"--documents={DOCUMENTS}", *scaled)
    manage("collectstatic", "--noinput", "-v0")


@functools.cache
def _zipf_cumulative(n: int, s: float) -> list[float]:
    """The running sums of the weights 1/r^s for ranks 1..n: made once per size, not
    for every draw (drawing 20,000 addresses took minutes of CPU)."""
    return list(itertools.accumulate(1 / (rank**s) for rank in range(1, n + 1)))


def zipf_pick(rng: random.Random, items: list[str], s: float = 1.1) -> str:
    """Rank r drawn with weight 1/r^s (items in a fixed random order: the popular
    pages are not the first made). The same draw as ``rng.choices(items,
    weights=...)``, which sums the weights the same way."""
    return rng.choices(items, cum_weights=_zipf_cumulative(len(items), s), k=1)[0]


def addresses() -> tuple[list[str], list[int]]:
    """The mix of addresses (drawn in advance) and the ids of documents, in the order of
    their popularity, for the curator's edits."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.update(env())
    django.setup()
    from sources.models import KIND_PATHS, Document, Entity, EntityKind

    rng = random.Random(1946)
    documents = list(Document.objects.published().values_list("pk", "slug"))
    rng.shuffle(documents)
    records = [
        f"/{KIND_PATHS[kind]}/{slug}/" for kind, slug in Entity.objects.values_list("kind", "slug")
    ]
    rng.shuffle(records)
    people = list(Entity.objects.filter(kind=EntityKind.PERSON).values_list("name", flat=True))
    rng.shuffle(people)
    places = list(Entity.objects.filter(kind=EntityKind.PLACE).values_list("slug", flat=True))
    rng.shuffle(places)
    searches = [f"/search/?{urlencode({'q': name.split()[-1]})}" for name in people[:2000]]
    lists = [
        "/documents/?" + urlencode({"document_type": kind, "place": slug})
        for slug in places[:500]
        for kind in ("telegram", "report")
    ] + [f"/documents/?page={n}" for n in range(2, 200)]
    rng.shuffle(lists)
    pools = {
        "document": [f"/documents/{slug}/" for _, slug in documents],
        "record": records,
        "search": searches,
        "filtered list": lists,
    }
    kinds = list(MIX)
    paths = [
        zipf_pick(rng, pools[rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]])
        for _ in range(ADDRESSES)
    ]
    return paths, [pk for pk, _ in documents]


def curator(documents: list[int], stop: threading.Event, edits: list[int]) -> None:
    """One edit a second to a document drawn Zipf-like (popular documents are edited
    more): its title changes back and forth, through the ORM, so every receiver runs."""
    from django.db import close_old_connections

    from sources.models import Document

    rng = random.Random(1947)
    while not stop.wait(1 / EDITS_PER_SECOND):
        pk = zipf_pick(rng, documents[:5000])
        document = Document.objects.get(pk=pk)
        if document.title.endswith(" (checked)"):
            document.title = document.title.removesuffix(" (checked)")
        else:
            document.title += " (checked)"
        document.save()
        edits.append(pk)
        close_old_connections()


def worker_rss(server: subprocess.Popen) -> list[int]:
    """Resident memory (KiB) of each gunicorn worker (the master's children)."""
    pids = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
    return sizes


def cache_counts(out: str) -> dict[str, int]:
    """What the Lua script counted of ``X-Archive-Cache``."""
    line = out.split("CACHE", 1)[1].splitlines()[0]
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


def main() -> int:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        print("wrk is missing: apt-get install wrk (Debian package)", file=sys.stderr)
        return 1
    build()
    paths, documents = addresses()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"paths": ",".join(f'"{p}"' for p in paths)})
    server, base, log = start_gunicorn(env(), "/tmp/bench-realistic-server.log")
    runs = []
    try:
        ceiling = run_wrk(f"{base}/__bench__/ceiling/", duration=max(5, DURATION // 4))
        # The same server, the same mix, RUNS times: the first starts from an empty
        # cache, later ones from what the earlier left; the workers' memory is read
        # after each run, so growth between runs shows.
        for _ in range(RUNS):
            stop, edits = threading.Event(), []
            editor = threading.Thread(target=curator, args=(documents, stop, edits), daemon=True)
            editor.start()
            figures = run_wrk(base, duration=DURATION, script=script.name)
            stop.set()
            editor.join(timeout=10)
            runs.append((figures, cache_counts(figures["out"]), len(edits), worker_rss(server)))
    finally:
        stop_server(server, log)
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{PREFIX}:*", count=1000):
            client.delete(key)
    print(
        f"\nRealistic mix: {DOCUMENTS} documents, {len(set(paths))} distinct addresses "
        f"(Zipf-like: {', '.join(f'{int(v * 100)} % {k}' for k, v in MIX.items())}), "
        f"{CONNECTIONS} connections, {DURATION} s a run, {WORKERS} workers, Redis page "
        f"cache, {EDITS_PER_SECOND:g} curator edit(s) a second; run 1 starts from an "
        "empty cache, each later run from what the one before left"
    )
    print(
        f"{'':22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of ceiling':>12}"
        f"{'hits':>7}{'edits':>7}{'re-rendered/edit':>18}  worker RSS after"
    )
    print(
        f"{'ceiling (12 kB view)':22}{ceiling['rps']:>8.0f}{ceiling['p50']:>9.1f}"
        f"{ceiling['p99']:>9.1f}{ceiling['errors']:>8}{1:>11.0%}"
    )
    errors = 0
    for number, (figures, counts, edits, rss) in enumerate(runs, 1):
        answered = sum(counts.values()) or 1
        per_edit = counts["stale"] / edits if edits else 0
        errors += figures["errors"]
        print(
            f"{f'realistic mix, run {number}':22}{figures['rps']:>8.0f}{figures['p50']:>9.1f}"
            f"{figures['p99']:>9.1f}{figures['errors']:>8}{figures['rps'] / ceiling['rps']:>11.0%}"
            f"{counts['hit'] / answered:>7.0%}{edits:>7}{per_edit:>18.1f}  "
            + ", ".join(f"{kib / 1024:.0f} MiB" for kib in rss)
        )
        print(
            f"{'':22}cache: {counts['hit']} hits, {counts['miss']} misses, {counts['stale']} "
            f"stale, {counts['pass']} passed (not kept), {counts['none']} other"
        )
    if len(runs) > 1:
        first, last = runs[0][3], runs[-1][3]
        growth = [(b - a) / 1024 for a, b in zip(first, last, strict=False)]
        print(
            "worker memory from run 1 to run "
            f"{len(runs)}: " + ", ".join(f"{g:+.1f} MiB" for g in growth)
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
