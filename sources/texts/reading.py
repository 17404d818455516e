"""A document's texts on its page (issue 14): the primary transcription and each
further text, every one rendered with the mentions that belong to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from ..models import Document, DocumentText, Mention
from ..reading.transcription import Break, stored_transcription


@dataclass
class ShownText:
    """One text of the document as the page shows it."""

    html: SafeString
    language: str
    language_name: str
    kind: str  # "primary", "original" or "translation"
    kind_name: str
    anchor: str
    translator: str = ""
    source_note: str = ""
    text: DocumentText | None = None

    @property
    def label(self) -> str:
        """The tab's name: "English (primary text)", "Russian original"."""
        if self.text is None:
            return f"{self.language_name} ({self.kind_name})"
        return f"{self.language_name} {self.kind_name}"


def primary_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions of the transcription, from a document's prefetched mentions."""
    return [mention for mention in mentions if mention.document_text_id is None]


def shown_texts(
    document: Document,
    mentions: Iterable[Mention],
    references: Collection[int] = (),
    breaks: Collection[Break] = (),
) -> list[ShownText]:
    """Every text of ``document``, primary first, each with its own mentions linked.

    ``mentions`` are the document's prefetched mentions of all its texts. The further
    texts cost one query, and none when the document was read with
    ``with_further_texts_flag()`` and has none (the corpus). Each mention gets its text
    object, so its anchor (``Mention.anchor``) needs no query. Page breaks (issue 14's
    scans) are placed in the primary text, the one the scans' curators mark.
    """
    by_text: dict[int | None, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_text[mention.document_text_id].append(mention)
    shown = [
        ShownText(
            html=stored_transcription(document.transcription, by_text[None], references, breaks),
            language=document.language,
            language_name=document.get_language_display(),
            kind="primary",
            kind_name="primary text",
            anchor="text-primary",
        )
    ]
    further = list(document.texts.all()) if getattr(document, "has_further_texts", True) else []
    for text in further:
        own = by_text.get(text.pk, [])
        for mention in own:
            mention.document_text = text
        shown.append(
            ShownText(
                html=stored_transcription(text.text, own, (), prefix=text.mention_prefix),
                language=text.language,
                language_name=text.get_language_display(),
                kind=text.kind,
                kind_name=text.get_kind_display(),
                anchor=text.anchor,
                translator=text.translator,
                source_note=text.source_note,
                text=text,
            )
        )
    return shown
