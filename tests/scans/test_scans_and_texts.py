"""Issue 14 as a curator and a reader meet it: a new source imported with its scans and its
Russian original, a draft whose images nobody outside can reach, published through the
workflow, then read with the pages beside the text in both languages, every name linked in
each, and its manifest opened by a IIIF library."""

from __future__ import annotations

import json

import iiif_prezi3
import pytest
from django.contrib.auth.models import User

from sources.curation import workflow
from sources.curation.importer import import_sources
from sources.models import Place
from tests.conftest import mention_at
from tests.html import attribute, find_all, text

from .conftest import scan_bytes

pytestmark = pytest.mark.django_db

ENGLISH = "The committee in Tabriz reported to Baku on the rallies."
RUSSIAN = "Комитет в Тебризе доложил в Баку о митингах."
SOURCE = """---
title: A committee's report with its scans
date: 1945-11-25
type: report
source_kind: primary
language: en
original_language: ru
reference: "Test archive, f. 1, op. 1, d. 1, ll. 4-5"
rights: "Public domain (test)."
images:
  - file: scans/l4.jpg
    label: "l. 4"
  - file: scans/l5.jpg
    label: "l. 5"
texts:
  - file: report.ru.txt
    language: ru
    kind: original
---
{body}
"""


@pytest.fixture
def imported(tmp_path):
    (tmp_path / "scans").mkdir()
    for name in ("l4", "l5"):
        (tmp_path / "scans" / f"{name}.jpg").write_bytes(scan_bytes(800, 1000, text=name))
    (tmp_path / "report.md").write_text(SOURCE.format(body=ENGLISH), encoding="utf-8")
    (tmp_path / "report.ru.txt").write_text(RUSSIAN, encoding="utf-8")
    [document] = import_sources([tmp_path])
    return document


def public_addresses(client, document) -> list[str]:
    image = document.page_images.first()
    return [
        document.get_absolute_url(),
        f"/iiif/documents/{document.slug}/manifest.json",
        f"/iiif/{image.key.hex}/info.json",
        f"/scans/{image.key.hex}/web.jpg",
    ]


def test_a_source_with_scans_and_its_russian_text_from_import_to_reader(imported, client):
    document = imported
    assert document.status == "draft"
    assert [i.label for i in document.page_images.all()] == ["l. 4", "l. 5"]
    # A draft: its page, its manifest and its images are nowhere to be had.
    for url in public_addresses(client, document):
        assert client.get(url).status_code == 404, url

    tabriz, baku = Place.objects.get(slug="tabriz"), Place.objects.get(slug="baku")
    russian = document.texts.get(language="ru")
    document.mentions.all().delete()  # the finder's proposals aside: the curator links by hand
    mention_at(document, tabriz, "Tabriz")
    mention_at(document, baku, "Baku")
    # A declined form of the variant "Тебриз": Publish accepts it without a note.
    mention_at(document, tabriz, "Тебризе", russian)
    mention_at(document, baku, "Баку", russian)
    editor = User.objects.create_superuser("editor", "editor@example.org", "x")
    workflow.apply(editor, document, "publish")

    for url in public_addresses(client, document):
        assert client.get(url).status_code == 200, url
    html = client.get(document.get_absolute_url()).content.decode()
    # The pages beside the text: the viewer, with one thumbnail a page, in order.
    [scans] = find_all(html, "section", class_="scans")
    pages = find_all(scans, "ol", class_="scan-pages")[0]
    assert [attribute(img, "alt") for img in find_all(pages, "img")] == ["l. 4", "l. 5"]
    # Both texts, each in its language, with every name linked in each.
    texts = {attribute(t, "lang"): t for t in find_all(html, "div", class_="transcription")}
    assert set(texts) == {"en", "ru"}
    for language, words in {"en": ("Tabriz", "Baku"), "ru": ("Тебризе", "Баку")}.items():
        links = {text(a): attribute(a, "href") for a in find_all(texts[language], "a")}
        assert links[words[0]] == tabriz.get_absolute_url()
        assert links[words[1]] == baku.get_absolute_url()

    # A IIIF library opens the manifest: two canvases, labelled as the curator did.
    data = json.loads(client.get(f"/iiif/documents/{document.slug}/manifest.json").content)
    manifest = iiif_prezi3.Manifest(**data)
    assert [canvas.label for canvas in manifest.items] == [{"en": ["l. 4"]}, {"en": ["l. 5"]}]

    # Withdrawn: everything is gone again, the images' addresses included.
    workflow.apply(editor, document, "withdraw")
    for url in public_addresses(client, document):
        assert client.get(url).status_code == 404, url
