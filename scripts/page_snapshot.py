#!/usr/bin/env python
"""Every public page of the corpus as text and links, for comparing before and after a
change that should not alter what readers see (a refactor, a move of packages).

    .venv/bin/python scripts/page_snapshot.py > before.json
    ... change ...
    .venv/bin/python scripts/page_snapshot.py > after.json
    .venv/bin/python scripts/page_snapshot.py --compare before.json after.json

It builds a scratch SQLite database in memory with the test settings, loads the corpus,
requests every list and detail page, the timeline, the map, a set of searches and
filtered lists, and records for each its status, its visible text (whitespace folded)
and its links, in order. Dates that depend on the day it runs ("Accessed …") are kept:
run both snapshots on the same day.
"""

from __future__ import annotations

import io
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "Baghirov",
    "Bagirov",
    "Urmia",
    "Molotof",
    "Inje",
    "Pishevari",
    "the",
    '"National Committee"',
]
FILTERS = [
    "document_type=telegram",
    "source_kind=primary",
    "person=mir-jafar-bagirov",
    "date_from=1945&date_to=1946",
    "sort=title",
    "page=abc",
]


class _TextAndLinks(HTMLParser):
    SKIP = {"script", "style", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(" ".join(data.split()))


def snapshot() -> dict[str, dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.test")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    call_command("load_corpus", verbosity=0, stdout=io.StringIO())
    from sources.models import Document, Entity

    urls = ["/", "/documents/", "/people/", "/places/", "/organizations/", "/events/"]
    urls += ["/timeline/", "/map/", "/disagreements/", "/search/", "/data/", "/api/docs/"]
    urls += ["/documents/no-such-document/"]
    urls += [d.get_absolute_url() for d in Document.objects.order_by("slug")]
    urls += [e.get_absolute_url() for e in Entity.objects.order_by("slug")]
    urls += [f"/search/?q={q}" for q in SEARCHES]
    urls += [f"/documents/?{f}" for f in FILTERS]
    urls += [f"/search/suggest/?q={q}" for q in ("Bag", "Tab", "Mol")]
    client = Client()
    pages = {}
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        if response.get("Content-Type", "").startswith("application/json"):
            pages[url] = {"status": response.status_code, "json": json.loads(body)}
            continue
        parser = _TextAndLinks()
        parser.feed(body)
        pages[url] = {
            "status": response.status_code,
            "text": parser.text,
            "links": parser.links,
        }
    return pages


def compare(before_path: str, after_path: str) -> int:
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    differences = 0
    for url in sorted(set(before) | set(after)):
        if before.get(url) != after.get(url):
            differences += 1
            print(f"differs: {url}")
            old, new = before.get(url) or {}, after.get(url) or {}
            for key in ("status", "text", "links", "json"):
                if old.get(key) != new.get(key):
                    a, b = old.get(key), new.get(key)
                    if isinstance(a, list) and isinstance(b, list):
                        gone = [x for x in a if x not in b][:5]
                        added = [x for x in b if x not in a][:5]
                        print(f"  {key}: -{gone} +{added}")
                    else:
                        print(f"  {key}: {a!r} -> {b!r}")
    print(f"{len(before)} pages before, {len(after)} after, {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    json.dump(snapshot(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
