"""HTTP caching for public pages, correct across several app servers.

One number, the archive version, changes whenever anything the public could see changes
(any save or delete of an archive model, publishing included). Pages are cached under
that version, and ETag/Last-Modified derive from it, so:

- a reader's browser revalidates with If-None-Match and gets 304 Not Modified without
  the page being rendered;
- rendered pages are kept in each server's local cache keyed by the version: a change
  makes every server miss and re-render, with no cross-server invalidation to get wrong;
- the version lives in the database (one indexed row read per request), so every app
  server agrees on it.

Logged-in staff (who may preview drafts) and anything but anonymous GET/HEAD requests
for a 200 page pass straight through.
"""

from __future__ import annotations

import hashlib
from email.utils import format_datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from .models import ArchiveVersion
from .models.state import new_token

UNCACHED_PREFIXES = ("/admin/", "/health/", "/__bench__/", "/static/")
PAGE_SECONDS = 600
PAGE_CACHE = "default"


def current() -> ArchiveVersion:
    state = ArchiveVersion.objects.filter(pk=1).first()
    if state is None:
        state, _ = ArchiveVersion.objects.get_or_create(pk=1)
    return state


def bump() -> None:
    updated = ArchiveVersion.objects.filter(pk=1).update(
        token=new_token(), changed_at=timezone.now()
    )
    if not updated:
        ArchiveVersion.objects.get_or_create(pk=1)


def _is_archive_model(sender) -> bool:
    return sender._meta.app_label == "sources" and sender is not ArchiveVersion


@receiver(post_save, dispatch_uid="sources.caching.saved")
@receiver(post_delete, dispatch_uid="sources.caching.deleted")
def _archive_changed(sender, raw: bool = False, **kwargs) -> None:
    # Fixture loads (raw) bump once when they finish: see load_corpus, import_archive.
    if _is_archive_model(sender) and not raw and apps.ready:
        bump()


@receiver(m2m_changed, dispatch_uid="sources.caching.m2m")
def _links_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_") and sender._meta.app_label == "sources":
        bump()


class PublicPageCacheMiddleware:
    """Conditional GET and a version-keyed page cache for anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        state = current()
        key = hashlib.sha256(
            f"{state.token}|{request.get_full_path()}".encode("utf-8", "surrogatepass")
        ).hexdigest()
        etag = f'"{key[:32]}"'
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
            self._label(response, etag, state)
            return response
        cache = caches[PAGE_CACHE] if settings.PUBLIC_PAGE_CACHE else None
        cached = cache.get(f"page:{key}") if cache else None
        if cached is not None:
            cached["X-Archive-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            self._label(response, etag, state)
            response["X-Archive-Cache"] = "miss"
            if cache is not None and request.method == "GET":
                cache.set(f"page:{key}", response, PAGE_SECONDS)
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            and not request.user.is_authenticated
        )

    @staticmethod
    def _label(response, etag: str, state: ArchiveVersion) -> None:
        response["ETag"] = etag
        response["Last-Modified"] = format_datetime(state.changed_at, usegmt=True)
        # Browsers may keep a page briefly, then must revalidate (cheap: a 304).
        patch_cache_control(response, public=True, max_age=60)
        patch_vary_headers(response, ["Cookie"])
