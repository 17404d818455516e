"""The citation a historian copies from a document page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..models import AgentRole, Document, DocumentAgent
from ..text import hedged
from ..text.calendars import solar_hijri_of
from ..text.dates import MONTHS


def _names(links: Iterable[DocumentAgent]) -> str:
    """The linked names, each with its doubt stated ('[probably] Mir Jafar Bagirov')."""
    names = [hedged(link.entity.name, link.certainty) for link in links]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"


def agents_by_role(document: Document) -> dict[str, list[DocumentAgent]]:
    """The document's authors, recipients… keyed by role (uses prefetched links)."""
    roles: dict[str, list[DocumentAgent]] = {role: [] for role in AgentRole.values}
    for link in document.agent_links.all():
        roles.setdefault(link.role, []).append(link)
    return roles


def chicago_note(document: Document, url: str, accessed: dt.date) -> str:
    """A Chicago-style note for the document as this archive presents it.

    Archival sources: author to recipient, “title,” date, reference, holding archive,
    who obtained and translated it, where it was published, then our copy with the
    access date. Published works (articles, interviews): author, “title,” publisher,
    date, URL. Plain text: readers paste it into their own notes.
    """
    roles = agents_by_role(document)
    lead = _names(roles[AgentRole.AUTHOR])
    if lead and roles[AgentRole.RECIPIENT]:
        lead += f" to {_names(roles[AgentRole.RECIPIENT])}"
    if not lead and roles[AgentRole.INTERVIEWEE]:
        lead = f"{_names(roles[AgentRole.INTERVIEWEE])}, interview"
        if roles[AgentRole.INTERVIEWER]:
            lead += f" by {_names(roles[AgentRole.INTERVIEWER])}"
    parts: list[str] = []
    date = document.date_display
    solar = solar_hijri_of(document) if date else None
    if solar:  # where the context is Iranian: "6 July 1945 (15 Tir 1324 SH)"
        date = f"{date} ({solar.latin} SH)"
    is_archival = bool(document.archival_reference or document.repository_id)
    if is_archival:
        if date:
            parts.append(date)
        reference = document.archival_reference
        if reference:
            parts.append(reference)
        repository = document.repository
        if repository and (not reference or (repository.abbreviation or "") not in reference):
            parts.append(str(repository))
        if roles[AgentRole.OBTAINED_BY]:
            parts.append(f"obtained by {_names(roles[AgentRole.OBTAINED_BY])}")
        if roles[AgentRole.TRANSLATOR]:
            parts.append(f"trans. {_names(roles[AgentRole.TRANSLATOR])}")
        if document.publisher:
            parts.append(document.publisher)
    else:
        if roles[AgentRole.TRANSLATOR]:
            parts.append(f"trans. {_names(roles[AgentRole.TRANSLATOR])}")
        if document.publisher:
            parts.append(document.publisher)
        if date:
            parts.append(date)
    if document.source_url:
        parts.append(document.source_url)
    accessed_text = f"{accessed.day} {MONTHS[accessed.month - 1]} {accessed.year}"
    parts.append(f"Azerbaijan Crisis Archive, {url} (accessed {accessed_text})")
    title = f"“{document.title.rstrip('.')},”"
    head = f"{lead}, {title}" if lead else title
    return f"{head} {', '.join(parts)}."
