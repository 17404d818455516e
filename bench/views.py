"""The load benchmark's ceiling: the fastest page this stack can serve."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

_CEILING_BODY = (
    "<!doctype html><html lang=en><title>ceiling</title><main><h1>Ceiling</h1>"
    + "<p>"
    + "The fastest page this stack can serve: no database, no template. " * 190
    + "</p></main></html>"
)[:12288]


@require_GET
def ceiling(request) -> HttpResponse:
    """A fixed 12 kB page through the same middleware as every public page, so each
    page's throughput can be read as a share of what Django itself can serve."""
    return HttpResponse(_CEILING_BODY)
