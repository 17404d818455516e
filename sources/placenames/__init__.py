"""Place names in their time (issue 15, part 4): which name and which larger place
apply at a date, and how pages say so.

The models hold the periods (``NameVariant`` and ``PlaceContainment`` are
``PeriodModel``s, ``sources/models/placenames.py``); this package decides what a
reader sees:

- a place page: "Urmia (called Rezayeh until 1979)" (``former_names_note``), and its
  larger places through time (``containment_lines``);
- a document: a mention of Rezayeh reads "Rezayeh (today Urmia)", and a place shows
  the larger place of the document's date when the archive knows it, beside today's
  (``annotate_document``);
- the place list and the map as of a year (``parse_year``, ``annotate_as_of``).

Every function reads prefetched rows or runs one bounded query for a whole page.
"""

from .logic import (
    PlaceInTime,
    YearChoice,
    annotate_as_of,
    annotate_document,
    container_at,
    containment_lines,
    former_names_note,
    name_at,
    parse_year,
    period_text,
    year_bounds,
)

__all__ = [
    "PlaceInTime",
    "YearChoice",
    "annotate_as_of",
    "annotate_document",
    "container_at",
    "containment_lines",
    "former_names_note",
    "name_at",
    "parse_year",
    "period_text",
    "year_bounds",
]
