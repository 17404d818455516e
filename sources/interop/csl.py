"""The CSL-JSON record of a document: the one source of truth for every citation format.

BibTeX, RIS, the citeproc-rendered styles, the ``citation_*`` tags and the downloads all
derive from ``csl_record``, so a fact (an archival reference, a translator, a probable
author) is decided once and survives every format. CSL-JSON is what Zotero, Mendeley
and pandoc exchange; its variables are those of the CSL 1.0.2 specification.
"""

from __future__ import annotations

import re
from typing import Any

from ..models import (
    AgentRole,
    Certainty,
    Document,
    DocumentAgent,
    DocumentType,
    Entity,
    EntityKind,
    SourceKind,
)
from ..reading.citation import agents_by_role
from ..text.dates import _PART
from .urls_util import absolute

ARCHIVE_NAME = "Azerbaijan Crisis Archive"

# A day, a month or a year in plain ISO 8601: the EDTF that every consumer reads as is.
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Document types as CSL (and so Zotero) item types. Primary archival records are
# manuscripts (Zotero files them with their archive and location); correspondence is a
# letter; the published kinds keep their published form.
CSL_TYPES = {
    DocumentType.DECREE: "manuscript",
    DocumentType.TELEGRAM: "letter",
    DocumentType.LETTER: "letter",
    DocumentType.REPORT: "report",
    DocumentType.MEMORANDUM: "manuscript",
    DocumentType.MINUTES: "manuscript",
    DocumentType.ARTICLE: "article",
    DocumentType.ENCYCLOPEDIA_ARTICLE: "entry-encyclopedia",
    DocumentType.INTERVIEW: "interview",
    DocumentType.BOOK: "book",
    DocumentType.OTHER: "document",
}

# Agent roles as CSL name variables; "obtained by" has no CSL variable: it goes in the
# note (and in each format's equivalent), as do copy recipients.
CSL_NAME_ROLES = {
    AgentRole.AUTHOR: "author",
    AgentRole.RECIPIENT: "recipient",
    AgentRole.INTERVIEWER: "interviewer",
    AgentRole.TRANSLATOR: "translator",
}


def csl_name(entity: Entity) -> dict[str, str]:
    """A person as family/given when the record's sort name says which is which
    ("Bagirov, Mir Jafar"); a body, or a person known by one name, as a literal (so a
    reference manager never inverts "Politburo of the CC VKP(b)")."""
    if entity.kind == EntityKind.PERSON and entity.sort_name.count(",") == 1:
        family, given = (part.strip() for part in entity.sort_name.split(","))
        if family and given:
            return {"family": family, "given": given}
    return {"literal": entity.name}


def names_of(links: list[DocumentAgent]) -> str:
    """'A', 'A and B', 'A, B, and C': the names as a sentence reads them."""
    names = [link.entity.name for link in links]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"


def csl_date(edtf: str) -> dict[str, Any] | None:
    """EDTF (``1945-07-06``, ``1946-04-17/1946-04-21``, ``1944-10~``, ``1946``) as CSL
    ``date-parts``; approximate or uncertain dates set ``circa``. None when unknown or
    not expressible (an open range)."""
    if not edtf:
        return None
    parts: list[list[int]] = []
    circa = False
    for piece in edtf.split("/")[:2]:
        match = _PART.match(piece.strip())
        if not match:
            return None
        numbers = [int(match["year"])]
        if match["month"] and int(match["month"]) <= 12:
            numbers.append(int(match["month"]))
            if match["day"]:
                numbers.append(int(match["day"]))
        circa = circa or bool(match["q"])
        parts.append(numbers)
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    date: dict[str, Any] = {"date-parts": parts}
    if circa:
        date["circa"] = True
    return date


def uncertainty_notes(roles: dict[str, list[DocumentAgent]]) -> list[str]:
    """One sentence per author, recipient… whose attribution is not certain, so the
    doubt travels with the citation (CSL names have no certainty of their own)."""
    notes = []
    for role in (AgentRole.AUTHOR, AgentRole.RECIPIENT, AgentRole.TRANSLATOR):
        for link in roles.get(role, []):
            if link.certainty != Certainty.CERTAIN:
                label = AgentRole(role).label.split(" or ")[0]
                notes.append(
                    f"{link.get_certainty_display().capitalize()} {label}: {link.entity.name}."
                )
    return notes


def archive_note(document: Document, roles: dict[str, list[DocumentAgent]]) -> str:
    """The archival context as one sentence list: reference, holding archive, who
    obtained and who translated it, uncertain attributions. Formats without fields for
    these (BibTeX ``note``, RIS ``N1``) carry this."""
    sentences = []
    if document.archival_reference:
        sentences.append(f"Archival reference: {document.archival_reference}.")
    if document.repository:
        sentences.append(f"Holding archive: {document.repository.name}.")
    if roles.get(AgentRole.OBTAINED_BY):
        sentences.append(f"Obtained by {names_of(roles[AgentRole.OBTAINED_BY])}.")
    if roles.get(AgentRole.TRANSLATOR):
        sentences.append(f"Translated by {names_of(roles[AgentRole.TRANSLATOR])}.")
    sentences.extend(uncertainty_notes(roles))
    return " ".join(sentences)


def csl_record(document: Document) -> dict[str, Any]:
    """The document as one CSL-JSON item (uses the links ``with_citation()`` prefetches).

    ``URL`` is the archive's own page (what a reader cites); the source it was taken
    from is kept in ``source``. Keys with no value are left out, as CSL-JSON expects.
    """
    roles = agents_by_role(document)
    record: dict[str, Any] = {
        "id": document.slug,
        "type": CSL_TYPES.get(document.document_type, "document"),
        "title": document.title,
        "genre": document.get_document_type_display().capitalize(),
        "medium": SourceKind(document.source_kind).label.capitalize(),
        "language": document.language,
        "URL": absolute(document.get_absolute_url()),
    }
    for role, variable in CSL_NAME_ROLES.items():
        if roles.get(role):
            record[variable] = [csl_name(link.entity) for link in roles[role]]
    issued = csl_date(document.date_edtf)
    if issued:
        record["issued"] = issued
    if document.original_title:
        record["original-title"] = document.original_title
    if document.repository:
        record["archive"] = document.repository.name
        if document.repository.location_id:
            record["archive-place"] = document.repository.location.name
    if document.archival_reference:
        record["archive_location"] = document.archival_reference
    if document.publisher:
        record["publisher"] = document.publisher
    if document.source_url:
        record["source"] = document.source_url
    if document.summary:
        record["abstract"] = document.summary
    if document.rights:
        record["license"] = document.rights
    note = archive_note(document, roles)
    if note:
        record["note"] = note
    if document.origin_id:
        record["event-place"] = document.origin.name
    return record
