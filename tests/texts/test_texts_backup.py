"""Further texts and their mentions in backups, the corpus checks, the API and TEI."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from sources.curation.checks import check_mentions
from sources.models import Document, DocumentText, Mention, NameVariant, Place, PublicationStatus

from .test_texts import ENGLISH, RUSSIAN, mention

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual_published(make_document):
    document = make_document(transcription=ENGLISH, original_language="ru")
    russian = DocumentText.objects.create(
        document=document, language="ru", kind="original", translator="", text=RUSSIAN
    )
    baku = Place.objects.get(slug="baku")
    NameVariant.objects.get_or_create(entity=baku, name="Баку", defaults={"language": "ru"})
    mention(document, baku, "Baku")
    mention(document, baku, "Баку", russian)
    return document, russian


def test_mentions_are_checked_against_their_own_text(bilingual_published):
    document, russian = bilingual_published
    assert check_mentions(Document.objects.filter(pk=document.pk)) == []
    # A mention whose words are not the Russian text's at its offsets is reported.
    Mention.objects.filter(document_text=russian).update(start=0, end=4)
    problems = check_mentions(Document.objects.filter(pk=document.pk))
    assert len(problems) == 1
    assert "of the ru original" in str(problems[0])
    assert "reads 'Напр'" in str(problems[0])


def test_the_backup_round_trips_texts_and_their_mentions(tmp_path, bilingual_published):
    from tests.curation.test_backup import wipe_archive

    document, _ = bilingual_published
    backup = tmp_path / "archive.json"
    call_command("export_archive", str(backup), stderr=StringIO())
    first = backup.read_text(encoding="utf-8")
    rows = json.loads(first)
    [text_row] = [r for r in rows if r["model"] == "sources.documenttext"]
    assert text_row["fields"]["text"] == RUSSIAN
    [in_text] = [
        r
        for r in rows
        if r["model"] == "sources.mention" and r["fields"]["document_text"] is not None
    ]
    assert in_text["fields"]["document_text"] == [document.slug, "ru", "original"]
    assert any(r["model"] == "sources.historicaldocumenttext" for r in rows)

    wipe_archive()
    DocumentText.history.all().delete()  # the deletion just recorded, as a fresh database
    assert not DocumentText.objects.exists()
    call_command("import_archive", str(backup), stdout=StringIO())
    again = StringIO()
    call_command("export_archive", stdout=again)
    assert again.getvalue() == first
    restored = DocumentText.objects.get(document__slug=document.slug)
    assert restored.mentions.get().text == "Баку"


def test_the_api_shows_a_documents_texts(client, bilingual_published):
    document, _ = bilingual_published
    body = client.get(f"/api/v1/documents/{document.slug}/").json()
    [text] = body["texts"]
    assert text["language"] == "ru"
    assert text["kind"] == "original"
    assert text["text"] == RUSSIAN
    in_text = [m for m in text["mentions"]]
    assert [m["text"] for m in in_text] == ["Баку"]
    assert RUSSIAN[in_text[0]["start"] : in_text[0]["end"]] == "Баку"
    # The document's own mentions stay those of its transcription.
    for found in body.get("mentions", []):
        assert body["transcription"][found["start"] : found["end"]] == found["text"]


def test_an_editor_publishes_a_document_with_its_russian_original(client, make_document):
    """The issue's "done when": a draft with its Russian text, names linked in each,
    published by an Editor; the restore's checks (run by Publish) read each text."""
    from django.contrib.auth.models import Group, User
    from django.core.exceptions import ValidationError

    from sources.curation import workflow

    editor = User.objects.create_user("texts-editor", password="a-long-editor-password")
    editor.groups.add(Group.objects.get(name="Editor"))
    editor = User.objects.get(pk=editor.pk)
    document = make_document(transcription=ENGLISH, status=PublicationStatus.IN_REVIEW)
    russian = DocumentText.objects.create(
        document=document, language="ru", kind="original", text=RUSSIAN
    )
    baku = Place.objects.get(slug="baku")
    mention(document, baku, "Baku")
    mention(document, baku, "Баку", russian)
    assert client.get(document.get_absolute_url()).status_code == 404  # not yet
    declined = mention(document, Place.objects.get(slug="tehran"), "Тегеране", russian)
    # The restore's checks read the Russian: "Тегеране" (declined) is no known name of
    # Tehran, so Publish asks for a variant or a note, as for any mention.
    with pytest.raises(ValidationError, match="Тегеране"):
        workflow.apply(editor, document, "publish")
    declined.note = "Tehran, in the prepositional case."
    declined.save()
    workflow.apply(editor, Document.objects.get(pk=document.pk), "publish")
    html = client.get(document.get_absolute_url()).content.decode()
    assert '<div class="transcription" lang="ru">' in html
    assert html.count('href="/places/baku/"') >= 2  # linked in both texts
