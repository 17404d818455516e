"""Name folding: one function used for stored names and for what a reader types, so
"Bağırov", "BAGIROV" and "Bagirov" meet, and "Ja'far" meets "Ja’far" and "Jafar"."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode decomposition does not reduce to a base Latin letter.
_SPECIAL = str.maketrans(
    {
        "ə": "e", "Ə": "e", "ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    }
)  # fmt: skip
# Apostrophes and transliteration marks for ayin/hamza vanish: Ja'far = Jafar = Jaʿfar.
_MARKS = re.compile(r"['’‘ʼʻʿʾ`´\u02bc\u02bb]")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.,;:/()\[\]\"“”«»]+")


def fold(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name or query.

    Non-Latin scripts (Cyrillic, Persian) keep their letters, only case-folded and with
    combining marks removed, so native-script variants are found as stored.
    """
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).translate(_SPECIAL)
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = _MARKS.sub("", value).casefold()
    return _SEPARATORS.sub(" ", value).strip()
