"""The search page, the suggestion endpoint and the document list as readers get them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sources.models import Entity, NameVariant, Person
from tests.html import attribute, find, find_all, inline_code, text

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"

SEARCH_QUERIES = 30
LIST_QUERIES = 20
SUGGEST_QUERIES = 10


def text_of(response) -> str:
    return text(response.content.decode())


def test_urls():
    assert reverse("sources:search") == "/search/"
    assert reverse("sources:suggest") == "/search/suggest/"


def test_records_first_then_documents_with_reasons(client):
    response = client.get("/search/", {"q": "Baghirov"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("records-heading") < html.index("documents-heading")
    page = text_of(response)
    assert "Mir Jafar Bagirov" in page and "matched “Baghirov”" in page
    assert "Mentions Mir Jafar Bagirov as “Bagirov”" in page  # the decree's words
    assert "Mentions Mir Jafar Bagirov as “Mir Jafar Baghirov”" in page  # the article's
    assert html.count("<h1") == 1
    assert "<mark>" in html


def test_a_place_under_a_former_name(client):
    response = client.get("/search/", {"q": "Urmia"})
    page = text_of(response)
    assert "Mentions Urmia as “Rezayeh”" in page
    assert [hit.document.slug for hit in response.context["results"]] == [TELEGRAM]
    assert "<mark>Rezayeh</mark>" in response.content.decode()


def test_a_near_miss_is_announced(client):
    response = client.get("/search/", {"q": "Molotof"})
    page = text_of(response)
    assert "Nothing was found for “Molotof”" in page
    assert "Showing results for molotov" in page
    assert "close to “molotof”" in page


def test_a_word_of_the_text_is_highlighted(client):
    response = client.get("/search/", {"q": "gendarmes"})
    (hit,) = response.context["results"]
    assert hit.document.slug == TELEGRAM
    assert "<mark>gendarmes</mark>" in str(hit.headline)
    assert "People, places" not in text_of(response)


def test_an_empty_search_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "Search the archive" in text_of(response)
    assert response.context["results"] == []


def test_only_common_words(client):
    response = client.get("/search/", {"q": "the of"})
    assert "only very common words" in text_of(response)


@pytest.mark.parametrize(
    "q",
    [
        "x" * 100_000,
        "Bagirov\x00\x00",
        "\x00",
        "'; DROP TABLE sources_document; --",
        "1' OR '1'='1",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "{{ 7*7 }} {% debug %}",
        "\ufdd0\ufdd1 Bagirov",
        "\u202e\u200b Tabriz",
        "-" * 300,
        '"' * 300,
        "OR " * 100,
        "🙂 Bagirov 🙂",
    ],
)
def test_hostile_queries_give_a_normal_page(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "\x00" not in html
    assert "49" not in text_of(response).split("Search results for")[-1][:40]
    for results in response.context["results"]:
        headline = str(results.headline)
        assert headline.count("<mark>") == headline.count("</mark>")


def test_a_long_query_is_cut_with_a_message(client):
    response = client.get("/search/", {"q": "Bagirov " * 100})
    assert "limited to 200 characters" in text_of(response)
    assert len(response.context["query_text"]) <= 200


def test_markup_in_data_is_escaped(client, make_document, mention_of):
    person = Person.objects.create(name="<b>Evil</b> Bagirov", slug="evil")
    NameVariant.objects.create(entity=person, name="Evilov<script>")
    document = make_document(
        title="<i>Title</i>", transcription="Evilov said <script>x()</script> to Evilov."
    )
    mention_of(document, person, "Evilov")
    response = client.get("/search/", {"q": "Evilov"})
    html = response.content.decode()
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html
    assert "&lt;i&gt;Title&lt;/i&gt;" in html
    assert "<script>x()" not in html and "<b>Evil" not in html
    suggestions = client.get("/search/suggest/", {"q": "evil"}).json()
    assert suggestions[0]["name"] == "<b>Evil</b> Bagirov"  # JSON, inserted as text


def test_search_box_in_every_page_points_at_the_search(client):
    html = client.get("/documents/").content.decode()
    form = find(html, "form", action="/search/", data_suggest_url="/search/suggest/")
    assert [attribute(i, "name") for i in find_all(form, "input", id="site-search")] == ["q"]
    assert find_all(form, "label", for_="site-search")
    scripts = [s for s in find_all(html, "script") if attribute(s, "defer") == ""]
    deferred = [(attribute(s, "src") or "").rsplit("/", 1)[-1] for s in scripts]
    # The shared combobox runs first (deferred scripts run in document order).
    assert "search.js" in deferred
    assert deferred.index("suggest.js") < deferred.index("search.js")
    # No inline code: every <script> has a src or is a JSON data block (the JSON-LD).
    assert not inline_code(html)


def test_the_scripts_are_served(client):
    bodies = {}
    for name in ("suggest.js", "search.js", "connections.js"):
        response = client.get(f"/static/js/{name}")
        assert response.status_code == 200
        content = response.streaming_content if response.streaming else [response.content]
        bodies[name] = b"".join(content)
        assert b"innerHTML" not in bodies[name]
    # The combobox lives in one place; both users go through it.
    assert b"aria-activedescendant" in bodies["suggest.js"]
    assert b"aria-activedescendant" not in bodies["search.js"]
    assert b"ArchiveSuggest.attach" in bodies["search.js"]
    assert b"ArchiveSuggest.attach" in bodies["connections.js"]


# --- Suggestions ---------------------------------------------------------------------


def test_suggestions_json(client):
    response = client.get("/search/suggest/", {"q": "Bag"})
    assert response["Content-Type"] == "application/json"
    found = response.json()
    assert (
        found[0]
        == {
            "name": "Mir Jafar Bagirov",
            "kind": "person",
            "url": "/people/mir-jafar-bagirov/",
            "matched": "Mir Jafar Bagirov",
        }
        or found[0]["url"] == "/people/mir-jafar-bagirov/"
    )
    assert all(set(item) == {"name", "kind", "url", "matched"} for item in found)


@pytest.mark.parametrize(
    ("q", "url", "matched"),
    [
        ("Рез", None, None),  # no Cyrillic name starts so: nothing
        ("mir j", "/people/mir-jafar-bagirov/", "Mir Jafar Bagirov"),
        ("Баг", "/people/mir-jafar-bagirov/", "Багиров"),
        ("rezay", "/places/urmia/", "Rezayeh"),
        ("Inca", "/places/inje/", None),  # a near miss
        ("incə", "/places/inje/", "Incə"),
        ("pishevary", "/people/jafar-pishevari/", None),
        ("shahp", "/places/salmas/", "Shahpur"),
    ],
)
def test_suggestions_in_any_spelling(client, q, url, matched):
    found = client.get("/search/suggest/", {"q": q}).json()
    if url is None:
        assert found == []
        return
    item = next(item for item in found if item["url"] == url)
    if matched:
        assert item["matched"] == matched


@pytest.mark.parametrize("q", ["", "b", "\x00\x00", "x" * 10_000, "<script>", "' OR 1=1"])
def test_suggestions_of_nothing_or_junk(client, q):
    response = client.get("/search/suggest/", {"q": q})
    assert response.status_code == 200
    assert isinstance(json.loads(response.content), list)


# --- Bounded queries -------------------------------------------------------------------


@pytest.fixture
def more_data(make_document, make_person, mention_of):
    """Forty more documents naming forty more people: pages must not need more queries."""
    tabriz = Entity.objects.get(slug="tabriz")
    for n in range(40):
        person = make_person(name=f"Bagirov Namesake {n}")
        NameVariant.objects.create(entity=person, name=f"Baghirov {n}")
        document = make_document(
            transcription=f"Bagirov Namesake {n} wrote from Tabriz about gendarmes.",
            document_type=["letter", "report", "memorandum"][n % 3],
        )
        mention_of(document, person, f"Bagirov Namesake {n}")
        mention_of(document, tabriz, "Tabriz")


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=Bagirov",
        "/search/?q=Baghirov&source_kind=primary&place=tabriz",
        "/search/?q=Molotof",
        "/search/?q=gendarmes&sort=date&page=2",
        "/search/?q=Tabriz+-Bagirov+OR+%22Mir+Jafar%22&date_from=1945&date_to=1950",
    ],
)
def test_search_page_queries_are_bounded(client, django_assert_max_num_queries, url, request):
    with django_assert_max_num_queries(SEARCH_QUERIES):
        assert client.get(url).status_code == 200
    request.getfixturevalue("more_data")
    with django_assert_max_num_queries(SEARCH_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/documents/",
        "/documents/?person=mir-jafar-bagirov&place=tabriz&organization=iranian-gendarmerie"
        "&event=azerbaijan-crisis&repository=rgaspi&date_from=1945&date_to=1946",
        "/documents/?sort=title&page=2",
    ],
)
def test_document_list_queries_are_bounded(client, django_assert_max_num_queries, url, request):
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200
    request.getfixturevalue("more_data")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("q", ["bag", "pishevary", "Баг"])
def test_suggest_queries_are_bounded(client, django_assert_max_num_queries, q, request):
    request.getfixturevalue("more_data")
    with django_assert_max_num_queries(SUGGEST_QUERIES):
        assert client.get("/search/suggest/", {"q": q}).status_code == 200
