"""What the reading pages compute, kept out of views and templates so it can be tested
on its own and reused (feeds, exports, the admin) without a request.

- ``render_transcription``: a document's text as safe HTML, every mention a link.
- ``keyword_in_context``: the sentence around a mention, for "sources that mention X".
- ``chicago_note``: the citation a historian copies.
- ``related_documents`` / ``reading_trail``: how documents connect through shared records.
- ``build_timeline``: dated records placed at the precision their dates are known.
- ``safe_page``: a page of results whatever ``?page=`` says.

Every function that queries does so a fixed number of times, whatever the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .dates import MONTHS
from .models import AgentRole, Document, DocumentAgent, Entity, EntityKind, Mention
from .text import fold

# --------------------------------------------------------------------------------------
# The transcription as HTML

# Paragraphs are separated by a blank line (which may hold spaces).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")
# Wikipedia-style reference markers: "[3]". Bracketed words ("[oblast']") are text.
_REFERENCE = re.compile(r"\[(\d{1,3})\]")
_NEWLINE = re.compile(r"\r?\n")


def _inline(text: str, references: Collection[int]) -> str:
    """Escape a run of plain text, then add our only markup: reference links, <br>."""
    html = escape(text)  # escape() leaves "[3]" untouched, so markers survive it
    if references:

        def link(match: re.Match) -> str:
            number = int(match.group(1))
            if number not in references:
                return match.group(0)
            return format_html(
                '<sup class="ref"><a href="#ref-{}" aria-label="reference {}">[{}]</a></sup>',
                number,
                number,
                number,
            )

        html = _REFERENCE.sub(link, html)
    return _NEWLINE.sub("<br>\n", html)


def _mention_link(mention: Mention, words: str) -> str:
    entity = mention.entity
    classes = f"mention mention-{entity.kind}"
    title = f"{entity.name} ({entity.get_kind_display()})"
    if mention.certainty != "certain":
        classes += " mention-uncertain"
        title += f", identification {mention.get_certainty_display()}"
    return format_html(
        '<a id="m{}" class="{}" href="{}" title="{}">{}</a>',
        mention.start,
        classes,
        entity.get_absolute_url(),
        title,
        mark_safe(_NEWLINE.sub("<br>\n", escape(words))),  # escaped just here
    )


def usable_mentions(text: str, mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions that still match the text, in order, without overlaps.

    A transcription edited after its mentions were recorded may leave stale offsets;
    those are skipped (the corpus check reports them) rather than linking wrong words.
    """
    kept: list[Mention] = []
    end = -1
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        if mention.start < end or text[mention.start : mention.end] != mention.text:
            continue
        kept.append(mention)
        end = mention.end
    return kept


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    trimmed = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def render_transcription(
    text: str, mentions: Iterable[Mention], references: Collection[int] = ()
) -> SafeString:
    """The transcription as paragraphs of escaped text in which every mention links to
    its record (``id="m<start>"``, so a quotation elsewhere can link to the very spot)
    and every reference marker with a work cited links to it (``#ref-3``).

    Everything from the data passes through ``escape`` or ``format_html``; the only
    markup is the <p>, <br>, <a> and <sup> built here. A mention that would cross a
    paragraph break is left as plain text rather than produce broken markup.
    """
    pending = usable_mentions(text, mentions)
    paragraphs: list[str] = []
    index = 0
    for start, end in _paragraph_spans(text):
        while index < len(pending) and pending[index].start < start:
            index += 1  # began in a previous paragraph's break: not linkable
        parts: list[str] = []
        position = start
        while index < len(pending) and pending[index].end <= end:
            mention = pending[index]
            parts.append(_inline(text[position : mention.start], references))
            parts.append(_mention_link(mention, mention.text))
            position = mention.end
            index += 1
        parts.append(_inline(text[position:end], references))
        paragraphs.append(f"<p>{''.join(parts)}</p>")
    return mark_safe("\n".join(paragraphs))  # every piece escaped above


# --------------------------------------------------------------------------------------
# Keyword in context


@dataclass(frozen=True)
class KeywordInContext:
    """A mention in its sentence: ``before`` + ``words`` + ``after``, plain text (the
    template escapes it and wraps ``words`` in <mark>)."""

    before: str
    words: str
    after: str
    clipped_before: bool = False
    clipped_after: bool = False


# Words ending in a full stop that do not end a sentence in our sources.
_ABBREVIATIONS = {
    "cde", "cdes", "lt", "col", "gen", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr",
    "st", "no", "nos", "vol", "vols", "ed", "eds", "trans", "f", "op", "d", "l", "ll",
    "p", "pp", "c", "ca", "cf", "fig", "jr", "sr", "vs", "u.s", "e.g", "i.e", "approx",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s|$)|\n")
_WORD_BEFORE = re.compile(r"([\w.'’]+)\.$")
_SPACES = re.compile(r"\s+")


def _ends_sentence(text: str, match: re.Match) -> bool:
    token = match.group(0)
    if token == "\n" or not token.startswith("."):
        return True
    word = _WORD_BEFORE.search(text, 0, match.start() + 1)
    if word is None:
        return True
    value = word.group(1).lower()
    return not (value in _ABBREVIATIONS or (len(value) == 1 and value.isalpha()))


def _clip_left(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text[-limit:]
    space = cut.find(" ")
    return (cut[space + 1 :] if 0 <= space < limit // 3 else cut), True


def _clip_right(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 2 // 3 else cut), True


def keyword_in_context(
    text: str,
    start: int,
    end: int,
    *,
    offset: int = 0,
    text_continues: bool = False,
    limit: int = 200,
) -> KeywordInContext:
    """The sentence around ``text[start:end]``, at most ``limit`` characters each side.

    ``text`` may be a stretch of a longer document beginning at ``offset`` and, when
    ``text_continues``, ending before the document does (see
    ``MentionQuerySet.with_context``); ``start``/``end`` are offsets in the document.
    Sentence ends are full stops, question and exclamation marks and line breaks, but
    not the abbreviations and initials the sources are full of ("Cde. Bagirov",
    "Lt. Col. Zagirnia", "William O. Douglas").
    """
    start, end = start - offset, end - offset
    sentence_start, clipped_before = 0, offset > 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        if _ends_sentence(text, match):
            sentence_start, clipped_before = match.end(), False
    sentence_end, clipped_after = len(text), text_continues
    for match in _SENTENCE_END.finditer(text, end):
        if _ends_sentence(text, match):
            sentence_end, clipped_after = match.end(), False
            if match.group(0) == "\n":
                sentence_end = match.start()
            break
    before = _SPACES.sub(" ", text[sentence_start:start]).lstrip()
    after = _SPACES.sub(" ", text[end:sentence_end]).rstrip()
    before, cut_before = _clip_left(before, limit)
    after, cut_after = _clip_right(after, limit)
    return KeywordInContext(
        before=before,
        words=_SPACES.sub(" ", text[start:end]),
        after=after,
        clipped_before=clipped_before or cut_before,
        clipped_after=clipped_after or cut_after,
    )


CONTEXT_WIDTH = 400  # characters the database cuts either side of a mention


@dataclass
class SourceQuotes:
    """One document that mentions a record, with each mention quoted."""

    document: Document
    quotes: list[tuple[Mention, KeywordInContext]] = field(default_factory=list)

    @property
    def words_used(self) -> list[str]:
        """The distinct words the document uses for the record, in order of use."""
        return list(dict.fromkeys(mention.text for mention, _ in self.quotes))


def quote_sources(entity: Entity, documents: Sequence[Document]) -> list[SourceQuotes]:
    """Each of ``documents`` (a page of those mentioning ``entity``) with every mention
    of ``entity`` in it quoted in context. One query, however many mentions."""
    groups = {document.pk: SourceQuotes(document) for document in documents}
    mentions = (
        Mention.objects.filter(entity=entity, document_id__in=list(groups))
        .with_context(CONTEXT_WIDTH)
        .defer("note")
        .order_by("document_id", "start")
    )
    for mention in mentions:
        # The database cut CONTEXT_WIDTH characters after the words unless the text
        # ended first: a full-width stretch may go on.
        kwic = keyword_in_context(
            mention.context,
            mention.start,
            mention.end,
            offset=mention.context_offset,
            text_continues=len(mention.context)
            >= mention.end - mention.context_offset + CONTEXT_WIDTH,
        )
        groups[mention.document_id].quotes.append((mention, kwic))
    return list(groups.values())


# --------------------------------------------------------------------------------------
# The records in a document, and documents that share them

KIND_ORDER = [EntityKind.PERSON, EntityKind.PLACE, EntityKind.ORGANIZATION, EntityKind.EVENT]
KIND_HEADINGS = {
    EntityKind.PERSON: "People",
    EntityKind.PLACE: "Places",
    EntityKind.ORGANIZATION: "Organizations",
    EntityKind.EVENT: "Events",
}


@dataclass
class RecordUse:
    """A record as one document names it: how often, in which words, where first."""

    entity: Entity
    mentions: list[Mention] = field(default_factory=list)

    @property
    def words_used(self) -> list[str]:
        return list(dict.fromkeys(m.text for m in self.mentions))

    @property
    def first_anchor(self) -> str:
        return f"#m{self.mentions[0].start}" if self.mentions else ""


@dataclass
class KindGroup:
    kind: str
    heading: str
    records: list[RecordUse]


def records_by_kind(mentions: Iterable[Mention]) -> list[KindGroup]:
    """Group a document's (prefetched) mentions by record, then by kind, A–Z."""
    uses: dict[int, RecordUse] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        uses.setdefault(mention.entity_id, RecordUse(mention.entity)).mentions.append(mention)
    groups = []
    for kind in KIND_ORDER:
        records = sorted(
            (use for use in uses.values() if use.entity.kind == kind),
            key=lambda use: (use.entity.sort_name or use.entity.name).casefold(),
        )
        if records:
            groups.append(KindGroup(kind, KIND_HEADINGS[kind], records))
    return groups


def _record_order(entity: Entity) -> tuple[int, str]:
    return KIND_ORDER.index(entity.kind), (entity.sort_name or entity.name).casefold()


@dataclass
class RelatedDocument:
    document: Document
    shared: list[Entity]

    @property
    def shared_count(self) -> int:
        return len(self.shared)


def related_documents(
    document: Document, records: dict[int, Entity], limit: int = 6
) -> list[RelatedDocument]:
    """Published documents ranked by how many of ``document``'s records they also
    mention, each with the shared records named (people first).

    ``records`` maps entity id to entity for the records ``document`` mentions (the
    page has them already); two queries in all: the ranking, then which records each
    of the top documents shares.
    """
    ranked = list(Document.objects.published().sharing_records_with(document).for_lists()[:limit])
    if not ranked:
        return []
    shared: dict[int, set[int]] = {d.pk: set() for d in ranked}
    pairs = (
        Mention.objects.filter(
            document_id__in=list(shared),
            entity_id__in=Mention.objects.filter(document=document).values("entity_id"),
        )
        .values_list("document_id", "entity_id")
        .distinct()
    )
    for document_id, entity_id in pairs:
        shared[document_id].add(entity_id)
    return [
        RelatedDocument(
            d, sorted((records[i] for i in shared[d.pk] if i in records), key=_record_order)
        )
        for d in ranked
    ]


def name_list(entities: Sequence[Entity], most: int = 5) -> str:
    """'Molotov, Tabriz and Maragheh'; longer lists end '… and 4 more'."""
    names = [entity.name for entity in entities]
    if len(names) > most:
        shown, rest = names[:most], len(names) - most
        return f"{', '.join(shown)} and {rest} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# The guided trail on the home page: the three sources that tell the story from the
# decision in Moscow to fighting in the villages. Curated (a reading path is an
# editorial choice); what links each step is computed from the records they share.
TRAIL = (
    "1945-07-06-politburo-decree",
    "1945-11-21-telegram-baku-to-moscow",
    "1946-04-battles-of-inje-and-qalaburun",
)


def short_type(document: Document) -> str:
    """'decree or resolution' → 'decree': the noun a sentence about it can use."""
    return document.get_document_type_display().split(" or ")[0]


@dataclass
class TrailStep:
    document: Document
    previous: Document | None
    shared_with_previous: list[Entity]

    @property
    def noun(self) -> str:
        return short_type(self.document)

    @property
    def previous_noun(self) -> str:
        return short_type(self.previous) if self.previous else ""

    @property
    def shared_names(self) -> str:
        return name_list(self.shared_with_previous)


def reading_trail(slugs: Sequence[str] = TRAIL) -> list[TrailStep]:
    """The trail's published documents in order, each with the records it shares with
    the step before. One query for the documents and one per step (a fixed number)."""
    found = {d.slug: d for d in Document.objects.published().filter(slug__in=slugs)}
    documents = [found[slug] for slug in slugs if slug in found]
    steps: list[TrailStep] = []
    for previous, document in zip([None, *documents], documents, strict=False):
        shared: list[Entity] = []
        if previous is not None:
            shared = sorted(
                Entity.objects.filter(mentions__document=previous)
                .filter(mentions__document=document)
                .distinct(),
                key=_record_order,
            )
        steps.append(TrailStep(document, previous, shared))
    return steps


# --------------------------------------------------------------------------------------
# Citation


def _names(links: Iterable[DocumentAgent]) -> str:
    names = [link.entity.name for link in links]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"


def agents_by_role(document: Document) -> dict[str, list[DocumentAgent]]:
    """The document's authors, recipients… keyed by role (uses prefetched links)."""
    roles: dict[str, list[DocumentAgent]] = {role: [] for role in AgentRole.values}
    for link in document.agent_links.all():
        roles.setdefault(link.role, []).append(link)
    return roles


def chicago_note(document: Document, url: str, accessed: dt.date) -> str:
    """A Chicago-style note for the document as this archive presents it.

    Archival sources: author to recipient, “title,” date, reference, holding archive,
    who obtained and translated it, where it was published, then our copy with the
    access date. Published works (articles, interviews): author, “title,” publisher,
    date, URL. Plain text: readers paste it into their own notes.
    """
    roles = agents_by_role(document)
    lead = _names(roles[AgentRole.AUTHOR])
    if lead and roles[AgentRole.RECIPIENT]:
        lead += f" to {_names(roles[AgentRole.RECIPIENT])}"
    if not lead and roles[AgentRole.INTERVIEWEE]:
        lead = f"{_names(roles[AgentRole.INTERVIEWEE])}, interview"
        if roles[AgentRole.INTERVIEWER]:
            lead += f" by {_names(roles[AgentRole.INTERVIEWER])}"
    parts: list[str] = []
    date = document.date_display
    is_archival = bool(document.archival_reference or document.repository_id)
    if is_archival:
        if date:
            parts.append(date)
        reference = document.archival_reference
        if reference:
            parts.append(reference)
        repository = document.repository
        if repository and (not reference or (repository.abbreviation or "") not in reference):
            parts.append(str(repository))
        if roles[AgentRole.OBTAINED_BY]:
            parts.append(f"obtained by {_names(roles[AgentRole.OBTAINED_BY])}")
        if roles[AgentRole.TRANSLATOR]:
            parts.append(f"trans. {_names(roles[AgentRole.TRANSLATOR])}")
        if document.publisher:
            parts.append(document.publisher)
    else:
        if roles[AgentRole.TRANSLATOR]:
            parts.append(f"trans. {_names(roles[AgentRole.TRANSLATOR])}")
        if document.publisher:
            parts.append(document.publisher)
        if date:
            parts.append(date)
    if document.source_url:
        parts.append(document.source_url)
    accessed_text = f"{accessed.day} {MONTHS[accessed.month - 1]} {accessed.year}"
    parts.append(f"Azerbaijan Crisis Archive, {url} (accessed {accessed_text})")
    title = f"“{document.title.rstrip('.')},”"
    head = f"{lead}, {title}" if lead else title
    return f"{head} {', '.join(parts)}."


# --------------------------------------------------------------------------------------
# Timeline

_EDTF_START = re.compile(r"^(?P<year>-?\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?")


def date_precision(edtf: str) -> str:
    """'day', 'month' or 'year': how precisely the start of an EDTF date is known.

    Seasons (1945-21) count as years: the month is not known. '' when there is no
    usable start (empty or open-ended).
    """
    start = (edtf or "").split("/", 1)[0].strip()
    match = _EDTF_START.match(start)
    if not match:
        return ""
    month, day = match.group("month"), match.group("day")
    if month and int(month) <= 12:
        return "day" if day else "month"
    return "year"


@dataclass
class TimelineEntry:
    """A document or event at its place in time. ``is_range`` when it spans days."""

    kind: str  # "document" or "event"
    record: Document | Entity
    precision: str
    earliest: dt.date | None
    latest: dt.date | None

    @property
    def is_range(self) -> bool:
        return "/" in self.record.date_edtf

    @property
    def is_document(self) -> bool:
        return self.kind == "document"


@dataclass
class TimelineMonth:
    year: int
    month: int
    entries: list[TimelineEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def anchor(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass
class TimelineYear:
    year: int
    months: list[TimelineMonth] = field(default_factory=list)
    month_unknown: list[TimelineEntry] = field(default_factory=list)


@dataclass
class Timeline:
    years: list[TimelineYear]
    undated: list[TimelineEntry]

    @property
    def is_empty(self) -> bool:
        return not self.years and not self.undated


_PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}


def build_timeline(documents: Iterable[Document], events: Iterable[Entity]) -> Timeline:
    """Place documents and events by the start of their dates, at the precision known.

    A date known to the day goes under its month; one known only to the month goes
    under that month after the dated days; one known only to the year goes under
    "<year> (month unknown)"; a range goes where it starts (it shows its full range);
    records without a usable date are listed at the end.
    """
    entries = [
        TimelineEntry(
            kind, record, date_precision(record.date_edtf), record.date_earliest, record.date_latest
        )
        for kind, records in (("document", documents), ("event", events))
        for record in records
    ]
    dated = [e for e in entries if e.earliest and e.precision]
    undated = sorted(
        (e for e in entries if not (e.earliest and e.precision)),
        key=lambda e: (e.kind, str(e.record).casefold()),
    )
    dated.sort(
        key=lambda e: (
            e.earliest.year,
            e.precision == "year",
            e.earliest.month,
            _PRECISION_ORDER[e.precision],
            e.earliest,
            e.kind != "event",
            str(e.record).casefold(),
        )
    )
    years: dict[int, TimelineYear] = {}
    for entry in dated:
        year = years.setdefault(entry.earliest.year, TimelineYear(entry.earliest.year))
        if entry.precision == "year":
            year.month_unknown.append(entry)
            continue
        if not year.months or year.months[-1].month != entry.earliest.month:
            year.months.append(TimelineMonth(entry.earliest.year, entry.earliest.month))
        year.months[-1].entries.append(entry)
    return Timeline(sorted(years.values(), key=lambda y: y.year), undated)


# --------------------------------------------------------------------------------------
# Lists and paging


def safe_page(paginator: Paginator, raw: str | None) -> tuple[Page, str]:
    """The page ``?page=`` asks for, or the nearest sensible one with a notice saying
    why: a malformed or out-of-range page number is a reader's typo, not an error."""
    if raw in (None, ""):
        return paginator.page(1), ""
    try:
        return paginator.page(raw), ""
    except PageNotAnInteger:
        if raw == "last":
            return paginator.page(paginator.num_pages), ""
        return paginator.page(1), f"“{raw}” is not a page number; showing page 1."
    except EmptyPage:
        last = paginator.num_pages
        number = 1 if _is_below_one(raw) else last
        return paginator.page(number), f"There is no page {raw}; showing page {number}."


def _is_below_one(raw: str) -> bool:
    try:
        return int(raw) < 1
    except (TypeError, ValueError):
        return True


def initial_letter(name: str) -> str:
    """The A–Z heading a name files under ('Ələkbər' under E); '#' for non-letters."""
    folded = fold(name)
    first = folded[:1].upper()
    return first if first.isalpha() else "#"
