"""Finding and keeping mentions: the part of linking the software can do for curators.

The finder proposes a mention wherever the text names a record the archive knows, under
any variant, compared in folded form (as search folds names) and on word boundaries.
Matching works on tokens, so positions always point at the exact words of the original
text even though folding changes lengths ("Ja'far" folds to "jafar"). Where names
overlap, the longest wins: "Ahmed Musavi" is one mention, not also one of "Musavi".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Entity, Mention, MentionProposal, NameVariant, ProposalStatus
from ..text import fold, strip_possessive, word_spans
from ..text.wordlists import NOT_NAMES


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    folded: str
    base: str  # folded without a possessive 's, so "Bagirov's" still meets "Bagirov"


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` as the finder compares them (the one tokeniser,
    ``text.word_spans``), each folded whole and without a possessive."""
    tokens = []
    for start, end in word_spans(text):
        word = text[start:end]
        tokens.append(Token(start, end, fold(word), fold(strip_possessive(word))))
    return tokens


@dataclass(frozen=True)
class Proposal:
    start: int
    end: int
    text: str
    entity_id: int
    matched_name: str


@dataclass
class NameIndex:
    """Folded names as token tuples → the records they may name."""

    names: dict[tuple[str, ...], set[int]] = field(default_factory=lambda: defaultdict(set))
    longest: int = 0

    def add(self, name: str, entity_id: int) -> None:
        key = tuple(fold(name).split())
        if key:
            self.names[key].add(entity_id)
            self.longest = max(self.longest, len(key))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, int]]) -> NameIndex:
        index = cls()
        for name, entity_id in pairs:
            index.add(name, entity_id)
        return index

    @classmethod
    def from_database(cls) -> NameIndex:
        return cls.from_pairs(
            [
                *Entity.objects.values_list("name", "pk"),
                *NameVariant.objects.values_list("name", "entity_id"),
            ]
        )


def find_mentions(text: str, index: NameIndex) -> list[Proposal]:
    """Every run of words that is a known name, longest match first, no overlaps.

    A name shared by several records (two men called "Musavi") yields one proposal per
    record at that position; the curator accepts the right one.
    """
    tokens = tokenize(text)
    proposals: list[Proposal] = []
    i = 0
    while i < len(tokens):
        matched = 0
        for length in range(min(index.longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + length]
            key = tuple(t.folded for t in window)
            ids = index.names.get(key)
            if not ids:
                key = (*key[:-1], window[-1].base)
                ids = index.names.get(key)
                end = window[-1].start + len(
                    strip_possessive(text[window[-1].start : window[-1].end])
                )
            else:
                end = window[-1].end
            if ids:
                start = window[0].start
                words = text[start:end]
                proposals.extend(
                    Proposal(start, end, words, entity_id, " ".join(key))
                    for entity_id in sorted(ids)
                )
                matched = length
                break
        i += matched or 1
    return proposals


def unknown_names(text: str, index: NameIndex, limit: int = 50) -> list[str]:
    """Capitalised names in the text that no record is known by: candidates for new
    records. Runs of capitalised words are kept together ("Seyyed Ziaeddin")."""
    known_spans = [(p.start, p.end) for p in find_mentions(text, index)]
    found: dict[str, None] = {}
    run: list[str] = []

    def flush() -> None:
        if run:
            name = " ".join(run)
            if fold(name) not in NOT_NAMES:
                found.setdefault(name, None)
            run.clear()

    previous_end = None
    for token in tokenize(text):
        word = text[token.start : token.end]
        inside_known = any(s <= token.start < e for s, e in known_spans)
        gap = text[previous_end : token.start] if previous_end is not None else ""
        capitalised = word[:1].isupper() and not word.isupper() and len(word) > 1
        if inside_known or not capitalised or token.folded in NOT_NAMES or gap.strip():
            flush()
        if capitalised and not inside_known and token.folded not in NOT_NAMES:
            run.append(strip_possessive(text[token.start : token.end]))
        previous_end = token.end
    flush()
    return list(found)[:limit]


def refresh_proposals(document, index: NameIndex | None = None) -> int:
    """Propose mentions the document does not have yet; returns how many are open.

    Accepted mentions and rejected proposals are not proposed again; open proposals
    that no longer match the text are dropped.
    """
    index = index or NameIndex.from_database()
    found = {(p.entity_id, p.start): p for p in find_mentions(document.transcription, index)}
    accepted = set(Mention.objects.filter(document=document).values_list("entity_id", "start"))
    existing = {
        (p.entity_id, p.start): p for p in MentionProposal.objects.filter(document=document)
    }
    stale = [
        p.pk
        for key, p in existing.items()
        if p.status == ProposalStatus.OPEN and (key not in found or key in accepted)
    ]
    MentionProposal.objects.filter(pk__in=stale).delete()
    MentionProposal.objects.bulk_create(
        [
            MentionProposal(
                document=document,
                entity_id=p.entity_id,
                start=p.start,
                end=p.end,
                text=p.text,
                matched_name=p.matched_name,
            )
            for key, p in found.items()
            if key not in accepted and key not in existing
        ]
    )
    return MentionProposal.objects.filter(document=document, status=ProposalStatus.OPEN).count()


def accept_proposal(proposal) -> object:
    """Turn a proposal into a mention (the proposal is then deleted)."""
    mention, _ = Mention.objects.get_or_create(
        document=proposal.document,
        entity=proposal.entity,
        start=proposal.start,
        defaults={"end": proposal.end, "text": proposal.text},
    )
    proposal.delete()
    return mention
