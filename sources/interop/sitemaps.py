"""``sitemap.xml`` (Django's sitemaps framework): every public page with its last change.

Addresses come from SITE_URL (``get_domain``/``get_protocol``), not from the Sites
framework or the request, so a crawler is always told the archive's public address.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import KIND_PATHS, ArchiveVersion, Document, Entity, EntityKind


class SiteUrlSitemap(Sitemap):
    limit = 5000

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class DocumentSitemap(SiteUrlSitemap):
    """Published documents only."""

    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Document.objects.published().only("slug", "modified").order_by("pk")

    def lastmod(self, item: Document) -> dt.datetime:
        return item.modified


class EntitySitemap(SiteUrlSitemap):
    """The record pages of one kind (every record is public)."""

    changefreq = "monthly"
    priority = 0.6

    def __init__(self, kind: str):
        self.kind = kind

    def items(self):
        return Entity.objects.of_kind(self.kind).only("slug", "kind", "modified").order_by("pk")

    def location(self, item: Entity) -> str:
        return reverse(f"sources:{self.kind}-detail", args=[item.slug])

    def lastmod(self, item: Entity) -> dt.datetime:
        return item.modified


class PageSitemap(SiteUrlSitemap):
    """Home, lists, timeline and map: they change whenever the archive does."""

    changefreq = "weekly"
    priority = 0.5
    pages = (
        "sources:home",
        "sources:document-list",
        "sources:person-list",
        "sources:place-list",
        "sources:organization-list",
        "sources:event-list",
        "sources:timeline",
        "sources:map",
    )

    def items(self):
        return list(self.pages)

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> dt.datetime:
        if not hasattr(self, "_changed"):
            self._changed = ArchiveVersion.objects.current().changed_at
        return self._changed


SITEMAPS = {
    "pages": PageSitemap,
    "documents": DocumentSitemap,
    **{KIND_PATHS[kind]: EntitySitemap(kind) for kind in EntityKind.values},
}
