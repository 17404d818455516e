"""Keeping positions in a text true across an edit of the text."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from .folding import on_word_boundaries


def reanchor(
    old_text: str, new_text: str, spans: Iterable[tuple[int, int, str]]
) -> Iterator[tuple[int, int | None]]:
    """Map (start, end, words) spans from an old version of a text to a new one.

    Yields (old_start, new_start or None): a span moves when the words it covers are
    unchanged by the edit (found through difflib's matching blocks); otherwise None,
    and the caller flags it for a curator rather than silently re-pointing it.
    """
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    for start, end, words in spans:
        new_start = None
        for block in blocks:
            if block.a <= start and end <= block.a + block.size:
                candidate = block.b + (start - block.a)
                if new_text[candidate : candidate + len(words)] == words and on_word_boundaries(
                    new_text, candidate, candidate + len(words)
                ):
                    new_start = candidate
                break
        yield start, new_start
