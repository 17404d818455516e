"""Finding and keeping mentions: the part of linking the software can do for curators.

The finder proposes a mention wherever the text names a record the archive knows, under
any variant, compared in folded form (as search folds names) and on word boundaries.
Matching works on tokens, so positions always point at the exact words of the original
text even though folding changes lengths ("Ja'far" folds to "jafar"). Where names
overlap, the longest wins: "Ahmed Musavi" is one mention, not also one of "Musavi".
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F

from .text import fold

# A word: letters/digits, with apostrophes inside it ("Yemel'yanov", "People's").
_TOKEN = re.compile(r"\w+(?:['’ʼ]\w+)*")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
# Capitalised words that start sentences or titles far more often than they name anyone.
_COMMON = {
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by", "with",
    "as", "after", "before", "during", "according", "however", "therefore", "this", "that",
    "these", "those", "he", "she", "it", "they", "we", "his", "her", "its", "their", "our",
    "if", "when", "while", "where", "which", "who", "what", "but", "also", "then", "there",
    "cde", "lt", "col", "general", "i", "ii", "iii", "no", "not", "under", "over",
    "establish", "consider", "conduct", "organize", "entrust", "commit", "permit", "use",
    "equal", "improvement", "elimination", "allotment", "radical", "combat", "distribution",
}  # fmt: skip


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    folded: str
    base: str  # folded without a possessive 's, so "Bagirov's" still meets "Bagirov"


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        folded = fold(word)
        possessive = _POSSESSIVE.search(word)
        base = fold(word[: possessive.start()]) if possessive else folded
        tokens.append(Token(match.start(), match.end(), folded, base))
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
        from .models import Entity, NameVariant

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
                end = window[-1].start + len(_strip_possessive(text, window[-1]))
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


def _strip_possessive(text: str, token: Token) -> str:
    word = text[token.start : token.end]
    possessive = _POSSESSIVE.search(word)
    return word[: possessive.start()] if possessive else word


def unknown_names(text: str, index: NameIndex, limit: int = 50) -> list[str]:
    """Capitalised names in the text that no record is known by: candidates for new
    records. Runs of capitalised words are kept together ("Seyyed Ziaeddin")."""
    known_spans = [(p.start, p.end) for p in find_mentions(text, index)]
    found: dict[str, None] = {}
    run: list[str] = []

    def flush() -> None:
        if run:
            name = " ".join(run)
            if fold(name) not in _COMMON:
                found.setdefault(name, None)
            run.clear()

    previous_end = None
    for token in tokenize(text):
        word = text[token.start : token.end]
        inside_known = any(s <= token.start < e for s, e in known_spans)
        gap = text[previous_end : token.start] if previous_end is not None else ""
        capitalised = word[:1].isupper() and not word.isupper() and len(word) > 1
        if inside_known or not capitalised or token.folded in _COMMON or gap.strip():
            flush()
        if capitalised and not inside_known and token.folded not in _COMMON:
            run.append(_strip_possessive(text, token))
        previous_end = token.end
    flush()
    return list(found)[:limit]


def word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def reanchor(old_text: str, new_text: str, spans: Iterable[tuple[int, int, str]]):
    """Map mention spans from an old version of a text to a new one.

    Yields (old_start, new_start or None): a span moves when the words it covers are
    unchanged by the edit (found through difflib's matching blocks); otherwise None,
    and the mention is flagged for a curator rather than silently re-pointed.
    """
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    for start, end, words in spans:
        new_start = None
        for block in blocks:
            if block.a <= start and end <= block.a + block.size:
                candidate = block.b + (start - block.a)
                if new_text[candidate : candidate + len(words)] == words and word_bounded(
                    new_text, candidate, candidate + len(words)
                ):
                    new_start = candidate
                break
        yield start, new_start


_PARKING = 1_000_000_000  # beyond any text, inside a 32-bit integer


def reanchor_document_mentions(document, old_text: str) -> tuple[int, int]:
    """After an edit, move each mention with its words, or flag it for review.

    Returns (moved or kept, flagged). Called from Document.save(), so every path that
    edits a text (admin, import, shell) keeps mentions honest.
    """
    from .models import Mention

    mentions = list(Mention.objects.filter(document=document).order_by("start"))
    if not mentions:
        return 0, 0
    by_start = {}
    for mention in mentions:
        by_start.setdefault(mention.start, []).append(mention)
    kept = flagged = 0
    changed = []
    spans = [(m.start, m.end, m.text) for m in mentions]
    for old_start, new_start in reanchor(old_text, document.transcription, dict.fromkeys(spans)):
        for mention in by_start[old_start]:
            if mention.end - mention.start != len(mention.text):
                continue
            if new_start is None:
                mention.needs_review = True
                flagged += 1
            else:
                mention.start, mention.end = new_start, new_start + len(mention.text)
                kept += 1
            changed.append(mention)
    # Two passes avoid transient clashes with the unique (document, entity, start) rule.
    for mention in changed:
        if not mention.needs_review:
            Mention.objects.filter(pk=mention.pk).update(
                start=F("start") + _PARKING, end=F("end") + _PARKING
            )
    for mention in changed:
        Mention.objects.filter(pk=mention.pk).update(
            start=mention.start, end=mention.end, needs_review=mention.needs_review
        )
    return kept, flagged


def refresh_proposals(document, index: NameIndex | None = None) -> int:
    """Propose mentions the document does not have yet; returns how many are open.

    Accepted mentions and rejected proposals are not proposed again; open proposals
    that no longer match the text are dropped.
    """
    from .models import Mention, MentionProposal, ProposalStatus

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
    from .models import Mention

    mention, _ = Mention.objects.get_or_create(
        document=proposal.document,
        entity=proposal.entity,
        start=proposal.start,
        defaults={"end": proposal.end, "text": proposal.text},
    )
    proposal.delete()
    return mention
