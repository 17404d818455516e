"""Search: one box that finds records by any name variant and documents by their words.

The facade pages use is ``Search`` (and ``suggest`` for the search box); underneath:

- ``query``: what a reader typed, cleaned and capped;
- ``textsearch``: PostgreSQL's full-text search written again in Python (query syntax,
  vectors, matching, ranking, near misses), so both databases give the same answers;
- ``engines``: one per database (``engine()`` picks), sharing one interface;
- ``highlight``: passages as safe HTML with the matches marked;
- ``index``: keeping the index and the kept counts current when records change (the
  signal receivers in ``sources.signals`` call it), never at query time;
- ``filters`` and ``facets``: the document filters (django-filter) and their counts;
- ``views``: /search/, /search/suggest/ and the filtered /documents/ list.
"""

from .engines import engine
from .query import MAX_QUERY_LENGTH, clean_query
from .searching import DocumentHit, EntityHit, MentionReason, Search, suggest
from .textsearch import parse_query

__all__ = [
    "MAX_QUERY_LENGTH",
    "DocumentHit",
    "EntityHit",
    "MentionReason",
    "Search",
    "clean_query",
    "engine",
    "parse_query",
    "suggest",
]
