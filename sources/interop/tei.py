"""A document as TEI P5, for digital editions.

The header carries the citation's facts (title, responsibility, publisher, rights, the
manuscript's repository, collection and reference, languages, who obtained and who
translated it); the body's first division (``n="primary"``) is the transcription,
character for character, with each mention as ``persName``, ``placeName``, ``orgName`` or
``name type="event"`` whose ``ref`` is the record's public URL, and a ``<pb n="l. 4"
facs="…"/>`` where each page image's text begins (issue 14); the further texts (an
original, more translations) follow as divisions of their own, their mentions marked up
alike; the ready page images are a ``<facsimile>``; editorial notes and works cited
follow in ``back``.
Built with lxml, so every value is escaped by the serializer, never by hand.
"""

from __future__ import annotations

import re

from lxml import etree

from ..models import (
    AgentRole,
    Certainty,
    Document,
    EntityKind,
    Language,
    Mention,
)
from ..reading.citation import agents_by_role
from ..reading.transcription import _paragraph_spans, usable_mentions
from . import pages
from .csl import ARCHIVE_NAME, ISO_DATE
from .urls_util import absolute

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MENTION_ELEMENTS = {
    EntityKind.PERSON: ("persName", None),
    EntityKind.PLACE: ("placeName", None),
    EntityKind.ORGANIZATION: ("orgName", None),
    EntityKind.EVENT: ("name", "event"),
}
# Our certainty as TEI's @cert (att.global.responsibility).
CERT = {Certainty.PROBABLE: "medium", Certainty.UNCERTAIN: "low"}
AGENT_ELEMENTS = {EntityKind.PERSON: "persName", EntityKind.ORGANIZATION: "orgName"}
_REFERENCE = re.compile(r"\[(\d{1,3})\]")
_FOND = re.compile(r"\bf\.\s*[^,]+")
# XML 1.0 forbids most control characters; a stray one must not break the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def E(tag: str, *children, **attributes) -> etree._Element:
    """A TEI element; string children become text, ``None`` attributes are left out."""
    element = etree.Element(f"{{{TEI_NS}}}{tag}", nsmap={None: TEI_NS})
    for name, value in attributes.items():
        if value is not None:
            key = {"xml_id": XML_ID, "xml_lang": XML_LANG, "type_": "type"}.get(name, name)
            element.set(key, _clean(str(value)))
    for child in children:
        _append(element, child)
    return element


def _append(element: etree._Element, child) -> None:
    if child is None:
        return
    if isinstance(child, str):
        child = _clean(child)
        if len(element):
            element[-1].tail = (element[-1].tail or "") + child
        else:
            element.text = (element.text or "") + child
    else:
        element.append(child)


def _agent(link) -> etree._Element:
    entity = link.entity
    return E(
        AGENT_ELEMENTS.get(entity.kind, "name"),
        entity.name,
        ref=absolute(entity.get_absolute_url()),
        cert=CERT.get(link.certainty),
    )


def _header(document: Document, texts: list = ()) -> etree._Element:
    roles = agents_by_role(document)
    url = absolute(document.get_absolute_url())
    title_stmt = E("titleStmt", E("title", document.title))
    for link in roles[AgentRole.AUTHOR]:
        title_stmt.append(E("author", _agent(link)))
    responsibilities = (
        (AgentRole.RECIPIENT, "recipient"),
        (AgentRole.COPY_RECIPIENT, "copy recipient"),
        (AgentRole.INTERVIEWER, "interviewer"),
        (AgentRole.INTERVIEWEE, "interviewee"),
        (AgentRole.TRANSLATOR, "translated by"),
        (AgentRole.OBTAINED_BY, "obtained or contributed by"),
    )
    for role, label in responsibilities:
        for link in roles[role]:
            title_stmt.append(E("respStmt", E("resp", label), _agent(link)))

    availability = E("availability")
    availability.append(E("licence", document.rights or "No rights statement recorded."))
    publication = E(
        "publicationStmt",
        E("publisher", ARCHIVE_NAME),
        E("idno", url, type_="URI"),
        availability,
    )

    source_desc = E("sourceDesc")
    if document.repository or document.archival_reference:
        identifier = E("msIdentifier")
        if document.repository:
            if document.repository.location_id:
                identifier.append(E("settlement", document.repository.location.name))
            identifier.append(E("repository", document.repository.name))
        fond = _FOND.search(document.archival_reference or "")
        if fond:
            identifier.append(E("collection", fond.group(0).strip()))
        if document.archival_reference:
            identifier.append(E("idno", document.archival_reference))
        ms = E("msDesc", identifier)
        ms.append(E("msContents", _text_lang(document), E("msItem", E("title", document.title))))
        if roles[AgentRole.OBTAINED_BY]:
            acquisition = E("acquisition", "Obtained or contributed by ")
            for i, link in enumerate(roles[AgentRole.OBTAINED_BY]):
                _append(acquisition, ", " if i else None)
                acquisition.append(_agent(link))
            _append(acquisition, ".")
            ms.append(E("history", acquisition))
        source_desc.append(ms)
    bibl = E("bibl", E("title", document.title))
    if document.original_title:
        bibl.append(E("title", document.original_title, type_="original"))
    for link in roles[AgentRole.AUTHOR]:
        bibl.append(E("author", _agent(link)))
    if document.publisher:
        bibl.append(E("publisher", document.publisher))
    if document.date_edtf or document.date_written:
        bibl.append(E("date", document.date_display, **_date_attributes(document.date_edtf)))
    if document.source_url:
        bibl.append(E("ptr", target=document.source_url))
    source_desc.append(bibl)

    profile = E(
        "profileDesc",
        E(
            "langUsage",
            *[
                E("language", Language(code).label, ident=code)
                for code in dict.fromkeys(
                    c
                    for c in (
                        document.language,
                        document.original_language,
                        *(t.language for t in texts),
                    )
                    if c
                )
            ],
        ),
    )
    return E(
        "teiHeader",
        E("fileDesc", title_stmt, publication, source_desc),
        profile,
    )


def _date_attributes(edtf: str) -> dict[str, str]:
    """``when`` for a day, month or year; ``from``/``to`` for a range of them; nothing for
    what TEI's ISO dates cannot say (approximate, seasons, open ranges)."""
    if ISO_DATE.match(edtf):
        return {"when": edtf}
    first, _, last = edtf.partition("/")
    if ISO_DATE.match(first) and ISO_DATE.match(last):
        return {"from": first, "to": last}
    return {}


def _text_lang(document: Document) -> etree._Element:
    return E(
        "textLang",
        document.get_language_display(),
        mainLang=document.language,
        otherLangs=document.original_language
        if document.original_language and document.original_language != document.language
        else None,
    )


def _runs(parent: etree._Element, text: str, references: set[int]) -> None:
    """Plain text, with "[3]" as a link to work cited 3 when the document has it."""
    position = 0
    for match in _REFERENCE.finditer(text):
        number = int(match.group(1))
        if number not in references:
            continue
        _append(parent, text[position : match.start()])
        parent.append(E("ref", match.group(0), target=f"#bibl-{number}"))
        position = match.end()
    _append(parent, text[position:])


def _mention(mention: Mention) -> etree._Element:
    """The element for a mention, empty: its words are written in by ``_Writer`` (so a
    page that begins inside the words gets its ``<pb/>`` there)."""
    tag, name_type = MENTION_ELEMENTS[mention.entity.kind]
    return E(
        tag,
        ref=absolute(mention.entity.get_absolute_url()),
        type_=name_type,
        cert=CERT.get(mention.certainty),
    )


class _Writer:
    """Writes stretches of one text into elements, putting each page break's ``<pb/>``
    just before the character where its page begins, so no break is lost or moved
    whatever paragraph or mention it falls in."""

    def __init__(self, text: str, references: set[int], breaks: list[tuple[int, dict]]) -> None:
        self.text = text
        self.references = references
        self.breaks = sorted(breaks, key=lambda item: item[0])
        self.next = 0

    def _break(self, parent: etree._Element) -> None:
        parent.append(E("pb", **self.breaks[self.next][1]))
        self.next += 1

    def flush(self, parent: etree._Element, upto: int) -> None:
        """Every break at or before ``upto`` not yet written."""
        while self.next < len(self.breaks) and self.breaks[self.next][0] <= upto:
            self._break(parent)

    def write(self, parent: etree._Element, start: int, end: int, links: bool = True) -> None:
        cursor = start
        while self.next < len(self.breaks) and self.breaks[self.next][0] < end:
            position = max(self.breaks[self.next][0], cursor)
            self._run(parent, self.text[cursor:position], links)
            self._break(parent)
            cursor = position
        self._run(parent, self.text[cursor:end], links)

    def _run(self, parent: etree._Element, text: str, links: bool) -> None:
        if links:
            _runs(parent, text, self.references)
        else:
            _append(parent, text)


def _division(
    division: etree._Element,
    text: str,
    mentions: list[Mention],
    references: set[int],
    breaks: list[tuple[int, dict]] = (),
) -> etree._Element:
    """Paragraphs of ``text`` in ``division``, its mentions marked up; the whitespace
    between paragraphs is kept as it is, so the division's text is ``text`` exactly."""
    writer = _Writer(text, references, list(breaks))
    pending = usable_mentions(text, mentions)
    index, position = 0, 0
    spans = _paragraph_spans(text) or [(0, 0)]
    for start, end in spans:
        writer.write(division, position, start)
        paragraph = E("p")
        while index < len(pending) and pending[index].start < start:
            index += 1  # began in a paragraph break: left as plain text
        cursor = start
        while index < len(pending) and pending[index].end <= end:
            mention = pending[index]
            writer.write(paragraph, cursor, mention.start)
            writer.flush(paragraph, mention.start)  # a page beginning with the name
            element = _mention(mention)
            writer.write(element, mention.start, mention.end, links=False)
            paragraph.append(element)
            cursor = mention.end
            index += 1
        writer.write(paragraph, cursor, end)
        division.append(paragraph)
        position = end
    writer.write(division, position, len(text))
    writer.flush(division, len(text))
    return division


def _text_type(document: Document) -> str:
    original = document.original_language
    return "translation" if original and original != document.language else "original"


def _body(
    document: Document,
    references: set[int],
    breaks: list[tuple[int, dict]],
    texts: list,
) -> etree._Element:
    """The transcription as the first division (``n="primary"``), with its page breaks;
    then each further text (issue 14) as a division of its kind and language."""
    mentions = list(document.mentions.all())
    primary = E("div", type_=_text_type(document), n="primary", xml_lang=document.language)
    body = E(
        "body",
        _division(
            primary,
            document.transcription,
            [m for m in mentions if m.document_text_id is None],
            references,
            breaks,
        ),
    )
    for text in texts:
        division = E(
            "div",
            type_=text.kind,
            n=f"{text.language}-{text.kind}",
            xml_id=text.anchor,
            xml_lang=text.language,
        )
        if text.translator:
            division.set("resp", f"#{text.anchor}-resp")
        own = [m for m in mentions if m.document_text_id == text.pk]
        body.append(_division(division, text.text, own, references))
    return body


def _facsimile(images: list) -> etree._Element | None:
    """One ``<surface>`` a ready page image, its web image as the ``<graphic>``."""
    if not images:
        return None
    facsimile = E("facsimile")
    for image in images:
        surface = E("surface", n=image.label, xml_id=f"page-{image.key.hex}")
        if image.description:
            surface.append(E("desc", image.description))
        surface.append(
            E(
                "graphic",
                url=pages.web_url(image),
                mimeType="image/jpeg",
                width=f"{image.width}px" if image.width else None,
                height=f"{image.height}px" if image.height else None,
            )
        )
        facsimile.append(surface)
    return facsimile


def _breaks(document: Document) -> list[tuple[int, dict]]:
    """(position, ``<pb>`` attributes) of each page break; ``facs`` is the page's IIIF
    image service when its derivatives are ready."""
    if not getattr(document, "has_page_breaks", True):
        return []
    found = []
    for page_break in pages.page_breaks(document):
        image = page_break.image
        facs = pages.service_url(image) if image.is_ready else None
        found.append((page_break.position, {"n": image.label, "facs": facs}))
    return found


def _back(document: Document) -> etree._Element | None:
    parts = []
    if document.editorial_notes:
        notes = E("div", type_="editorial")
        for paragraph in re.split(r"\n\s*\n", document.editorial_notes.strip()):
            notes.append(E("note", paragraph.strip(), type_="editorial", resp=f"#{_ARCHIVE_ID}"))
        parts.append(notes)
    works = list(document.works_cited.all())
    if works:
        bibliography = E("listBibl")
        for work in works:
            bibliography.append(E("bibl", work.text, xml_id=f"bibl-{work.number}", n=work.number))
        parts.append(E("div", E("head", "Works cited"), bibliography, type_="bibliography"))
    return E("back", *parts) if parts else None


_ARCHIVE_ID = "archive"


def tei_element(document: Document) -> etree._Element:
    """The TEI tree (the document loaded with ``with_citation()`` and ``with_mentions()``;
    ``with_further_texts_flag()``, ``with_scans_flag()`` and ``has_page_breaks`` spare
    the queries a document without them would need)."""
    references = {work.number for work in document.works_cited.all()}
    texts = list(document.texts.all()) if getattr(document, "has_further_texts", True) else []
    header = _header(document, texts)
    # The archive is the editor responsible for the notes (their @resp points here).
    title_stmt = header.find(f"{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt")
    title_stmt.append(
        E("respStmt", E("resp", "edited by"), E("orgName", ARCHIVE_NAME, xml_id=_ARCHIVE_ID))
    )
    for text in texts:
        if text.translator:
            title_stmt.append(
                E(
                    "respStmt",
                    E("resp", f"{Language(text.language).label} translation by"),
                    E("name", text.translator),
                    xml_id=f"{text.anchor}-resp",
                )
            )
    text = E("text", E("body"), xml_lang=document.language)
    text.replace(text[0], _body(document, references, _breaks(document), texts))
    back = _back(document)
    if back is not None:
        text.append(back)
    root = E("TEI", header)
    facsimile = _facsimile(pages.ready_pages(document))
    if facsimile is not None:
        root.append(facsimile)
    root.append(text)
    return root


def tei_document(document: Document) -> bytes:
    return etree.tostring(
        tei_element(document), xml_declaration=True, encoding="UTF-8", pretty_print=False
    )
