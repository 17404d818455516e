"""Operational endpoints, outside the public archive's URL space."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request) -> JsonResponse:
    """200 when the app can reach its database, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


_CEILING_BODY = (
    "<!doctype html><html lang=en><title>ceiling</title><main><h1>Ceiling</h1>"
    + "<p>"
    + "The fastest page this stack can serve: no database, no template. " * 190
    + "</p></main></html>"
)[:12288]


@require_GET
def bench_ceiling(request) -> HttpResponse:
    """A fixed 12 kB page through the same middleware: the load benchmark's ceiling.
    Routed only when BENCHMARK_ENDPOINTS is on (see make bench)."""
    return HttpResponse(_CEILING_BODY)
