"""Which text search configuration reads a text in a given language (issue 14).

Pure: no database. PostgreSQL indexes each text with its language's configuration and
``sources.search.textsearch`` copies each configuration in Python for SQLite, so both
engines keep the same vectors:

* English (and the primary transcription, whatever its language, as before): the
  archive's own ``archive_search`` (English stemmer, unaccent; migration 0006);
* Russian: PostgreSQL's ``russian`` (Snowball's Russian stemmer for Cyrillic words,
  the English stemmer for ASCII words, the stop words below);
* every other language: ``simple`` (the folded word itself, no stop words), since no
  configuration of ours stems it the same way on both databases.
"""

from __future__ import annotations

ENGLISH = "archive_search"  # = sources.search.engines.CONFIG, made by migration 0006
RUSSIAN = "russian"
SIMPLE = "simple"
CONFIGS = (ENGLISH, RUSSIAN, SIMPLE)

CONFIG_BY_LANGUAGE = {"en": ENGLISH, "ru": RUSSIAN}


def search_config(language: str) -> str:
    """The text search configuration for a text in ``language`` (an ISO 639-1 code)."""
    return CONFIG_BY_LANGUAGE.get(language, SIMPLE)


def has_cyrillic(text: str) -> bool:
    """Whether a query has Cyrillic letters: then it is also read as Russian."""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


# PostgreSQL's russian.stop (share/tsearch_data), Snowball's Russian stop word list
# (BSD licence, snowballstem.org), as ``russian_stem`` applies it: 151 words.
RUSSIAN_STOP_WORDS = frozenset(
    (
        "и",
        "в",
        "во",
        "не",
        "что",
        "он",
        "на",
        "я",
        "с",
        "со",
        "как",
        "а",
        "то",
        "все",
        "она",
        "так",
        "его",
        "но",
        "да",
        "ты",
        "к",
        "у",
        "же",
        "вы",
        "за",
        "бы",
        "по",
        "только",
        "ее",
        "мне",
        "было",
        "вот",
        "от",
        "меня",
        "еще",
        "нет",
        "о",
        "из",
        "ему",
        "теперь",
        "когда",
        "даже",
        "ну",
        "вдруг",
        "ли",
        "если",
        "уже",
        "или",
        "ни",
        "быть",
        "был",
        "него",
        "до",
        "вас",
        "нибудь",
        "опять",
        "уж",
        "вам",
        "ведь",
        "там",
        "потом",
        "себя",
        "ничего",
        "ей",
        "может",
        "они",
        "тут",
        "где",
        "есть",
        "надо",
        "ней",
        "для",
        "мы",
        "тебя",
        "их",
        "чем",
        "была",
        "сам",
        "чтоб",
        "без",
        "будто",
        "чего",
        "раз",
        "тоже",
        "себе",
        "под",
        "будет",
        "ж",
        "тогда",
        "кто",
        "этот",
        "того",
        "потому",
        "этого",
        "какой",
        "совсем",
        "ним",
        "здесь",
        "этом",
        "один",
        "почти",
        "мой",
        "тем",
        "чтобы",
        "нее",
        "сейчас",
        "были",
        "куда",
        "зачем",
        "всех",
        "никогда",
        "можно",
        "при",
        "наконец",
        "два",
        "об",
        "другой",
        "хоть",
        "после",
        "над",
        "больше",
        "тот",
        "через",
        "эти",
        "нас",
        "про",
        "всего",
        "них",
        "какая",
        "много",
        "разве",
        "три",
        "эту",
        "моя",
        "впрочем",
        "хорошо",
        "свою",
        "этой",
        "перед",
        "иногда",
        "лучше",
        "чуть",
        "том",
        "нельзя",
        "такой",
        "им",
        "более",
        "всегда",
        "конечно",
        "всю",
        "между",
    )
)
