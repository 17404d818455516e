"""Keyword in context: the sentence around a mention, quoted on record pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..models import Document, DocumentText, Entity, Mention
from ..models.entities import from_database
from ..text.wordlists import ABBREVIATIONS


@dataclass(frozen=True)
class KeywordInContext:
    """A mention in its sentence: ``before`` + ``words`` + ``after``, plain text (the
    template escapes it and wraps ``words`` in <mark>)."""

    before: str
    words: str
    after: str
    clipped_before: bool = False
    clipped_after: bool = False

    @property
    def marked(self) -> SafeString:
        """'…before <mark>words</mark> after…' as a record page quotes it, escaped (one
        template variable a quote rather than five)."""
        return format_html(
            "{}{}<mark>{}</mark>{}{}",
            "…" if self.clipped_before else "",
            self.before,
            self.words,
            self.after,
            "…" if self.clipped_after else "",
        )


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
    return not (value in ABBREVIATIONS or (len(value) == 1 and value.isalpha()))


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
    def url(self) -> str:
        return self.document.get_absolute_url()

    @property
    def words_used(self) -> list[str]:
        """The distinct words the document uses for the record, in order of use."""
        return list(dict.fromkeys(mention.text for mention, _ in self.quotes))


def quote_sources(entity: Entity, documents: Sequence[Document]) -> list[SourceQuotes]:
    """Each of ``documents`` (a page of those mentioning ``entity``) with every mention
    of ``entity`` in it quoted in context. One query, however many mentions."""
    groups = {document.pk: SourceQuotes(document) for document in documents}
    for mention in _mentions_in_context(entity.pk, list(groups), CONTEXT_WIDTH):
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


def _mentions_in_context(entity_id: int, document_ids: list[int], width: int) -> list[Mention]:
    """The mentions of ``entity_id`` in ``document_ids``, by document, then text (the
    transcription first), then place, each with its text (issue 14; without the text
    itself) and ``context``/``context_offset`` as ``MentionQuerySet.with_context`` cuts
    them: the stretch of the text around the words, cut by the database, so quoting
    never loads a whole transcription.

    Written in SQL (portable: CASE, COALESCE and SUBSTR): every uncached record page
    runs it, and the ORM's annotations for it cost several times the query itself to
    build and compile."""
    if not document_ids:
        return []
    q = connection.ops.quote_name
    mention_fields = [f for f in Mention._meta.concrete_fields if f.name != "note"]
    text_fields = [f for f in DocumentText._meta.concrete_fields if f.name != "text"]
    width = int(width)
    first = f"(CASE WHEN m.start - {width} + 1 > 1 THEN m.start - {width} + 1 ELSE 1 END)"
    columns = [f"m.{q(f.column)}" for f in mention_fields] + [
        f"t.{q(f.column)}" for f in text_fields
    ]
    sql = (
        f"SELECT {', '.join(columns)}, {first} - 1, "
        f"SUBSTR(COALESCE(t.{q('text')}, d.{q('transcription')}), {first}, "
        f"m.{q('end')} + {width + 1} - {first}) "
        f"FROM {q(Mention._meta.db_table)} m "
        f"INNER JOIN {q(Document._meta.db_table)} d ON d.id = m.document_id "
        f"LEFT OUTER JOIN {q(DocumentText._meta.db_table)} t ON t.id = m.document_text_id "
        f"WHERE m.entity_id = %s AND m.document_id IN ({', '.join(['%s'] * len(document_ids))}) "
        f"ORDER BY m.document_id, CASE WHEN t.id IS NULL THEN 0 ELSE 1 END, t.{q('order')}, "
        "m.start"
    )
    db = connection.alias
    mention_names = [f.attname for f in mention_fields]
    text_names = [f.attname for f in text_fields]
    found: list[Mention] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [entity_id, *document_ids])
        rows = cursor.fetchall()
    split = len(mention_fields)
    for row in rows:
        values = from_database(mention_fields, row[:split])
        mention = Mention.from_db(db, mention_names, values)
        if mention.document_text_id is not None:
            text_values = from_database(text_fields, row[split : split + len(text_fields)])
            text = mention.document_text = DocumentText.from_db(db, text_names, text_values)
            mention.in_text = f"{text.get_language_display()} {text.get_kind_display()}"
        else:
            mention.document_text = None
            mention.in_text = "text"  # "in the text", "in the Russian original"
        mention.context_offset, mention.context = row[-2], row[-1]
        found.append(mention)
    return found
