"""Highlighted passages as safe HTML: every piece of the text escaped, matches wrapped
in <mark>. ``highlight`` is the Python engine's ``ts_headline``; ``marked`` turns
PostgreSQL's headline (with sentinel characters around matches) into the same HTML."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..text import word_tokens
from .query import CONTROL
from .textsearch import Literal, Query, lexeme

# Sentinels around highlighted words in ts_headline output: Unicode noncharacters, removed
# from the text first (``CONTROL``), so after escaping they can only mark what
# PostgreSQL marked.
START_SEL, STOP_SEL = "\ufdd0", "\ufdd1"


def marked(headline: str) -> SafeString:
    """ts_headline output as HTML: escaped, then the sentinels become <mark>."""
    text = escape(headline).replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    return mark_safe(text)  # escaped above; only our own tags added


def highlight(
    text: str, query: Query, spans: Iterable[tuple[int, int]] = (), words_around: int = 17
) -> SafeString:
    """A passage of ``text`` around what matched, as safe HTML: every piece of the text
    escaped, matches wrapped in <mark>. ``spans`` are extra (start, end) ranges to mark
    (the mentions of matched records)."""
    text = CONTROL.sub(" ", text or "")
    tokens = list(word_tokens(text))
    if not tokens:
        return mark_safe("")
    hits = [False] * len(tokens)
    lexemes = [lexeme(token.word) for token in tokens]
    for literal in query.positive_literals:
        _mark_literal(literal, lexemes, hits)
    spans = list(spans)
    for i, token in enumerate(tokens):
        if any(start <= token.start and token.end <= end for start, end in spans):
            hits[i] = True
    fragments = _fragments(hits, words_around)
    pieces = []
    for first, last in fragments:
        start, end = tokens[first].start, tokens[last].end
        while end < len(text) and not text[end].isspace():  # closing punctuation
            end += 1
        out, cursor = [], start
        for i in range(first, last + 1):
            if hits[i] and tokens[i].start >= cursor:
                out.append(escape(text[cursor : tokens[i].start]))
                out.append(f"<mark>{escape(text[tokens[i].start : tokens[i].end])}</mark>")
                cursor = tokens[i].end
        out.append(escape(text[cursor:end]))
        pieces.append("".join(out))
    return mark_safe(" … ".join(pieces))  # every piece escaped above


def _mark_literal(literal: Literal, lexemes: list[str | None], hits: list[bool]) -> None:
    wanted = literal.lexemes
    if not wanted:
        return
    for i, found in enumerate(lexemes):
        if found != wanted[0][0]:
            continue
        if all(i + offset < len(lexemes) and lexemes[i + offset] == lex for lex, offset in wanted):
            for _, offset in wanted:
                hits[i + offset] = True


def _fragments(hits: list[bool], around: int) -> list[tuple[int, int]]:
    """Up to two windows of words around the first hits; the opening if none."""
    positions = [i for i, hit in enumerate(hits) if hit]
    if not positions:
        return [(0, min(len(hits), 2 * around) - 1)]
    windows: list[tuple[int, int]] = []
    for i in positions:
        if windows and i <= windows[-1][1]:
            continue
        if len(windows) == 2:
            break
        windows.append((max(0, i - around // 2), min(len(hits) - 1, i + around)))
    return windows
