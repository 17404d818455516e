"""/oai/: the OAI-PMH endpoint (GET, or POST with a form, as the protocol allows)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .protocol import respond

MAX_VALUE = 1000


def readable(value: str) -> str:
    """``value`` without the control characters XML cannot carry, at a sane length."""
    return "".join(ch for ch in value[:MAX_VALUE] if ch >= " " or ch in "\t\n\r")


@csrf_exempt  # harvesters POST without a session; nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    arguments = {
        readable(key): [readable(value) for value in params.getlist(key)[:5]] for key in params
    }
    return HttpResponse(respond(arguments), content_type="text/xml; charset=utf-8")
