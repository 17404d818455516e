"""The project's middleware: a JSON log line per request, and the public page cache.

The page cache is correct across several app servers. One token, the archive version
(``sources.models.ArchiveVersion``), is replaced whenever something the public could
see changes (``sources.signals``). Pages are cached under that token, and ETag and
Last-Modified derive from it, so:

- a reader's browser revalidates with If-None-Match or If-Modified-Since and gets 304
  Not Modified without the page being rendered (Django's ``get_conditional_response``,
  which also understands ``W/`` and ``*``);
- rendered pages are kept in each server's local cache keyed by the version: a change
  makes every server miss and re-render, with no cross-server invalidation to get wrong;
- the version lives in the database (one indexed row read per request), so every app
  server agrees on it.

Logged-in staff (who may preview drafts) and anything but anonymous GET/HEAD requests
for a 200 page pass straight through.
"""

from __future__ import annotations

import hashlib
import logging
import time
from email.utils import format_datetime

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from sources.models import ArchiveVersion

# OAI-PMH answers carry their own responseDate and resumption tokens: never replayed.
UNCACHED_PREFIXES = ("/admin/", "/health/", "/__bench__/", "/static/", "/oai/")
PAGE_SECONDS = 600
PAGE_CACHE = "default"

logger = logging.getLogger("archive.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "bytes": len(response.content) if not response.streaming else None,
                "user_id": getattr(getattr(request, "user", None), "pk", None),
            },
        )
        return response


class PublicPageCacheMiddleware:
    """Conditional GET and a version-keyed page cache for anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        state = ArchiveVersion.objects.current()
        key = hashlib.sha256(
            f"{state.token}|{request.get_full_path()}".encode("utf-8", "surrogatepass")
        ).hexdigest()
        etag = f'"{key[:32]}"'
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(state.changed_at.timestamp())
        )
        if not_modified is not None:
            self._label(not_modified, etag, state)
            return not_modified
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
