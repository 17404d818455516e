"""Request logging: method, path, status and duration of every request, as fields."""

from __future__ import annotations

import logging
import time

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
