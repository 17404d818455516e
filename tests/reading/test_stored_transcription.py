"""The transcription's linked HTML is rendered once per version of what it shows and kept
in the cache; any change to the text, a mention or a record's name or address renders
it afresh, and what is kept is exactly render_transcription's escaped output."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sources.models import Document, Person
from sources.reading import transcription
from sources.reading.transcription import render_transcription, stored_transcription

pytestmark = pytest.mark.django_db

TELEGRAM = "1945-11-21-telegram-baku-to-moscow"


@pytest.fixture
def renders(monkeypatch):
    """How many times the transcription is actually rendered."""
    cache.clear()
    calls: list[int] = []
    original = transcription.render_transcription

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(transcription, "render_transcription", counting)
    yield calls
    cache.clear()


def inputs(slug: str = TELEGRAM):
    document = Document.objects.with_mentions().with_citation().get(slug=slug)
    references = {w.number for w in document.works_cited.all()}
    return document, list(document.mentions.all()), references


def test_rendered_once_and_identical_to_rendering(renders):
    document, mentions, references = inputs()
    first = stored_transcription(document.transcription, mentions, references)
    again = stored_transcription(document.transcription, mentions, references)
    assert len(renders) == 1
    assert first == again == render_transcription(document.transcription, mentions, references)
    assert 'href="/people/vyacheslav-molotov/"' in again


def test_a_renamed_record_renders_afresh(renders):
    document, mentions, references = inputs()
    stored_transcription(document.transcription, mentions, references)
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    molotov.slug = "v-molotov"
    molotov.save()
    document, mentions, references = inputs()
    html = stored_transcription(document.transcription, mentions, references)
    assert len(renders) == 2
    assert 'href="/people/v-molotov/"' in html


def test_an_edited_text_renders_afresh_and_stays_escaped(renders):
    document, mentions, references = inputs()
    stored_transcription(document.transcription, mentions, references)
    edited = document.transcription + "\n\n<script>alert(1)</script>"
    html = stored_transcription(edited, mentions, references)
    assert len(renders) == 2
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_cache_that_does_not_answer_renders_now(renders, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("no cache")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    document, mentions, references = inputs()
    html = stored_transcription(document.transcription, mentions, references)
    assert html == render_transcription(document.transcription, mentions, references)
