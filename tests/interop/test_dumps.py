"""The open data at /data/: CSV per kind, the whole archive as JSON, places as GeoJSON
and a Frictionless data package, read back with the tools their users have."""

from __future__ import annotations

import csv
import io
import json

import frictionless
import geojson
import pytest
from django.core.management import call_command
from django.db import models

from sources.interop.dumps import TABLES, TABLES_BY_NAME
from sources.models import (
    Claim,
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentText,
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
    PublicationStatus,
    Repository,
    WorkCited,
)
from tests.html import find_all, hrefs, text
from tests.wipe import delete_rows

from .conftest import DRAFT_WORD

pytestmark = pytest.mark.django_db

FILES = [f"{t.name}.csv" for t in TABLES] + ["archive.json", "places.geojson", "datapackage.json"]
MODELS = {
    "people": Person, "places": Place, "organizations": Organization, "events": Event,
    "repositories": Repository, "documents": Document, "event_places": EventPlace,
    "event_participants": EventParticipant, "variants": NameVariant, "agents": DocumentAgent,
    "works_cited": WorkCited, "mentions": Mention, "document_events": DocumentEvent,
    "texts": DocumentText,
}  # fmt: skip
SELF_LINKS = {"located_in", "parent", "part_of"}
# Rows with nothing derived on save: loaded in bulk, as a bulk importer would.
BULK = {"event_places", "event_participants", "agents", "works_cited", "mentions",
        "document_events"}  # fmt: skip


def download(client, name: str):
    response = client.get(f"/data/{name}")
    assert response.status_code == 200, name
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    return response


def csv_files(client) -> dict[str, str]:
    return {t.name: download(client, f"{t.name}.csv").content.decode() for t in TABLES}


def read_csv(content: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content)))


# --- an importer, as a user of the data would write one -------------------------------


def empty_the_archive() -> None:
    """No document, record or link left (in SQL, tests/wipe.py: deleting the corpus
    row by row through the ORM re-indexed after each row); history stays."""
    delete_rows([
        Claim, Mention, MentionProposal, DocumentAgent, DocumentEvent, WorkCited, Document,
        EventPlace, EventParticipant, NameVariant, Repository, Entity,
    ])  # fmt: skip
    assert not Document.objects.exists() and not Entity.objects.exists()


def _value(field: models.Field, value):
    if field.is_relation:
        return field.related_model.objects.get(slug=value) if value not in ("", None) else None
    if value == "" and field.null:
        return None
    return field.to_python(value)


def further_text(document: str, in_text: str) -> DocumentText | None:
    if not in_text:
        return None
    language, kind = in_text.split("-")
    return DocumentText.objects.get(document__slug=document, language=language, kind=kind)


def load_tables(tables: dict[str, list[dict]]) -> None:
    """Rows keyed by column, as in the CSV files or archive.json, into the database."""
    order = ["people", "places", "organizations", "events", "repositories", "documents",
             "texts", "event_places", "event_participants", "variants", "agents", "works_cited",
             "mentions", "document_events"]  # fmt: skip
    later: list[tuple[models.Model, str, str, str]] = []
    for name in order:
        model = MODELS[name]
        rows = []
        for row in tables[name]:
            values = {}
            for column, value in row.items():
                if column == "in_text":  # which of the document's texts the offsets are in
                    values["document_text"] = further_text(row["document"], value)
                    continue
                field = model._meta.get_field(column)
                if column in SELF_LINKS:
                    if value:
                        later.append((model, row["slug"], column, value))
                    continue
                values[field.attname if not field.is_relation else field.name] = _value(
                    field, value
                )
            if model is Document:
                values["status"] = PublicationStatus.PUBLISHED
            rows.append(model(**values))
        if name in BULK:
            model.objects.bulk_create(rows)  # no per-row re-indexing: once, below
        else:
            for instance in rows:
                instance.save()
    call_command("rebuild_search", verbosity=0)
    for model, slug, column, value in later:
        target = model._meta.get_field(column).related_model.objects.get(slug=value)
        instance = model.objects.get(slug=slug)
        setattr(instance, column, target)
        instance.save()


def test_the_csv_files_round_trip_into_an_empty_database(client, rich_draft):
    first = csv_files(client)
    empty_the_archive()
    load_tables({name: read_csv(content) for name, content in first.items()})
    second = csv_files(client)
    for name in first:
        assert second[name] == first[name], name
    assert len(read_csv(first["documents"])) == 4  # the corpus's published documents
    links = read_csv(first["document_events"])  # the corpus's, not the draft's: reloaded
    assert links and len(links) == DocumentEvent.objects.count()


@pytest.fixture
def with_texts(make_document, rich_draft):
    """A published document with its Russian original and a French translation, names
    linked in each; the draft gets a text too, which must not leave (test data)."""
    document = make_document(
        slug="a-bilingual-order",
        transcription="Send comrade Bagirov from Baku to Tehran.",
        original_language="ru",
    )
    russian = DocumentText.objects.create(
        document=document,
        language="ru",
        kind="original",
        text="Направить товарища Багирова из Баку в Тегеран.",
        source_note="Test f. 1, op. 1",
    )
    french = DocumentText.objects.create(
        document=document,
        language="fr",
        kind="translation",
        translator="A. Test Translator",
        text="Envoyer le camarade Baguirov de Bakou à Téhéran.",
        order=1,
    )
    DocumentText.objects.create(
        document=rich_draft, language="ru", kind="original", text=f"Черновик {DRAFT_WORD}"
    )
    baku = Place.objects.get(slug="baku")
    for further, words in ((None, "Baku"), (russian, "Баку"), (french, "Bakou")):
        body = further.text if further else document.transcription
        Mention.objects.create(
            document=document,
            document_text=further,
            entity=baku,
            start=body.index(words),
            end=body.index(words) + len(words),
            text=words,
            note="The city's name in this text's language." if further else "",
        )
    return document


def test_further_texts_and_their_mentions_round_trip(client, with_texts):
    first = csv_files(client)
    texts = read_csv(first["texts"])
    assert [(r["document"], r["language"], r["kind"], r["translator"]) for r in texts] == [
        ("a-bilingual-order", "ru", "original", ""),
        ("a-bilingual-order", "fr", "translation", "A. Test Translator"),
    ]
    rows = [r for r in read_csv(first["mentions"]) if r["document"] == with_texts.slug]
    assert [(r["in_text"], r["text"]) for r in rows] == [
        ("", "Baku"),
        ("fr-translation", "Bakou"),
        ("ru-original", "Баку"),
    ]
    assert DRAFT_WORD not in first["texts"]
    empty_the_archive()
    assert not DocumentText.objects.exists()
    load_tables({name: read_csv(content) for name, content in first.items()})
    second = csv_files(client)
    for name in first:
        assert second[name] == first[name], name


def test_the_json_dump_round_trips_into_an_empty_database(client, rich_draft):
    first = download(client, "archive.json").json()
    empty_the_archive()
    load_tables({t.name: first[t.name] for t in TABLES})
    assert download(client, "archive.json").json() == first


def test_the_json_dump_holds_the_same_rows_as_the_csv_files(client):
    archive = download(client, "archive.json").json()
    for name, content in csv_files(client).items():
        as_text = [{k: str(v) for k, v in row.items()} for row in archive[name]]
        assert as_text == read_csv(content), name
    assert archive["license"]["name"] == "CC-BY-4.0"


def test_every_published_thing_is_in_the_csv_files(client, with_texts):
    files = {name: read_csv(content) for name, content in csv_files(client).items()}
    assert {r["slug"] for r in files["documents"]} == set(
        Document.objects.published().values_list("slug", flat=True)
    )
    assert len(files["mentions"]) == Mention.objects.published().count()
    for row in files["mentions"]:
        document = Document.objects.get(slug=row["document"])
        further = further_text(row["document"], row["in_text"])
        body = further.text if further else document.transcription
        assert body[int(row["start"]) : int(row["end"])] == row["text"]
    assert len(files["texts"]) == DocumentText.objects.published().count()
    assert len(files["variants"]) == NameVariant.objects.count()
    for name in ("people", "places", "organizations", "events"):
        assert len(files[name]) == MODELS[name].objects.count(), name


def test_no_download_shows_a_draft(client, rich_draft):
    for name in FILES:
        content = download(client, name).content.decode()
        assert rich_draft.slug not in content, name
        assert DRAFT_WORD not in content, name


def test_the_places_are_valid_geojson(client):
    collection = geojson.loads(download(client, "places.geojson").content)
    assert collection.is_valid, collection.errors()
    places = Place.objects.with_coordinates()
    assert len(collection["features"]) == places.count()
    tabriz = next(f for f in collection["features"] if f["id"] == "tabriz")
    place = places.get(slug="tabriz")
    assert tabriz["geometry"]["coordinates"] == [float(place.longitude), float(place.latitude)]
    assert tabriz["properties"]["url"].endswith("/places/tabriz/")
    assert collection["license"]["name"] == "CC-BY-4.0"


def test_the_data_package_is_valid_for_frictionless(client, tmp_path, with_texts):
    package = download(client, "datapackage.json").json()
    for name in FILES[:-1]:
        (tmp_path / name).write_bytes(download(client, name).content)
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    described = {r["path"] for r in package["resources"]}
    assert described == set(FILES[:-1])
    for resource in package["resources"]:
        if resource["format"] == "csv":
            table = TABLES_BY_NAME[resource["path"].removesuffix(".csv")]
            assert [f["name"] for f in resource["schema"]["fields"]] == table.columns


def test_the_data_page_lists_every_file_with_its_licence(client):
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [text(h) for h in find_all(html, "h1")] == ["Open data"]
    links = hrefs(html)
    for name in FILES:
        assert f"/data/{name}" in links, name
    assert "https://creativecommons.org/licenses/by/4.0/" in links
    assert client.get("/data/secrets.csv").status_code == 404
    assert client.get("/data/..%2Fsettings.py").status_code == 404
