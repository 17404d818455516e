"""Site-wide checks: every public page of the corpus renders with exactly one <h1>,
the landmarks a screen-reader user relies on, and no pending migrations."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sources.models import Document, Entity
from tests.html import attribute, find, find_all, tree

pytestmark = pytest.mark.django_db

LISTS = ["/", "/documents/", "/people/", "/places/", "/organizations/", "/events/"]
OTHERS = ["/timeline/", "/map/", "/disagreements/", "/data/", "/api/docs/"]


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
        page = tree(html)
        assert len(find_all(page, "h1")) == 1, url
        assert find_all(page, "html", lang="en"), url
        for name, attrs in (
            ("header", {"class_": "site-header"}),
            ("nav", {"class_": "site-nav"}),
            ("main", {"id": "main"}),
            ("footer", {}),
        ):
            assert find_all(page, name, **attrs), (url, name)
        skip = find(page, "a", class_="skip-link")
        assert attribute(skip, "href") == "#main", url
        ids = [attribute(e, "id") for e in find_all(page) if attribute(e, "id")]
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))


def test_the_not_found_page_is_styled_and_has_one_h1(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert len(find_all(html, "h1")) == 1
    stylesheets = [
        attribute(link, "href") or "" for link in find_all(html, "link", rel="stylesheet")
    ]
    assert any("archive" in href and href.endswith(".css") for href in stylesheets)


def test_no_migrations_are_pending():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()
