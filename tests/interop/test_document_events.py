"""Events in documents (``DocumentEvent``) in the API and the open data: a document's
detail lists the events it records, an event's detail the published documents that
record it, and documents_events.csv holds the links of published documents only."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Document, DocumentEvent, DocumentEventRole, Event, PublicationStatus

from .conftest import DRAFT_WORD

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
DECISION = "politburo-decree-1945-07-06"


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def test_a_documents_detail_lists_the_events_it_records(client):
    body = get_json(client, f"/api/v1/documents/{DECREE}/")
    expected = {
        (link.event.slug, link.event.name, link.role, link.certainty, link.note)
        for link in DocumentEvent.objects.filter(document__slug=DECREE).select_related("event")
    }
    assert len(expected) >= 2  # the corpus: the decision itself and the events it names
    served = {
        (e["event"]["slug"], e["event"]["name"], e["role"], e["certainty"], e["note"])
        for e in body["events"]
    }
    assert served == expected
    record = next(e for e in body["events"] if e["event"]["slug"] == DECISION)
    assert record["role"] == DocumentEventRole.RECORD
    assert urlsplit(record["event"]["url"]).path == f"/events/{DECISION}/"
    # The event's API address answers, with the document among its sources.
    event = get_json(client, urlsplit(record["event"]["api_url"]).path)
    assert DECREE in {d["document"]["slug"] for d in event["documents"]}


def test_an_events_detail_lists_published_documents_only_strongest_first(client, rich_draft):
    assert DocumentEvent.objects.filter(document=rich_draft, event__slug=DECISION).exists()
    response = client.get(f"/api/v1/events/{DECISION}/")
    assert response.status_code == 200
    assert rich_draft.slug.encode() not in response.content
    assert DRAFT_WORD.encode() not in response.content
    documents = response.json()["documents"]
    expected = set(
        DocumentEvent.objects.filter(
            event__slug=DECISION, document__status=PublicationStatus.PUBLISHED
        ).values_list("document__slug", "role", "certainty", "note")
    )
    assert (
        expected
        and {(d["document"]["slug"], d["role"], d["certainty"], d["note"]) for d in documents}
        == expected
    )
    order = [DocumentEventRole.values.index(d["role"]) for d in documents]
    assert order == sorted(order)
    for link in documents:
        page = client.get(urlsplit(link["document"]["url"]).path)
        assert page.status_code == 200


def test_the_event_list_does_not_carry_documents(client):
    """Lists stay one query per table; the sources are on each event's own address."""
    item = get_json(client, "/api/v1/events/?page_size=1")["results"][0]
    assert "documents" not in item


def test_event_detail_queries_do_not_grow_with_its_documents(client, make_document):
    url = f"/api/v1/events/{DECISION}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    shown = len(get_json(client, url)["documents"])
    event = Event.objects.get(slug=DECISION)
    for n in range(5):
        document = make_document(title=f"Report {n}", transcription=f"Report {n}.")
        DocumentEvent.objects.create(document=document, event=event, role="reports")
    assert count() == before
    assert len(get_json(client, url)["documents"]) == shown + 5


def test_the_document_events_csv_holds_published_links_only(client, rich_draft):
    response = client.get("/data/document_events.csv")
    assert response.status_code == 200
    content = response.content.decode()
    assert rich_draft.slug not in content and DRAFT_WORD not in content
    rows = list(csv.DictReader(io.StringIO(content)))
    expected = set(
        DocumentEvent.objects.filter(document__status=PublicationStatus.PUBLISHED).values_list(
            "document__slug", "event__slug", "role", "certainty", "note"
        )
    )
    assert len(expected) > 10  # the corpus's curated links
    assert len(rows) == len(expected)
    assert {(r["document"], r["event"], r["role"], r["certainty"], r["note"]) for r in rows} == (
        expected
    )
    published = set(Document.objects.published().values_list("slug", flat=True))
    assert {r["document"] for r in rows} <= published
    package = get_json(client, "/data/datapackage.json")
    resource = next(r for r in package["resources"] if r["path"] == "document_events.csv")
    assert [f["name"] for f in resource["schema"]["fields"]] == [
        "document", "event", "role", "certainty", "note",
    ]  # fmt: skip


def test_a_new_link_makes_the_cached_event_and_document_answers_stale(
    client, page_cache, make_document
):
    event_url = f"/api/v1/events/{DECISION}/"
    document = make_document(title="A later report", transcription="The decision was taken.")
    document_url = f"/api/v1/documents/{document.slug}/"
    assert client.get(event_url).status_code == 200
    assert client.get(event_url)["X-Archive-Cache"] == "hit"
    assert get_json(client, document_url)["events"] == []
    DocumentEvent.objects.create(
        document=document, event=Event.objects.get(slug=DECISION), role="reports"
    )
    slugs = {d["document"]["slug"] for d in get_json(client, event_url)["documents"]}
    assert document.slug in slugs
    assert [e["event"]["slug"] for e in get_json(client, document_url)["events"]] == [DECISION]
