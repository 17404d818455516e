"""Text as the archive reads it: names folded so every spelling meets, the one tokeniser
(words with their spans in the original), the one word-boundary rule, the word lists,
and historical dates in EDTF.

Everything here is pure Python with no database access, so models, search, the mention
finder and the reading pages can all build on it without import cycles.
"""

from .certainty import hedge, hedged
from .folding import (
    WordToken,
    fold,
    initial_letter,
    is_word_char,
    on_word_boundaries,
    strip_possessive,
    word_spans,
    word_tokens,
    words,
)

__all__ = [
    "WordToken",
    "fold",
    "hedge",
    "hedged",
    "initial_letter",
    "is_word_char",
    "on_word_boundaries",
    "strip_possessive",
    "word_spans",
    "word_tokens",
    "words",
]
