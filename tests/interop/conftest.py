"""What the interop tests share: every published corpus document, and the facts a
citation must carry, read from the models (never from the code under test)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings

from sources.models import AgentRole, Certainty, Document, PublicationStatus

CORPUS_SLUGS = [
    "1945-07-06-politburo-decree",
    "1945-11-21-telegram-baku-to-moscow",
    "1946-04-battles-of-inje-and-qalaburun",
    "2014-12-12-voa-interview-kanani",
]


@dataclass
class Facts:
    """A document's citation facts as the curators recorded them."""

    slug: str
    title: str
    url: str
    language: str
    year: int | None
    month: int | None
    day: int | None
    authors: list[tuple[str, str]]  # (name, sort name) in order
    translators: list[str]
    obtained_by: list[str]
    probable_authors: list[str]
    archive: str
    reference: str
    publisher: str
    kind: str


def facts(document: Document) -> Facts:
    links = list(document.agent_links.select_related("entity").order_by("role", "order"))

    def role(name: str) -> list:
        return [link for link in links if link.role == name]

    year = month = day = None
    if document.date_earliest and document.date_edtf:
        parts = document.date_edtf.split("/")[0].rstrip("~?%").split("-")
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    return Facts(
        slug=document.slug,
        title=document.title,
        url=settings.SITE_URL + document.get_absolute_url(),
        language=document.language,
        year=year,
        month=month,
        day=day,
        authors=[(link.entity.name, link.entity.sort_name) for link in role(AgentRole.AUTHOR)],
        translators=[link.entity.name for link in role(AgentRole.TRANSLATOR)],
        obtained_by=[link.entity.name for link in role(AgentRole.OBTAINED_BY)],
        probable_authors=[
            link.entity.name
            for link in role(AgentRole.AUTHOR)
            if link.certainty == Certainty.PROBABLE
        ],
        archive=document.repository.name if document.repository else "",
        reference=document.archival_reference,
        publisher=document.publisher,
        kind=document.document_type,
    )


@pytest.fixture(params=CORPUS_SLUGS)
def corpus_document(request, db) -> Document:
    document = Document.objects.get(slug=request.param)
    assert document.status == PublicationStatus.PUBLISHED
    return document


@pytest.fixture
def draft(make_document, make_person) -> Document:
    """A draft with a distinctive title, an author and a mention, that must never leak."""
    from sources.models import DocumentAgent, Mention

    document = make_document(
        title="Secret draft about Bagirov",
        slug="secret-draft",
        status=PublicationStatus.DRAFT,
        transcription="Bagirov wrote in secret.",
        summary="Not yet public.",
    )
    person = make_person(name="Draft Author", sort_name="Author, Draft")
    DocumentAgent.objects.create(document=document, entity=person, role=AgentRole.AUTHOR)
    Mention.objects.create(document=document, entity=person, start=0, end=7, text="Bagirov")
    return document


DRAFT_WORD = "Zanzibarquux"


@pytest.fixture
def rich_draft(make_document, mention_of):
    """A draft with everything a document can carry (agents, works cited, mentions, an
    event it reports), so each format can show that none of it leaks."""
    from sources.models import DocumentAgent, DocumentEvent, Event, Person, WorkCited

    document = make_document(
        title=f"Secret draft {DRAFT_WORD}",
        slug="secret-draft-zanzibarquux",
        status=PublicationStatus.DRAFT,
        transcription=f"Bagirov wrote of {DRAFT_WORD} to Molotov.",
        summary=f"Unpublished {DRAFT_WORD}.",
    )
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    mention_of(document, bagirov, "Bagirov")
    DocumentAgent.objects.create(document=document, entity=bagirov, role="author")
    WorkCited.objects.create(document=document, number=1, text=f"Draft work {DRAFT_WORD}")
    DocumentEvent.objects.create(
        document=document,
        event=Event.objects.get(slug="politburo-decree-1945-07-06"),
        role="reports",
        note=f"Draft link {DRAFT_WORD}",
    )
    return document
