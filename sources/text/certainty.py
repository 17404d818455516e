"""The one rule for writing doubt: wherever a name, a role or a link is shown with a
certainty short of "certain" (citations, lists, record pages, exports), it is prefixed
by the same bracketed word, so "[probably] Mir Jafar Bagirov" reads the same in a
Chicago note and on Bagirov's page."""

from __future__ import annotations

# Certainty value -> the word in brackets. "certain" has none.
HEDGES = {"probable": "probably", "uncertain": "possibly"}


def hedge(certainty: str) -> str:
    """The bracketed word for ``certainty`` ('[probably]'), or '' when certain."""
    word = HEDGES.get(certainty or "", "")
    return f"[{word}]" if word else ""


def hedged(text: str, certainty: str) -> str:
    """``text`` with its doubt stated: hedged('Mir Jafar Bagirov', 'probable') is
    '[probably] Mir Jafar Bagirov'; certain text is returned as it is."""
    mark = hedge(certainty)
    return f"{mark} {text}" if mark else text
