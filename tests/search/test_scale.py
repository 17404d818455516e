"""Search and lists at archive scale (issue 13): the bounded paths give the same
answers as the full ones on the corpus, and say so when they leave something out."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from sources.models import Document, DocumentAgent, DocumentEvent, Entity, Mention
from sources.models.search import FACET_GROUP
from sources.search import Search
from sources.search import facets as facets_module
from sources.search.engines import Engine
from sources.search.filters import DocumentFilter, touching

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


QUERIES = ["Bagirov", "Tabriz", '"Mir Jafar"', "Tabriz OR Baku", "democratic", "Pishevary", "the"]


def _exact(text: str) -> list[str]:
    """Today's answer: every match ranked (the API's and citations' unbounded path)."""
    search = Search(text)
    found = search.matching(Document.objects.published())
    return [d.slug for d in search.ranked(found)[:50]]


@pytest.mark.parametrize("text", QUERIES)
def test_the_search_page_gives_the_same_documents_as_the_exact_search(client, text):
    """On the corpus no search is broad: the page's bounded engine ranks every match,
    as the unbounded one does."""
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert not response.context["broad_notice"]
    shown = [hit.document.slug for hit in response.context["results"]]
    assert shown == _exact(text)[: len(shown)]
    assert response.context["paginator"].count == len(_exact(text))


def test_a_broad_search_lists_every_match_in_date_order_with_a_notice(client, monkeypatch):
    """Forced broad (a rank limit of 2, below Tabriz's 3 documents): the same
    documents, in the reading order, an estimated total (never below what is known),
    no counts by filter, and a notice saying why."""
    monkeypatch.setattr(Engine, "rank_limit", 2)
    exact = set(_exact("Tabriz"))
    assert len(exact) > 2
    response = client.get("/search/", {"q": "Tabriz"})
    assert response.status_code == 200
    assert "too many to rank by relevance" in response.context["broad_notice"]
    html = response.content.decode()
    assert "too many to rank by relevance" in html
    shown = [hit.document.slug for hit in response.context["results"]]
    assert set(shown) == exact
    reading = list(Document.objects.published().filter(slug__in=exact).in_reading_order())
    assert shown == [d.slug for d in reading]
    assert response.context["paginator"].count >= len(exact)
    people = facet(response, "person")
    assert people.choices == [] and "Too many documents match" in people.note
    assert facet(response, "document_type").choices == []
    # A filter still narrows a broad search, and stays listed so it can be removed.
    narrowed = client.get("/search/", {"q": "Tabriz", "document_type": "telegram"})
    assert [h.document.slug for h in narrowed.context["results"]] == [TELEGRAM]
    kinds = facet(narrowed, "document_type")
    assert [c.value for c in kinds.choices if c.selected] == ["telegram"]


def test_broad_is_only_for_the_search_page():
    """The API and the citations rank every match (they are not bounded)."""
    Engine.rank_limit, before = 1, Engine.rank_limit
    try:
        search = Search("Tabriz")
        assert not search.broad
        assert len(search.engine.scores(search.query)) > 1
    finally:
        Engine.rank_limit = before


@pytest.mark.parametrize(
    "params",
    [{"source_kind": "primary"}, {"date_from": "1945"}, {"document_type": "telegram"}],
)
def test_a_filtered_list_page_is_the_filtered_documents_in_reading_order(client, params):
    """Ids first, then rows: the same documents in the same order as the whole rows
    ordered, with their holding archive loaded."""
    response = client.get("/documents/", params)
    shown = [d.pk for d in response.context["documents"]]
    assert shown
    filterset = DocumentFilter(QueryDict(urlencode(params)), queryset=Document.objects.published())
    expected = [d.pk for d in filterset.apply(Document.objects.published()).in_reading_order()]
    assert shown == expected[: len(shown)]


def _counted(result) -> list[tuple[str, list[tuple[str, int, bool]], str]]:
    return [(f.name, [(c.value, c.count, c.selected) for c in f.choices], f.note) for f in result]


@pytest.mark.parametrize("text", ["Bagirov", "Tabriz", "Tabriz OR Baku", "democratic", "Moscow"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"source_kind": "primary"},
        {"document_type": "telegram", "date_from": "1945-11"},
        {"date_from": "1945-06-03", "date_to": "1946"},
        {"language": "en", "repository": "gappod-azr"},
    ],
)
def test_a_searchs_counts_from_its_kept_rows_are_the_counted_ones(text, params):
    """A search's facets read each match's kept row (its records and columns,
    ``DocumentRecords``): the same counts, records and total as counting the matches'
    documents and links."""
    search = Search(text)
    base = search.matching(Document.objects.published())
    matches = list(search.engine.scores(search.query))
    assert matches
    data = QueryDict(urlencode(params))
    values = DocumentFilter(data, queryset=base).values
    assert facets_module._kept_counts(matches, values) is not None  # no fallback
    kept = facets_module.facets(DocumentFilter(data, queryset=base), base, data, matches=matches)
    counted = facets_module.facets(DocumentFilter(data, queryset=base), base, data)
    assert _counted(kept.facets) == _counted(counted.facets)
    assert kept.total == counted.total


def test_kept_rows_follow_links_columns_and_publishing(make_document, mention_of):
    """The index upkeep keeps each document's row: a new mention adds its record, a
    changed column is seen, withdrawing marks it unpublished, deleting removes it."""
    from sources.models import DocumentRecords, PublicationStatus
    from sources.models.documents import publication_change

    telegram = Document.objects.get(slug=TELEGRAM)
    row = DocumentRecords.objects.get(document=telegram)
    expected = (
        set(Mention.objects.filter(document=telegram).values_list("entity_id", flat=True))
        | set(DocumentAgent.objects.filter(document=telegram).values_list("entity_id", flat=True))
        | set(DocumentEvent.objects.filter(document=telegram).values_list("event_id", flat=True))
    )
    kept = {pk for ids in (row.person_ids, row.place_ids, row.organization_ids, row.event_ids)
            for pk in ids}  # fmt: skip
    assert kept == expected and row.published
    assert set(row.place_ids) == set(
        Entity.objects.filter(pk__in=expected, kind="place").values_list("pk", flat=True)
    )
    assert row.document_type == telegram.document_type
    document = make_document(transcription="Zanjan and Tabriz.")
    tabriz = Entity.objects.get(slug="tabriz")
    assert DocumentRecords.objects.get(document=document).place_ids == []
    mention_of(document, tabriz, "Tabriz")
    assert DocumentRecords.objects.get(document=document).place_ids == [tabriz.pk]
    document.language = "ru"
    document.save()
    assert DocumentRecords.objects.get(document=document).language == "ru"
    with publication_change():
        document.status = PublicationStatus.DRAFT
        document.published_at = None
        document.save()
    assert not DocumentRecords.objects.get(document=document).published
    pk = document.pk
    document.delete()
    assert not DocumentRecords.objects.filter(document_id=pk).exists()


LIST_PARAMS = [
    {"source_kind": "primary"},
    {"document_type": "telegram"},
    {"date_from": "1945"},
    {"date_from": "1945-11"},
    {"date_to": "1945-06-03"},
    {"source_kind": "primary", "date_from": "1945-11", "date_to": "1946-02"},
    {"language": "ru", "repository": "rgaspi"},
    {"date_from": "1941", "date_to": "1946"},
]


@pytest.mark.parametrize("params", LIST_PARAMS)
def test_a_lists_counts_from_the_kept_facet_counts_are_the_counted_ones(params):
    """A list filtered by columns or dates counts from FacetCount (and the kept rows
    of a year a date filter cuts through): the same counts as grouping every
    published document."""
    data = QueryDict(urlencode(params))
    base = Document.objects.published()
    filterset = DocumentFilter(data, queryset=base)
    values = filterset.values
    assert values
    kept = facets_module._summarize(facets_module._grouped_from_counts(values), values)
    counted = facets_module._summarize(facets_module._grouped(filterset, base), values)
    assert kept == counted
    assert kept["total"] == filterset.apply(base).count()


def test_kept_facet_counts_follow_changes(make_document):
    """The index upkeep keeps FacetCount equal to a recount: a new document, a
    changed date or type, withdrawing and deleting."""
    from sources.models import FacetCount, PublicationStatus
    from sources.models.documents import publication_change
    from sources.search.index import count_all_facets

    def kept() -> set[tuple]:
        return set(FacetCount.objects.values_list(*FACET_GROUP, "documents"))

    def recounted() -> set[tuple]:
        before = kept()
        count_all_facets()
        after = kept()
        return before, after

    before, after = recounted()
    assert before == after and after
    document = make_document(document_type="telegram", date_edtf="1943-02")
    document.date_edtf = "1944/1946"
    document.document_type = "letter"
    document.save()
    before, after = recounted()
    assert before == after
    with publication_change():
        document.status = PublicationStatus.DRAFT
        document.published_at = None
        document.save()
    before, after = recounted()
    assert before == after
    other = make_document(language="ru")
    other.delete()
    before, after = recounted()
    assert before == after
