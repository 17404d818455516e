"""Serving scans: every image, tile, info.json and manifest passes through a view that
checks the document is published (staff with the document view permission may preview
drafts). Nothing under MEDIA_ROOT has a public address of its own, so a draft's or a
withdrawn document's images cannot be reached by guessing one.

The file itself is streamed from the storage, or, when SCANS_ACCEL_REDIRECT is set,
left to the proxy (nginx ``internal`` location) with ``X-Accel-Redirect`` after this
view has said yes (docs/scans.md)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View

from ..models import Document, PageImage
from ..reading.citation import chicago_note
from . import derivatives, iiif

# Published scans may be kept by browsers and shared caches for a while; a withdrawal
# is then honoured by every cache within this many seconds. Previews are never kept.
PUBLIC_SECONDS = 600
IMAGE_JSON = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
PREZI_JSON = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def can_preview(request: HttpRequest) -> bool:
    return request.user.has_perm("sources.view_document")


def visible_image(request: HttpRequest, key: str) -> PageImage:
    """The ready image with this key, if the requester may see its document; else 404
    (the same answer for a draft as for an address that never existed)."""
    images = PageImage.objects.select_related("document").ready()
    if not can_preview(request):
        images = images.published()
    return get_object_or_404(images, key=key)


def _cache_headers(response: HttpResponse, image_or_document) -> HttpResponse:
    document = getattr(image_or_document, "document", image_or_document)
    if document.is_published:
        response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
        response["Access-Control-Allow-Origin"] = "*"  # IIIF viewers on other sites
    else:
        response["Cache-Control"] = "private, no-store"
    return response


def stream(name: str, content_type: str = "image/jpeg") -> HttpResponse:
    """The stored file ``name``: through the proxy when configured, else streamed."""
    prefix = settings.SCANS_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
        return response
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404("No such image.") from error
    return FileResponse(handle, content_type=content_type)


class ScanFileView(View):
    """The thumbnail or the web-size image of a page image."""

    which = "web"
    cache_depends_on = ()

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        image = visible_image(request, key)
        name = (
            derivatives.thumb_name(image) if self.which == "thumb" else derivatives.web_name(image)
        )
        return _cache_headers(stream(name), image)


class ImageInfoView(View):
    """``info.json`` of the IIIF Image API (level 0)."""

    cache_depends_on = ()

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        image = visible_image(request, key)
        response = HttpResponse(json.dumps(iiif.info(image)), content_type=IMAGE_JSON)
        return _cache_headers(response, image)


class ImageRequestView(View):
    """One Image API request: a tile or a listed size, as generated; anything level 0
    does not offer is 404 (never computed on demand)."""

    cache_depends_on = ()

    def get(self, request, key: str, region: str, size: str, rotation: str, quality: str):
        image = visible_image(request, key)
        name = iiif.tile_path(image, region, size, rotation, quality)
        if name is None:
            raise Http404("This region and size are not offered (IIIF Image API level 0).")
        return _cache_headers(stream(name), image)


class ManifestView(View):
    """The document's IIIF Presentation 3 manifest."""

    cache_depends_on = ()

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        documents = Document.objects.with_citation()
        if not can_preview(request):
            documents = documents.published()
        document = get_object_or_404(documents, slug=slug)
        images = list(document.page_images.ready())
        if not images:
            raise Http404("This document has no page images.")
        url = settings.SITE_URL.rstrip("/") + document.get_absolute_url()
        citation = chicago_note(document, url, timezone.localdate())
        body = iiif.manifest(document, images, citation).json(indent=1)
        return _cache_headers(HttpResponse(body, content_type=PREZI_JSON), document)
