"""What a reader typed, made safe to search before any engine sees it."""

from __future__ import annotations

import re

MAX_QUERY_LENGTH = 200
# NUL and other control characters, and the Unicode noncharacters the highlighting uses
# as sentinels (sources.search.highlight): never part of a query or a highlighted text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef]")


def clean_query(text: str | None) -> tuple[str, bool]:
    """What a reader typed, made safe to search: NUL and other control characters
    removed, at most MAX_QUERY_LENGTH characters. Returns (text, shortened)."""
    text = CONTROL.sub(" ", text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False
