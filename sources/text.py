"""Name folding: one function used for stored names and for what a reader types, so
"Bağırov", "BAGIROV" and "Bagirov" meet, and "Ja'far" meets "Ja’far" and "Jafar".

``word_tokens`` cuts a text into folded words and remembers where each stands in the
original, so search indexes, queries and highlighting all see the same words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Letters that Unicode decomposition does not reduce to a base Latin letter.
_SPECIAL = str.maketrans(
    {
        "ə": "e", "Ə": "e", "ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        # Arabic-script letters a Persian name may be typed with on an Arabic keyboard.
        "ي": "ی", "ى": "ی", "ك": "ک", "ـ": "",
    }
)  # fmt: skip
# Arabic-Indic and Persian digits read as the digits they are: "۱۹۴۵" = "1945".
_DIGITS = str.maketrans(
    {chr(base + n): str(n) for base in (0x0660, 0x06F0, 0x0966) for n in range(10)}
)
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
    if not value.isascii():  # ASCII needs none of this: most text, and the fast path
        value = unicodedata.normalize("NFKC", value).translate(_SPECIAL).translate(_DIGITS)
        value = unicodedata.normalize("NFKD", value)
        value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = _MARKS.sub("", value).casefold()
    return _SEPARATORS.sub(" ", value).strip()


# A word of the original text: letters, digits and combining marks, with apostrophes and
# ayin/hamza marks inside it ("Ja'far", "People's" are one word each).
_WORD_CHARS = (
    r"\w\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
)
_WORD = re.compile(rf"[{_WORD_CHARS}]+(?:{_MARKS.pattern}[{_WORD_CHARS}]+)*")
_FOLDED_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class WordToken:
    """One folded word and the span of the original text it comes from."""

    start: int
    end: int
    word: str


def word_tokens(text: str) -> Iterator[WordToken]:
    """The folded words of a text, in order, each with its span in ``text``.

    One original word may give several folded words ("CP(b)" is two words already, but
    "½" folds to "1", "2"); they share its span. Search builds its index, its queries
    and its highlighting from these, so all three always agree on what a word is.
    """
    for match in _WORD.finditer(text):
        for word in _FOLDED_WORD.findall(fold(match.group())):
            yield WordToken(match.start(), match.end(), word)


def words(text: str) -> list[str]:
    """The folded words of ``text`` ("Qavam as-Saltaneh" → qavam, as, saltaneh): the same
    words as ``word_tokens`` gives, found faster by folding the whole text at once."""
    return _FOLDED_WORD.findall(fold(text))
