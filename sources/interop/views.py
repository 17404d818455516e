"""Downloads for other software: a document's citation (BibTeX, RIS, CSL-JSON) and TEI,
"cite these" for any list or search, and robots.txt. Published documents only, for
everyone (staff preview drafts on the page, never in a file that leaves the site)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..models import Document, PageBreak, SlugRedirect
from ..search.filters import DocumentFilter
from ..search.searching import Search
from ..search.views import in_order
from .citations import EXTENSIONS, FORMATS, serialize
from .tei import tei_document
from .urls_util import absolute

# "Cite these" exports at most this many documents: a list of 50 for Zotero is the use;
# a whole-archive dump is the data downloads' job.
CITE_LIMIT = 500


def citable():
    """Published documents with everything a citation needs, in a fixed number of queries."""
    return Document.objects.published().with_citation().select_related("repository__location")


def _published_or_redirect(
    slug: str, suffix: str, documents=None
) -> Document | HttpResponsePermanentRedirect:
    """The published document at ``slug`` (from ``documents``, default ``citable()``), or a
    301 from an old slug to the new address of the same file; 404 for anything else
    (drafts included)."""
    document = (documents if documents is not None else citable()).filter(slug=slug).first()
    if document is not None:
        return document
    target = SlugRedirect.objects.target_for("document", slug)
    if target is not None and target.is_published:
        return HttpResponsePermanentRedirect(target.get_absolute_url() + suffix)
    raise Http404("No published document at this address.")


def _download(body: str, format_name: str, filename: str) -> HttpResponse:
    extension, media_type = FORMATS[format_name]
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_format(value: str) -> HttpResponse:
    names = ", ".join(FORMATS)
    return HttpResponse(
        f"Unknown citation format {value[:40]!r}; use one of: {names}.\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def document_citation(request: HttpRequest, slug: str, extension: str = "") -> HttpResponse:
    """``/documents/<slug>/cite.bib`` (``.ris``, ``.json``) or ``cite/?format=``."""
    format_name = EXTENSIONS.get(extension) if extension else request.GET.get("format", "")
    if format_name not in FORMATS:
        return _bad_format(extension or format_name)
    suffix = f"cite.{extension}" if extension else f"cite/?format={format_name}"
    found = _published_or_redirect(slug, suffix)
    if isinstance(found, HttpResponse):
        return found
    return _download(serialize(format_name, [found]), format_name, found.slug)


@require_safe
def cite_these(request: HttpRequest) -> HttpResponse:
    """``/cite/?format=bibtex&q=…&type=…``: the documents a list or search shows, with the
    same query, filters and order, up to ``CITE_LIMIT``."""
    format_name = request.GET.get("format", "")
    if format_name not in FORMATS:
        return _bad_format(format_name)
    base = citable()
    search = Search(request.GET.get("q"))
    sort = request.GET.get("sort") or ("relevance" if search else "date")
    if search:
        base = search.matching(base)
    filterset = DocumentFilter(request.GET, queryset=base)
    filtered = filterset.apply(base)
    if search and sort == "relevance":
        # Ranked in Python; its slice loads plain rows, so reload them with their
        # citation links (one query per link kind, not one per document) in rank order.
        ranked = search.ranked(filtered, bool(filterset.values))[:CITE_LIMIT]
        loaded = citable().in_bulk([document.pk for document in ranked])
        documents = [loaded[document.pk] for document in ranked if document.pk in loaded]
    else:
        documents = list(in_order(filtered, sort)[:CITE_LIMIT])
    response = _download(serialize(format_name, documents), format_name, "citations")
    response["X-Result-Count"] = str(len(documents))
    return response


@require_safe
def document_tei(request: HttpRequest, slug: str) -> HttpResponse:
    """``/documents/<slug>/tei.xml``: the document as TEI P5."""
    documents = citable().with_mentions().with_further_texts_flag().with_scans_flag()
    breaks = PageBreak.objects.filter(document=OuterRef("pk"))
    documents = documents.annotate(has_page_breaks=Exists(breaks))
    document = _published_or_redirect(slug, "tei.xml", documents)
    if isinstance(document, HttpResponse):
        return document
    response = HttpResponse(tei_document(document), content_type="application/tei+xml")
    response["Content-Disposition"] = f'inline; filename="{document.slug}.xml"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# One document: stale when it (its ``doc:`` key: text, links, scans) or a record it
# loads changes, as the document page; not at every change to the archive.
document_tei.cache_depends_on = ()


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read every public page; the admin is not for them. The sitemap's
    address is absolute, from SITE_URL, as the robots.txt convention requires."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/suggest/",
        "Allow: /",
        "",
        f"Sitemap: {absolute(reverse('interop:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
