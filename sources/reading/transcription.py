"""A document's transcription as safe HTML: escaped text, paragraphs, and our own
links for mentions and reference markers."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import Mention

# Paragraphs are separated by a blank line (which may hold spaces).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")
# Wikipedia-style reference markers: "[3]". Bracketed words ("[oblast']") are text.
_REFERENCE = re.compile(r"\[(\d{1,3})\]")
_NEWLINE = re.compile(r"\r?\n")

logger = logging.getLogger(__name__)


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


def _mention_link(mention: Mention, words: str, prefix: str = "m") -> str:
    entity = mention.entity
    classes = f"mention mention-{entity.kind}"
    title = f"{entity.name} ({entity.get_kind_display()})"
    if getattr(mention, "time_note", ""):  # a former name: "Rezayeh (today Urmia), place"
        title = f"{mention.time_note}, {entity.get_kind_display()}"
    if mention.certainty != "certain":
        classes += " mention-uncertain"
        title += f", identification {mention.get_certainty_display()}"
    return format_html(
        '<a id="{}{}" class="{}" href="{}" title="{}">{}</a>',
        prefix,
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


@dataclass(frozen=True)
class Break:
    """A page break to show in the text: where, its label ("l. 4"), and where its link
    goes (the page's image; the viewer's script moves to page ``page``)."""

    position: int
    label: str
    href: str
    page: int


def _break_link(page_break: Break) -> str:
    return format_html(
        '<a class="page-break" href="{}" data-page="{}" title="Show the image of {}">{}</a>',
        page_break.href,
        page_break.page,
        page_break.label,
        page_break.label,
    )


def render_transcription(
    text: str,
    mentions: Iterable[Mention],
    references: Collection[int] = (),
    breaks: Iterable[Break] = (),
    prefix: str = "m",
) -> SafeString:
    """The transcription as paragraphs of escaped text in which every mention links to
    its record (``id="m<start>"``, so a quotation elsewhere can link to the very spot)
    and every reference marker with a work cited links to it (``#ref-3``).

    Everything from the data passes through ``escape`` or ``format_html``; the only
    markup is the <p>, <br>, <a> and <sup> built here. A mention that would cross a
    paragraph break is left as plain text rather than produce broken markup.
    A further text of the document (issue 14) gives its own ``prefix`` for the ids.
    """
    pending = usable_mentions(text, mentions)
    # Page breaks: one inside a mention's words is shown before them, one between
    # paragraphs at the start of the next, one beyond the text at its end.
    waiting = sorted(breaks, key=lambda b: (b.position, b.page))
    paragraphs: list[str] = []
    index = 0
    spans = _paragraph_spans(text)

    def plain(a: int, b: int, parts: list[str]) -> None:
        while waiting and waiting[0].position < b:
            cut = max(waiting[0].position, a)
            parts.append(_inline(text[a:cut], references))
            parts.append(_break_link(waiting.pop(0)))
            a = cut
        parts.append(_inline(text[a:b], references))

    for number, (start, end) in enumerate(spans):
        while index < len(pending) and pending[index].start < start:
            index += 1  # began in a previous paragraph's break: not linkable
        parts: list[str] = []
        position = start
        while index < len(pending) and pending[index].end <= end:
            mention = pending[index]
            plain(position, mention.start, parts)
            while waiting and waiting[0].position < mention.end:
                parts.append(_break_link(waiting.pop(0)))
            parts.append(_mention_link(mention, mention.text, prefix))
            position = mention.end
            index += 1
        plain(position, end, parts)
        if number == len(spans) - 1:
            parts.extend(_break_link(page_break) for page_break in waiting)
        paragraphs.append(f"<p>{''.join(parts)}</p>")
    return mark_safe("\n".join(paragraphs))  # every piece escaped above


# Bump when render_transcription's output changes for the same inputs (a new markup rule):
# every stored rendering is then ignored.
RENDERING_VERSION = 1
STORED_SECONDS = 7 * 24 * 3600


def _rendering_key(
    text: str,
    mentions: list[Mention],
    references: Collection[int],
    breaks: Collection[Break] = (),
    prefix: str = "m",
) -> str:
    """A digest of everything ``render_transcription`` reads (the text; each mention's
    place, words, certainty and record name, kind and address; the works cited), so a
    stored rendering is found again only for exactly the same inputs: no invalidation
    to get wrong."""
    digest = hashlib.sha256(f"{RENDERING_VERSION}\0{text}".encode("utf-8", "surrogatepass"))
    for mention in sorted(mentions, key=lambda m: (m.start, m.end, m.pk or 0)):
        entity = mention.entity
        part = (
            f"\0{mention.start}\0{mention.end}\0{mention.text}\0{mention.certainty}"
            f"\0{entity.kind}\0{entity.name}\0{entity.get_absolute_url()}"
            f"\0{getattr(mention, 'time_note', '')}"
        )
        digest.update(part.encode("utf-8", "surrogatepass"))
    digest.update(f"\0{sorted(references)}".encode())
    for page_break in sorted(breaks, key=lambda b: (b.position, b.page)):
        digest.update(f"\0{page_break!r}".encode("utf-8", "surrogatepass"))
    if prefix != "m":
        digest.update(f"\0{prefix}".encode())
    return f"transcription:{digest.hexdigest()}"


def stored_transcription(
    text: str,
    mentions: Iterable[Mention],
    references: Collection[int] = (),
    breaks: Collection[Break] = (),
    prefix: str = "m",
) -> SafeString:
    """``render_transcription``, rendered once per version of its inputs and kept in the
    shared cache (the heaviest part of a document page). What is kept is exactly what
    ``render_transcription`` returned (escaped text and our own links); a cache that
    does not answer means rendering it now."""
    mentions = list(mentions)
    key = _rendering_key(text, mentions, references, breaks, prefix)
    try:
        kept = cache.get(key)
    except Exception:
        kept = None
    if isinstance(kept, str):
        return mark_safe(kept)  # render_transcription's own output, found by digest
    html = render_transcription(text, mentions, references, breaks, prefix)
    try:
        cache.set(key, str(html), STORED_SECONDS)
    except Exception:
        logger.warning("could not keep a rendered transcription", exc_info=True)
    return html
