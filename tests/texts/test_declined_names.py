"""Declined names (issue 14): in a Russian text "Тебризе", "Тебриза", "Тебризом" are
Tabriz (the corpus has its variant "Тебриз"), and the checks Publish runs accept them
without a variant or a note for each case; a wrong record, another word, or an English
text is checked exactly as before."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from sources.curation import workflow
from sources.curation.checks import check_mentions
from sources.curation.inflection import is_declined_form, stem
from sources.models import Document, DocumentText, Entity, Mention, NameVariant, Place
from sources.models import PublicationStatus as S
from sources.texts.languages import RUSSIAN
from tests.conftest import mention_at

# Test data written for these tests (not corpus data).
RUSSIAN_TEXT = (
    "Комитет в Тебризе доложил в Баку. Из Тебриза выехал курьер, с Тебризом связи нет. "
    "Правительство Азербайджанской ССР ответило. Тебризский комитет молчит."
)
ENGLISH_TEXT = "The committee in Tabriz wrote to Baku; Tabriz's answer came late."


def link(document, entity, words: str, text: DocumentText | None = None, at: int = 0) -> Mention:
    return mention_at(document, entity, words, text, after=at)


def problems(document) -> list[str]:
    return [str(p) for p in check_mentions(Document.objects.filter(pk=document.pk))]


@pytest.fixture
def tabriz() -> Place:
    tabriz = Place.objects.get(slug="tabriz")
    # The corpus's own Russian variant, and no case form of it: what the check reads.
    assert NameVariant.objects.filter(entity=tabriz, name="Тебриз", language="ru").exists()
    assert not NameVariant.objects.filter(entity=tabriz, name__startswith="Тебриз").exclude(
        name="Тебриз"
    )
    return tabriz


@pytest.fixture
def russian(make_document):
    document = make_document(transcription=ENGLISH_TEXT, original_language="ru", status=S.IN_REVIEW)
    text = DocumentText.objects.create(
        document=document, language="ru", kind="original", text=RUSSIAN_TEXT
    )
    return document, text


@pytest.fixture
def editor():
    return User.objects.create_superuser("declined-editor", "editor@example.org", "x")


def test_what_the_stemmer_makes_of_the_cases_of_tabriz():
    """Snowball's Russian stemmer, as search uses it: every case of "Тебриз" stems alike,
    its adjective does not."""
    cases = ["тебриз", "тебриза", "тебризу", "тебризом", "тебризе"]
    assert {stem(word, RUSSIAN) for word in cases} == {"тебриз"}
    assert stem("тебризский", RUSSIAN) != "тебриз"
    assert stem("tabrizs", RUSSIAN) == "tabrizs"  # Latin words are not stemmed as Russian
    # Stemmed before folding: folded, "Азербайджанской" loses its "й" and its ending.
    assert stem("Азербайджанской", RUSSIAN) == stem("Азербайджанская", RUSSIAN)
    # Snowball cuts "Багиров" to "багир" but "Багирова" to "багиров": the name itself.
    assert stem("Багиров", RUSSIAN) != stem("Багирова", RUSSIAN)
    assert is_declined_form("Багирова", ["Багиров"], "ru")
    assert is_declined_form("Мира Джафара Багирова", ["Мир Джафар Багиров"], "ru")


@pytest.mark.parametrize("words", ["Тебризе", "Тебриза", "Тебризом"])
def test_a_case_form_of_a_russian_variant_passes_the_check(russian, tabriz, words):
    document, text = russian
    mention = link(document, tabriz, words, text)
    assert not mention.note
    assert problems(document) == []


@pytest.mark.parametrize("words", ["Баку", "Тебризский"])
def test_another_word_linked_to_tabriz_still_fails(russian, tabriz, words):
    """ "Баку" is no form of any name of Tabriz; "Тебризский" (Tabriz's, an adjective)
    stems otherwise: both fail with the message they always had."""
    document, text = russian
    link(document, tabriz, words, text)
    [problem] = problems(document)
    assert f"{words!r} is not a name or variant of tabriz: add it as a name variant" in problem
    assert "of the ru original" in problem


def test_a_multi_word_name_matches_word_by_word_in_order(russian):
    document, text = russian
    ssr = Entity.objects.get(variants__name="Азербайджанская ССР")
    link(document, ssr, "Азербайджанской ССР", text)  # genitive of "Азербайджанская ССР"
    assert problems(document) == []
    names = ["Азербайджанская ССР"]
    assert is_declined_form("Азербайджанской ССР", names, "ru")
    assert not is_declined_form("ССР Азербайджанской", names, "ru")  # order counts
    assert not is_declined_form("Азербайджанской", names, "ru")  # every word counts
    assert not is_declined_form("Азербайджанской ССР", names, "az")  # no stemmer: exact


def test_the_primary_text_is_read_in_the_documents_language(make_document, tabriz):
    russian_primary = make_document(language="ru", transcription=RUSSIAN_TEXT)
    link(russian_primary, tabriz, "Тебризе")
    assert problems(russian_primary) == []
    # The same words in a primary text said to be English are checked exactly, as before.
    english_primary = make_document(language="en", transcription=RUSSIAN_TEXT)
    link(english_primary, tabriz, "Тебризе")
    [problem] = problems(english_primary)
    assert "'Тебризе' is not a name or variant of tabriz" in problem


def test_english_is_checked_as_before(make_document, tabriz):
    """English names are not stemmed: "Tabriz's" (which English stemming would make
    "tabriz") is still no name of Tabriz unless a variant or a note says so."""
    document = make_document(language="en", transcription=ENGLISH_TEXT)
    link(document, tabriz, "Tabriz")
    assert problems(document) == []
    possessive = link(document, tabriz, "Tabriz's", at=30)
    [problem] = problems(document)
    assert '"Tabriz\'s" is not a name or variant of tabriz' in problem
    assert not is_declined_form("Tabriz's", ["tabriz"], "en")
    possessive.note = "Tabriz's answer: the committee in Tabriz."
    possessive.save()
    assert problems(document) == []


def test_an_editor_publishes_a_russian_text_with_declined_names(russian, tabriz, editor, client):
    document, text = russian
    link(document, tabriz, "Tabriz")
    link(document, Place.objects.get(slug="baku"), "Baku")
    for words in ("Тебризе", "Тебриза", "Тебризом"):
        link(document, tabriz, words, text)
    link(document, Place.objects.get(slug="baku"), "Баку", text)
    assert not document.mentions.exclude(note="").exists()
    workflow.apply(editor, document, "publish")
    document.refresh_from_db()
    assert document.status == S.PUBLISHED
    html = client.get(document.get_absolute_url()).content.decode()
    assert html.count(f'href="{tabriz.get_absolute_url()}"') >= 4  # Tabriz and its 3 cases


def test_publish_still_refuses_a_wrong_record(russian, tabriz, editor):
    document, text = russian
    link(document, tabriz, "Баку", text)
    with pytest.raises(ValidationError, match="'Баку' is not a name or variant of tabriz"):
        workflow.apply(editor, document, "publish")
    document.refresh_from_db()
    assert document.status == S.IN_REVIEW
