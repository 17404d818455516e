#!/usr/bin/env python
"""How long each interop format takes to serve: p50 and p95 per format over N requests per
corpus document, through Django's test client (views, templates and queries; no network).

    .venv/bin/python scripts/bench_interop.py [N]        # default N = 20

It builds a throwaway SQLite database in a temporary folder (migrate + load_corpus), so it
never touches a real one. The "styles" rows time the citeproc-py rendering of APA, MLA and
Chicago alone, uncached (cache cleared before each run) and cached, which is what decided
that rendered citations are cached. Development only: not run in CI.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(n: int) -> None:
    folder = tempfile.mkdtemp(prefix="bench-interop-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.test")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sources.interop import citations
    from sources.interop.views import citable
    from sources.models import Document

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)
    client = Client()
    slugs = list(Document.objects.published().values_list("slug", flat=True))
    formats = {
        "page": "/documents/{}/",
        "bibtex": "/documents/{}/cite.bib",
        "ris": "/documents/{}/cite.ris",
        "csl-json": "/documents/{}/cite.json",
        "tei": "/documents/{}/tei.xml",
    }
    print(f"{len(slugs)} documents, {n} requests each; milliseconds")
    print(f"{'format':<22}{'p50':>8}{'p95':>8}")

    def report(name: str, times: list[float]) -> None:
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:<22}{statistics.median(times) * 1000:>8.1f}{p95 * 1000:>8.1f}")

    for name, pattern in formats.items():
        times = []
        for slug in slugs:
            for _ in range(n):
                started = time.perf_counter()
                response = client.get(pattern.format(slug))
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (name, slug, response.status_code)
        report(name, times)
    for query in ("cite these (all)", "cite these (q=Bagirov)"):
        url = "/cite/?format=bibtex" + ("&q=Bagirov" if "Bagirov" in query else "")
        times = []
        for _ in range(n):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - started)
        report(query, times)
    for name, clear in (("styles (uncached)", True), ("styles (cached)", False)):
        times = []
        for document in citable():
            if not clear:
                citations.rendered(document)  # warm: time only cache hits
            for _ in range(n):
                if clear:
                    cache.clear()
                started = time.perf_counter()
                citations.rendered(document)
                times.append(time.perf_counter() - started)
        report(name, times)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
