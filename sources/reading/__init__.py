"""What the reading pages compute, kept out of views and templates so it can be tested
on its own and reused (feeds, exports, the admin) without a request.

- ``render_transcription``: a document's text as safe HTML, every mention a link
  (``stored_transcription``: rendered once per version of its inputs, kept in the cache).
- ``keyword_in_context``: the sentence around a mention, for "sources that mention X".
- ``chicago_note``: the citation a historian copies.
- ``related_documents`` / ``reading_trail``: how documents connect through shared records.
- ``build_timeline``: dated records placed at the precision their dates are known.
- ``views``: the reading pages themselves (home, documents, records, timeline, map).

Every function that queries does so a fixed number of times, whatever the data.
"""

from .citation import agents_by_role, chicago_note
from .connections import (
    KIND_HEADINGS,
    KIND_ORDER,
    TRAIL,
    KindGroup,
    RecordUse,
    RelatedDocument,
    RelatedPanel,
    TrailStep,
    name_list,
    reading_trail,
    records_by_kind,
    related_documents,
    related_panel,
    short_type,
)
from .quotes import CONTEXT_WIDTH, KeywordInContext, SourceQuotes, keyword_in_context, quote_sources
from .timeline import (
    Timeline,
    TimelineEntry,
    TimelineMonth,
    TimelineSource,
    TimelineYear,
    build_timeline,
    date_precision,
)
from .transcription import render_transcription, stored_transcription, usable_mentions

__all__ = [
    "CONTEXT_WIDTH", "KIND_HEADINGS", "KIND_ORDER", "TRAIL", "KeywordInContext", "KindGroup",
    "RecordUse", "RelatedDocument", "RelatedPanel", "SourceQuotes", "Timeline", "TimelineEntry",
    "TimelineMonth", "TimelineSource", "TimelineYear", "TrailStep", "agents_by_role",
    "build_timeline",
    "chicago_note", "date_precision", "keyword_in_context", "name_list",
    "quote_sources", "reading_trail", "records_by_kind", "related_documents", "related_panel",
    "render_transcription", "short_type", "stored_transcription", "usable_mentions",
]  # fmt: skip
