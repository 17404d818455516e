"""Public text is written for readers (issue 11): no page of the corpus shows a slug or
a model field name (original_title, works_cited, agents, infobox…) in its prose.

Every public page is rendered; what a reader reads is collected (element text, not
attributes, scripts or <code>), web addresses are set aside (a slug in a URL is the
address, not prose), and each slug and field name is looked for as a whole word."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from sources.models import Document, Entity
from tests.html import Node, tree

pytestmark = pytest.mark.django_db

URL = re.compile(r"(?:https?://|/)\S+")
# Words that are field names in the code but would never be English prose.
JARGON = {"infobox", "works_cited", "original_title", "agents", "editorial_notes"}


def prose(html: str) -> str:
    parts: list[str] = []

    def collect(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.name not in ("script", "style", "template", "code"):
                collect(child)

    collect(tree(html))
    return URL.sub(" ", " ".join(" ".join(parts).split()))


def field_names() -> set[str]:
    """Every field name of the archive's models that cannot be an English word."""
    names = {
        field.name
        for model in apps.get_app_config("sources").get_models()
        for field in model._meta.get_fields()
        if "_" in field.name
    }
    return names | JARGON


def public_urls() -> list[str]:
    urls = ["/", "/documents/", "/people/", "/places/", "/organizations/", "/events/"]
    urls += ["/timeline/", "/map/", "/search/?q=Bagirov", "/search/?q=Tabriz"]
    urls += ["/documents/?person=mir-jafar-bagirov", "/documents/?date_from=1946-04"]
    urls += [d.get_absolute_url() for d in Document.objects.published()]
    urls += [e.get_absolute_url() for e in Entity.objects.all()]
    return urls


def test_no_public_page_shows_a_slug_or_field_name_in_prose(client):
    slugs = {d.slug for d in Document.objects.all()} | {e.slug for e in Entity.objects.all()}
    slugs = {slug for slug in slugs if "-" in slug}  # one-word slugs are names too
    words = field_names()
    found: list[str] = []
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = prose(response.content.decode())
        for slug in slugs:
            if re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text):
                found.append(f"{url}: slug {slug!r}")
        for word in words:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                found.append(f"{url}: field name {word!r}")
    assert found == []


def test_the_check_itself_catches_a_slug_and_a_field_name(client):
    """The test above would fail on the faults the issue saw."""
    document = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    Document.objects.filter(pk=document.pk).update(
        editorial_notes="See original_title; spelling in 1946-04-battles-of-inje-and-qalaburun."
    )
    text = prose(client.get(document.get_absolute_url()).content.decode())
    assert "original_title" in text
    assert "1946-04-battles-of-inje-and-qalaburun" in text
    # Addresses are not prose.
    assert "digitalarchive.wilsoncenter.org" not in text
