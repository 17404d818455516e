"""Finding and keeping mentions: the part of linking the software can do for curators.

The finder proposes a mention wherever the text names a record the archive knows, under
any variant, compared in folded form (as search folds names) and on word boundaries.
Matching works on tokens, so positions always point at the exact words of the original
text even though folding changes lengths ("Ja'far" folds to "jafar"). Where names
overlap, the longest wins: "Ahmed Musavi" is one mention, not also one of "Musavi".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import (
    DismissedName,
    Entity,
    Mention,
    MentionProposal,
    NameVariant,
    ProposalStatus,
)
from ..text import fold, strip_possessive, word_spans
from ..text.wordlists import DEMONYMS, NOT_NAMES, OFFICES, STOP_WORDS


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


@dataclass(frozen=True)
class Candidate:
    """A run of capitalised words no record is known by, where it stands in the text."""

    name: str
    start: int
    end: int


_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)$")
_BOUNDARY = frozenset('.!?:;\u2014\u2013-"\u201c\u201d([|')


def _sentence_starts(text: str, tokens: list[Token]) -> set[int]:
    """Starts of the tokens that open a sentence, a line or a clause after a dash or
    quote: a capital there says nothing about being a name."""
    starts = set()
    previous_end = 0
    for token in tokens:
        gap = text[previous_end : token.start]
        before = text[: token.start].rstrip()  # any space, the non-breaking one too
        if (
            not before
            or "\n" in gap
            or before[-1:] in _BOUNDARY
            or _ORDINAL.search(before)  # "the 15th Convocation": a title's noun
        ):
            starts.add(token.start)
        previous_end = token.end
    return starts


def _title_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in title case (headings, titles, captions): most of
    their words capitalised, so capitals there are no sign of a name."""
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        words = [w for w in line.split() if w[:1].isalpha() and fold(w) not in STOP_WORDS]
        capitalised = [w for w in words if w[:1].isupper()]
        ends_sentence = line.rstrip().endswith((".", ",", ";", "!", "?"))
        if not ends_sentence and (
            (len(words) >= 3 and len(capitalised) >= 0.75 * len(words)) or 0 < len(words) <= 2
        ):
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return spans


def _ordinary(
    words: list[str], at_sentence_start: bool, lowercase: set[str], mid_capitals: set[str]
) -> bool:
    """Whether a run of capitalised words is an ordinary expression, not a name:
    months, nationalities, offices, a word the text also writes in lower case, or a
    single word capitalised only because it opens a sentence (one the text never
    capitalises in mid-sentence, ``mid_capitals``)."""
    folded = [fold(w) for w in words]
    if all(w in NOT_NAMES or w in DEMONYMS or w in OFFICES for w in folded):
        return True
    if len(words) != 1:
        return False
    return folded[0] in lowercase or (at_sentence_start and folded[0] not in mid_capitals)


def unknown_name_spans(
    text: str, index: NameIndex, dismissed: frozenset[str] | set[str] = frozenset()
) -> list[Candidate]:
    """Capitalised names in the text that no record is known by: candidates for new
    records. Runs of capitalised words are kept together ("Seyyed Ziaeddin").

    Left out, because a capital there is no sign of a name: sentence and line starts
    (a single word), headings and title-case lines, months, nationalities and offices,
    words the same text also writes in lower case, and names a curator dismissed
    (``dismissed``: folded names, kept in ``DismissedName``)."""
    tokens = tokenize(text)
    known_spans = [(p.start, p.end) for p in find_mentions(text, index)]
    starts = _sentence_starts(text, tokens)
    titles = _title_lines(text)
    lowercase = {t.folded for t in tokens if text[t.start : t.start + 1].islower()}
    mid_capitals = {
        t.folded for t in tokens if t.start not in starts and text[t.start : t.start + 1].isupper()
    }
    found: dict[str, Candidate] = {}
    run: list[Token] = []

    def flush() -> None:
        if run:
            words = [strip_possessive(text[t.start : t.end]) for t in run]
            name = " ".join(words)
            folded = fold(name)
            if not (
                folded in NOT_NAMES
                or folded in dismissed
                or _ordinary(words, run[0].start in starts, lowercase, mid_capitals)
            ):
                found.setdefault(name, Candidate(name, run[0].start, run[-1].end))
            run.clear()

    previous_end = None
    for token in tokens:
        word = text[token.start : token.end]
        inside_known = any(s <= token.start < e for s, e in known_spans)
        in_title = any(s <= token.start < e for s, e in titles)
        gap = text[previous_end : token.start] if previous_end is not None else ""
        capitalised = word[:1].isupper() and not word.isupper() and len(word) > 1
        usable = capitalised and not inside_known and not in_title
        if not usable or token.folded in NOT_NAMES or gap.strip():
            flush()
        if usable and token.folded not in NOT_NAMES:
            run.append(token)
        previous_end = token.end
    flush()
    return list(found.values())


def dismissed_names() -> frozenset[str]:
    """The folded names curators dismissed for good (one query)."""
    return frozenset(DismissedName.objects.values_list("folded", flat=True))


def unknown_names(
    text: str,
    index: NameIndex,
    limit: int = 50,
    dismissed: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """The names of ``unknown_name_spans``, first occurrence first, at most ``limit``."""
    return [c.name for c in unknown_name_spans(text, index, dismissed)][:limit]


def refresh_proposals(document, index: NameIndex | None = None) -> int:
    """Propose mentions the document does not have yet; returns how many are open.

    Accepted mentions and rejected proposals are not proposed again; open proposals
    that no longer match the text are dropped.
    """
    index = index or NameIndex.from_database()
    found = {(p.entity_id, p.start): p for p in find_mentions(document.transcription, index)}
    accepted = set(
        Mention.objects.primary().filter(document=document).values_list("entity_id", "start")
    )
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
        document_text=None,  # the finder reads the transcription, the primary text
        defaults={"end": proposal.end, "text": proposal.text},
    )
    proposal.delete()
    return mention
