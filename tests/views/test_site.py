"""Site-wide checks: every public page of the corpus renders with exactly one <h1>,
the landmarks a screen-reader user relies on, and no pending migrations."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from sources.models import Document, Entity

pytestmark = pytest.mark.django_db

LISTS = ["/", "/documents/", "/people/", "/places/", "/organizations/", "/events/"]
OTHERS = ["/timeline/", "/map/"]


def public_urls() -> list[str]:
    return [
        *LISTS,
        *OTHERS,
        *(d.get_absolute_url() for d in Document.objects.published()),
        *(e.get_absolute_url() for e in Entity.objects.order_by("kind", "slug")),
    ]


def test_every_public_page_renders_with_one_h1_and_landmarks(client):
    urls = public_urls()
    assert len(urls) > len(LISTS) + len(OTHERS) + 4  # the corpus is there
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert '<html lang="en">' in html, url
        for landmark in (
            '<header class="site-header">',
            '<nav class="site-nav"',
            '<main id="main"',
            "<footer",
        ):
            assert landmark in html, (url, landmark)
        assert '<a class="skip-link" href="#main">' in html, url
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))


def test_the_not_found_page_is_styled_and_has_one_h1(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "archive.css" in html


def test_no_migrations_are_pending():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()
