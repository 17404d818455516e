"""The open data downloads at /data/: the whole published archive as CSV (one file per
kind of row), as one JSON file, the places as GeoJSON, and a Frictionless
``datapackage.json`` describing them.

Only what the public may read leaves: published documents, and the agents, events,
works cited and mentions of published documents. Records (people, places, organizations, events)
are public as on their pages. Links between rows are slugs, the same identifiers as
the pages and the API, so the files join without the database's numbering.

Each file is built on request, from one query per table (the archive is small; a change
appears at once). The CSV and the JSON files hold the same rows, column for column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.generic import TemplateView

from ..models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentText,
    Event,
    EventParticipant,
    EventPlace,
    Mention,
    NameVariant,
    Organization,
    Person,
    Place,
    PublicationStatus,
    Repository,
    WorkCited,
)

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LICENSE_NOTE = (
    "The archive's descriptions, records and links are under CC BY 4.0: cite the "
    "Azerbaijan Crisis Archive. Each document's text keeps the rights statement of the "
    "archive or publisher it comes from (the rights column)."
)
PUBLISHED = {"document__status": PublicationStatus.PUBLISHED}

ENTITY_COLUMNS = [
    "slug", "name", "sort_name", "description", "certainty", "identification_note",
    "wikidata", "date_edtf", "date_written",
]  # fmt: skip


@dataclass(frozen=True)
class Table:
    """One CSV file: its name, what it holds, its columns and how to read its rows."""

    name: str
    title: str
    description: str
    columns: list[str]
    rows: Callable[[], Iterable[dict]]
    types: dict[str, str]


def _values(queryset, columns: list[str], renames: dict[str, str] | None = None):
    """Rows of ``queryset`` as dicts keyed by ``columns``; ``renames`` maps a column
    to the lookup that fills it (a linked row's slug)."""
    renames = renames or {}
    lookups = [renames.get(column, column) for column in columns]
    for row in queryset.values_list(*lookups):
        yield {column: _plain(value) for column, value in zip(columns, row, strict=True)}


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


DOCUMENT_COLUMNS = [
    "slug", "title", "original_title", "date_edtf", "date_written", "coverage_edtf",
    "document_type", "source_kind", "summary", "transcription", "editorial_notes",
    "original_language", "language", "repository", "archival_reference", "publisher",
    "source_url", "rights", "acknowledgement", "origin", "destination", "published_at",
]  # fmt: skip


def _documents():
    return _values(
        Document.objects.published().order_by("slug"),
        DOCUMENT_COLUMNS,
        {"repository": "repository__slug", "origin": "origin__slug",
         "destination": "destination__slug"},
    )  # fmt: skip


MENTION_COLUMNS = [
    "document", "in_text", "entity", "start", "end", "text", "role", "certainty", "note",
]  # fmt: skip


def text_key(language: str, kind: str) -> str:
    """How a row names a document's further text (issue 14): "ru-original"; with the
    document's slug, the key of a row of texts.csv."""
    return f"{language}-{kind}"


def _mentions():
    """Mentions of the transcription (``in_text`` empty) first, then of each further
    text, by position: offsets are in the text the row names."""
    mentions = Mention.objects.filter(**PUBLISHED).order_by(
        "document__slug",
        F("document_text__language").asc(nulls_first=True),
        F("document_text__kind").asc(nulls_first=True),
        "start",
        "entity__slug",
        "end",
    )
    columns = [c for c in MENTION_COLUMNS if c != "in_text"]
    renames = {"document": "document__slug", "entity": "entity__slug"}
    lookups = [renames.get(c, c) for c in columns]
    for *values, language, kind in mentions.values_list(
        *lookups, "document_text__language", "document_text__kind"
    ):
        row = {column: _plain(value) for column, value in zip(columns, values, strict=True)}
        row["in_text"] = text_key(language, kind) if language else ""
        yield {column: row[column] for column in MENTION_COLUMNS}


TEXT_COLUMNS = ["document", "language", "kind", "translator", "source_note", "order", "text"]


def _entities(model, extra: list[str], renames: dict[str, str] | None = None):
    return lambda: _values(model.objects.order_by("slug"), [*ENTITY_COLUMNS, *extra], renames)


TABLES: list[Table] = [
    Table(
        "repositories",
        "Holding archives",
        "The archives and libraries that hold originals.",
        ["slug", "name", "abbreviation", "location", "description"],
        lambda: _values(
            Repository.objects.order_by("slug"),
            ["slug", "name", "abbreviation", "location", "description"],
            {"location": "location__slug"},
        ),
        {},
    ),
    Table(
        "documents",
        "Documents",
        "Every published document: its metadata, archival reference, text and rights.",
        DOCUMENT_COLUMNS,
        _documents,
        {"published_at": "datetime"},
    ),
    Table(
        "people",
        "People",
        "People named by the sources.",
        [*ENTITY_COLUMNS, "roles"],
        _entities(Person, ["roles"]),
        {},
    ),
    Table(
        "places",
        "Places",
        "Places named by the sources, with coordinates where known.",
        [
            *ENTITY_COLUMNS,
            "place_kind",
            "latitude",
            "longitude",
            "coordinates_note",
            "geonames_id",
            "located_in",
        ],
        _entities(
            Place,
            [
                "place_kind",
                "latitude",
                "longitude",
                "coordinates_note",
                "geonames_id",
                "located_in",
            ],
            {"located_in": "located_in__slug"},
        ),
        {"latitude": "number", "longitude": "number"},
    ),
    Table(
        "organizations",
        "Organizations",
        "Parties, state bodies, units and other bodies.",
        [*ENTITY_COLUMNS, "org_kind", "parent"],
        _entities(Organization, ["org_kind", "parent"], {"parent": "parent__slug"}),
        {},
    ),
    Table(
        "events",
        "Events",
        "Events the sources attest.",
        [*ENTITY_COLUMNS, "event_kind", "part_of"],
        _entities(Event, ["event_kind", "part_of"], {"part_of": "part_of__slug"}),
        {},
    ),
    Table(
        "event_places",
        "Places of events",
        "Where each event happened.",
        ["event", "place", "note"],
        lambda: _values(
            EventPlace.objects.order_by("event__slug", "place__slug"),
            ["event", "place", "note"],
            {"event": "event__slug", "place": "place__slug"},
        ),
        {},
    ),
    Table(
        "event_participants",
        "Participants in events",
        "People and organizations that took part in events, with their roles.",
        ["event", "entity", "role", "certainty", "note"],
        lambda: _values(
            EventParticipant.objects.order_by("event__slug", "entity__slug", "role"),
            ["event", "entity", "role", "certainty", "note"],
            {"event": "event__slug", "entity": "entity__slug"},
        ),
        {},
    ),
    Table(
        "variants",
        "Name variants",
        "Every other name a source or a reader uses for a record.",
        ["entity", "name", "language", "script", "variant_kind", "source"],
        lambda: _values(
            NameVariant.objects.order_by("entity__slug", "name"),
            ["entity", "name", "language", "script", "variant_kind", "source"],
            {"entity": "entity__slug"},
        ),
        {},
    ),
    Table(
        "agents",
        "Authors, recipients and contributors",
        "Who wrote, received, obtained or translated each published document.",
        ["document", "entity", "role", "order", "certainty", "note"],
        lambda: _values(
            DocumentAgent.objects.filter(**PUBLISHED).order_by(
                "document__slug", "role", "order", "entity__slug"
            ),
            ["document", "entity", "role", "order", "certainty", "note"],
            {"document": "document__slug", "entity": "entity__slug"},
        ),
        {"order": "integer"},
    ),
    Table(
        "document_events",
        "Events in documents",
        "The events each published document is the record of, reports, describes or "
        "mentions (curated: a document may tell of an event without naming it).",
        ["document", "event", "role", "certainty", "note"],
        lambda: _values(
            DocumentEvent.objects.filter(**PUBLISHED).order_by("document__slug", "event__slug"),
            ["document", "event", "role", "certainty", "note"],
            {"document": "document__slug", "event": "event__slug"},
        ),
        {},
    ),
    Table(
        "works_cited",
        "Works cited",
        "The numbered references of published documents.",
        ["document", "number", "text"],
        lambda: _values(
            WorkCited.objects.filter(**PUBLISHED).order_by("document__slug", "number"),
            ["document", "number", "text"],
            {"document": "document__slug"},
        ),
        {"number": "integer"},
    ),
    Table(
        "texts",
        "Further texts",
        "Each published document's other texts (issue 14): its original, or more "
        "translations, beside the transcription in documents.csv. A row is named by its "
        "document, language and kind (in mentions.csv: in_text, as language-kind).",
        TEXT_COLUMNS,
        lambda: _values(
            DocumentText.objects.filter(**PUBLISHED).order_by("document__slug", "order", "pk"),
            TEXT_COLUMNS,
            {"document": "document__slug"},
        ),
        {"order": "integer"},
    ),
    Table(
        "mentions",
        "Mentions",
        "Words in published documents that name a record: character offsets (start "
        "inclusive, end exclusive) and the words, in the document's transcription when "
        "in_text is empty, else in the further text it names (texts.csv).",
        MENTION_COLUMNS,
        _mentions,
        {"start": "integer", "end": "integer"},
    ),
]
TABLES_BY_NAME = {table.name: table for table in TABLES}


def csv_text(table: Table) -> str:
    """The table as CSV (RFC 4180: comma, double quotes, CRLF), a header row first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table.rows())
    return out.getvalue()


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def archive_json() -> dict:
    """The whole published archive in one object: the same rows as the CSV files."""
    return {
        "title": "Azerbaijan Crisis Archive",
        "url": site_url("/"),
        "license": LICENSE,
        "license_note": LICENSE_NOTE,
        **{table.name: list(table.rows()) for table in TABLES},
    }


def places_geojson() -> dict:
    """Places with coordinates as a GeoJSON FeatureCollection (RFC 7946: longitude
    first), each with its page's address."""
    features = []
    places = Place.objects.with_coordinates().order_by("slug")
    for place in places.only("slug", "name", "kind", "place_kind", "latitude", "longitude",
                             "geonames_id", "wikidata", "coordinates_note"):  # fmt: skip
        features.append(
            {
                "type": "Feature",
                "id": place.slug,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(place.longitude), float(place.latitude)],
                },
                "properties": {
                    "slug": place.slug,
                    "name": place.name,
                    "place_kind": place.place_kind,
                    "url": site_url(place.get_absolute_url()),
                    "geonames_id": place.geonames_id,
                    "wikidata": place.wikidata,
                    "coordinates_note": place.coordinates_note,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "license": LICENSE,
        "license_note": LICENSE_NOTE,
        "features": features,
    }


FIELD_DESCRIPTIONS = {
    "slug": "The permanent identifier, as in the page's address.",
    "document": "The document's slug (documents.csv).",
    "entity": "The record's slug (people, places, organizations or events).",
    "event": "The event's slug (events.csv).",
    "in_text": "Empty for the transcription; else the further text's language and kind "
    "('ru-original'), a row of texts.csv with the same document.",
}


def datapackage() -> dict:
    """A Frictionless Data Package (v1) describing every download."""
    resources = []
    for table in TABLES:
        resources.append(
            {
                "name": table.name.replace("_", "-"),
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENSE],
                "schema": {
                    "fields": [
                        {
                            "name": column,
                            "type": table.types.get(column, "string"),
                            **(
                                {"description": FIELD_DESCRIPTIONS[column]}
                                if column in FIELD_DESCRIPTIONS
                                else {}
                            ),
                        }
                        for column in table.columns
                    ]
                },
            }
        )
    resources.append(
        {
            "name": "archive",
            "path": "archive.json",
            "title": "The whole published archive",
            "description": "Every table above in one JSON object, one key per table.",
            "format": "json",
            "mediatype": "application/json",
            "licenses": [LICENSE],
        }
    )
    resources.append(
        {
            "name": "places-geojson",
            "path": "places.geojson",
            "title": "Places on a map",
            "description": "The places with coordinates, as GeoJSON points.",
            "format": "geojson",
            "mediatype": "application/geo+json",
            "licenses": [LICENSE],
        }
    )
    return {
        "name": "azerbaijan-crisis-archive",
        "title": "Azerbaijan Crisis Archive: published documents and records",
        "description": LICENSE_NOTE,
        "homepage": site_url("/"),
        "licenses": [LICENSE],
        "resources": resources,
    }


# --- the pages ----------------------------------------------------------------------


def _licensed(response: HttpResponse, name: str) -> HttpResponse:
    response["Link"] = f'<{LICENSE["path"]}>; rel="license"'
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def download(request, name: str) -> HttpResponse:
    """One file of the data package, by its file name."""
    stem, _, extension = name.rpartition(".")
    if extension == "csv" and stem in TABLES_BY_NAME:
        response = HttpResponse(
            csv_text(TABLES_BY_NAME[stem]), content_type="text/csv; charset=utf-8"
        )
    elif name == "archive.json":
        response = JsonResponse(archive_json(), json_dumps_params={"ensure_ascii": False})
    elif name == "places.geojson":
        response = JsonResponse(
            places_geojson(),
            content_type="application/geo+json",
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        raise Http404("There is no such file in the archive's data.")
    return _licensed(response, name)


def datapackage_view(request) -> HttpResponse:
    response = HttpResponse(
        json.dumps(datapackage(), ensure_ascii=False, indent=1),
        content_type="application/json",
    )
    return _licensed(response, "datapackage.json")


class DataIndexView(TemplateView):
    """/data/: what can be downloaded, and under which licence."""

    template_name = "interop/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["files"] = [
            (f"{table.name}.csv", table.title, table.description) for table in TABLES
        ] + [
            ("archive.json", "The whole published archive", "Every table in one JSON file."),
            ("places.geojson", "Places on a map", "Places with coordinates, as GeoJSON."),
            ("datapackage.json", "Data package", "A Frictionless description of the files."),
        ]
        context["license"] = LICENSE
        context["license_note"] = LICENSE_NOTE
        context["api_docs"] = reverse("api:docs")
        return context
