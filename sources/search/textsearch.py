"""PostgreSQL's full-text search, in Python: query syntax, text vectors, matching, ranking.

Search (``sources.search``) runs on PostgreSQL with ``tsvector``/``websearch_to_tsquery``
and on SQLite with this module, and both must give the same answers. So this module
copies what PostgreSQL does with our ``archive_search`` configuration (the English
parser, unaccent, the Snowball English stemmer and its stop words):

* ``parse_query`` reads what readers type ("quoted phrase", ``-exclude``, ``OR``) the way
  ``websearch_to_tsquery`` does, and ``Query.websearch`` writes it back in a canonical
  form that PostgreSQL parses to the same tree. Both backends start from this parse.
* ``Vector`` is a ``tsvector``: lexemes with positions and weights A–D, built from
  folded words (``sources.text.words``), stop words counted but not kept.
* ``Query.matches`` and ``Query.rank`` are ``@@`` and ``ts_rank``.
* ``similarity`` and ``edit_distance`` decide near misses ("Pishevary", "Molotof").

Text is folded in Python (``sources.text.fold``) before PostgreSQL sees it, so letters
that ``unaccent`` does not know (ə) meet their plain forms on both databases.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA

from ..text import words
from ..text.wordlists import STOP_WORDS
from ..texts.languages import ENGLISH, RUSSIAN, RUSSIAN_STOP_WORDS, SIMPLE, has_cyrillic

MAX_POSITION = 16383  # tsvector positions stop here (MAXENTRYPOS - 1)
MAX_POSITIONS_PER_LEXEME = 256  # MAXNUMPOS
MAX_WORD_BYTES = 2047  # longer words are not indexed
WEIGHTS = {"D": 0.1, "C": 0.2, "B": 0.4, "A": 1.0}  # ts_rank's default weights

_stemmer = snowballstemmer.stemmer("english")
_russian_stemmer = snowballstemmer.stemmer("russian")


@lru_cache(maxsize=65536)
def lexeme(word: str) -> str | None:
    """The lexeme PostgreSQL keeps for one folded word, or None for a stop word.

    Words with a digit are numbers or "numwords" ("15th"), which the configuration maps
    to the ``simple`` dictionary: kept as they are. Other words are stemmed.
    """
    if len(word.encode()) > MAX_WORD_BYTES:
        return None
    if any(ch.isdigit() for ch in word):
        return word
    if word in STOP_WORDS:
        return None
    return _stemmer.stemWord(word)


@lru_cache(maxsize=65536)
def lexeme_in(config: str, word: str) -> str | None:
    """The lexeme a text search configuration keeps for one folded word (issue 14).

    ``russian`` reads ASCII words with the English stemmer and the others with the
    Russian one and its stop words; ``simple`` keeps every word as it is.
    """
    if config == ENGLISH:
        return lexeme(word)
    if len(word.encode()) > MAX_WORD_BYTES:
        return None
    if config == SIMPLE or any(ch.isdigit() for ch in word):
        return word
    if config == RUSSIAN:
        if word.isascii():
            return lexeme(word)
        if word in RUSSIAN_STOP_WORDS:
            return None
        return _russian_stemmer.stemWord(word)
    raise ValueError(f"unknown text search configuration {config!r}")


# --- Vectors ---------------------------------------------------------------------------


@dataclass
class Vector:
    """A ``tsvector``: lexeme → sorted positions, each with its weight letter."""

    entries: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @classmethod
    def from_words(
        cls, folded_words: Iterable[str], weight: str = "D", config: str = ENGLISH
    ) -> Vector:
        """``to_tsvector`` of words already folded, all given ``weight`` (``setweight``)."""
        entries: dict[str, list[tuple[int, str]]] = {}
        position = 0
        for word in folded_words:
            position += 1
            found = lexeme_in(config, word)
            if found is None:
                continue
            positions = entries.setdefault(found, [])
            at = min(position, MAX_POSITION)
            if not positions or positions[-1][0] != at:
                positions.append((at, weight))
        for positions in entries.values():
            del positions[MAX_POSITIONS_PER_LEXEME:]
        return cls(entries)

    @classmethod
    def from_parts(cls, parts: Iterable[tuple[str, ...]]) -> Vector:
        """``setweight(to_tsvector(a), 'A') || setweight(to_tsvector(b), 'B') || …`` for
        (text, weight) parts, texts given as words separated by spaces; a part may name
        its configuration third (a further text in its own language)."""
        vector = cls()
        for text, weight, *config in parts:
            vector = vector.concat(cls.from_words(text.split(), weight, *config))
        return vector

    @property
    def max_position(self) -> int:
        return max((p[-1][0] for p in self.entries.values() if p), default=0)

    def concat(self, other: Vector) -> Vector:
        """``||``: the right vector's positions move past the left's last position."""
        shift = self.max_position
        entries = {key: list(value) for key, value in self.entries.items()}
        for key, positions in other.entries.items():
            moved = [(min(pos + shift, MAX_POSITION), weight) for pos, weight in positions]
            merged = entries.get(key, []) + moved
            seen: dict[int, str] = {}
            for pos, weight in merged:
                seen.setdefault(pos, weight)
            entries[key] = sorted(seen.items())[:MAX_POSITIONS_PER_LEXEME]
        return Vector(entries)

    def dumps(self) -> str:
        """Text form stored on SQLite: ``lexeme:1A,7D other:3B``."""
        return " ".join(
            f"{key}:{','.join(f'{pos}{weight}' for pos, weight in positions)}"
            for key, positions in sorted(self.entries.items())
        )

    @classmethod
    def loads(cls, text: str) -> Vector:
        entries = {}
        for item in text.split():
            key, _, positions = item.rpartition(":")
            entries[key] = [(int(p[:-1]), p[-1]) for p in positions.split(",")]
        return cls(entries)

    def positions(self, key: str) -> set[int]:
        return {pos for pos, _ in self.entries.get(key, ())}


def index_text(text: str) -> str:
    """A text as the index sees it: its folded words, separated by spaces."""
    return " ".join(words(text))


# --- Queries -------------------------------------------------------------------------

QUOTES = '"“”„«»'
_SPLIT = re.compile(r"\s+")


@dataclass(frozen=True)
class Literal:
    """A word or a "quoted phrase" (several words), perhaps negated with ``-``."""

    words: tuple[str, ...]
    negated: bool = False
    phrase: bool = False
    config: str = ENGLISH

    @property
    def lexemes(self) -> tuple[tuple[str, int], ...]:
        """(lexeme, offset) pairs: stop words inside a phrase keep their place, as in
        PostgreSQL's ``'qavam' <2> 'saltaneh'``; at its ends they vanish."""
        found = [(lexeme_in(self.config, word), offset) for offset, word in enumerate(self.words)]
        kept = [(lex, offset) for lex, offset in found if lex is not None]
        if not kept:
            return ()
        first = kept[0][1]
        return tuple((lex, offset - first) for lex, offset in kept)

    def websearch(self) -> str:
        text = " ".join(self.words)
        if len(self.words) > 1:
            text = f'"{text}"'
        return f"-{text}" if self.negated else text

    def matches(self, vector: Vector) -> bool:
        lexemes = self.lexemes
        if len(lexemes) == 1:
            found = lexemes[0][0] in vector.entries
        else:
            first, _ = lexemes[0]
            found = any(
                all(start + offset in vector.positions(lex) for lex, offset in lexemes[1:])
                for start in vector.positions(first)
            )
        return found != self.negated


@dataclass(frozen=True)
class Query:
    """What a reader typed, parsed: OR of groups, each group an AND of literals.

    That is ``websearch_to_tsquery``'s shape: ``a b or c`` is ``(a & b) | c``.
    ``raw`` keeps the text as typed (cleaned), for display.
    """

    raw: str
    groups: tuple[tuple[Literal, ...], ...]

    @property
    def compiled(self) -> tuple[tuple[Literal, ...], ...]:
        """Groups without the literals that are only stop words, as PostgreSQL drops them."""
        groups = []
        for group in self.groups:
            kept = tuple(literal for literal in group if literal.lexemes)
            if kept:
                groups.append(kept)
        return tuple(groups)

    def __bool__(self) -> bool:
        return bool(self.compiled)

    @property
    def websearch(self) -> str:
        """Canonical ``websearch_to_tsquery`` text; PostgreSQL reads the same tree."""
        return " or ".join(" ".join(lit.websearch() for lit in group) for group in self.compiled)

    @property
    def positive_literals(self) -> list[Literal]:
        seen: dict[tuple[str, ...], Literal] = {}
        for group in self.compiled:
            for literal in group:
                if not literal.negated:
                    seen.setdefault(literal.words, literal)
        return list(seen.values())

    @property
    def positive_words(self) -> list[str]:
        return list(dict.fromkeys(w for lit in self.positive_literals for w in lit.words))

    def any_of_positive(self) -> Query:
        """The positive literals, any of them: ``a b -c`` → ``a or b``."""
        return Query(self.raw, tuple((lit,) for lit in self.positive_literals))

    def replace_words(self, replacements: dict[str, str]) -> Query:
        groups = tuple(
            tuple(
                Literal(tuple(replacements.get(w, w) for w in lit.words), lit.negated, lit.phrase)
                for lit in group
            )
            for group in self.groups
        )
        return Query(" ".join(lit.websearch() for g in groups for lit in g), groups)

    def matches(self, vector: Vector) -> bool:
        return any(variant.matches_as_read(vector) for variant in self.variants)

    def matches_as_read(self, vector: Vector) -> bool:
        """``@@`` with this reading of the query alone."""
        return any(all(lit.matches(vector) for lit in group) for group in self.compiled)

    def in_config(self, config: str) -> Query:
        """The same query read by another text search configuration."""
        groups = tuple(tuple(replace(lit, config=config) for lit in group) for group in self.groups)
        return Query(self.raw, groups)

    @property
    def variants(self) -> tuple[Query, ...]:
        """The readings a document may match (issue 14): always as English (the archive's
        configuration, so results are as before), and as Russian too when the query has
        Cyrillic letters, so a declined form ("Тегерана") finds a Russian text. PostgreSQL
        ORs the same readings (``engines.postgres``); the rank is the best of them."""
        if self.config == ENGLISH and has_cyrillic(self.websearch):
            return (self, self.in_config(RUSSIAN))
        return (self,)

    @property
    def config(self) -> str:
        """The text search configuration this reading of the query uses."""
        return self.groups[0][0].config if self.groups else ENGLISH

    # ts_rank -----------------------------------------------------------------------

    @property
    def _items(self) -> list[str]:
        """The query's distinct lexemes, negated ones too (SortAndUniqItems)."""
        return list(
            dict.fromkeys(lex for group in self.compiled for lit in group for lex, _ in lit.lexemes)
        )

    @property
    def _top_is_and(self) -> bool:
        groups = self.compiled
        if len(groups) != 1:
            return False
        group = groups[0]
        if len(group) > 1:
            return True
        literal = group[0]
        return not literal.negated and len(literal.lexemes) > 1

    def rank(self, vector: Vector) -> float:
        """``GREATEST(ts_rank(vector, reading), …)`` over the query's readings."""
        return max(variant.rank_as_read(vector) for variant in self.variants)

    def rank_as_read(self, vector: Vector) -> float:
        """``ts_rank(vector, query)`` with the default weights and no normalization."""
        items = self._items
        if not vector.entries or not items:
            return 0.0
        result = _rank_and(vector, items) if self._top_is_and else _rank_or(vector, items)
        return result if result > 0 else 1e-20


def _weight(letter: str) -> float:
    return WEIGHTS[letter]


def _rank_or(vector: Vector, items: list[str]) -> float:
    result = 0.0
    for item in items:
        positions = vector.entries.get(item)
        if not positions:
            continue
        total, best, best_at = 0.0, -1.0, 0
        for j, (_, letter) in enumerate(positions):
            weight = _weight(letter)
            total += weight / ((j + 1) * (j + 1))
            if weight > best:
                best, best_at = weight, j
        result += (best + total - best / ((best_at + 1) * (best_at + 1))) / 1.64493406685
    return result / len(items)


def _word_distance(distance: int) -> float:
    if distance > 100:
        return 1e-30
    return 1.0 / (1.005 + 0.05 * math.exp(distance / 1.5 - 2))


def _rank_and(vector: Vector, items: list[str]) -> float:
    if len(items) < 2:
        return _rank_or(vector, items)
    result = -1.0
    found: list[list[tuple[int, str]] | None] = []
    for item in items:
        positions = vector.entries.get(item)
        found.append(positions)
        if not positions:
            continue
        for other in found[:-1]:
            if not other:
                continue
            for pos, letter in positions:
                for other_pos, other_letter in other:
                    distance = abs(pos - other_pos)
                    if distance:
                        weight = math.sqrt(
                            _weight(letter) * _weight(other_letter) * _word_distance(distance)
                        )
                        result = weight if result < 0 else 1.0 - (1.0 - result) * (1.0 - weight)
    return result if result > 0 else 1e-20


def _chunks(text: str) -> Iterator[tuple[str, bool, bool]]:
    """(text, quoted, negated) pieces: "quoted phrases" whole, other text by spaces."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        start = i
        while i < n and text[i] == "-":
            negated = not negated
            i += 1
        if i < n and text[i] in QUOTES:
            end = i + 1
            while end < n and text[end] not in QUOTES:
                end += 1
            yield text[i + 1 : end], True, negated
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] not in QUOTES:
            end += 1
        if end == i and start == i:  # a lone quote mark
            i += 1
            continue
        yield text[i:end], False, negated
        i = end


def parse_query(text: str) -> Query:
    """Read a query as ``websearch_to_tsquery`` does: words are ANDed, "quoted text" is a
    phrase, ``-word`` or ``-"a phrase"`` excludes, ``OR`` (any case) between two terms
    offers alternatives and binds more loosely than AND. Other punctuation separates
    words; a word with a hyphen inside ("as-Saltaneh") is a phrase of its parts."""
    groups: list[list[Literal]] = [[]]
    pending_or = False
    for chunk, quoted, negated in _chunks(text):
        if not quoted and not negated and chunk.lower() == "or":
            pending_or = bool(groups[-1])
            continue
        found = tuple(words(chunk))
        if not found:
            continue
        literal = Literal(found, negated=negated, phrase=quoted or len(found) > 1)
        if pending_or:
            groups.append([])
            pending_or = False
        groups[-1].append(literal)
    return Query(text, tuple(tuple(group) for group in groups if group))


# --- Near misses ---------------------------------------------------------------------


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before, one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm ``similarity`` of two single words."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def word_similarity(typed: str, word: str) -> float:
    """pg_trgm ``word_similarity`` of a typed word and one word: the share of the typed
    word's trigrams found in the other. PostgreSQL's ``word_similarity(typed, names)``
    is at least this for every word of the names, so its index finds every near miss
    this rule accepts."""
    ta = trigrams(typed)
    return len(ta & trigrams(word)) / len(ta) if ta else 0.0


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a swap of two letters counts as one slip),
    giving up at ``limit`` (RapidFuzz's OSA, which stops counting past the cutoff)."""
    return min(OSA.distance(a, b, score_cutoff=limit), limit)


NEAR_MISS_SIMILARITY = 0.3  # word similarity, as pg_trgm.word_similarity_threshold is set


def allowed_slips(word: str) -> int:
    """One slip in a word of 4–7 letters, two from 8; none in shorter words."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def near_miss(word: str, candidate: str) -> int | None:
    """The number of slips between a typed word and a known name word, if it is a near
    miss: close in letters (edit distance) and in trigrams (what PostgreSQL's index finds)."""
    slips = allowed_slips(word)
    if not slips or word == candidate or any(ch.isdigit() for ch in word):
        return None
    if word_similarity(word, candidate) < NEAR_MISS_SIMILARITY:
        return None
    distance = edit_distance(word, candidate, slips + 1)
    return distance if distance <= slips else None
