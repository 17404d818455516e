"""Name folding: one function used for stored names and for what a reader types, so
"Bağırov", "BAGIROV" and "Bagirov" meet, and "Ja'far" meets "Ja’far" and "Jafar".

The one tokeniser: ``word_spans`` finds the words of an original text, ``word_tokens``
folds them and remembers where each stands, so the search index, queries, highlighting
and the mention finder all agree on what a word is. ``on_word_boundaries`` is the one
rule for whether a span of text is whole words (mentions, the corpus checks)."""

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


_WORD_CHAR = re.compile(rf"[{_WORD_CHARS}]")
_POSSESSIVE = re.compile(rf"{_MARKS.pattern}s$")


def is_word_char(ch: str) -> bool:
    """Whether a character belongs to a word (letters, digits, combining marks)."""
    return bool(ch) and _WORD_CHAR.match(ch) is not None


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins and ends at word boundaries: "Bagirov" in
    "Bagirov's" does, "Bagir" in "Bagirov" does not."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not is_word_char(before) and not is_word_char(after)


def strip_possessive(word: str) -> str:
    """A word without an English possessive: "Bagirov's" → "Bagirov"."""
    found = _POSSESSIVE.search(word)
    return word[: found.start()] if found else word


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word of the original text, in order: letters, digits and
    combining marks, with apostrophes and ayin/hamza marks inside a word ("Ja'far",
    "People's" are one word each)."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end()


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
    for start, end in word_spans(text):
        for word in _FOLDED_WORD.findall(fold(text[start:end])):
            yield WordToken(start, end, word)


def words(text: str) -> list[str]:
    """The folded words of ``text`` ("Qavam as-Saltaneh" → qavam, as, saltaneh): the same
    words as ``word_tokens`` gives, found faster by folding the whole text at once."""
    return _FOLDED_WORD.findall(fold(text))


def initial_letter(name: str) -> str:
    """The A–Z heading a name files under ('Ələkbər' under E); '#' for non-letters."""
    first = fold(name)[:1].upper()
    return first if first.isalpha() else "#"
