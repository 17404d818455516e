"""Search and lists at archive scale (issue 13): the bounded paths give the same
answers as the full ones on the corpus, and say so when they leave something out."""

from __future__ import annotations

import pytest

from sources.models import Document, DocumentAgent, DocumentEvent, Entity, Mention
from sources.search import facets as facets_module
from sources.search.filters import touching

pytestmark = pytest.mark.django_db

TELEGRAM = "1945-11-21-telegram-baku-to-moscow"


def facet(response, name: str):
    return next(f for f in response.context["facets"] if f.name == name)


def test_record_filter_finds_the_documents_that_touch_the_record_every_way():
    """One IN over the union of mentions, agents and event links: the same documents
    as asking each link table."""
    checked = 0
    for entity in Entity.objects.all():
        expected = (
            set(Mention.objects.filter(entity=entity).values_list("document_id", flat=True))
            | set(DocumentAgent.objects.filter(entity=entity).values_list("document_id", flat=True))
            | set(DocumentEvent.objects.filter(event=entity).values_list("document_id", flat=True))
        )
        found = set(Document.objects.filter(touching(entity.pk)).values_list("pk", flat=True))
        assert found == expected, entity
        checked += bool(found)
    assert checked > 10


def test_broad_lists_leave_the_record_counts_out_with_a_note(client, monkeypatch):
    full = client.get("/documents/", {"source_kind": "primary"})
    people = facet(full, "person")
    assert people.choices and not people.note
    monkeypatch.setattr(facets_module, "RECORD_FACET_LIMIT", 1)
    broad = client.get("/documents/", {"source_kind": "primary"})
    people = facet(broad, "person")
    assert people.choices == []
    assert "Too many documents to count by person" in people.note
    assert "Too many documents to count by person" in broad.content.decode()
    # The documents themselves and the column counts are as before.
    assert [d.pk for d in broad.context["page_obj"].object_list] == [
        d.pk for d in full.context["page_obj"].object_list
    ]
    assert facet(broad, "document_type").choices == facet(full, "document_type").choices


def test_a_chosen_record_keeps_its_count_on_a_broad_list(client, monkeypatch):
    monkeypatch.setattr(facets_module, "RECORD_FACET_LIMIT", 1)
    telegram = Document.objects.get(slug=TELEGRAM)
    place = Entity.objects.filter(kind="place", mentions__document=telegram).first()
    response = client.get("/documents/", {"place": place.slug})
    places = facet(response, "place")
    chosen = [c for c in places.choices if c.selected]
    assert [c.value for c in chosen] == [place.slug]
    assert chosen[0].count == Document.objects.published().filter(touching(place.pk)).count()
