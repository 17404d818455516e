"""Search over the curated corpus: what each query must and must not find, on SQLite and
on PostgreSQL alike (the suite runs on both), plus the parts it is built from."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from sources.models import Document, Entity, Mention, NameVariant, PublicationStatus
from sources.models.documents import publication_change
from sources.search import MAX_QUERY_LENGTH, Search, clean_query
from sources.search.engines import PythonEngine, document_rows
from sources.search.highlight import highlight
from sources.search.textsearch import (
    Vector,
    edit_distance,
    lexeme,
    near_miss,
    parse_query,
    similarity,
)
from sources.text import fold, word_tokens, words
from tests.html import find_all

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"
INTERVIEW = "2014-12-12-voa-interview-kanani"
ALL = {DECREE, TELEGRAM, ARTICLE, INTERVIEW}


def run(text: str):
    search = Search(text)
    found = search.matching(Document.objects.published())
    page = list(search.ranked(found)[:50])
    return search, [document.slug for document in page]


# query, documents it must find, documents it must not find, first record (or None)
CASES = [
    # Any spelling of a name finds the record and every source naming it, whatever
    # spelling the source uses: the decree says "Bagirov", the article "Baghirov"; the
    # telegram, which never names him, is found because he (probably) wrote it.
    ("Bagirov", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    ("Baghirov", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    ("Bağırov", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    ("Багиров", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    ("BAGIROV", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    ("Mircəfər Bağırov", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    ("Mir Jafar Bagirov", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, "mir-jafar-bagirov"),
    # Places under former names: the telegram says "Rezayeh" and "Shahpur".
    ("Urmia", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "urmia"),
    ("Rezayeh", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "urmia"),
    ("Orumiyeh", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "urmia"),
    ("ارومیه", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "urmia"),
    ("Salmas", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "salmas"),
    ("Shahpur", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "salmas"),
    ("Şahpur", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, "salmas"),
    # The article says "Inja" and "Incə"; the record is Inje.
    ("Incə", {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, "inje"),
    ("Ince", {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, "inje"),
    ("Inja", {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, "inje"),
    ("Inje", {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, "inje"),
    ("Sayınqala", {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, "shahin-dezh"),
    ("Təbriz", {DECREE, TELEGRAM, ARTICLE}, set(), "tabriz"),
    ("تبریز", {DECREE, TELEGRAM, ARTICLE}, set(), "tabriz"),
    ("Пишевари", {ARTICLE, INTERVIEW}, {DECREE, TELEGRAM}, "jafar-pishevari"),
    ("پیشه‌وری", {ARTICLE, INTERVIEW}, {DECREE, TELEGRAM}, "jafar-pishevari"),
    ("Ja’far Pishevari", {ARTICLE, INTERVIEW}, {DECREE, TELEGRAM}, "jafar-pishevari"),
    ("Qavam as-Saltaneh", {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, "ahmad-qavam"),
    # A copy recipient of the decree (issue 11: agents are searchable).
    ("Yemel'yanov", {DECREE}, {TELEGRAM, ARTICLE, INTERVIEW}, "stepan-yemelyanov"),
    # Near misses: one slip still finds the record and its sources.
    ("Pishevary", {ARTICLE, INTERVIEW}, {DECREE, TELEGRAM}, "jafar-pishevari"),
    ("Molotof", {DECREE, TELEGRAM, ARTICLE}, {INTERVIEW}, "vyacheslav-molotov"),
    ("Tabris", {DECREE, TELEGRAM, ARTICLE}, set(), "tabriz"),
    ("Kavtaradse", {DECREE}, {TELEGRAM, ARTICLE, INTERVIEW}, "sergei-kavtaradze"),
    # Words of the text only.
    ("gendarmes", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, None),
    ("horsemen", {TELEGRAM}, {DECREE, ARTICLE, INTERVIEW}, None),
    ("gendarmerie", {TELEGRAM, DECREE}, {ARTICLE, INTERVIEW}, "iranian-gendarmerie"),
    ("printing presses", {DECREE}, {TELEGRAM, ARTICLE, INTERVIEW}, None),
    # "Quoted phrases"
    ('"separatist movement"', {DECREE}, {TELEGRAM, ARTICLE, INTERVIEW}, None),
    ('"movement separatist"', set(), ALL, None),
    ('"National Government"', {ARTICLE, INTERVIEW}, {DECREE, TELEGRAM}, None),
    ('"flat-bed printing presses"', {DECREE}, {TELEGRAM, ARTICLE, INTERVIEW}, None),
    # -exclude
    ("Tabriz -Bagirov", set(), {DECREE, ARTICLE, TELEGRAM}, "tabriz"),
    ("Bagirov -Molotov", set(), ALL, "mir-jafar-bagirov"),
    ("Pishevari -Tabriz", {INTERVIEW}, {DECREE, TELEGRAM, ARTICLE}, "jafar-pishevari"),
    ('Pishevari -"Supreme Court"', {ARTICLE}, {DECREE, TELEGRAM, INTERVIEW}, None),
    # OR
    ("Rezayeh OR Inja", {TELEGRAM, ARTICLE}, {DECREE, INTERVIEW}, None),
    ("Kanani or Kavtaradze", {INTERVIEW, DECREE}, {TELEGRAM, ARTICLE}, None),
    ("gendarmes Molotov OR Kanani", {TELEGRAM, INTERVIEW}, {DECREE, ARTICLE}, None),
    # Both names, in any spelling
    ("Bagirov Molotov", {DECREE, ARTICLE, TELEGRAM}, {INTERVIEW}, None),
    ("Stalin Pishevari", {ARTICLE, INTERVIEW}, {DECREE, TELEGRAM}, None),
    # Nothing to find
    ("the", set(), ALL, None),
    ("zzyzx", set(), ALL, None),
    ("", set(), ALL, None),
]


@pytest.mark.parametrize(("text", "must", "must_not", "record"), CASES)
def test_query_finds_what_it_must(text, must, must_not, record):
    search, found = run(text)
    assert must <= set(found), f"{text!r} found {found}"
    assert not (must_not & set(found)), f"{text!r} found {found}"
    if record:
        assert search.entities, f"{text!r} found no record"
        assert search.entities[0].entity.slug == record
    elif not text.strip() or text == "zzyzx":
        assert search.entities == []


def test_records_say_which_variant_matched():
    search, _ = run("Rezayeh")
    hit = search.entities[0]
    assert (hit.entity.name, hit.matched, hit.matched_variant) == ("Urmia", "Rezayeh", True)
    search, _ = run("Bağırov")
    assert search.entities[0].matched in {"Bagirov", "Mircəfər Bağırov"}
    assert search.entities[0].document_count == 3  # two mention him, he wrote one


def test_a_name_query_lists_only_that_record():
    search, _ = run("Mir Jafar Bagirov")
    assert [hit.entity.slug for hit in search.entities] == ["mir-jafar-bagirov"]


def test_records_for_each_name_of_a_query_naming_several():
    search, _ = run("Stalin Pishevari")
    slugs = [hit.entity.slug for hit in search.entities]
    assert {"joseph-stalin", "jafar-pishevari", "stalin-letter-to-pishevari-1946-05-08"} <= set(
        slugs
    )


def test_near_miss_is_said_and_corrected():
    search, found = run("Molotof")
    assert search.corrected is not None
    assert search.near_misses == {"molotof": "molotov"}
    assert search.entities[0].near_miss_of == "molotof"
    assert set(found) == {DECREE, TELEGRAM, ARTICLE}


def test_no_correction_when_the_words_are_found():
    search, _ = run("Molotov")
    assert search.corrected is None and search.near_misses == {}


def test_exact_name_is_preferred_to_a_near_miss():
    # "Inja" is a variant of Inje: no correction to anything else.
    search, _ = run("Inja")
    assert search.corrected is None


def test_only_common_words_are_said():
    search, found = run("the of and")
    assert found == [] and search.only_common_words


def test_title_matches_rank_first():
    _, found = run("Kanani")
    assert found[0] == INTERVIEW


def test_results_explain_the_mention_and_the_words_used():
    search, _ = run("Baghirov")
    documents = list(Document.objects.filter(slug__in=[DECREE, ARTICLE]))
    hits = {hit.document.slug: hit for hit in search.explain(documents)}
    decree = hits[DECREE].mentions[0]
    assert decree.entity.slug == "mir-jafar-bagirov"
    assert "Bagirov" in decree.words and decree.as_written
    article_words = hits[ARTICLE].mentions[0].words
    assert any("Baghirov" in w for w in article_words)
    assert "<mark>" in hits[DECREE].headline


def test_text_matches_are_highlighted():
    search, _ = run("gendarmes")
    telegram = Document.objects.get(slug=TELEGRAM)
    (hit,) = search.explain([telegram])
    assert "<mark>gendarmes</mark>" in hit.headline.lower()


# --- Published documents only -------------------------------------------------------


def test_drafts_and_withdrawn_are_never_found(make_document, mention_of):
    bagirov = Entity.objects.get(slug="mir-jafar-bagirov")
    for status in (PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN):
        document = make_document(status=status, transcription="Unpublished: Bagirov wrote.")
        mention_of(document, bagirov, "Bagirov")
    search, found = run("Bagirov")
    assert set(found) == {DECREE, ARTICLE, TELEGRAM}
    assert search.entities[0].document_count == 3
    _, found = run("Unpublished")
    assert found == []


# --- Keeping the index up to date ------------------------------------------------------


def test_a_new_variant_is_found_at_once():
    bagirov = Entity.objects.get(slug="mir-jafar-bagirov")
    NameVariant.objects.create(entity=bagirov, name="Baqirov")
    search, found = run("Baqirov")
    assert set(found) == {DECREE, ARTICLE, TELEGRAM} and search.corrected is None


def test_a_renamed_record_is_found_by_its_new_name():
    place = Entity.objects.get(slug="urmia").specific
    place.name = "Urumqi-on-the-Lake"
    place.save()
    _, found = run("Urumqi-on-the-Lake")
    assert found == [TELEGRAM]


def test_an_edited_text_is_searched_as_edited():
    telegram = Document.objects.get(slug=TELEGRAM)
    telegram.transcription = telegram.transcription.replace("horsemen", "riders")
    telegram.save()
    assert run("riders")[1] == [TELEGRAM]
    assert run("horsemen")[1] == []


def test_a_new_mention_makes_the_record_find_the_document(make_document, mention_of):
    document = make_document(transcription="A report from Rasht on the Kurds.")
    assert document.slug not in run("Urmia")[1]
    mention_of(document, Entity.objects.get(slug="urmia"), "Rasht")
    assert document.slug in run("Urmia")[1]
    Mention.objects.filter(document=document).delete()
    assert document.slug not in run("Urmia")[1]


def test_publishing_makes_a_document_findable(make_document):
    document = make_document(status=PublicationStatus.DRAFT, transcription="Zanjan garrison.")
    assert run("Zanjan")[1] == []
    document.status = PublicationStatus.PUBLISHED
    document.published_at = timezone.now()
    with publication_change():  # the workflow's door (tests/curation/test_workflow.py)
        document.save()
    assert run("Zanjan")[1] == [document.slug]


# --- Hostile input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "Bagirov\x00; DROP TABLE sources_document; --",
        "' OR 1=1 --",
        "<script>alert('x')</script>",
        '"""',
        "- - -",
        "OR OR OR",
        "-",
        "!!! ::: &&& ||| <-> (a & b)",
        "\ufdd0Bagirov\ufdd1",
        "a" * 3000 + " Bagirov",
    ],
)
def test_hostile_queries_are_just_searches(text):
    search, found = run(text)
    assert len(search.text) <= MAX_QUERY_LENGTH
    assert "\x00" not in search.text
    assert set(found) <= ALL
    search.explain(Document.objects.published())


def test_long_queries_are_cut():
    text, shortened = clean_query("Bagirov " * 100)
    assert shortened and len(text) <= MAX_QUERY_LENGTH


def test_highlighting_escapes_the_text_it_wraps(make_document, mention_of):
    document = make_document(
        transcription='To Cde. Bagirov <img src=x onerror="alert(1)"> & \ufdd0co\ufdd1 <b>bold</b>'
    )
    mention_of(document, Entity.objects.get(slug="mir-jafar-bagirov"), "Bagirov")
    search, found = run("Bagirov onerror")
    assert found == [document.slug]
    (hit,) = search.explain([document])
    html = str(hit.headline)
    assert "<mark>Bagirov</mark>" in html
    assert "<img" not in html and "<b>" not in html
    assert html.count("<mark>") == html.count("</mark>")
    assert {element.name for element in find_all(html)} == {"mark"}  # no other markup


def test_python_highlighter_marks_phrases_and_spans():
    query = parse_query('"separatist movement" Tabriz')
    html = str(highlight("A separatist movement in Tabriz; movement of <troops>.", query))
    assert html.count("<mark>") == 3
    assert "&lt;troops&gt;" in html


# --- The parts: folding, words, queries, vectors ------------------------------------


def test_words_match_word_tokens_on_the_corpus():
    for document in Document.objects.all():
        for text in (document.title, document.summary, document.transcription):
            assert words(text) == [token.word for token in word_tokens(text)]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Şahpur", "Sahpur"), ("ʿAli", "Ali"), ("Ja’far", "Ja'far"), ("۱۹۴۵", "1945"), ("علي", "علی")],
)
def test_folding_for_search(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Bagirov", "bagirov"),
        ('"Mir Jafar"  Bagirov', '"mir jafar" bagirov'),
        ("Tabriz -Bagirov", "tabriz -bagirov"),
        ('Tabriz -"Mir Jafar"', 'tabriz -"mir jafar"'),
        ("a1 b1 OR c1", "a1 b1 or c1"),
        ("OR a1 or", "a1"),
        ("the or a1", "a1"),
        ("Qavam as-Saltaneh", 'qavam "as saltaneh"'),
        ("“Mir Jafar”", '"mir jafar"'),
        ('"unterminated phrase', '"unterminated phrase"'),
        ("--a1", "a1"),
        ("the", ""),
    ],
)
def test_query_syntax(text, canonical):
    assert parse_query(text).websearch == canonical


def test_or_binds_more_loosely_than_and():
    query = parse_query("gendarmes Molotov OR Kanani")
    assert [[lit.words for lit in group] for group in query.compiled] == [
        [("gendarmes",), ("molotov",)],
        [("kanani",)],
    ]


def test_vectors_count_stop_words_for_phrases():
    vector = Vector.from_words(words("Qavam as-Saltaneh"))
    assert vector.entries == {"qavam": [(1, "D")], "saltaneh": [(3, "D")]}
    assert parse_query('"qavam as saltaneh"').matches(vector)
    assert not parse_query('"qavam saltaneh"').matches(vector)
    assert Vector.loads(vector.dumps()) == vector


def test_lexemes_are_stemmed_like_postgresql():
    assert lexeme("gendarmes") == "gendarm"
    assert lexeme("gendarmerie") == "gendarmeri"
    assert lexeme("the") is None
    assert lexeme("15th") == "15th"


@pytest.mark.parametrize(
    ("typed", "name", "slips"),
    [
        ("pishevary", "pishevari", 1),
        ("molotof", "molotov", 1),
        ("tabirz", "tabriz", 1),
        ("kavtaradse", "kavtaradze", 1),
        ("bagirov", "bagirov", None),
        ("bagi", "baku", None),
        ("molotof", "malenkov", None),
        ("inj", "inja", None),
    ],
)
def test_near_miss_rule(typed, name, slips):
    assert near_miss(typed, name) == slips


def test_trigram_similarity_is_pg_trgm_similarity():
    assert similarity("inji", "inja") == pytest.approx(3 / 7)
    assert edit_distance("tabirz", "tabriz") == 1


# --- Same answers on both databases ---------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL itself"
)


def _pg_vector(text: str) -> dict[str, list[tuple[int, str]]]:
    entries = {}
    for key, positions in re.findall(r"'((?:[^']|'')+)':([0-9A-D,]+)", text):
        entries[key.replace("''", "'")] = [
            (int(p.rstrip("ABCD")), p[-1] if p[-1] in "ABC" else "D") for p in positions.split(",")
        ]
    return entries


@postgres_only
def test_postgres_vectors_equal_the_python_ones():
    ids = list(Document.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_vector::text FROM sources_document")
        stored = dict(cursor.fetchall())
    for pk, parts in document_rows(ids):
        assert _pg_vector(stored[pk]) == Vector.from_parts(parts).entries


@postgres_only
@pytest.mark.parametrize("text", [case[0] for case in CASES] + ["Azerbaijan -Tabriz or Baku"])
def test_postgres_and_python_engines_agree(text):
    """The Python engine (SQLite's), fed the same vectors, finds and ranks the same."""
    query = parse_query(clean_query(text)[0])
    if not query:
        return
    vectors = {
        pk: Vector.from_parts(parts)
        for pk, parts in document_rows(
            list(Document.objects.published().values_list("pk", flat=True))
        )
    }
    python = {pk for pk, vector in vectors.items() if query.matches(vector)}
    postgres = Search(text).engine.scores(query)
    assert python == set(postgres)
    for pk, rank in postgres.items():
        assert rank == pytest.approx(query.rank(vectors[pk]), rel=1e-3)


TYPOS = ["pishevray", "molotv", "bagriov", "kavtardze", "malenkof", "qalabrun", "maraghe",
         "yazdanpana", "tehrn", "rezaye", "shahpir", "bulgnin", "kanan", "zagirnya"]  # fmt: skip


@postgres_only
@pytest.mark.parametrize("typed", TYPOS)
def test_postgres_trigram_index_finds_every_near_miss_python_accepts(typed):
    postgres = Search(typed)
    python = Search(typed, PythonEngine())
    assert postgres._correct() == python._correct()
    assert postgres.near_misses == python.near_misses


def test_the_python_engine_runs_on_any_database():
    """PythonEngine reads the text vectors; here built on the fly for the corpus."""
    engine = PythonEngine()
    ids = list(Document.objects.values_list("pk", flat=True))
    rows = list(document_rows(ids))
    engine._write(rows)
    search = Search("Rezayeh", engine)
    found = search.matching(Document.objects.published())
    assert [d.slug for d in search.ranked(found)[:10]] == [TELEGRAM]
