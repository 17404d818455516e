"""Document filters with counts, on /documents/ and on search results, against the corpus."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils import timezone

from sources.models import Document, Entity, Mention, PublicationStatus, RecordCount
from sources.models.documents import publication_change
from sources.search.facets import facets
from sources.search.filters import DocumentFilter

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"
INTERVIEW = "2014-12-12-voa-interview-kanani"


def listed(response) -> list[str]:
    return [d.slug for d in response.context["page_obj"].object_list]


def counts(response, name: str) -> dict[str, int]:
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {choice.value: choice.count for choice in facet.choices}


def test_counts_on_the_document_list(client):
    response = client.get("/documents/")
    assert response.status_code == 200
    assert response.context["paginator"].count == 4
    assert counts(response, "document_type") == {
        "decree": 1,
        "telegram": 1,
        "encyclopedia_article": 1,
        "interview": 1,
    }
    assert counts(response, "source_kind") == {"primary": 2, "secondary": 2}
    assert counts(response, "language") == {"en": 4}
    assert counts(response, "repository") == {"gappod-azr": 1, "rgaspi": 1}
    # The undated article counts under the period it covers (issue 11).
    assert counts(response, "year") == {"1945": 2, "1946": 1, "2014": 1}


def test_entity_counts_are_the_published_documents_that_mention_each(client):
    """Counted: the documents that mention a record, or name it as author, recipient,
    translator… (issue 11: Bagirov wrote the telegram), or record it (an event)."""
    response = client.get("/documents/")
    people = counts(response, "person")
    assert people["mir-jafar-bagirov"] == 3
    assert people["vyacheslav-molotov"] == 3
    assert people["jafar-pishevari"] == 2
    assert counts(response, "place")["tabriz"] == 3
    assert counts(client.get("/documents/?place=urmia"), "place")["urmia"] == 1
    for kind, name in (("person", "person"), ("place", "place"), ("event", "event")):
        for slug, count in counts(response, name).items():
            published = Document.objects.published()
            expected = (
                (
                    published.filter(mentions__entity__slug=slug, mentions__entity__kind=kind)
                    | published.filter(agent_links__entity__slug=slug)
                    | published.filter(event_links__event__slug=slug)
                )
                .distinct()
                .count()
            )
            assert count == expected, slug
    assert len(people) <= 15  # the most frequent, not all 41


@pytest.mark.parametrize(
    "url",
    [
        "/documents/",
        "/documents/?source_kind=primary",
        "/documents/?place=tabriz&source_kind=secondary",
        "/documents/?date_from=1945-11",
        "/search/?q=Azerbaijan",
        "/search/?q=Bagirov&source_kind=primary",
        "/search/?q=Tabriz&person=vyacheslav-molotov",
    ],
)
def test_every_choice_gives_the_count_it_shows(client, url):
    """Following a choice's link lists exactly as many documents as its count said."""
    response = client.get(url)
    for facet in response.context["facets"]:
        for choice in facet.choices:
            base = url.split("?")[0]
            followed = client.get(base + choice.url)
            assert followed.status_code == 200
            if choice.selected:
                continue  # its link removes the filter
            assert followed.context["paginator"].count == choice.count, (facet.name, choice)


def test_filters_combine_with_each_other(client):
    response = client.get("/documents/?source_kind=primary&place=tabriz")
    assert sorted(listed(response)) == [DECREE, TELEGRAM]
    response = client.get("/documents/?source_kind=primary&place=tabriz&document_type=telegram")
    assert listed(response) == [TELEGRAM]
    # The type counts are given with the other filters applied, not the type itself.
    assert counts(response, "document_type") == {"decree": 1, "telegram": 1}


def test_filters_combine_with_the_query(client):
    response = client.get("/search/?q=Pishevari&source_kind=secondary")
    assert sorted(listed(response)) == [ARTICLE, INTERVIEW]
    response = client.get("/search/?q=Tabriz&document_type=telegram")
    assert listed(response) == [TELEGRAM]
    assert counts(response, "document_type") == {
        "decree": 1,
        "telegram": 1,
        "encyclopedia_article": 1,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=1945-11", {TELEGRAM, ARTICLE, INTERVIEW}),
        ("date_from=1945-11-21&date_to=1945-11-21", {TELEGRAM}),
        ("date_to=1945", {DECREE, TELEGRAM}),
        ("date_from=1945-07&date_to=1945-07", {DECREE}),
        # The undated article, by the period it covers (issue 11).
        ("date_from=1946&date_to=2000", {ARTICLE}),
        ("date_from=1946-04-17&date_to=1946-04-21", {ARTICLE}),
        ("date_from=1946-04-20&date_to=1946-05", {ARTICLE}),
        ("date_from=2014-12-12", {INTERVIEW}),
    ],
)
def test_partial_dates(client, query, expected):
    response = client.get(f"/documents/?{query}")
    assert set(listed(response)) == expected
    assert not response.context["notices"]


def test_by_holding_archive_and_language(client):
    assert listed(client.get("/documents/?repository=rgaspi")) == [TELEGRAM]
    assert len(listed(client.get("/documents/?language=en"))) == 4
    assert listed(client.get("/documents/?language=ru")) == []


def test_by_event_and_organization(client):
    event = (
        Mention.objects.filter(entity__kind="event", document__slug=ARTICLE)
        .values_list("entity__slug", flat=True)
        .first()
    )
    if event:
        assert ARTICLE in listed(client.get(f"/documents/?event={event}"))
    response = client.get("/documents/?organization=iranian-gendarmerie")
    assert TELEGRAM in listed(response)
    assert INTERVIEW not in listed(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=19x5", "not a date"),
        ("date_to=1945-13", "not a date"),
        ("date_from=-99999", "not a date"),
        ("date_from=1946&date_to=1945", "comes after"),
        ("person=nobody-at-all", "no person record"),
        ("person=tabriz", "no person record"),  # a place, not a person
        ("place=%00tabriz%00x", "no place record"),
        ("repository=nowhere", "no holding archive"),
        ("document_type=scroll", "Select a valid choice"),
        ("language=xx", "Select a valid choice"),
        ("page=abc", "“abc” is not a page number; showing page 1."),
        ("page=-1", "There is no page -1; showing page 1."),
        ("page=0", "There is no page 0; showing page 1."),
        ("page=99999", "There is no page 99999; showing page 1."),
        ("sort=popularity", "“popularity” is not a way to sort"),
        ("date_from=" + "9" * 500, "at most 40 characters"),
    ],
)
def test_invalid_values_give_the_page_with_a_message(client, query, message):
    for base in ("/documents/", "/search/?q=Bagirov&"):
        url = base + ("?" if base.endswith("/") else "") + query
        response = client.get(url)
        assert response.status_code == 200, url
        notices = " ".join(response.context["notices"])
        assert message.lower() in notices.lower(), (url, notices)
        assert message.lower() in response.content.decode().lower().replace("&#x27;", "'")


@pytest.mark.parametrize(
    "query",
    ["place=%00", "q=%00&person=%00%00", "date_from=%001945", "page=%00", "sort=%00",
     "document_type=%3Cscript%3E", "person=" + "x" * 5000, "q=a&q=b&q=c&person=x&person=y"],
)  # fmt: skip
def test_hostile_parameters_give_a_page(client, query):
    for base in ("/documents/", "/search/"):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        assert b"<script>" not in response.content


def test_an_invalid_filter_is_left_out_and_the_others_apply(client):
    response = client.get("/documents/?date_from=garbage&source_kind=primary")
    assert sorted(listed(response)) == [DECREE, TELEGRAM]


def test_drafts_are_never_counted(client, make_document, mention_of):
    draft = make_document(status=PublicationStatus.DRAFT, document_type="letter")
    mention_of(draft, Entity.objects.get(slug="tabriz"), "A short")
    response = client.get("/documents/")
    assert "letter" not in counts(response, "document_type")
    assert counts(response, "place")["tabriz"] == 3
    assert response.context["paginator"].count == 4


def test_filtered_pages_have_shareable_urls(client):
    response = client.get("/search/?q=Tabriz&source_kind=primary")
    facet = next(f for f in response.context["facets"] if f.name == "document_type")
    telegram = next(c for c in facet.choices if c.value == "telegram")
    params = QueryDict(telegram.url.lstrip("?"))
    assert params["q"] == "Tabriz" and params["source_kind"] == "primary"
    assert params["document_type"] == "telegram"
    assert "page" not in params


def test_sorting_and_pages(client, make_document):
    for n in range(55):
        make_document(title=f"Zz report {n:02}", date_edtf=f"1950-01-{n % 28 + 1:02}")
    first = client.get("/documents/")
    assert first.context["paginator"].num_pages == 2
    assert listed(first)[0] == DECREE  # oldest first
    by_title = client.get("/documents/?sort=title")
    titles = [d.title for d in by_title.context["page_obj"].object_list]
    assert titles == sorted(titles)
    newest = client.get("/documents/?sort=-date")
    assert listed(newest)[0] == INTERVIEW
    second = client.get("/documents/?sort=title&page=2")
    assert second.context["page_obj"].number == 2
    assert 'href="?sort=title&amp;page=1" rel="prev"' in second.content.decode()


def test_filterset_directly():
    filterset = DocumentFilter(QueryDict("source_kind=secondary&date_from=1945"))
    assert filterset.problems == []
    documents = filterset.apply(Document.objects.published())
    assert sorted(d.slug for d in documents) == [ARTICLE, INTERVIEW]
    found = facets(filterset, Document.objects.published(), QueryDict("source_kind=secondary"))
    assert {f.name for f in found.facets} >= {"document_type", "person", "place", "year"}
    assert found.total == 2


def _as_counts(result) -> dict:
    return {f.name: [(c.value, c.count) for c in f.choices] for f in result.facets}


def test_kept_record_counts_equal_counted_ones():
    """With nothing filtered, the record counts come from RecordCount; they must be what
    counting the mentions gives."""
    filterset = DocumentFilter(QueryDict(""))
    published = Document.objects.published()
    kept = facets(filterset, published, QueryDict(""), everything=True)
    counted = facets(filterset, published, QueryDict(""), everything=False)
    assert _as_counts(kept) == _as_counts(counted)
    assert kept.total == counted.total == 4


def test_record_counts_follow_publishing_mentions_and_deletions(make_document, mention_of):
    tabriz = Entity.objects.get(slug="tabriz")

    def kept() -> int:
        return RecordCount.objects.get(entity=tabriz).documents

    assert kept() == 3
    document = make_document(status=PublicationStatus.DRAFT, transcription="In Tabriz.")
    mention = mention_of(document, tabriz, "Tabriz")
    assert kept() == 3
    document.status = PublicationStatus.PUBLISHED
    document.published_at = timezone.now()
    with publication_change():  # the workflow's door (tests/curation/test_workflow.py)
        document.save()
    assert kept() == 4
    baku = Entity.objects.get(slug="baku")
    before = RecordCount.objects.get(entity=baku).documents
    mention.entity = baku
    mention.save()
    assert kept() == 3 and RecordCount.objects.get(entity=baku).documents == before + 1
    document.delete()
    assert kept() == 3 and RecordCount.objects.get(entity=baku).documents == before


def test_kept_counts_of_the_whole_list_follow_changes(client, make_document):
    assert client.get("/documents/").context["paginator"].count == 4
    assert counts(client.get("/documents/"), "document_type")["telegram"] == 1  # kept
    document = make_document(document_type="telegram")
    response = client.get("/documents/")
    assert response.context["paginator"].count == 5
    assert counts(response, "document_type")["telegram"] == 2
    document.delete()
    assert counts(client.get("/documents/"), "document_type")["telegram"] == 1
