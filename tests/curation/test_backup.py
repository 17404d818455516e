"""Backups: export, restore into an empty database, export again — identical."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import (
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
    Repository,
    WorkCited,
)

pytestmark = pytest.mark.django_db

HISTORIED = [
    Document, Entity, Person, Place, Organization, Event, Mention, NameVariant, DocumentAgent,
    WorkCited, EventPlace, EventParticipant, Repository, DocumentEvent,
]  # fmt: skip


def wipe_archive() -> None:
    """Empty the archive's tables as a fresh database would be (groups stay: the
    migration creates them)."""
    for model in (Mention, MentionProposal, DocumentAgent, DocumentEvent, WorkCited,
                  EventParticipant, EventPlace, DismissedName):  # fmt: skip
        model.objects.all().delete()
    Document.objects.all().delete()
    Repository.objects.all().delete()
    Place.objects.update(located_in=None)
    Organization.objects.update(parent=None)
    Event.objects.update(part_of=None)
    NameVariant.objects.all().delete()
    Entity.objects.all().delete()
    User.objects.all().delete()
    # Last: deleting records writes deletion entries into their history.
    for model in HISTORIED:
        model.history.all().delete()


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
        "auth.user",
    } <= models
    history = next(r for r in rows if r["model"] == "sources.historicalperson")
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
