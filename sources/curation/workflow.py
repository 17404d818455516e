"""Publication workflow: draft → in review → published, and withdrawn.

Curators move documents between draft and review; only editors (the
``sources.publish_document`` permission) publish or withdraw. The public sees only
published documents (``Document.objects.published()``).

This module is the only door to the publication fields (``status``, ``published_at``,
``published_by``): the model refuses any other write that changes them
(``Document.check_publication_unchanged``), so a history revert, a form, a list action
or a bulk update cannot publish or unpublish.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ..models import Document, PublicationStatus
from ..models.documents import publication_change

S = PublicationStatus
PUBLISH_PERMISSION = "sources.publish_document"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", frozenset({S.DRAFT}), S.IN_REVIEW,
                   "sources.change_document"),
        Transition("return_to_draft", "Return to draft",
                   frozenset({S.IN_REVIEW, S.WITHDRAWN}), S.DRAFT, "sources.change_document"),
        Transition("publish", "Publish", frozenset({S.DRAFT, S.IN_REVIEW, S.WITHDRAWN}),
                   S.PUBLISHED, PUBLISH_PERMISSION),
        Transition("withdraw", "Withdraw from public view", frozenset({S.PUBLISHED}),
                   S.WITHDRAWN, PUBLISH_PERMISSION),
    ]
}  # fmt: skip


def allowed_transitions(user, document: Document) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS.values()
        if document.status in t.sources and user.has_perm(t.permission)
    ]


def apply(user, document: Document, name: str) -> Document:
    """Move a document along the workflow, recording who published it and when."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(f"Unknown workflow step {name!r}.")
    if not user.has_perm(transition.permission):
        raise PermissionDenied(f"You may not {transition.label.lower()} documents.")
    if document.status not in transition.sources:
        raise ValidationError(
            f"A {document.get_status_display()} document cannot be moved to "
            f"{S(transition.target).label}."
        )
    if transition.target == S.PUBLISHED:
        from .backup import refuse_unrestorable  # Publish runs the restore's checks

        refuse_unrestorable(document)
    document.status = transition.target
    if transition.target == S.PUBLISHED:
        document.published_at = timezone.now()
        document.published_by = user
    document._change_reason = transition.label  # recorded in the document's history
    document._history_user = user  # who, whatever route called the workflow
    with publication_change():
        document.save()
    return document
