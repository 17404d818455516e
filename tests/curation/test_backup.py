"""Backups: export, restore into an empty database, export again — identical."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import (
    Claim,
    DismissedName,
    Document,
    DocumentAgent,
    DocumentEvent,
    Entity,
    Event,
    EventParticipant,
    EventPlace,
    Mention,
    MentionProposal,
    NameVariant,
    Organization,
    Person,
    Place,
    PlaceContainment,
    Repository,
    WorkCited,
)
from tests.wipe import delete_rows

pytestmark = pytest.mark.django_db

HISTORIED = [
    Document, Entity, Person, Place, Organization, Event, Mention, NameVariant, DocumentAgent,
    WorkCited, EventPlace, EventParticipant, Repository, DocumentEvent, PlaceContainment,
    Claim,
]  # fmt: skip


def wipe_archive() -> None:
    """Empty the archive's tables as a fresh database would be (groups stay: the
    migration creates them), in SQL (tests/wipe.py): records, links, users and the
    records' history, and what references them (a person's row beside its record's,
    kept counts, users' groups)."""
    delete_rows([
        Claim, Mention, MentionProposal, DocumentAgent, DocumentEvent, WorkCited, EventParticipant,
        EventPlace, DismissedName, Document, Repository, NameVariant, Entity, User,
        *(model.history.model for model in HISTORIED),
    ])  # fmt: skip
    assert not (
        Document.objects.exists() or Entity.objects.exists() or User.objects.exists()
    ) and all(not model.history.exists() for model in HISTORIED)


def test_the_archive_round_trips_exactly(tmp_path):
    editor = User.objects.create_user("editor", password="a-long-editor-password")
    editor.groups.add(Group.objects.get(name="Editor"))
    person = Person.objects.get(slug="ansari")
    person.description += " (Checked.)"
    person._history_user = editor
    person.save()
    backup = tmp_path / "archive.json"
    call_command("export_archive", str(backup), stderr=StringIO())
    first = backup.read_text(encoding="utf-8")
    rows = json.loads(first)
    models = {row["model"] for row in rows}
    assert {
        "sources.document",
        "sources.mention",
        "sources.historicalperson",
        "sources.claim",
        "sources.historicalclaim",
        "auth.user",
    } <= models
    history = next(  # the editor's change (the first rows record the corpus load)
        r
        for r in rows
        if r["model"] == "sources.historicalperson" and r["fields"]["history_user"] is not None
    )
    assert history["fields"]["history_user"] == ["editor"]  # natural key, not an id

    wipe_archive()
    call_command("import_archive", str(backup), stdout=StringIO())
    again = StringIO()
    call_command("export_archive", stdout=again)
    assert again.getvalue() == first
    assert Person.objects.get(slug="ansari").history.first().history_user.username == "editor"


def test_restore_refuses_a_database_with_data(tmp_path):
    backup = tmp_path / "archive.json"
    call_command("export_archive", str(backup), stderr=StringIO())
    with pytest.raises(CommandError, match="already holds"):
        call_command("import_archive", str(backup))


def test_a_damaged_backup_writes_nothing(tmp_path):
    backup = tmp_path / "archive.json"
    call_command("export_archive", str(backup), stderr=StringIO())
    rows = json.loads(backup.read_text(encoding="utf-8"))
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(rows[: len(rows) // 2])[:-20], encoding="utf-8")
    wipe_archive()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_archive", str(damaged))
    assert not Document.objects.exists() and not Entity.objects.exists()


def test_a_deleted_record_does_not_break_the_backup(tmp_path):
    person = Person.objects.create(name="Ghulam Yahya", slug="ghulam-yahya-test")
    NameVariant.objects.create(entity=person, name="Gholam Yahya")
    person_id = person.pk
    NameVariant.objects.filter(entity=person).delete()
    person.delete()
    backup = tmp_path / "archive.json"
    call_command("export_archive", str(backup), stderr=StringIO())
    rows = json.loads(backup.read_text(encoding="utf-8"))
    history = [
        r for r in rows
        if r["model"] == "sources.historicalperson" and r["fields"]["slug"] == "ghulam-yahya-test"
    ]  # fmt: skip
    assert [r["fields"]["history_type"] for r in history] == ["+", "-"]
    assert {r["fields"]["entity_ptr"] for r in history} == {person_id}  # an id, not a slug

    wipe_archive()
    call_command("import_archive", str(backup), stdout=StringIO())
    assert not Person.objects.filter(slug="ghulam-yahya-test").exists()
    restored = Person.history.filter(slug="ghulam-yahya-test")
    assert sorted(restored.values_list("history_type", flat=True)) == ["+", "-"]
    again = StringIO()
    call_command("export_archive", stdout=again)
    assert again.getvalue() == backup.read_text(encoding="utf-8")


@pytest.fixture
def editor_user():
    user = User.objects.create_user("editor", password="a-long-editor-password")
    user.groups.add(Group.objects.get(name="Editor"))
    return User.objects.get(pk=user.pk)


def test_publish_is_refused_when_the_restore_would_refuse_the_document(editor_user, make_document):
    from django.core.exceptions import ValidationError

    from sources.curation import workflow
    from sources.models import PublicationStatus

    document = make_document(
        status=PublicationStatus.IN_REVIEW, date_edtf="", rights="", publisher=""
    )
    with pytest.raises(ValidationError) as refusal:
        workflow.apply(editor_user, document, "publish")
    messages = refusal.value.messages
    assert messages[0].startswith("This document cannot be published yet")
    assert f"document {document.slug}: published without rights" in messages
    assert f"document {document.slug}: published with neither a date nor a period covered" in (
        messages
    )
    assert (
        f"document {document.slug}: published without an archival reference, publisher or URL"
        in messages
    )
    document.refresh_from_db()
    assert document.status == PublicationStatus.IN_REVIEW
    assert document.published_by is None
    # Once fixed, it publishes; and the backup holding it restores.
    document.date_edtf, document.rights = "1946-05", "Public domain."
    document.archival_reference = "AVPRF, f. 06, op. 8, d. 1"
    document.save()
    workflow.apply(editor_user, document, "publish")
    assert Document.objects.get(pk=document.pk).status == PublicationStatus.PUBLISHED


def test_export_verify_restores_the_backup_and_finds_it_identical(tmp_path):
    Person.objects.create(name="Deleted Person", slug="deleted-person-test").delete()
    backup = tmp_path / "archive.json"
    err = StringIO()
    call_command("export_archive", str(backup), "--verify", stderr=err)
    assert "Verified: the backup restores into an empty database" in err.getvalue()


def test_export_verify_fails_on_a_backup_that_would_not_restore(tmp_path):
    # Published behind the workflow's back (as a raw SQL fix or an old bug could).
    Document.objects.filter(slug="1945-07-06-politburo-decree").update(rights="")
    backup = tmp_path / "archive.json"
    with pytest.raises(CommandError, match="does NOT restore") as failure:
        call_command("export_archive", str(backup), "--verify", stderr=StringIO())
    assert "1945-07-06-politburo-decree: published without rights" in str(failure.value)
