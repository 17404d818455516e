"""How documents connect: the records a document names, the documents that share
them, and the guided trail on the home page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..models import (
    AGENT_VERBS,
    AgentRole,
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentEventRole,
    Entity,
    EntityKind,
    Mention,
    PublicationStatus,
)
from ..models.documents import LIST_FIELDS
from ..prepared import PreparedQuery, field_names, instances
from ..text import hedged

KIND_ORDER = [EntityKind.PERSON, EntityKind.PLACE, EntityKind.ORGANIZATION, EntityKind.EVENT]
KIND_HEADINGS = {
    EntityKind.PERSON: "People",
    EntityKind.PLACE: "Places",
    EntityKind.ORGANIZATION: "Organizations",
    EntityKind.EVENT: "Events",
}


@dataclass
class RecordUse:
    """A record as one document names it: how often, in which words, where first."""

    entity: Entity
    mentions: list[Mention] = field(default_factory=list)

    @property
    def words_used(self) -> list[str]:
        return list(dict.fromkeys(m.text for m in self.mentions))

    @property
    def first_anchor(self) -> str:
        return f"#{self.mentions[0].anchor}" if self.mentions else ""


@dataclass
class KindGroup:
    kind: str
    heading: str
    records: list[RecordUse]


def records_by_kind(mentions: Iterable[Mention]) -> list[KindGroup]:
    """Group a document's (prefetched) mentions by record, then by kind, A–Z."""
    uses: dict[int, RecordUse] = {}
    # The primary text's mentions first, so "in the text" goes to it when it names the record.
    for mention in sorted(mentions, key=lambda m: (m.document_text_id is not None, m.start)):
        uses.setdefault(mention.entity_id, RecordUse(mention.entity)).mentions.append(mention)
    groups = []
    for kind in KIND_ORDER:
        records = sorted(
            (use for use in uses.values() if use.entity.kind == kind),
            key=lambda use: (use.entity.sort_name or use.entity.name).casefold(),
        )
        if records:
            groups.append(KindGroup(kind, KIND_HEADINGS[kind], records))
    return groups


def _record_order(entity: Entity) -> tuple[int, str]:
    return KIND_ORDER.index(entity.kind), (entity.sort_name or entity.name).casefold()


@dataclass
class RelatedDocument:
    document: Document
    shared: list[Entity]
    # How the documents meet through their authors, recipients… and events, in words:
    # "addressed to Mir Jafar Bagirov, who wrote this".
    ties: list[str] = field(default_factory=list)

    @property
    def shared_count(self) -> int:
        return len(self.shared)


# What another document is to a record, said from that document ("addressed to X").
RELATED_BY = {
    AgentRole.AUTHOR: "written by",
    AgentRole.RECIPIENT: "addressed to",
    AgentRole.COPY_RECIPIENT: "copied to",
    AgentRole.INTERVIEWER: "interview by",
    AgentRole.INTERVIEWEE: "interview with",
    AgentRole.OBTAINED_BY: "obtained by",
    AgentRole.TRANSLATOR: "translated by",
}


@dataclass
class _Tie:
    """How one document touches one record: as an agent (role), an event link
    (event_role) or only by naming it."""

    role: str = ""
    event_role: str = ""
    certainty: str = "certain"


def _tie_phrase(entity: Entity, other: _Tie, own: _Tie) -> str:
    """'addressed to Mir Jafar Bagirov, who wrote this'; '' when both only name it."""
    if not (other.role or other.event_role or own.role or own.event_role):
        return ""
    if other.role:
        lead = RELATED_BY.get(other.role, other.role)
    elif other.event_role:
        lead = DocumentEventRole(other.event_role).label
    else:
        lead = "names"
    phrase = f"{hedged(lead, other.certainty)} {entity.name}"
    if own.role:
        phrase += f", who {hedged(AGENT_VERBS.get(own.role, own.role), own.certainty)} this"
    elif own.event_role:
        phrase += f", which this {hedged(DocumentEventRole(own.event_role).label, own.certainty)}"
    return phrase


def _own_ties(document: Document, records: dict[int, Entity]) -> dict[int, _Tie]:
    """The records ``document`` touches, from what the page has prefetched."""
    ties: dict[int, _Tie] = {pk: _Tie() for pk in records}
    for link in document.agent_links.all():
        records.setdefault(link.entity_id, link.entity)
        tie = ties.setdefault(link.entity_id, _Tie())
        if not tie.role:
            tie.role, tie.certainty = link.role, link.certainty
    for link in document.event_links.all():
        records.setdefault(link.event_id, link.event)
        tie = ties.setdefault(link.event_id, _Tie())
        tie.event_role, tie.certainty = link.role, link.certainty
    return ties


def related_documents(
    document: Document, records: dict[int, Entity], limit: int = 6
) -> list[RelatedDocument]:
    """Published documents ranked by how many of ``document``'s records they also
    touch (mention, name as author, recipient, translator…, or record as an event),
    each with the shared records named (people first) and, where an author,
    recipient or event links them, that link in words.

    ``records`` maps entity id to entity for the records ``document`` mentions (the
    page has them already, and its agents and events are prefetched); four queries in
    all: which other documents mention, name as agents, or link to those records, and
    the documents themselves.
    """
    records = dict(records)
    own = _own_ties(document, records)
    if not own:
        return []
    ids = list(own)
    others: dict[int, dict[int, _Tie]] = {}
    published = {"document__status": PublicationStatus.PUBLISHED}
    mentions = (
        Mention.objects.filter(entity_id__in=ids, **published)
        .exclude(document_id=document.pk)
        .values_list("document_id", "entity_id")
        .distinct()
        .order_by()
    )
    for document_id, entity_id in mentions:
        others.setdefault(document_id, {}).setdefault(entity_id, _Tie())
    agents = (
        DocumentAgent.objects.filter(entity_id__in=ids, **published)
        .exclude(document_id=document.pk)
        .order_by("role", "order")
        .values_list("document_id", "entity_id", "role", "certainty")
    )
    for document_id, entity_id, role, certainty in agents:
        tie = others.setdefault(document_id, {}).setdefault(entity_id, _Tie())
        if not tie.role:
            tie.role, tie.certainty = role, certainty
    events = (
        DocumentEvent.objects.filter(event_id__in=ids, **published)
        .exclude(document_id=document.pk)
        .values_list("document_id", "event_id", "role", "certainty")
    )
    for document_id, event_id, role, certainty in events:
        tie = others.setdefault(document_id, {}).setdefault(event_id, _Tie())
        tie.event_role, tie.certainty = role, certainty
    if not others:
        return []
    # The best-sharing documents; at equal counts, reading order (one query).
    counts = sorted({len(shared) for shared in others.values()}, reverse=True)
    best = [pk for pk, shared in others.items() if len(shared) >= counts[:limit][-1]]
    found = {
        d.pk: (i, d)
        for i, d in enumerate(
            Document.objects.published().filter(pk__in=best).in_reading_order().for_lists()
        )
    }
    ranked = sorted(found, key=lambda pk: (-len(others[pk]), found[pk][0]))[:limit]
    result = []
    for pk in ranked:
        shared = sorted((records[i] for i in others[pk] if i in records), key=_record_order)
        ties = [
            phrase
            for entity in shared
            if (phrase := _tie_phrase(entity, others[pk][entity.pk], own[entity.pk]))
        ]
        result.append(RelatedDocument(found[pk][1], shared, ties))
    return result


def name_list(entities: Sequence[Entity], most: int = 5) -> str:
    """'Molotov, Tabriz and Maragheh'; longer lists end '… and 4 more'."""
    names = [entity.name for entity in entities]
    if len(names) > most:
        shown, rest = names[:most], len(names) - most
        return f"{', '.join(shown)} and {rest} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# The guided trail on the home page: the three sources that tell the story from the
# decision in Moscow to fighting in the villages. Curated (a reading path is an
# editorial choice); what links each step is computed from the records they share.
TRAIL = (
    "1945-07-06-politburo-decree",
    "1945-11-21-telegram-baku-to-moscow",
    "1946-04-battles-of-inje-and-qalaburun",
)


def short_type(document: Document) -> str:
    """'decree or resolution' → 'decree': the noun a sentence about it can use."""
    return document.get_document_type_display().split(" or ")[0]


@dataclass
class TrailStep:
    document: Document
    previous: Document | None
    shared_with_previous: list[Entity]

    @property
    def noun(self) -> str:
        return short_type(self.document)

    @property
    def previous_noun(self) -> str:
        return short_type(self.previous) if self.previous else ""


TRAIL_RECORD_FIELDS = ("kind", "name", "slug", "sort_name")  # what a trail step shows
_TRAIL_DOCUMENTS = PreparedQuery(
    lambda slugs: (
        Document.objects.published()
        .filter(slug__in=slugs)
        .order_by()
        .values_list(*field_names(Document, LIST_FIELDS))
    )
)
_TRAIL_RECORDS = PreparedQuery(
    lambda slugs: (
        Mention.objects.filter(
            document__slug__in=slugs, document__status=PublicationStatus.PUBLISHED
        )
        .order_by()
        .values_list(
            "document_id",
            *(f"entity__{name}" for name in field_names(Entity, TRAIL_RECORD_FIELDS)),
        )
        .distinct()
    )
)


def reading_trail(slugs: Sequence[str] = TRAIL) -> list[TrailStep]:
    """The trail's published documents in order (the columns a list line shows), each
    with the records it shares with the step before (the columns the trail shows). Two
    queries whatever the trail's length (the documents; the records each names), their
    SQL compiled once per process: the home page asks on every uncached request."""
    rows = _TRAIL_DOCUMENTS.rows(list(slugs))
    found = {d.slug: d for d in instances(Document, rows, only=LIST_FIELDS)}
    documents = [found[slug] for slug in slugs if slug in found]
    named: dict[int, set[int]] = {document.pk: set() for document in documents}
    records: dict[int, Entity] = {}
    if len(documents) > 1:
        rows = _TRAIL_RECORDS.rows([d.slug for d in documents])
        loaded = instances(Entity, [row[1:] for row in rows], only=TRAIL_RECORD_FIELDS)
        for row, record in zip(rows, loaded, strict=True):
            named[row[0]].add(record.pk)
            records.setdefault(record.pk, record)
    steps: list[TrailStep] = []
    for previous, document in zip([None, *documents], documents, strict=False):
        shared: list[Entity] = []
        if previous is not None:
            shared = sorted(
                # The records' own order first (as a query gives them), then by kind.
                sorted(
                    (records[pk] for pk in named[previous.pk] & named[document.pk]),
                    key=lambda e: (e.sort_name, e.name),
                ),
                key=_record_order,
            )
        steps.append(TrailStep(document, previous, shared))
    return steps
