"""Hardening of the public pages: links come from the configured site address, never
from what a client sends, and only web URLs become links."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from sources.models import Document
from tests.html import find, find_all, text

pytestmark = pytest.mark.django_db

TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"


@pytest.fixture
def page_cache():
    cache.clear()
    with override_settings(PUBLIC_PAGE_CACHE=True):
        yield
    cache.clear()


@override_settings(
    ALLOWED_HOSTS=["testserver", "127.0.0.1", "127.0.0.1:6666"],
    SITE_URL="https://archive.example.org",
)
def test_a_forged_host_never_reaches_the_cached_page(client, page_cache):
    forged = client.get(TELEGRAM, HTTP_HOST="127.0.0.1:6666")
    assert forged.status_code == 200
    forged_again = client.get(TELEGRAM, HTTP_HOST="127.0.0.1:6666")
    assert forged_again["X-Archive-Cache"] == "hit"  # the page the forged request left
    normal = client.get(TELEGRAM)
    for response in (forged, forged_again, normal):
        page = response.content.decode()
        assert "6666" not in page
        canonical = find(page, "link", rel="canonical").attrs["href"]
        assert canonical == f"https://archive.example.org{TELEGRAM}"
        assert f"https://archive.example.org{TELEGRAM}" in text(find(page, id="citation"))


def test_canonical_and_citation_use_the_site_url_by_default(client, settings):
    page = client.get(TELEGRAM).content.decode()
    assert settings.SITE_URL == "http://127.0.0.1:8000"
    assert find(page, "link", rel="canonical").attrs["href"] == f"http://127.0.0.1:8000{TELEGRAM}"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example.org/",
        "http:alert(1)",
    ],
)
def test_only_http_source_urls_are_links(client, url):
    document = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    Document.objects.filter(pk=document.pk).update(source_url=url)  # as the ORM, a fixture
    page = client.get(TELEGRAM).content.decode()
    links = [a.attrs.get("href", "") for a in find_all(page, "a")]
    assert not [
        href
        for href in links
        if href.strip()
        .lower()
        .startswith(("javascript", "data", "vbscript", "//evil", "http:alert"))
    ]
    assert url.strip() in text(page)  # still shown, as text
    document.refresh_from_db()
    assert document.source_link == ""


@pytest.mark.parametrize("url", ["http://example.org/a", "HTTPS://example.org/b?c=d"])
def test_web_source_urls_are_links(client, url):
    Document.objects.filter(slug="1945-11-21-telegram-baku-to-moscow").update(source_url=url)
    page = client.get(TELEGRAM).content.decode()
    assert url in [a.attrs.get("href") for a in find_all(page, "a", **{"class": "url"})]
