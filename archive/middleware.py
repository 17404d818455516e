"""The project's middleware: a JSON log line per request, and the public page cache.

The page cache is correct across several app servers and keeps what one edit does not
touch. Each page is stored with the *change tokens* of what it showed
(``sources.caching``: the documents and records it loaded, the lists, the reading
order); a change bumps only the tokens it touches (``sources.signals``), and a stored
page is served only while every one of its tokens is still current (one query reads
them). So:

- an edit to one document makes its page, the pages of the records it names and the
  lists stale, while every other page stays cached; drafts bump nothing;
- pages live in the shared cache (Redis when ``REDIS_URL`` is set), so every app server
  sees an edit at once; a cache that does not answer is a miss, never an error;
- only canonical addresses are stored: each view says which query parameters it
  accepts (``cache_params``); they are sorted and empty ones dropped, and an address
  with anything else (unknown or repeated parameters, a bad page number, a sort or
  filter that cannot be used, a search that finds nothing) is answered but not kept,
  so a flood of unique addresses cannot evict the archive; the host is in the key;
- ETag and Last-Modified derive from the tokens: a reader's browser revalidates with
  If-None-Match or If-Modified-Since and gets 304 Not Modified (without rendering
  when the page is stored).

``X-Archive-Cache`` says what happened: ``hit`` (served from the cache), ``miss`` (not
stored yet: rendered and stored), ``stale`` (stored, but something it showed changed:
rendered again and stored), ``pass`` (answered and not stored: not a canonical
address, the cache is off, or what it showed changed while it was rendered).

Logged-in staff (who may preview drafts), the admin, and anything but anonymous
GET/HEAD requests pass straight through, without the header.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from sources import caching
from sources.models import ChangeToken
from sources.prepared import PreparedQuery

# OAI-PMH answers carry their own responseDate and resumption tokens: never replayed.
UNCACHED_PREFIXES = ("/admin/", "/health/", "/__bench__/", "/static/", "/oai/")
PAGE_SECONDS = 600
PAGE_CACHE = "default"
KEY_VERSION = 1  # bump when what is stored under a key changes shape
MAX_QUERY_STRING = 500  # longer query strings are answered, never stored
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}|last")

logger = logging.getLogger("archive.requests")
cache_logger = logging.getLogger("archive.cache")


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
    """Dependency-keyed page cache and conditional GET for anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        request._page_cache = state = _PageState(started=time.time())
        state.deps = caching.start()
        try:
            response = self.get_response(request)
        finally:
            caching.stop()
        if state.served:
            return response
        return self._rendered(request, state, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Before the view runs: the canonical key, and the stored page if still fresh."""
        state: _PageState | None = getattr(request, "_page_cache", None)
        if state is None:
            return None
        # A class-based view declares on its class, a function view on itself.
        view_class = getattr(view_func, "view_class", view_func)
        state.declared = tuple(getattr(view_class, "cache_depends_on", (caching.LISTS,)))
        state.key = canonical_key(request, getattr(view_class, "cache_params", ()))
        cache = page_cache()
        if state.key is None or cache is None:
            return None
        entry = _cache_call(cache.get, state.key)
        if entry is None:
            state.label = "miss"
            return None
        try:
            tokens, etag, last_modified, response = entry
        except (TypeError, ValueError):  # not an entry this code stored: render anew
            state.label = "stale"
            return None
        if _tokens(current_tokens(tokens), tokens) != tokens:
            state.label = "stale"
            return None
        state.served = True
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if not_modified is not response:
            _label(not_modified, etag, last_modified)
            not_modified["X-Archive-Cache"] = "hit"
            return not_modified
        response["X-Archive-Cache"] = "hit"
        return response

    def _rendered(self, request, state: _PageState, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        keys = state.deps.final(state.declared) if state.deps else frozenset({caching.SITE})
        current = current_tokens(keys)
        tokens = _tokens(current, keys)
        changes = [changed_at for _, changed_at in current.values()]
        last_modified = int(max(changes).timestamp()) if changes else None
        etag = '"{}"'.format(
            hashlib.sha256(
                f"{state.key or request.get_full_path()}|{sorted(tokens.items())}".encode(
                    "utf-8", "surrogatepass"
                )
            ).hexdigest()[:32]
        )
        _label(response, etag, last_modified)
        cache = page_cache()
        recent = state.started - settings.PAGE_CACHE_CLOCK_MARGIN
        storable = (
            cache is not None
            and state.key is not None
            and not state.deps.not_stored
            and request.method == "GET"
            and all(changed_at.timestamp() < recent for changed_at in changes)
        )
        if storable and _cache_call(
            cache.set, state.key, (tokens, etag, last_modified, response), PAGE_SECONDS
        ):
            response["X-Archive-Cache"] = state.label
        else:
            response["X-Archive-Cache"] = "pass"
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            and not request.user.is_authenticated
        )


class _PageState:
    """One request's way through the page cache."""

    def __init__(self, started: float):
        self.started = started
        self.key: str | None = None
        self.label = "miss"
        self.served = False
        self.declared: tuple[str, ...] = (caching.LISTS,)
        self.deps: caching.PageDependencies | None = None


def page_cache():
    return caches[PAGE_CACHE] if settings.PUBLIC_PAGE_CACHE else None


def canonical_key(request, accepted) -> str | None:
    """The cache key of this address, or None if it is not a canonical one.

    Parameters the view accepts, sorted, empty ones dropped; anything else (a parameter
    the view does not read, one given twice, a page number that is not one, a very long
    query) is not canonical. The host is part of the key, so a page rendered for one
    host name (absolute links in a citation) is never served for another.
    """
    raw = request.META.get("QUERY_STRING", "")
    if len(raw) > MAX_QUERY_STRING:
        return None
    items = []
    for name in request.GET:
        values = [value for value in request.GET.getlist(name) if value.strip()]
        if not values:
            continue
        if name not in accepted or len(values) > 1:
            return None
        value = values[0]
        if name == "page":
            if not PAGE_NUMBER.fullmatch(value):
                return None
            if value == "1":
                continue
        items.append((name, value))
    try:
        host = request.get_host()
    except Exception:  # a host Django refuses: answered by Django, never stored
        return None
    query = urlencode(sorted(items))
    address = f"{request.scheme}://{host}{request.path}" + (f"?{query}" if query else "")
    digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
    return f"page:{KEY_VERSION}:{digest}"


_TOKENS = PreparedQuery(
    lambda keys: ChangeToken.objects.filter(key__in=keys).values_list("key", "token", "changed_at")
)


def current_tokens(keys) -> dict[str, tuple[str, datetime]]:
    """``ChangeToken.objects.current(keys)``, its SQL compiled once per number of keys:
    every public page asks, cached or not, and compiling cost more than the query."""
    return {key: (token, changed_at) for key, token, changed_at in _TOKENS.rows(sorted(keys))}


def _tokens(current: dict[str, tuple[str, datetime]], keys=None) -> dict[str, str]:
    """{key: token} for ``keys`` (those with no row have the token "")."""
    keys = current.keys() if keys is None else keys
    return {key: current[key][0] if key in current else "" for key in keys}


def _cache_call(method, *args):
    """A cache that does not answer (Redis down, a timeout) is a miss, never a 500."""
    try:
        result = method(*args)
    except Exception:
        cache_logger.warning("page cache unavailable", exc_info=True)
        return None
    return True if result is None and method.__name__ == "set" else result


def _label(response, etag: str, last_modified: int | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = format_datetime(
            datetime.fromtimestamp(last_modified, tz=UTC), usegmt=True
        )
    # Browsers may keep a page briefly, then must revalidate (cheap: a 304).
    patch_cache_control(response, public=True, max_age=60)
    patch_vary_headers(response, ["Cookie"])
