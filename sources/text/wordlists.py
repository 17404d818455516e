"""The word lists, one per purpose, built from shared parts so that they cannot drift
apart: what search ignores, what the mention finder never offers as a name, and which
full stops do not end a sentence."""

from __future__ import annotations

# PostgreSQL's english.stop (tsearch_data), which the english_stem dictionary uses: the
# Python search engine must drop exactly these to give PostgreSQL's answers.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905 - the list as PostgreSQL ships it
)

# Titles and ranks the sources abbreviate before a name: "Cde. Bagirov", "Lt. Col. …".
TITLES = frozenset(
    {"cde", "cdes", "lt", "col", "gen", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr"}
)

# Words ending in a full stop that do not end a sentence in our sources: titles,
# archival and bibliographic abbreviations (f., op., d., ll.), Latin and English ones.
ABBREVIATIONS = TITLES | frozenset(
    {
        "st", "no", "nos", "vol", "vols", "ed", "eds", "trans", "f", "op", "d", "l", "ll",
        "p", "pp", "c", "ca", "cf", "fig", "jr", "sr", "vs", "u.s", "e.g", "i.e", "approx",
    }
)  # fmt: skip

# Month names and their abbreviations: capitalised in every date, names of nothing.
MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905
)

# Adjectives and plurals of nationality and direction: capitalised, but no record's name
# on their own ("Iranian", "Southern Azerbaijani", "Kurds").
DEMONYMS = frozenset(
    """iranian iranians azerbaijani azerbaijanis soviet soviets kurdish kurds kurd armenian
    armenians assyrian assyrians russian russians persian persians turkish turks american
    americans british english french german georgian georgians talysh arab arabs
    southern northern eastern western""".split()  # noqa: SIM905
)

# Offices and forms of address that stand before a name ("Prime Minister", "Justice").
OFFICES = frozenset(
    """prime minister ministers interior foreign defence defense justice president premier
    chairman secretary commissar governor commander chief consul ambassador deputy
    deputies shah""".split()  # noqa: SIM905
)

# Capitalised words that start sentences or titles far more often than they name anyone:
# the mention finder never offers them as names of new records.
NOT_NAMES = (
    STOP_WORDS
    | TITLES
    | frozenset(
        {
            "according", "however", "therefore", "also", "general", "ii", "iii",
            "establish", "consider", "conduct", "organize", "entrust", "commit", "permit",
            "use", "equal", "improvement", "elimination", "allotment", "radical", "combat",
            "distribution",
        }
    )
    | MONTHS
)  # fmt: skip
