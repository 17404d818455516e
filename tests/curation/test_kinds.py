"""Wrong kinds of record are refused everywhere a link is written (issue 11): model
validation, the admin's pickers and forms, the importer, and the database itself."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from sources.models import (
    Document,
    DocumentAgent,
    Entity,
    Event,
    EventParticipant,
    Place,
)

pytestmark = pytest.mark.django_db

TELEGRAM = "1945-11-21-telegram-baku-to-moscow"


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("cura", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    return client


def test_a_place_cannot_be_validated_as_a_recipient():
    link = DocumentAgent(
        document=Document.objects.get(slug=TELEGRAM),
        entity=Entity.objects.get(slug="tabriz"),
        role="recipient",
    )
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "person or an organization, not a place" in str(error.value)


def test_an_event_cannot_be_validated_as_an_author():
    link = DocumentAgent(
        document=Document.objects.get(slug=TELEGRAM),
        entity=Entity.objects.get(slug="battles-of-inje-and-qalaburun"),
        role="author",
    )
    with pytest.raises(ValidationError):
        link.full_clean()


def test_participants_are_people_organizations_or_states():
    battle = Event.objects.get(slug="battles-of-inje-and-qalaburun")
    village = EventParticipant(event=battle, entity=Entity.objects.get(slug="tabriz"), role="x")
    with pytest.raises(ValidationError) as error:
        village.full_clean()
    assert "person, an organization or a state" in str(error.value)
    state = EventParticipant(event=battle, entity=Place.objects.get(slug="iran"), role="state")
    state.full_clean()  # a country takes part as a state
    person = EventParticipant(
        event=battle, entity=Entity.objects.get(slug="jafar-pishevari"), role="leader"
    )
    person.full_clean()


@pytest.mark.parametrize("statement", ["create", "update"])
def test_the_database_refuses_a_place_as_recipient(statement):
    """Even a write that skips validation (a queryset update, raw SQL) is refused."""
    telegram = Document.objects.get(slug=TELEGRAM)
    tabriz = Entity.objects.get(slug="tabriz")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        if statement == "create":
            DocumentAgent.objects.create(document=telegram, entity=tabriz, role="recipient")
        else:
            DocumentAgent.objects.filter(document=telegram, role="recipient").update(entity=tabriz)
    assert not DocumentAgent.objects.filter(entity=tabriz).exists()


def test_the_database_refuses_a_village_as_participant():
    battle = Event.objects.get(slug="battles-of-inje-and-qalaburun")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        EventParticipant.objects.create(
            event=battle, entity=Entity.objects.get(slug="tabriz"), role="x"
        )
    assert connection.vendor in {"sqlite", "postgresql"}


def test_the_admin_picker_offers_only_people_and_organizations(curator_client):
    """The autocomplete behind the author/recipient picker filters by kind."""
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "sources",
        "model_name": "documentagent",
        "field_name": "entity",
        "term": "",
    }
    response = curator_client.get(url, {**params, "term": "Tabriz"})
    assert response.status_code == 200
    # The consulate in Tabriz (an organization), never the city.
    assert [r["text"] for r in response.json()["results"]] == ["USSR General Consulate in Tabriz"]
    response = curator_client.get(url, {**params, "term": "Bagirov"})
    assert [r["text"] for r in response.json()["results"]] == ["Mir Jafar Bagirov"]
    kinds = set(
        Entity.objects.filter(
            pk__in=[r["id"] for r in curator_client.get(url, params).json()["results"]]
        ).values_list("kind", flat=True)
    )
    assert kinds <= {"person", "organization"}


def test_the_admin_form_refuses_a_place_as_recipient(curator_client):
    """Saving Tabriz as a recipient in the admin's link form gives an error, no save."""
    telegram = Document.objects.get(slug=TELEGRAM)
    tabriz = Entity.objects.get(slug="tabriz")
    response = curator_client.post(
        reverse("admin:sources_documentagent_add"),
        {
            "document": telegram.pk,
            "entity": tabriz.pk,
            "role": "recipient",
            "order": 0,
            "certainty": "certain",
            "note": "",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert not DocumentAgent.objects.filter(entity=tabriz).exists()


def test_the_importer_refuses_a_place_as_author(tmp_path: Path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: A report\ndate: 1945-11-25\ntype: report\nsource_kind: primary\n"
        "language: en\nauthors: [tabriz]\n---\nText.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_sources", str(tmp_path), verbosity=0, stderr=(out := StringIO()))
    assert "'tabriz' is a place, not a person or organization" in out.getvalue()
