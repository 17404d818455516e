"""The graph's nodes and how a reader names them.

A node is a published document or a record. Inside the search a node is one integer
(a record's id, or minus a document's id), so frontiers are plain sets of ints; outside
it is a ``Node`` with its stable public identifier, ``<kind>/<slug>`` (``person/
vyacheslav-molotov``, ``document/1945-11-21-telegram-baku-to-moscow``): slugs are the
archive's permanent addresses, so a link to a connection page stays valid.

``resolve`` turns what a reader sent (an identifier, a page address, a bare slug, or a
name typed without JavaScript) into a node, or into a short "did you mean" list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Q

from ..models import KIND_PATHS, Document, Entity, EntityKind, SlugRedirect
from ..text import fold

DOCUMENT = "document"
# Every spelling of a kind a reader or a link may use: the identifier's own kind, and
# the plural path segment of the public pages (/people/…, /documents/…).
KIND_ALIASES = {
    DOCUMENT: DOCUMENT,
    "documents": DOCUMENT,
    **{kind.value: kind.value for kind in EntityKind},
    **{plural: kind.value for kind, plural in KIND_PATHS.items()},
}
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")
MAX_INPUT = 300
CANDIDATES = 8


def short_type(document: Document) -> str:
    """'decree or resolution' → 'decree': the noun a sentence about it can use."""
    return document.get_document_type_display().split(" or ")[0]


@dataclass(frozen=True)
class Node:
    """A document or a record as a path shows it."""

    key: int  # record id, or minus the document id
    kind: str  # 'document', 'person', 'place', 'organization', 'event'
    slug: str
    label: str  # what a step names it by: "telegram of 21 November 1945", "Molotov"
    title: str  # the full title or name
    url: str
    degree: int = 0  # published documents naming a record (its kept count); 0 for documents

    @property
    def identifier(self) -> str:
        return f"{self.kind}/{self.slug}"

    @property
    def is_document(self) -> bool:
        return self.key < 0

    @property
    def kind_label(self) -> str:
        return "source" if self.is_document else self.kind


def document_node(document: Document) -> Node:
    when = document.date_display
    noun = short_type(document)
    label = f"{noun} of {when}" if when else document.title
    return Node(
        -document.pk, DOCUMENT, document.slug, label, document.title, document.get_absolute_url()
    )


def entity_node(entity: Entity, degree: int = 0) -> Node:
    return Node(
        entity.pk, entity.kind, entity.slug, entity.name, entity.name, entity.get_absolute_url(),
        degree,
    )  # fmt: skip


DOCUMENT_FIELDS = ("title", "slug", "date_edtf", "date_written", "document_type")
ENTITY_FIELDS = ("name", "slug", "kind", "sort_name")


def load_nodes(keys: Iterable[int]) -> dict[int, Node]:
    """The nodes for ``keys`` (two queries at most); drafts are never returned."""
    keys = set(keys)
    documents = [-k for k in keys if k < 0]
    records = [k for k in keys if k > 0]
    found: dict[int, Node] = {}
    if documents:
        for document in (
            Document.objects.published().filter(pk__in=documents).only(*DOCUMENT_FIELDS)
        ):
            found[-document.pk] = document_node(document)
    if records:
        for entity in Entity.objects.filter(pk__in=records).only(*ENTITY_FIELDS):
            found[entity.pk] = entity_node(entity)
    return found


@dataclass
class Resolution:
    """What one of the two values named: a node, or why not and what it may have meant."""

    text: str
    node: Node | None = None
    message: str = ""
    candidates: list[Node] = field(default_factory=list)


def _by_identifier(kind: str, slug: str) -> Node | None:
    if kind == DOCUMENT:
        document = Document.objects.published().filter(slug=slug).only(*DOCUMENT_FIELDS).first()
        if document is None:
            moved = SlugRedirect.objects.target_for("document", slug)
            document = moved if isinstance(moved, Document) and moved.is_published else None
        return document_node(document) if document else None
    entity = Entity.objects.filter(kind=kind, slug=slug).only(*ENTITY_FIELDS).first()
    if entity is None:
        moved = SlugRedirect.objects.target_for(kind, slug)
        entity = moved if isinstance(moved, Entity) else None
    return entity_node(entity) if entity else None


def search_names(text: str, limit: int = CANDIDATES) -> tuple[list[Node], set[int]]:
    """Records whose folded name or variant contains what was typed (the name search's
    stored names), exact names first; then published documents whose title has it.
    Returns the nodes and the keys of those whose name is exactly what was typed."""
    typed = fold(text)[:100]
    if len(typed) < 2:
        return [], set()
    records = list(
        Entity.objects.filter(search_names__contains=typed)
        .only(*ENTITY_FIELDS, "search_names")
        .order_by("sort_name", "pk")[: limit * 3]
    )

    def rank(entity: Entity) -> tuple:
        names = entity.search_names.split("\n")
        return (
            typed not in names,
            not any(name.startswith(typed) or f" {typed}" in f" {name}" for name in names),
            entity.sort_name.casefold(),
            entity.pk,
        )

    records = sorted(records, key=rank)[:limit]
    exact = {entity.pk for entity in records if typed in entity.search_names.split("\n")}
    nodes = [entity_node(entity) for entity in records]
    if len(nodes) < limit:
        documents = (
            Document.objects.published()
            .filter(Q(title__icontains=text) | Q(slug=text))
            .only(*DOCUMENT_FIELDS)
            .order_by("title", "pk")[: limit - len(nodes)]
        )
        for document in documents:
            nodes.append(document_node(document))
            if fold(document.title) == typed:
                exact.add(-document.pk)
    return nodes, exact


def resolve(value: str | None) -> Resolution:
    """The node ``value`` names: ``person/<slug>`` (or ``people/<slug>``, or a page's
    address), a bare slug, or a name. Never raises on what a reader may send."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", value or "").strip()[:MAX_INPUT]
    resolution = Resolution(text)
    if not text:
        return resolution
    path = urlsplit(text).path if "://" in text else text
    parts = [part for part in path.split("/") if part]
    if len(parts) == 2 and parts[0].lower() in KIND_ALIASES:
        kind, slug = KIND_ALIASES[parts[0].lower()], parts[1]
        if not SLUG.match(slug):
            resolution.message = f"“{text}” is not an address in this archive."
            return resolution
        resolution.node = _by_identifier(kind, slug)
        if resolution.node is None:
            noun = "published source" if kind == DOCUMENT else kind
            resolution.message = f"The archive has no {noun} at “{kind}/{slug}”."
            resolution.candidates = search_names(slug.replace("-", " "))[0]
        return resolution
    if "/" not in path and SLUG.match(text) and "-" in text:
        matches = [
            node
            for node in (
                _by_identifier(DOCUMENT, text),
                *(
                    entity_node(e)
                    for e in Entity.objects.filter(slug=text).only(*ENTITY_FIELDS)[:1]
                ),
            )
            if node is not None
        ]
        if len(matches) == 1:
            resolution.node = matches[0]
            return resolution
    candidates, exact_keys = search_names(text)
    exact = [node for node in candidates if node.key in exact_keys]
    if len(exact) == 1:
        resolution.node = exact[0]
    elif len(candidates) == 1:
        resolution.node = candidates[0]
    elif candidates:
        resolution.message = f"Several records or sources match “{text}”: choose one."
        resolution.candidates = candidates
    else:
        resolution.message = f"Nothing in the archive is called “{text}”."
    return resolution
