"""Every interop URL runs a fixed number of queries, whatever the number of documents,
authors and mentions (the archive is meant to grow to thousands of sources)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import AgentRole, DocumentAgent, Mention, Person

pytestmark = pytest.mark.django_db

# Bounds include the one-row archive-version read of the HTTP cache layer.
# Each document query also prefetches its event links (issue 11): one query, fixed.
URLS = {
    "BibTeX": ("/documents/1945-07-06-politburo-decree/cite.bib", 5),
    "TEI": ("/documents/1945-07-06-politburo-decree/tei.xml", 6),
    "cite these": ("/cite/?format=ris", 5),
    "cite these, searched": ("/cite/?format=csl-json&q=Bagirov", 12),
    "sitemap": ("/sitemap.xml", 12),  # per section: a count and the rows
    "feed": ("/feeds/new-sources.atom", 2),
    "robots.txt": ("/robots.txt", 1),
}


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", URLS)
def test_interop_urls_run_a_bounded_number_of_queries(client, django_assert_max_num_queries, name):
    url, most = URLS[name]
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_query_counts_do_not_grow_with_documents(client, make_document):
    before = {name: count(client, url) for name, (url, _) in URLS.items()}
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    for n in range(15):
        document = make_document(transcription=f"Bagirov wrote report {n}. Bagirov again.")
        person = Person.objects.create(name=f"Writer {n}", slug=f"writer-{n}", sort_name=f"W, {n}")
        DocumentAgent.objects.create(document=document, entity=person, role=AgentRole.AUTHOR)
        DocumentAgent.objects.create(document=document, entity=bagirov, role=AgentRole.RECIPIENT)
        for start in (0, document.transcription.rindex("Bagirov")):
            Mention.objects.create(
                document=document, entity=bagirov, start=start, end=start + 7, text="Bagirov"
            )
    after = {name: count(client, url) for name, (url, _) in URLS.items()}
    assert after == before
