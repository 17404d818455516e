"""The corpus loads once: ``load_corpus`` (run by every ``make run``) inserts only what
is missing and never undoes a curator's work; ``load_corpus --reset`` overwrites, but
says what it will overwrite, asks (or needs ``--yes``) and records it in history."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from sources.curation import workflow
from sources.curation.checks import CORPUS_FIXTURE
from sources.models import Document, NameVariant, Person, PublicationStatus

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"


@pytest.fixture
def curators_work():
    """What a Curator and an Editor did since the corpus was loaded."""
    editor = User.objects.create_user("editor", password="a-long-editor-password")
    editor.groups.add(Group.objects.get(name="Editor"))
    editor = User.objects.get(pk=editor.pk)
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    bagirov.description = "A Curator's corrected description."
    bagirov.save()
    decree = Document.objects.get(slug=DECREE)
    decree.summary = "A Curator's new summary of the decree."
    decree.save()
    workflow.apply(editor, Document.objects.get(slug=TELEGRAM), "withdraw")


def state() -> tuple:
    telegram = Document.objects.get(slug=TELEGRAM)
    return (
        Person.objects.get(slug="mir-jafar-bagirov").description,
        Document.objects.get(slug=DECREE).summary,
        telegram.status,
        telegram.published_by_id,
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_corpus", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_load_corpus_changes_nothing_that_exists(curators_work):
    before = state()
    assert before[0] == "A Curator's corrected description."
    assert before[2] == PublicationStatus.WITHDRAWN
    history = Person.objects.get(slug="mir-jafar-bagirov").history.count()
    output = run()
    assert state() == before
    assert Person.objects.get(slug="mir-jafar-bagirov").history.count() == history
    assert "Nothing to load" in output
    assert "3 of them differ from the fixture (curators' edits, kept)" in output


def test_load_corpus_inserts_what_is_missing_and_says_so(curators_work, tmp_path):
    objects = json.loads(CORPUS_FIXTURE.read_text(encoding="utf-8"))

    def copy_of(model: str, **match) -> dict:
        found = next(o for o in objects if o["model"] == model and
                     all(o["fields"].get(k) == v for k, v in match.items()))  # fmt: skip
        return json.loads(json.dumps(found))

    entity = copy_of("sources.entity", slug="mir-jafar-bagirov")
    entity["fields"].update(name="Ghulam Yahya", slug="ghulam-yahya", sort_name="Yahya")
    person = copy_of("sources.person", entity_ptr=["mir-jafar-bagirov"])
    person["fields"]["entity_ptr"] = ["ghulam-yahya"]
    variant = copy_of("sources.namevariant", entity=["mir-jafar-bagirov"], name="Baghirov")
    variant["fields"].update(entity=["ghulam-yahya"], name="Gholam Yahya")
    objects += [entity, person, variant]
    fixture = tmp_path / "corpus.json"
    fixture.write_text(json.dumps(objects), encoding="utf-8")
    before = state()
    output = run(str(fixture))
    assert "3 missing object(s) inserted" in output
    person = Person.objects.get(slug="ghulam-yahya")
    assert (
        person.history.first().history_change_reason == "Inserted by load_corpus from corpus.json"
    )
    assert NameVariant.objects.filter(entity=person, name="Gholam Yahya").exists()
    assert state() == before  # and nothing else changed


def test_what_a_curator_removed_or_moved_stays_so(curators_work):
    NameVariant.objects.filter(entity__slug="mir-jafar-bagirov", name="Baghirov").delete()
    telegram = Document.objects.get(slug=TELEGRAM)
    telegram.transcription = "[Curator's note.] " + telegram.transcription  # moves mentions
    telegram.save()
    mentions = list(telegram.mentions.values_list("start", "text"))
    output = run()
    assert not NameVariant.objects.filter(
        entity__slug="mir-jafar-bagirov", name="Baghirov"
    ).exists()
    assert list(telegram.mentions.values_list("start", "text")) == mentions
    assert "left out" in output


def test_reset_with_yes_overwrites_lists_it_and_records_history(curators_work):
    output = run("--reset", "--yes")
    assert "will overwrite 3 object(s)" in output
    assert f"document {DECREE}: summary" in output
    assert f"document {TELEGRAM}: status" in output
    assert "person mir-jafar-bagirov: description" in output
    assert "Reset to corpus.json: 3 object(s) overwritten" in output
    description, summary, status, _ = state()
    assert description != "A Curator's corrected description."
    assert summary != "A Curator's new summary of the decree."
    assert status == PublicationStatus.PUBLISHED
    last = Document.objects.get(slug=TELEGRAM).history.first()
    assert last.history_change_reason == "Reset to corpus.json by load_corpus --reset"
    assert last.status == PublicationStatus.PUBLISHED
    # The Curator's version is still in history.
    assert (
        Document.objects.get(slug=DECREE)
        .history.filter(summary="A Curator's new summary of the decree.")
        .exists()
    )


def test_reset_without_yes_and_without_a_terminal_changes_nothing(curators_work, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    before = state()
    with pytest.raises(CommandError, match=r"add --yes\. Nothing was written"):
        run("--reset")
    assert state() == before


@pytest.mark.parametrize("answer", ["no", "", "y"])
def test_reset_asks_and_anything_but_yes_changes_nothing(curators_work, monkeypatch, answer):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    before = state()
    with pytest.raises(CommandError, match="Reset cancelled; nothing was written"):
        run("--reset")
    assert state() == before
    assert asked == ["Overwrite? Type 'yes' to continue: "]
