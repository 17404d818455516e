"""Texts in more than one language (issue 14, part 4): a document with its Russian
original beside the English text, names linked in both, search in each language."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from sources.models import Document, DocumentText, Mention, Place, PublicationStatus
from sources.search.engines import document_rows
from sources.search.textsearch import Vector, parse_query
from tests.conftest import mention_at
from tests.views.test_reading_pages import PAGES

# Test data written for these tests (not corpus data): a short order in Russian and its
# English translation, naming Baku, Tabriz and Tehran in both.
ENGLISH = "Send comrade Bagirov from Baku to Tabriz, then to the talks in Tehran."
RUSSIAN = "Направить товарища Багирова из Баку в Тебриз, затем на переговоры в Тегеране."


def _in(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def mention(document, entity, words: str, text: DocumentText | None = None) -> Mention:
    return mention_at(document, entity, words, text)


@pytest.fixture
def bilingual(make_document):
    """A published document: English primary text, Russian original, names in both."""
    document = make_document(transcription=ENGLISH, original_language="ru")
    russian = DocumentText.objects.create(
        document=document,
        language="ru",
        kind="original",
        source_note="Test archive, f. 1, op. 1, d. 1",
        text=RUSSIAN,
    )
    baku, tehran = Place.objects.get(slug="baku"), Place.objects.get(slug="tehran")
    mention(document, baku, "Baku")
    mention(document, tehran, "Tehran")
    mention(document, baku, "Баку", russian)
    mention(document, tehran, "Тегеране", russian)
    return document, russian


# --- The model ----------------------------------------------------------------------


def test_the_primary_text_and_its_mentions_are_unchanged(bilingual):
    document, russian = bilingual
    document.refresh_from_db()
    assert document.transcription == ENGLISH
    assert list(document.mentions.primary().values_list("text", flat=True)) == ["Baku", "Tehran"]
    assert set(russian.mentions.values_list("text", flat=True)) == {"Баку", "Тегеране"}


def test_mentions_in_each_text_link_the_same_record(bilingual):
    document, russian = bilingual
    baku = Place.objects.get(slug="baku")
    in_english = document.mentions.get(entity=baku, document_text=None)
    in_russian = document.mentions.get(entity=baku, document_text=russian)
    assert in_english.entity_id == in_russian.entity_id == baku.pk
    assert RUSSIAN[in_russian.start : in_russian.end] == "Баку"
    assert in_russian.anchor == f"ru-original-m{in_russian.start}"
    assert in_english.anchor == f"m{in_english.start}"


def test_one_language_and_kind_per_document(bilingual):
    document, _ = bilingual
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentText.objects.create(document=document, language="ru", kind="original", text="x")


def test_the_same_record_at_the_same_offset_in_two_texts_is_allowed(make_document):
    document = make_document(transcription="Baku is far.")
    russian = DocumentText.objects.create(
        document=document, language="ru", kind="original", text="Баку далеко."
    )
    baku = Place.objects.get(slug="baku")
    mention(document, baku, "Baku")
    mention(document, baku, "Баку", russian)  # also at 0
    with pytest.raises(IntegrityError), transaction.atomic():
        mention(document, baku, "Баку", russian)


def test_offsets_are_checked_against_the_right_text(bilingual):
    document, russian = bilingual
    baku = Place.objects.get(slug="baku")
    start, end = _in(RUSSIAN, "Баку")
    wrong_text = Mention(
        document=document, document_text=None, entity=baku, start=start, end=end, text="Баку"
    )
    with pytest.raises(ValidationError, match="reads"):
        wrong_text.full_clean()
    right = Mention(
        document=document,
        document_text=russian,
        entity=baku,
        start=start,
        end=end,
        text="Баку",
        role="mentioned",
    )
    right.full_clean(validate_constraints=False)  # the words are the Russian text's own


def test_a_text_of_another_document_is_refused(bilingual, make_document):
    _, russian = bilingual
    other = make_document(transcription="Baku.")
    stray = Mention(
        document=other, document_text=russian, entity=Place.objects.get(slug="baku"),
        start=0, end=4, text="Baku",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="another document"):
        stray.full_clean()


def test_mentions_follow_an_edit_of_their_text(bilingual):
    _, russian = bilingual
    russian.text = "Срочно. " + russian.text
    russian.save()
    for found in russian.mentions.all():
        assert russian.text[found.start : found.end] == found.text
        assert not found.needs_review


# --- The document page --------------------------------------------------------------


def test_the_page_shows_both_texts_with_their_language_and_names_linked(client, bilingual):
    document, russian = bilingual
    html = client.get(document.get_absolute_url()).content.decode()
    assert '<div class="transcription" lang="en">' in html
    assert '<div class="transcription" lang="ru">' in html
    start = russian.mentions.get(text="Баку").start
    assert re.search(
        rf'<a id="ru-original-m{start}" class="mention mention-place" href="/places/baku/"', html
    )
    assert re.search(r'<a id="m\d+" class="mention mention-place" href="/places/baku/"', html)
    assert "Test archive, f. 1, op. 1, d. 1" in html
    assert "Russian original" in html
    assert "js/texts.js" in html
    assert "<script>" not in html  # no inline script: the tabs come from a static file
    # Without JavaScript the texts follow one another, the primary text first.
    assert html.index('lang="en">') < html.index('lang="ru">')


def test_a_document_with_one_text_renders_as_before(client, db):
    document = Document.objects.published().first()
    html = client.get(document.get_absolute_url()).content.decode()
    assert f'<div class="transcription" lang="{document.language}">' in html
    assert "data-text-versions" not in html
    assert "js/texts.js" not in html


def test_text_content_and_its_details_are_escaped(client, make_document):
    document = make_document(transcription="Plain.")
    DocumentText.objects.create(
        document=document,
        language="fa",
        kind="translation",
        translator='<b onmouseover="x">T</b>',
        source_note="<i>edition</i>",
        text="<script>alert(1)</script> & more",
    )
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;T&lt;/b&gt;" in html
    assert "&lt;i&gt;edition&lt;/i&gt;" in html
    assert '<div class="transcription" lang="fa">' in html


def test_the_record_page_quotes_the_mention_in_each_text(client, bilingual):
    document, russian = bilingual
    html = client.get("/places/baku/").content.decode()
    start = russian.mentions.get(text="Баку").start
    assert f"{document.get_absolute_url()}#ru-original-m{start}" in html
    assert '<blockquote class="kwic" lang="ru">' in html
    assert "<mark>Баку</mark>" in html


def test_document_page_queries_are_bounded_with_several_texts(
    client, bilingual, django_assert_max_num_queries
):
    document, _ = bilingual
    DocumentText.objects.create(document=document, language="az", kind="translation", text="Bakı.")
    DocumentText.objects.create(document=document, language="fa", kind="translation", text="باکو")
    url = document.get_absolute_url()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    DocumentText.objects.create(document=document, language="de", kind="translation", text="Baku.")
    # The corpus document's bound, + one query for its further texts, however many.
    with django_assert_max_num_queries(PAGES["document"][1] + 1):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) <= len(one)  # not one query per text


def test_drafts_never_leak(client, make_document):
    draft = make_document(transcription="Secret.", status=PublicationStatus.DRAFT)
    DocumentText.objects.create(
        document=draft, language="ru", kind="original", text="Секретный приказ о Тебризе."
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.slug not in client.get("/search/", {"q": "Тебриза"}).content.decode()
    assert draft.slug not in client.get("/api/v1/documents/").content.decode()


# --- Search -------------------------------------------------------------------------


def test_a_declined_russian_form_finds_the_russian_text(client, bilingual):
    """ "Тебриза" (genitive) is not in the text ("в Тебриз"), nor in the English; the
    Russian reading of the query stems both to "тебриз"."""
    document, _ = bilingual
    html = client.get("/search/", {"q": "Тебриза"}).content.decode()
    assert document.get_absolute_url() in html
    html = client.get("/search/", {"q": "Тегеран"}).content.decode()  # text: "в Тегеране"
    assert document.get_absolute_url() in html


def test_english_queries_read_as_before(bilingual):
    query = parse_query("Tabriz")
    assert query.variants == (query,)
    russian = parse_query("Тебриза")
    assert [v.config for v in russian.variants] == ["archive_search", "russian"]


def test_the_index_reads_each_text_in_its_language(bilingual):
    document, _ = bilingual
    [(_, parts)] = list(document_rows([document.pk]))
    assert parts[-1][1:] == ("D", "russian")
    vector = Vector.from_parts(parts)
    assert "тебриз" in vector.entries  # Russian stem of "Тебриз"
    assert "багиров" in vector.entries  # "Багирова", stemmed as Russian
    assert "tabriz" in vector.entries  # the English text, as before


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's russian configuration itself"
)


@postgres_only
def test_postgres_indexes_the_russian_text_with_the_russian_configuration(bilingual):
    document, _ = bilingual
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM sources_document WHERE id = %s", [document.pk]
        )
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT to_tsvector('russian', 'Тебриза')::text")
        assert cursor.fetchone()[0] == "'тебриз':1"
    assert "'тебриз'" in stored
    assert "'багиров'" in stored
    # The Python engine builds the very same vector (SQLite gives the same answers).
    [(_, parts)] = list(document_rows([document.pk]))
    entries = {}
    for key, positions in re.findall(r"'((?:[^']|'')+)':([0-9A-D,]+)", stored):
        entries[key] = [
            (int(p.rstrip("ABCD")), p[-1] if p[-1] in "ABC" else "D") for p in positions.split(",")
        ]
    assert entries == Vector.from_parts(parts).entries


@postgres_only
@pytest.mark.parametrize("text", ["Тебриза", "Тегеран", "переговоров", "Баку Tabriz", "Tabriz"])
def test_postgres_and_python_agree_on_russian_queries(bilingual, text):
    from sources.search.engines import PostgresEngine

    query = parse_query(text)
    vectors = {
        pk: Vector.from_parts(parts)
        for pk, parts in document_rows(
            list(Document.objects.published().values_list("pk", flat=True))
        )
    }
    python = {pk for pk, vector in vectors.items() if query.matches(vector)}
    postgres = PostgresEngine().scores(query)
    assert python == set(postgres)
    assert bilingual[0].pk in python or (text == "Tabriz" and bilingual[0].pk in python)
    for pk, rank in postgres.items():
        assert rank == pytest.approx(query.rank(vectors[pk]), rel=1e-3)


# --- Curators: the admin --------------------------------------------------------------


def _text_form(document, **extra) -> dict:
    data = {
        "document": document.pk,
        "language": "ru",
        "kind": "original",
        "translator": "",
        "source_note": "Test archive",
        "order": 0,
        "text": RUSSIAN,
        "mentions-TOTAL_FORMS": 1,
        "mentions-INITIAL_FORMS": 0,
        "mentions-MIN_NUM_FORMS": 0,
        "mentions-MAX_NUM_FORMS": 1000,
        "mentions-0-text": "Баку",
        "mentions-0-entity": Place.objects.get(slug="baku").pk,
        "mentions-0-occurrence": 1,
        "mentions-0-role": "mentioned",
        "mentions-0-certainty": "certain",
    }
    data.update(extra)
    return data


def test_an_editor_adds_a_text_and_a_mention_found_by_its_words(make_document):
    from tests.curation.staff import staff_client

    editor = staff_client("Editor")
    document = make_document(transcription=ENGLISH)
    response = editor.post("/admin/sources/documenttext/add/", _text_form(document))
    assert response.status_code == 302, _errors(response)
    text = DocumentText.objects.get(document=document)
    found = text.mentions.get()
    assert (found.start, found.end) == _in(RUSSIAN, "Баку")
    assert found.document_id == document.pk
    assert text.history.count() == 1
    # The document's page carries the texts inline.
    page = editor.get(f"/admin/sources/document/{document.pk}/change/")
    assert page.status_code == 200
    assert "texts-TOTAL_FORMS" in page.content.decode()  # the texts inline


def test_words_not_in_the_text_are_refused_with_a_message(make_document):
    from tests.curation.staff import staff_client

    editor = staff_client("Editor")
    document = make_document(transcription=ENGLISH)
    response = editor.post(
        "/admin/sources/documenttext/add/", _text_form(document, **{"mentions-0-text": "Москва"})
    )
    assert response.status_code == 200
    assert "is not in this text as whole words" in response.content.decode()
    assert not DocumentText.objects.filter(document=document).exists()


def test_given_offsets_are_checked_against_the_text(make_document):
    from tests.curation.staff import staff_client

    editor = staff_client("Editor")
    document = make_document(transcription=ENGLISH)
    response = editor.post(
        "/admin/sources/documenttext/add/",
        _text_form(document, **{"mentions-0-start": 0, "mentions-0-end": 4}),
    )
    assert response.status_code == 200
    assert "reads" in response.content.decode()
    assert not DocumentText.objects.filter(document=document).exists()


def test_a_curator_adds_texts_to_drafts_but_not_to_public_documents(make_document):
    from tests.curation.staff import staff_client

    curator = staff_client("Curator")
    draft = make_document(transcription=ENGLISH, status=PublicationStatus.DRAFT)
    response = curator.post("/admin/sources/documenttext/add/", _text_form(draft))
    assert response.status_code == 302
    assert DocumentText.objects.filter(document=draft).exists()

    public = make_document(transcription=ENGLISH)
    response = curator.post("/admin/sources/documenttext/add/", _text_form(public))
    assert response.status_code == 200
    assert "only an Editor" in response.content.decode()
    assert not DocumentText.objects.filter(document=public).exists()
    existing = DocumentText.objects.create(document=public, language="ru", text=RUSSIAN)
    page = curator.get(f"/admin/sources/documenttext/{existing.pk}/change/")
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()  # read-only for a Curator


def _errors(response) -> str:
    context = response.context
    found = [context["adminform"].form.errors]
    found += [inline.formset.errors for inline in context["inline_admin_formsets"]]
    found += [inline.formset.non_form_errors() for inline in context["inline_admin_formsets"]]
    return repr(found)


# --- The page cache -----------------------------------------------------------------


def test_adding_or_editing_a_text_refreshes_the_cached_page(client, bilingual):
    from django.core.cache import cache
    from django.test import override_settings

    document, russian = bilingual
    url = document.get_absolute_url()
    cache.clear()
    try:
        with override_settings(PUBLIC_PAGE_CACHE=True, PAGE_CACHE_CLOCK_MARGIN=0):
            client.get(url)
            assert client.get(url)["X-Archive-Cache"] == "hit"
            russian.text = russian.text + " Срочно."
            russian.save()
            response = client.get(url)
            assert response["X-Archive-Cache"] != "hit"
            assert "Срочно." in response.content.decode()
            assert client.get(url)["X-Archive-Cache"] == "hit"
            DocumentText.objects.create(
                document=document, language="az", kind="translation", text="Bakıya."
            )
            response = client.get(url)
            assert response["X-Archive-Cache"] != "hit"
            assert "Bakıya." in response.content.decode()
    finally:
        cache.clear()
