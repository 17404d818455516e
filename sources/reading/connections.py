"""How documents connect: the records a document names, the documents that share
them, and the guided trail on the home page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..models import (
    AGENT_VERBS,
    AgentRole,
    Certainty,
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentEventRole,
    Entity,
    EntityKind,
    Mention,
    PublicationStatus,
    RecordCount,
)
from ..models.documents import LIST_FIELDS
from ..prepared import PreparedModelQuery, PreparedQuery, field_names, instances
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
    def times(self) -> int:
        return len(self.mentions)

    # The line of "In this source" (templates/sources/document_detail.html), built here:
    # everything from the data goes through format_html, which escapes it.

    @property
    def link(self) -> SafeString:
        """The record's link, named as the source names it when that was another name
        ("Rezayeh (today Urmia)")."""
        info = getattr(self.entity, "in_time", None)
        label = info.label if info is not None and info.label else self.entity.name
        return format_html('<a href="{}">{}</a>', self.entity.get_absolute_url(), label)

    @property
    def meta(self) -> SafeString:
        """'as “Baghirov”, “Bagirov”, 3 times · in the text' (a link to the first)."""
        words = format_html_join(", ", "“{}”", ((words,) for words in self.words_used))
        times = f", {self.times} times" if self.times > 1 else ""
        return format_html(
            'as {}{} · <a href="{}">in the text<span class="visually-hidden">: {}</span></a>',
            words,
            times,
            self.first_anchor,
            self.entity.name,
        )

    @property
    def place_note(self) -> SafeString:
        info = getattr(self.entity, "in_time", None)
        return info.note if info is not None else mark_safe("")

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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _other_ties(document_id: int, record_ids: list[int], among: list[int]) -> list[tuple]:
    """(document, record, agent role, event role, certainty) for each published
    document of ``among`` touching one of ``record_ids``: mentions (once per document
    and record),
    then agent links in role order, then event links. One plain SQL query (a UNION ALL
    of the three link tables, as ``sources.graph.paths`` reads them): the ORM would
    build and compile three querysets for it on every document page, which costs more
    than the database's work."""
    ids = ", ".join(["%s"] * len(record_ids))
    documents = ", ".join(["%s"] * len(among))
    order = connection.ops.quote_name("order")
    # (columns, link table, record column); the last three columns only sort.
    parts = (
        ("DISTINCT l.document_id, l.entity_id, '', '', %s, 0, '', 0", Mention, "entity_id"),
        (f"l.document_id, l.entity_id, l.role, '', l.certainty, 1, l.role, l.{order}",
         DocumentAgent, "entity_id"),
        ("l.document_id, l.event_id, '', l.role, l.certainty, 2, '', 0", DocumentEvent, "event_id"),
    )  # fmt: skip
    sql = " UNION ALL ".join(
        f"SELECT {columns} FROM {_table(model)} l INNER JOIN {_table(Document)} d "
        f"ON d.id = l.document_id WHERE l.{column} IN ({ids}) AND d.status = %s "
        f"AND l.document_id <> %s AND l.document_id IN ({documents})"
        for columns, model, column in parts
    )
    where = [*record_ids, PublicationStatus.PUBLISHED, document_id, *among]
    params = [Certainty.CERTAIN, *where, *where, *where]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 6, 7, 8", params)
        return [row[:5] for row in cursor.fetchall()]


# A record touching more than this many published documents (RecordCount) relates a
# document to a large part of the archive: related documents are then found and ranked
# through the document's other records, and the page names the records left out. No
# record of the curated corpus comes near it, so its related documents are unchanged.
WIDELY_NAMED = 1000

_WIDELY_NAMED = PreparedQuery(
    lambda ids, bound: (
        RecordCount.objects.filter(entity_id__in=ids, documents__gt=bound)
        .order_by("entity_id")
        .values_list("entity_id")
    )
)


@dataclass
class RelatedPanel:
    """A document page's "Related documents": the documents, and the records (named by
    more than ``WIDELY_NAMED`` published documents) that were not counted in ranking
    them."""

    documents: list[RelatedDocument]
    not_counted: list[Entity] = field(default_factory=list)

    @property
    def bound(self) -> str:
        return f"{WIDELY_NAMED:,}"  # as the page's notice says it


def related_documents(
    document: Document, records: dict[int, Entity], limit: int = 6
) -> list[RelatedDocument]:
    """``related_panel(...).documents``."""
    return related_panel(document, records, limit).documents


def related_panel(document: Document, records: dict[int, Entity], limit: int = 6) -> RelatedPanel:
    """Published documents ranked by how many of ``document``'s records they also
    touch (mention, name as author, recipient, translator…, or record as an event),
    each with the shared records named (people first) and, where an author,
    recipient or event links them, that link in words.

    ``records`` maps entity id to entity for the records ``document`` mentions (the
    page has them already, and its agents and events are prefetched). Four queries
    in all, whatever the size of the archive: which of the records are widely named,
    then the database ranks the documents (``_best_sharing``), then only the
    ``limit`` best are read with their links (``_other_ties``, plain SQL) and their
    list lines. A record named by thousands of documents never brings thousands of
    rows to Python; one touching more than ``WIDELY_NAMED`` published documents is not
    counted in the ranking (unless every record of the document is), so a page's cost
    does not grow with how often its most common records are named elsewhere. The
    shared records shown for each related document still include it.
    """
    records = dict(records)
    own = _own_ties(document, records)
    if not own:
        return RelatedPanel([])
    ids = sorted(own)
    widely = {row[0] for row in _WIDELY_NAMED.rows(ids, WIDELY_NAMED)}
    counted = [pk for pk in ids if pk not in widely] or ids
    not_counted = sorted(
        (records[pk] for pk in widely if pk not in counted and pk in records), key=_record_order
    )
    ranked = _best_sharing(document.pk, counted, limit)
    if not ranked:
        return RelatedPanel([], not_counted)
    others: dict[int, dict[int, _Tie]] = {pk: {} for pk in ranked}
    ties_of_ranked = _other_ties(document.pk, ids, among=ranked)
    for document_id, entity_id, role, event_role, certainty in ties_of_ranked:
        tie = others[document_id].setdefault(entity_id, _Tie())
        if event_role:  # an event link says how the document meets the event
            tie.event_role, tie.certainty = event_role, certainty
        elif role and not tie.role:  # its first role in role order
            tie.role, tie.certainty = role, certainty
    found = {d.pk: d for d in _RELATED_LINES.objects(ranked)}
    result = []
    for pk in ranked:
        if pk not in found:  # unpublished between the two queries
            continue
        shared = sorted((records[i] for i in others[pk] if i in records), key=_record_order)
        ties = [
            phrase
            for entity in shared
            if (phrase := _tie_phrase(entity, others[pk][entity.pk], own[entity.pk]))
        ]
        result.append(RelatedDocument(found[pk], shared, ties))
    return RelatedPanel(result, not_counted)


CUT_POOL = 50

# The list lines of the related documents, compiled once per process (and number).
_RELATED_LINES = PreparedModelQuery(
    lambda pks: Document.objects.published().filter(pk__in=pks).for_lists()
)


def _best_sharing(document_id: int, record_ids: list[int], limit: int) -> list[int]:
    """The ``limit`` published documents (other than ``document_id``) that touch the
    most of ``record_ids`` (each record once, however it is touched), at equal counts
    in reading order: counted and ranked by the database.

    Only documents sharing at least as many records as the ``limit``-th best
    published one are joined to the documents table for their reading order (a
    record named by thousands of documents makes thousands of candidates, nearly all
    sharing just that one record). The cut is read from the best ``CUT_POOL``
    candidates by primary key; when fewer than ``limit`` of those are published
    (drafts crowding the top), there is no cut and every candidate is ranked.
    """
    marks = ", ".join(["%s"] * len(record_ids))
    sql = f"""
        WITH ties AS (
            SELECT document_id, entity_id AS record_id FROM {Mention._meta.db_table}
                WHERE entity_id IN ({marks})
            UNION
            SELECT document_id, entity_id FROM {DocumentAgent._meta.db_table}
                WHERE entity_id IN ({marks})
            UNION
            SELECT document_id, event_id FROM {DocumentEvent._meta.db_table}
                WHERE event_id IN ({marks})
        ), counts AS (
            SELECT document_id, COUNT(*) AS shared FROM ties
                WHERE document_id <> %s GROUP BY document_id
        )
        SELECT d.id FROM counts JOIN {Document._meta.db_table} d ON d.id = counts.document_id
        WHERE d.status = %s AND counts.shared >= COALESCE((
            SELECT best.shared
            FROM (SELECT document_id, shared FROM counts ORDER BY shared DESC LIMIT %s) best
            JOIN {Document._meta.db_table} p ON p.id = best.document_id AND p.status = %s
            ORDER BY best.shared DESC LIMIT 1 OFFSET %s
        ), 0)
        ORDER BY counts.shared DESC, d.date_earliest ASC NULLS LAST,
            d.coverage_earliest ASC NULLS LAST, d.title ASC, d.id ASC
        LIMIT %s
    """
    published = PublicationStatus.PUBLISHED
    params = [*record_ids, *record_ids, *record_ids, document_id, published]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, CUT_POOL, published, limit - 1, limit])
        return [row[0] for row in cursor.fetchall()]


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
