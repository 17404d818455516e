"""The signal receivers (sources/signals.py): all in one module, each with a sender, and
each change doing only the work it must: only what readers see replaces the archive
version, and only a change of names re-indexes documents."""

from __future__ import annotations

import weakref

import pytest
from django.db.models import signals
from django.dispatch.dispatcher import _make_id

from sources.models import (
    ArchiveVersion,
    CountsSnapshot,
    Document,
    Mention,
    MentionProposal,
    NameVariant,
    Person,
    RecordCount,
)
from sources.search import index

pytestmark = pytest.mark.django_db
DECREE = "1945-07-06-politburo-decree"
MODEL_SIGNALS = [
    signals.pre_save,
    signals.post_save,
    signals.pre_delete,
    signals.post_delete,
    signals.m2m_changed,
]


def archive_receivers():
    """(signal, sender key, receiver) of every receiver defined in the sources app."""
    for signal in MODEL_SIGNALS:
        for (_, sender_key), receiver_ref, *_ in signal.receivers:
            weak = isinstance(receiver_ref, weakref.ReferenceType)
            receiver = receiver_ref() if weak else receiver_ref
            module = getattr(receiver, "__module__", "") or ""
            if module.startswith("sources"):
                yield signal, sender_key, receiver


def test_every_receiver_lives_in_signals_and_has_a_sender():
    found = list(archive_receivers())
    assert len(found) > 20  # connected at start-up
    for signal, sender_key, receiver in found:
        assert receiver.__module__ == "sources.signals", receiver
        assert sender_key != _make_id(None), (signal, receiver.__name__)


def token() -> str:
    return ArchiveVersion.objects.current().token


@pytest.fixture
def indexed(monkeypatch):
    """The ids of the documents re-indexed during the test."""
    calls: list[int] = []
    original = index.index_documents

    def record(ids):
        ids = list(ids)
        calls.extend(ids)
        original(ids)

    monkeypatch.setattr(index, "index_documents", record)
    return calls


def test_history_rows_proposals_and_kept_counts_leave_the_version_alone():
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    bagirov.save()  # a history row to change
    before = token()
    history = bagirov.history.first()
    history.history_change_reason = "checked"
    history.save()
    decree = Document.objects.get(slug=DECREE)
    MentionProposal.objects.create(
        document=decree, entity=bagirov, start=0, end=3, text="The", matched_name="the"
    )
    RecordCount.objects.filter(entity=bagirov).first().save()
    CountsSnapshot.objects.create(name="test", token="x", data={})
    ArchiveVersion.objects.current().save()
    assert token() == before


def test_a_change_readers_see_replaces_the_version():
    before = token()
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    bagirov.description += " Edited."
    bagirov.save()
    assert token() != before


def test_a_description_edit_reindexes_nothing(indexed):
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    bagirov.description += " Edited."
    bagirov.save()
    assert indexed == []


def test_a_name_edit_reindexes_the_documents_naming_the_record(indexed):
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    naming = set(Mention.objects.filter(entity=bagirov).values_list("document_id", flat=True))
    # Issue 11: the documents he wrote or received carry his names in their index too.
    naming |= set(bagirov.document_roles.values_list("document_id", flat=True))
    bagirov.name = "Mir Jafar Baghirov"
    bagirov.save()
    assert naming and set(indexed) == naming


def test_a_new_variant_reindexes_and_finds_the_documents(indexed):
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    NameVariant.objects.create(entity=bagirov, name="Bagyrov", language="en", script="Latn")
    assert set(indexed) >= set(bagirov.mentions.values_list("document_id", flat=True))
    bagirov.refresh_from_db()
    assert "bagyrov" in bagirov.search_names.split("\n")


def test_date_bounds_and_folded_names_are_derived_on_every_save():
    person = Person.objects.create(name="Ələkbər", slug="alekber", date_edtf="1901/1960")
    assert (person.date_earliest.year, person.date_latest.year) == (1901, 1960)
    variant = NameVariant.objects.create(entity=person, name="Ələkbər Əliyev")
    assert variant.folded == "elekber eliyev"


def test_a_changed_slug_keeps_redirecting(client):
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    bagirov.slug = "mir-jafar-baghirov"
    bagirov.save()
    response = client.get("/people/mir-jafar-bagirov/")
    assert response.status_code == 301
    assert response["Location"] == "/people/mir-jafar-baghirov/"
