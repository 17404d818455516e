"""A published document's page images as other software sees them (issue 14): the
addresses of each ready page's IIIF image service, web image and thumbnail, and of the
document's IIIF manifest, absolute from SITE_URL.

Built from the public routes of ``sources.scans`` (``scans:…``) rather than by importing
that package, which itself depends on ``interop.urls_util``: dependencies point one way."""

from __future__ import annotations

from django.urls import reverse

from ..models import Document, PageBreak, PageImage
from .urls_util import absolute


def manifest_url(document: Document) -> str:
    return absolute(reverse("scans:manifest", kwargs={"slug": document.slug}))


def service_url(image: PageImage) -> str:
    """The IIIF Image API service id (its ``info.json`` is under it)."""
    info = reverse("scans:iiif-info", kwargs={"key": image.key.hex})
    return absolute(info.removesuffix("/info.json"))


def web_url(image: PageImage) -> str:
    return absolute(reverse("scans:web", kwargs={"key": image.key.hex}))


def thumbnail_url(image: PageImage) -> str:
    return absolute(reverse("scans:thumb", kwargs={"key": image.key.hex}))


def ready_pages(document: Document) -> list[PageImage]:
    """The pages a reader can see: ready derivatives, a published document, in order.
    One query, and none when the document was annotated ``has_scans=False``."""
    if not getattr(document, "has_scans", True) or not document.is_published:
        return []
    return list(PageImage.objects.ready().filter(document=document).order_by("order", "pk"))


def page_breaks(document: Document) -> list[PageBreak]:
    """The document's page breaks in text order, each with its image (one query)."""
    if not document.is_published:
        return []
    return list(
        PageBreak.objects.filter(document=document)
        .select_related("image")
        .order_by("position", "image__order", "pk")
    )
