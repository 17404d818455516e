"""``{% page_metadata %}``: what every public page tells machines in its ``<head>``
(schema.org JSON-LD, OpenGraph, the feed; on a document page the ``citation_*`` and
Dublin Core tags and its citation downloads). Built from the page's own context, so it
adds no query; a draft shown to staff in preview gets only the generic page data."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.http import QueryDict
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from ..interop import citations, linkeddata
from ..interop.citations import FORMATS
from ..interop.csl import csl_record
from ..interop.urls_util import absolute
from ..interop.views import CITE_LIMIT
from ..models import Document, Entity

register = template.Library()

PAGE_TITLES = {
    "/documents/": "Documents",
    "/timeline/": "Timeline",
    "/map/": "Map",
    "/search/": "Search",
}


def _meta(attribute: str, tags: list[tuple[str, str]]) -> SafeString:
    return format_html_join(
        "\n", '<meta {}="{}" content="{}">', ((attribute, k, v) for k, v in tags if v)
    )


def _mentioned(document: Document) -> list[Entity]:
    """Each record the text names, once, in the order of first mention (prefetched)."""
    found: dict[int, Entity] = {}
    for mention in sorted(document.mentions.all(), key=lambda m: m.start):
        found.setdefault(mention.entity_id, mention.entity)
    return list(found.values())


@register.simple_tag(takes_context=True)
def page_metadata(context) -> SafeString:
    request = context.get("request")
    if request is None:
        return mark_safe("")
    path = request.path
    document = context.get("document")
    entity = context.get("entity")
    if not isinstance(document, Document) and not isinstance(entity, Entity):
        return _generic_metadata(path, context.get("kind_plural"))
    parts: list[SafeString] = [_feed_link()]
    if isinstance(document, Document) and document.is_published:
        url = absolute(document.get_absolute_url())
        description = Truncator(document.summary).chars(300)
        parts.append(mark_safe('<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">'))
        record = csl_record(document)  # one record for the three vocabularies
        parts.append(_meta("name", linkeddata.highwire_tags(document, record)))
        parts.append(_meta("name", linkeddata.dublin_core_tags(document, record)))
        parts.append(
            _meta(
                "property", linkeddata.opengraph_tags(document.title, url, description, "article")
            )
        )
        for name, (extension, media_type) in FORMATS.items():
            parts.append(
                format_html(
                    '<link rel="alternate" type="{}" title="{}" href="{}">',
                    media_type.split(";")[0],
                    f"Citation ({name})",
                    reverse("interop:document-cite-file", args=[document.slug, extension]),
                )
            )
        parts.append(
            format_html(
                '<link rel="alternate" type="application/tei+xml" title="TEI" href="{}">',
                reverse("interop:document-tei", args=[document.slug]),
            )
        )
        data = linkeddata.document_node(document, _mentioned(document), record)
    elif isinstance(entity, Entity):
        url = absolute(entity.get_absolute_url())
        description = Truncator(entity.description).chars(300)
        parts.append(
            _meta("property", linkeddata.opengraph_tags(entity.name, url, description, "website"))
        )
        data = linkeddata.entity_node(entity)
    else:  # a draft in staff preview: the generic page data
        return _generic_metadata(path, context.get("kind_plural"))
    parts.append(linkeddata.json_ld_script(data))
    return mark_safe("\n".join(parts))  # every part built by format_html or json_ld_script


def _feed_link() -> SafeString:
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        "Newly published sources",
        reverse("interop:feed"),
    )


# The metadata of a page that is not a document's or a record's (home, lists, search,
# timeline…) depends only on its path and title (and the settings): built once per
# process for each, not on every request. Bounded: paths are the site's own few pages.
_GENERIC: dict[tuple[str, str, str, str], SafeString] = {}
_GENERIC_LIMIT = 512


def _generic_metadata(path: str, kind_plural: str | None) -> SafeString:
    title = PAGE_TITLES.get(path) or (kind_plural or "").capitalize() or linkeddata.ARCHIVE_NAME
    key = (path, title, settings.SITE_URL, get_script_prefix())
    found = _GENERIC.get(key)
    if found is None:
        found = mark_safe(  # every part built by format_html or json_ld_script
            "\n".join(
                [
                    _feed_link(),
                    _meta(
                        "property",
                        linkeddata.opengraph_tags(title, absolute(path), "", "website"),
                    ),
                    linkeddata.json_ld_script(linkeddata.page_node(path, title)),
                ]
            )
        )
        if len(_GENERIC) < _GENERIC_LIMIT:
            _GENERIC[key] = found
    return found


def _forget(**kwargs) -> None:
    """A setting changed (tests: SITE_URL, the language): build anew."""
    _GENERIC.clear()


setting_changed.connect(_forget, dispatch_uid="interop_tags_forget")


@register.inclusion_tag("sources/snippets/cite_document.html")
def cite_document(document: Document) -> dict:
    """APA, MLA and Chicago bibliography (citeproc-py) and the downloads, on a document
    page; none for a draft in staff preview (its citation is not public)."""
    if not document.is_published:
        return {"styles": [], "downloads": []}
    return {
        "styles": citations.rendered(document),
        "downloads": [
            (label, reverse("interop:document-cite-file", args=[document.slug, extension]))
            for label, extension in DOWNLOAD_LABELS
        ]
        + [("TEI P5 (XML)", reverse("interop:document-tei", args=[document.slug]))],
    }


DOWNLOAD_LABELS = (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))


@register.inclusion_tag("sources/snippets/cite_these.html", takes_context=True)
def cite_these(context) -> dict:
    """ "Cite these": the current list or search (same query, filters and order) as a
    download in each format, capped at ``CITE_LIMIT`` documents."""
    request = context["request"]
    # The query without ``page`` (a copy of the lists: ``QueryDict.copy()`` deep-copies).
    params = QueryDict(mutable=True, encoding=request.GET.encoding)
    for key, values in request.GET.lists():
        if key != "page":
            params.setlist(key, list(values))
    address = reverse("interop:cite-these")
    links = []
    for label, name in (("BibTeX", "bibtex"), ("RIS", "ris"), ("CSL-JSON", "csl-json")):
        params["format"] = name
        links.append((label, f"{address}?{params.urlencode()}"))
    return {"links": links, "limit": CITE_LIMIT}
