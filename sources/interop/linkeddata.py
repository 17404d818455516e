"""What a page says about itself to machines: schema.org JSON-LD on every public page,
OpenGraph for link previews, and on a document page the Highwire ``citation_*`` and
Dublin Core tags that Zotero's embedded-metadata translator reads.

All values come from the CSL record or the same model fields, with absolute URLs from
SITE_URL. The JSON-LD is embedded by ``json_ld_script``, which escapes ``<``, ``>`` and
``&`` as Django's ``json_script`` does, so no data can close the script element; it is a
data block (``type="application/ld+json"``), never executed, so the CSP stays strict.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import (
    AgentRole,
    Document,
    Entity,
    EntityKind,
    Event,
    Organization,
    Person,
    Place,
)
from ..reading.citation import agents_by_role
from .csl import ARCHIVE_NAME, ISO_DATE, csl_record
from .urls_util import absolute

SCHEMA_CONTEXT = "https://schema.org"
SCHEMA_TYPES = {
    EntityKind.PERSON: "Person",
    EntityKind.PLACE: "Place",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.EVENT: "Event",
}
# Zotero item types for DC.type (Zotero maps a DC type that names one of its types).
ZOTERO_TYPES = {
    "manuscript": "manuscript",
    "letter": "letter",
    "report": "report",
    "article": "magazineArticle",
    "entry-encyclopedia": "encyclopediaArticle",
    "interview": "interview",
    "book": "book",
    "document": "document",
}

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` that no value can break
    out of (the escaping of ``django.utils.html.json_script``)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def website_node() -> dict[str, Any]:
    return {"@type": "WebSite", "@id": absolute("/"), "name": ARCHIVE_NAME, "url": absolute("/")}


def same_as(entity: Entity) -> list[str]:
    """Authority links: Wikidata for every kind, GeoNames for places."""
    links = []
    if entity.wikidata:
        links.append(f"http://www.wikidata.org/entity/{entity.wikidata}")
    geonames = getattr(entity, "geonames_id", "")
    if geonames:
        links.append(f"https://sws.geonames.org/{geonames}/")
    return links


def entity_ref(entity: Entity) -> dict[str, Any]:
    """A record as a short node: type, address, name, authority links."""
    node: dict[str, Any] = {
        "@type": SCHEMA_TYPES[entity.kind],
        "@id": absolute(entity.get_absolute_url()),
        "url": absolute(entity.get_absolute_url()),
        "name": entity.name,
    }
    links = same_as(entity)
    if links:
        node["sameAs"] = links
    return node


def _geo(place: Place) -> dict[str, Any] | None:
    if not place.has_coordinates:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": float(place.latitude),
        "longitude": float(place.longitude),
    }


def place_node(place: Place) -> dict[str, Any]:
    node = entity_ref(place)
    geo = _geo(place)
    if geo:
        node["geo"] = geo
    return node


def _iso(edtf: str) -> str | None:
    """An EDTF day, month or year as it is (ISO 8601); anything else is left out."""
    return edtf if edtf and ISO_DATE.match(edtf) else None


def document_node(
    document: Document, mentioned: list[Entity], record: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An ``ArchiveComponent`` (held by an archive) or a ``CreativeWork``. ``record``:
    the document's CSL record when the caller has it (a page's head builds it once)."""
    record = record or csl_record(document)
    roles = agents_by_role(document)
    url = record["URL"]
    node: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ArchiveComponent" if document.repository_id else "CreativeWork",
        "@id": url,
        "url": url,
        "name": document.title,
        "genre": record["genre"],
        "inLanguage": document.language,
        "isPartOf": website_node(),
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": absolute(reverse("interop:document-tei", args=[document.slug])),
            "encodingFormat": "application/tei+xml",
        },
    }
    if document.original_title:
        node["alternateName"] = document.original_title
    if document.summary:
        node["description"] = document.summary
    created = _iso(document.date_edtf)
    if created:
        node["dateCreated"] = created
    if document.coverage_edtf:
        node["temporalCoverage"] = document.coverage_edtf
    for role, key in (
        (AgentRole.AUTHOR, "author"),
        (AgentRole.TRANSLATOR, "translator"),
        (AgentRole.OBTAINED_BY, "contributor"),
    ):
        if roles[role]:
            node[key] = [entity_ref(link.entity) for link in roles[role]]
    if document.repository:
        archive: dict[str, Any] = {"@type": "ArchiveOrganization", "name": document.repository.name}
        if document.repository.abbreviation:
            archive["alternateName"] = document.repository.abbreviation
        if document.repository.location_id:
            archive["location"] = entity_ref(document.repository.location)
        node["holdingArchive"] = archive
    if document.archival_reference:
        node["identifier"] = document.archival_reference
        node["itemLocation"] = document.archival_reference
    if document.publisher:
        node["publisher"] = {"@type": "Organization", "name": document.publisher}
    if document.rights:
        node["copyrightNotice"] = document.rights
    if document.source_url:
        node["isBasedOn"] = document.source_url
    if document.origin_id:
        node["locationCreated"] = entity_ref(document.origin)
    if mentioned:
        node["mentions"] = [entity_ref(entity) for entity in mentioned]
    return node


def entity_node(entity: Entity) -> dict[str, Any]:
    """A record page: ``Person``, ``Place`` with ``geo``, ``Organization`` or ``Event``
    (uses what ``for_reading()`` loads: variants, parent place or body, event places)."""
    node: dict[str, Any] = {"@context": SCHEMA_CONTEXT, **entity_ref(entity)}
    if entity.description:
        node["description"] = entity.description
    variants = sorted({v.name for v in entity.variants.all()} - {entity.name})
    if variants:
        node["alternateName"] = variants
    if isinstance(entity, Person) and entity.roles:
        node["jobTitle"] = entity.roles
    if isinstance(entity, Place):
        geo = _geo(entity)
        if geo:
            node["geo"] = geo
        if entity.located_in_id:
            node["containedInPlace"] = entity_ref(entity.located_in)
    if isinstance(entity, Organization) and entity.parent_id:
        node["parentOrganization"] = entity_ref(entity.parent)
    if isinstance(entity, Event):
        if entity.date_earliest:
            node["startDate"] = entity.date_earliest.isoformat()
        if entity.date_latest:
            node["endDate"] = entity.date_latest.isoformat()
        places = [place_node(link.place) for link in entity.event_places.all()]
        if places:
            node["location"] = places
        if entity.part_of_id:
            node["superEvent"] = entity_ref(entity.part_of)
    node["isPartOf"] = website_node()
    return node


def page_node(path: str, title: str) -> dict[str, Any]:
    """Any other public page: the home page is the ``WebSite`` (with its search);
    lists are ``CollectionPage``; the rest ``WebPage``."""
    if path == "/":
        return {
            "@context": SCHEMA_CONTEXT,
            **website_node(),
            "potentialAction": {
                "@type": "SearchAction",
                "target": absolute(reverse("sources:search")) + "?q={search_term_string}",
                "query-input": "required name=search_term_string",
            },
        }
    lists = {
        reverse(name)
        for name in (
            "sources:document-list",
            "sources:person-list",
            "sources:place-list",
            "sources:organization-list",
            "sources:event-list",
        )
    }
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "CollectionPage" if path in lists else "WebPage",
        "@id": absolute(path),
        "url": absolute(path),
        "name": title,
        "isPartOf": website_node(),
    }


def highwire_tags(
    document: Document, record: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    """(name, content) of the ``citation_*`` tags, from the CSL record."""
    record = record or csl_record(document)
    tags = [("citation_title", record["title"])]
    for name in record.get("author", []):
        tags.append(
            ("citation_author", name.get("literal") or f"{name['family']}, {name['given']}")
        )
    if "issued" in record:
        first = record["issued"]["date-parts"][0]
        tags.append(("citation_date", "/".join(f"{n:02d}" for n in first)))
    if "archive" in record:
        tags.append(("citation_archive", record["archive"]))
    if "archive_location" in record:
        tags.append(("citation_archive_location", record["archive_location"]))
    if "publisher" in record:
        tags.append(("citation_publisher", record["publisher"]))
    tags.append(("citation_language", record["language"]))
    tags.append(("citation_public_url", record["URL"]))
    for name in record.get("translator", []):
        tags.append(
            ("citation_translator", name.get("literal") or f"{name['family']}, {name['given']}")
        )
    return tags


def dublin_core_tags(
    document: Document, record: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    record = record or csl_record(document)
    roles = agents_by_role(document)
    tags = [("DC.title", record["title"])]
    for link in roles[AgentRole.AUTHOR]:
        tags.append(("DC.creator", link.entity.name))
    for role in (AgentRole.TRANSLATOR, AgentRole.OBTAINED_BY):
        for link in roles[role]:
            tags.append(("DC.contributor", link.entity.name))
    if document.date_edtf:
        tags.append(("DC.date", document.date_edtf))
    tags.append(("DC.type", ZOTERO_TYPES.get(record["type"], "document")))
    tags.append(("DC.format", "text/html"))
    tags.append(("DC.identifier", record["URL"]))
    tags.append(("DC.language", record["language"]))
    if "publisher" in record:
        tags.append(("DC.publisher", record["publisher"]))
    archival = ", ".join(
        part for part in (record.get("archive_location"), record.get("archive")) if part
    )
    if archival or document.source_url:
        tags.append(("DC.source", archival or document.source_url))
    if document.rights:
        tags.append(("DC.rights", document.rights))
    if document.summary:
        tags.append(("DC.description", document.summary))
    return tags


def opengraph_tags(title: str, url: str, description: str, kind: str) -> list[tuple[str, str]]:
    tags = [
        ("og:site_name", ARCHIVE_NAME),
        ("og:title", title),
        ("og:type", kind),
        ("og:url", url),
        ("og:locale", "en_GB" if settings.LANGUAGE_CODE == "en-gb" else "en_US"),
    ]
    if description:
        tags.append(("og:description", description[:300]))
    return tags
