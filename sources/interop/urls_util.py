"""Absolute addresses for what leaves the site (citations, feeds, TEI, linked data)."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` under ``settings.SITE_URL``, never the request's Host: a citation or a
    harvested record must name the archive's public address whatever host name the
    request came in by (a proxy, a health check, a forged Host header)."""
    return settings.SITE_URL.rstrip("/") + path
