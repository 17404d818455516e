"""A draft with everything a document can carry (agents, works cited, mentions), so each
format can show that none of it leaks."""

from __future__ import annotations

import pytest

from sources.models import DocumentAgent, Person, PublicationStatus, WorkCited

DRAFT_WORD = "Zanzibarquux"


@pytest.fixture
def draft(make_document, mention_of):
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
    return document
