"""The read-only API at /api/v1/: what a program reading it gets, on the real corpus."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import override_settings
from openapi_spec_validator import validate as validate_openapi

from sources.models import Document, Entity, Mention, Person, PublicationStatus
from tests.html import find_all, inline_code, text

from .conftest import DRAFT_WORD

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/documents/",
    "/api/v1/people/",
    "/api/v1/places/",
    "/api/v1/organizations/",
    "/api/v1/events/",
    "/api/v1/mentions/",
    "/api/v1/timeline/",
]


def get_json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def every_item(client, url: str) -> list[dict]:
    """All pages of a list, following ``next`` as a client would."""
    items, page = [], f"{url}{'&' if '?' in url else '?'}page_size=100"
    while page:
        body = get_json(client, page)
        items += body["results"]
        page = body["next"]
    return items


def path(url: str) -> str:
    return urlsplit(url).path


# --- what is served ----------------------------------------------------------------


def test_the_document_list_is_every_published_document_in_reading_order(client):
    items = every_item(client, "/api/v1/documents/")
    expected = list(Document.objects.published().in_reading_order().values_list("slug", flat=True))
    assert [item["slug"] for item in items] == expected


def test_each_record_list_has_every_record_of_its_kind(client):
    for plural, kind in [("people", "person"), ("places", "place"),
                         ("organizations", "organization"), ("events", "event")]:  # fmt: skip
        items = every_item(client, f"/api/v1/{plural}/")
        assert sorted(i["slug"] for i in items) == sorted(
            Entity.objects.filter(kind=kind).values_list("slug", flat=True)
        )
        assert {i["kind"] for i in items} == {kind}


def test_a_document_in_the_api_carries_its_text_agents_and_mentions(client):
    document = Document.objects.published().with_citation().get(slug="1945-07-06-politburo-decree")
    body = get_json(client, f"/api/v1/documents/{document.slug}/")
    assert body["title"] == document.title
    assert body["transcription"] == document.transcription
    assert body["archival_reference"] == document.archival_reference
    assert len(body["mentions"]) == document.mentions.count()
    for mention in body["mentions"]:
        assert body["transcription"][mention["start"] : mention["end"]] == mention["text"]
    assert {(a["role"], a["entity"]["slug"]) for a in body["agents"]} == {
        (link.role, link.entity.slug) for link in document.agent_links.all()
    }


def test_a_records_api_address_and_page_address_derive_from_the_same_slug(client):
    for item in every_item(client, "/api/v1/people/")[:5] + every_item(
        client, "/api/v1/documents/"
    ):
        plural = "documents" if "title" in item else "people"
        assert path(item["url"]) == f"/{plural}/{item['slug']}/"
        assert path(item["api_url"]) == f"/api/v1/{plural}/{item['slug']}/"
        assert client.get(path(item["url"])).status_code == 200
        assert get_json(client, path(item["api_url"]))["slug"] == item["slug"]


def test_mentions_filter_by_document_and_by_record(client):
    slug = "mir-jafar-bagirov"
    items = every_item(client, f"/api/v1/mentions/?entity={slug}")
    assert {i["entity"]["slug"] for i in items} == {slug}
    assert len(items) == Mention.objects.published().filter(entity__slug=slug).count()
    items = every_item(client, "/api/v1/mentions/?document=1945-07-06-politburo-decree")
    assert {i["document"]["slug"] for i in items} == {"1945-07-06-politburo-decree"}


def test_the_timeline_lists_published_documents_and_events(client):
    items = every_item(client, "/api/v1/timeline/")
    documents = {path(i["url"]) for i in items if i["kind"] == "document"}
    assert documents == {d.get_absolute_url() for d in Document.objects.published()}
    assert sum(i["kind"] == "event" for i in items) == Entity.objects.filter(kind="event").count()


# --- the same filters and search as the pages -------------------------------------

FILTERS = [
    "source_kind=primary",
    "document_type=encyclopedia_article",
    "person=mir-jafar-bagirov",
    "place=tabriz",
    "date_from=1946",
    "date_to=1945-12",
    "language=en&sort=title",
    "sort=-date",
]


@pytest.mark.parametrize("query", FILTERS)
def test_the_api_filters_as_the_document_list_does(client, query):
    page = client.get(f"/documents/?{query}")
    assert not page.context["notices"], page.context["notices"]
    expected = [d.slug for d in page.context["documents"]]
    assert [i["slug"] for i in every_item(client, f"/api/v1/documents/?{query}")] == expected


@pytest.mark.parametrize(
    "query", ["q=Bagirov", "q=Tabriz&source_kind=primary", "q=Molotov&sort=date"]
)
def test_the_api_searches_as_the_search_page_does(client, query):
    page = client.get(f"/search/?{query}")
    expected = [d.slug for d in page.context["page_obj"].object_list]
    assert expected, "the search should find something on the corpus"
    assert [i["slug"] for i in every_item(client, f"/api/v1/documents/?{query}")] == expected


# --- drafts appear nowhere ----------------------------------------------------------


def test_no_endpoint_shows_a_draft_or_its_mentions(client, rich_draft):
    for url in LISTS:
        served = json.dumps(every_item(client, url))
        assert rich_draft.slug not in served, url
        assert DRAFT_WORD not in served, url
    get_json(client, f"/api/v1/documents/{rich_draft.slug}/", 404)
    assert get_json(client, f"/api/v1/documents/?q={DRAFT_WORD}")["count"] == 0
    assert get_json(client, f"/api/v1/mentions/?document={rich_draft.slug}", 400)
    bagirov = get_json(client, "/api/v1/people/mir-jafar-bagirov/")
    assert bagirov["document_count"] == (
        Document.objects.published().filter(mentions__entity__slug="mir-jafar-bagirov")
        .distinct().count()
    )  # fmt: skip


# --- unusable values: 400 with a message, never a 500 -------------------------------

BAD = [
    "/api/v1/documents/?page=0",
    "/api/v1/documents/?page=abc",
    "/api/v1/documents/?page=999",
    "/api/v1/documents/?page_size=0",
    "/api/v1/documents/?page_size=1000",
    "/api/v1/documents/?date_from=yesterday",
    "/api/v1/documents/?person=nobody-at-all",
    "/api/v1/documents/?document_type=poem",
    "/api/v1/documents/?sort=colour",
    "/api/v1/documents/?sort=relevance",
    "/api/v1/documents/?date_from=1946&date_to=1945",
    "/api/v1/documents/?q=" + "x" * 1000,
    "/api/v1/people/?page=-1",
    "/api/v1/mentions/?document=no-such-document",
    "/api/v1/mentions/?entity=no-such-record",
    "/api/v1/timeline/?page=%00",
]


@pytest.mark.parametrize("url", BAD)
def test_an_unusable_value_is_a_400_that_says_why(client, url):
    body = get_json(client, url, 400)
    assert body["detail"] and body["problems"]


def test_an_unknown_slug_is_a_404_with_a_message(client):
    assert "no published document" in get_json(client, "/api/v1/documents/nope/", 404)["detail"]
    get_json(client, "/api/v1/people/tabriz/", 404)  # a place's slug among people


def test_the_api_does_not_write(client):
    assert client.post("/api/v1/documents/", {}).status_code == 405
    assert client.delete("/api/v1/documents/1945-07-06-politburo-decree/").status_code == 405


# --- old slugs ----------------------------------------------------------------------


def test_an_old_document_slug_redirects_to_its_api_address(client, make_document):
    document = make_document(slug="first-address")
    document.slug = "second-address"
    document.save()
    response = client.get("/api/v1/documents/first-address/")
    assert (response.status_code, response["Location"]) == (
        301,
        "/api/v1/documents/second-address/",
    )
    assert client.get("/documents/first-address/")["Location"] == "/documents/second-address/"


def test_an_old_slug_of_a_draft_is_a_404(client, make_document):
    document = make_document(slug="hidden-before", status=PublicationStatus.DRAFT)
    document.slug = "hidden-after"
    document.save()
    get_json(client, "/api/v1/documents/hidden-before/", 404)


def test_an_old_record_slug_redirects_to_its_api_address(client):
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    molotov.slug = "v-m-molotov"
    molotov.save()
    response = client.get("/api/v1/people/vyacheslav-molotov/")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/people/v-m-molotov/")
    get_json(client, "/api/v1/places/vyacheslav-molotov/", 404)


# --- CORS and throttling ------------------------------------------------------------


def test_any_site_may_read_the_api_with_get(client):
    response = client.get("/api/v1/documents/", HTTP_ORIGIN="https://example.edu")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/documents/",
        HTTP_ORIGIN="https://example.edu",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    page = client.get("/documents/", HTTP_ORIGIN="https://example.edu")
    assert "Access-Control-Allow-Origin" not in page  # the HTML pages are not opened up


def test_a_client_over_its_rate_is_told_to_wait(client):
    cache.clear()
    with override_settings(API_THROTTLE_RATE="3/minute"):
        codes = [client.get("/api/v1/people/").status_code for _ in range(4)]
        other = client.get("/api/v1/people/", REMOTE_ADDR="192.0.2.7").status_code
    cache.clear()
    assert codes == [200, 200, 200, 429]
    assert other == 200  # per client: another address is not held back


# --- bounded queries ----------------------------------------------------------------

QUERY_BOUNDS = {  # one of each is the page cache's version check (archive/middleware.py)
    "/api/v1/documents/?page_size=100": 3,
    "/api/v1/documents/?page_size=100&person=mir-jafar-bagirov&source_kind=primary": 4,
    "/api/v1/documents/?q=Bagirov&page_size=100": 8,
    "/api/v1/documents/1945-07-06-politburo-decree/": 6,  # with its event links
    "/api/v1/people/?page_size=100": 4,
    "/api/v1/places/?page_size=100": 5,  # + larger places by period (issue 15)
    "/api/v1/organizations/?page_size=100": 4,
    "/api/v1/events/?page_size=100": 4,
    "/api/v1/events/politburo-decree-1945-07-06/": 5,  # + its published documents
    "/api/v1/people/mir-jafar-bagirov/": 3,
    "/api/v1/mentions/?page_size=100": 3,
    "/api/v1/timeline/?page_size=100": 3,
}


@pytest.mark.parametrize("url", QUERY_BOUNDS)
def test_each_api_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(QUERY_BOUNDS[url]):
        assert client.get(url).status_code == 200


# --- the schema and its documentation ------------------------------------------------


def test_the_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_openapi(schema)
    assert "/api/v1/documents/{slug}/" in schema["paths"]
    assert {"/api/v1/people/", "/api/v1/mentions/", "/api/v1/timeline/"} <= set(schema["paths"])


def test_the_documentation_page_loads_swagger_ui_from_our_own_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [text(h) for h in find_all(html, "h1")] == ["API documentation"]
    assert not inline_code(html)  # the JSON-LD block is data, not code
    scripts = [s.attrs["src"] for s in find_all(html, "script") if s.attrs.get("src")]
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in scripts
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
