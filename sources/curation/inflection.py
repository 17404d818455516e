"""Declined names in the corpus checks (issue 14): in Russian a name changes its ending
with its case ("в Тебризе", "из Тебриза", "Тебризом"), so a mention's words are rarely
the variant as stored. A curator should not have to add every case form as a variant, nor
write a note on every mention, to publish a Russian text.

The check (``checks.check_mentions``) accepts the words when, word by word and in order,
each stems as a word of a name or variant of the record does, with the stemmer of the
mention's language: the one search uses (``search.textsearch.lexeme_in``), so "what the
check accepts" and "what a search for the variant finds" agree. Only languages with a
stemmer of their own are read this way (Russian, for Cyrillic words); English and every
other language keep the exact comparison of folded names, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..search.textsearch import lexeme_in
from ..text import fold, word_spans
from ..texts.languages import RUSSIAN, has_cyrillic

# Languages whose names are declined and which the archive can stem: the text search
# configuration that stems them. English is not here: its names do not decline, and its
# checks stay exactly as they were.
STEMMED_LANGUAGES = {"ru": RUSSIAN}


def stem(word: str, config: str) -> str:
    """The folded stem of one word of the original text; a word the stemmer does not read
    (a Latin word in a Russian text) or drops (a stop word) is kept whole, folded.

    The word is stemmed before it is folded: folding takes the breve off "й", and
    Snowball reads "Азербайджанской" (→ "азербайджанск") but not "азербаиджанской"."""
    if config == RUSSIAN and not has_cyrillic(word):
        return fold(word)
    return fold(lexeme_in(config, word.casefold()) or word)


def _words(name: str) -> list[str]:
    """The words of a name or of a mention, as the one tokeniser finds them."""
    return [name[start:end] for start, end in word_spans(name)]


def is_declined_form(mention_words: str, names: Iterable[str], language: str) -> bool:
    """Whether ``mention_words`` are a case form of one of ``names`` (as written, not
    folded) in ``language``.

    Word by word, in order, every word must match: its stem is the stem of the name's
    word, or the name's word itself. The second rule is for nouns Snowball cuts short in
    the nominative only ("Иран" → "ира", but "Ираном" → "иран"; "Тегеран", "Багиров").
    """
    config = STEMMED_LANGUAGES.get(language)
    if config is None:
        return False
    mentioned = [stem(word, config) for word in _words(mention_words)]
    if not mentioned:
        return False
    for name in names:
        name_words = _words(name)
        if len(name_words) == len(mentioned) and all(
            found in (stem(word, config), fold(word))
            for found, word in zip(mentioned, name_words, strict=True)
        ):
            return True
    return False
