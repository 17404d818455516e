"""How documents connect: the records a document names, the documents that share
them, and the guided trail on the home page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..models import Document, Entity, EntityKind, Mention

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
        return f"#m{self.mentions[0].start}" if self.mentions else ""


@dataclass
class KindGroup:
    kind: str
    heading: str
    records: list[RecordUse]


def records_by_kind(mentions: Iterable[Mention]) -> list[KindGroup]:
    """Group a document's (prefetched) mentions by record, then by kind, A–Z."""
    uses: dict[int, RecordUse] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
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

    @property
    def shared_count(self) -> int:
        return len(self.shared)


def related_documents(
    document: Document, records: dict[int, Entity], limit: int = 6
) -> list[RelatedDocument]:
    """Published documents ranked by how many of ``document``'s records they also
    mention, each with the shared records named (people first).

    ``records`` maps entity id to entity for the records ``document`` mentions (the
    page has them already); two queries in all: the ranking, then which records each
    of the top documents shares.
    """
    ranked = list(Document.objects.published().sharing_records_with(document).for_lists()[:limit])
    if not ranked:
        return []
    shared: dict[int, set[int]] = {d.pk: set() for d in ranked}
    pairs = (
        Mention.objects.filter(
            document_id__in=list(shared),
            entity_id__in=Mention.objects.filter(document=document).values("entity_id"),
        )
        .values_list("document_id", "entity_id")
        .distinct()
    )
    for document_id, entity_id in pairs:
        shared[document_id].add(entity_id)
    return [
        RelatedDocument(
            d, sorted((records[i] for i in shared[d.pk] if i in records), key=_record_order)
        )
        for d in ranked
    ]


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


def reading_trail(slugs: Sequence[str] = TRAIL) -> list[TrailStep]:
    """The trail's published documents in order, each with the records it shares with
    the step before. One query for the documents and one per step (a fixed number)."""
    found = {d.slug: d for d in Document.objects.published().filter(slug__in=slugs)}
    documents = [found[slug] for slug in slugs if slug in found]
    steps: list[TrailStep] = []
    for previous, document in zip([None, *documents], documents, strict=False):
        shared: list[Entity] = []
        if previous is not None:
            shared = sorted(
                Entity.objects.filter(mentions__document=previous)
                .filter(mentions__document=document)
                .distinct(),
                key=_record_order,
            )
        steps.append(TrailStep(document, previous, shared))
    return steps
