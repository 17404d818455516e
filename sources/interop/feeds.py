"""The Atom feed of newly published sources (Django's syndication framework)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ..models import Document
from .csl import ARCHIVE_NAME
from .urls_util import absolute

FEED_SIZE = 50


class NewSourcesFeed(Feed):
    """The last ``FEED_SIZE`` documents published, newest first. Links are absolute from
    SITE_URL, so a feed reader subscribed anywhere gets the archive's public addresses."""

    feed_type = Atom1Feed
    title = f"{ARCHIVE_NAME}: newly published sources"
    subtitle = "Primary and secondary sources as they are published, with their archival context."

    def link(self) -> str:
        return absolute(reverse("sources:document-list"))

    def feed_url(self) -> str:
        return absolute(reverse("interop:feed"))

    def author_name(self) -> str:
        return ARCHIVE_NAME

    def items(self):
        return (
            Document.objects.published()
            .select_related("repository")
            .only("title", "slug", "summary", "published_at", "modified", "date_edtf",
                  "date_written", "document_type", "repository__name")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )  # fmt: skip

    def item_title(self, item: Document) -> str:
        return item.title

    def item_description(self, item: Document) -> str:
        parts = [item.get_document_type_display().capitalize()]
        if item.date_display:
            parts.append(item.date_display)
        if item.repository_id:
            parts.append(item.repository.name)
        head = ", ".join(parts) + "."
        return f"{head} {item.summary}".strip()

    def item_link(self, item: Document) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Document) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item: Document) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Document) -> dt.datetime | None:
        return max(d for d in (item.modified, item.published_at) if d)
