"""Scans reach the public only through views that check publication: a draft's or a
withdrawn document's images are 404 at every address, staff may preview them, and
the production proxy can be handed the file (X-Accel-Redirect)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from sources.models import Document, PageBreak, PublicationStatus
from sources.models.documents import publication_change
from sources.scans.derivatives import make_all
from sources.scans.services import add_scans
from tests.html import find_all, tree
from tests.html import text as text_of

from .conftest import scan_bytes

pytestmark = pytest.mark.django_db


def addresses(document, image) -> list[str]:
    key = image.key.hex
    return [
        f"/scans/{key}/thumb.jpg",
        f"/scans/{key}/web.jpg",
        f"/iiif/{key}/info.json",
        f"/iiif/{key}/0,0,512,512/512,512/0/default.jpg",
        f"/iiif/{key}/full/300,400/0/default.jpg",
        f"/iiif/documents/{document.slug}/manifest.json",
    ]


@pytest.fixture
def scanned(make_document):
    def make(status=PublicationStatus.PUBLISHED, text="A short text.", count=1):
        document = make_document(status=status, transcription=text)
        images = add_scans(
            document,
            [(f"l{n}.jpg", scan_bytes(600, 800, text=f"l. {n}")) for n in range(count)],
            labels=[f"l. {n + 4}" for n in range(count)],
        )
        make_all()
        return document, images

    return make


def staff(client, group="Curator"):
    user = User.objects.create_user(f"s-{group}", password="a-long-staff-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def test_published_scans_are_served_with_cache_headers(client, scanned):
    document, (image,) = scanned()
    for url in addresses(document, image):
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".jpg"):
            assert response["Cache-Control"] == "public, max-age=600", url
        else:  # JSON: the page cache's short life and ETag (archive.middleware)
            assert "public" in response["Cache-Control"] and response["ETag"], url


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN])
def test_a_drafts_or_withdrawn_documents_scans_are_404_everywhere(client, scanned, status):
    document, (image,) = scanned()
    urls = addresses(document, image)
    assert client.get(urls[0]).status_code == 200
    with publication_change():  # set up directly, through the workflow's door
        Document.objects.filter(pk=document.pk).update(status=status)
    for url in urls:
        assert client.get(url).status_code == 404, url
    page = client.get(document.get_absolute_url())
    assert page.status_code == 404
    # Nothing under MEDIA_ROOT has an address of its own either.
    assert client.get(f"/media/{image.original.name}").status_code == 404
    assert client.get(f"/{image.original.name}").status_code == 404


def test_staff_preview_a_drafts_scans_and_nobody_keeps_them(client, scanned):
    document, (image,) = scanned(status=PublicationStatus.DRAFT)
    staff(client)
    for url in addresses(document, image):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "Access-Control-Allow-Origin" not in response, url


def test_unknown_keys_are_404(client, scanned):
    scanned()
    assert client.get(f"/scans/{'0' * 32}/thumb.jpg").status_code == 404
    assert client.get(f"/iiif/{'f' * 32}/info.json").status_code == 404
    assert client.get("/scans/not-a-key/thumb.jpg").status_code == 404


def test_pending_derivatives_are_not_served(client, make_document):
    document = make_document()
    (image,) = add_scans(document, [("l.jpg", scan_bytes(300, 400))])
    assert client.get(f"/scans/{image.key.hex}/thumb.jpg").status_code == 404
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Page images" not in page


def test_x_accel_redirect_hands_the_file_to_the_proxy(client, scanned, settings):
    settings.SCANS_ACCEL_REDIRECT = "/protected-media/"
    document, (image,) = scanned()
    response = client.get(f"/scans/{image.key.hex}/web.jpg")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/scans/{image.key.hex}/web.jpg"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    with publication_change():
        Document.objects.filter(pk=document.pk).update(status=PublicationStatus.WITHDRAWN)
    assert client.get(f"/scans/{image.key.hex}/web.jpg").status_code == 404


def test_the_document_page_shows_the_viewer_and_page_breaks(client, scanned):
    text = "To Comrade Stalin. Report.\n\nSecond page: the <b>rallies</b> in Tabriz."
    document, images = scanned(text=text, count=2)
    PageBreak.objects.create(document=document, image=images[1], position=text.index("Second"))
    html = client.get(document.get_absolute_url()).content.decode()
    page = tree(html)
    thumbs = find_all(page, "img", src=f"/scans/{images[0].key.hex}/thumb.jpg")
    assert thumbs and thumbs[0].attrs["alt"] == "l. 4"
    (marker,) = find_all(page, "a", **{"class": "page-break"})
    assert marker.attrs["href"] == "#scan-2" and marker.attrs["data-page"] == "2"
    assert text_of(marker) == "l. 5"
    assert "&lt;b&gt;rallies&lt;/b&gt;" in html  # the text is still escaped
    assert 'id="scan-2"' in html
    assert f"/iiif/documents/{document.slug}/manifest.json" in html
    assert "vendor/openseadragon/openseadragon.min.js" in html and "js/scans.js" in html
    assert "<script>" not in html.split("</head>")[1]  # no inline script


def test_a_page_break_moves_with_an_edit_of_the_text(scanned):
    text = "Page one words.\n\nPage two words."
    document, images = scanned(text=text, count=2)
    page_break = PageBreak.objects.create(document=document, image=images[1], position=17)
    document.transcription = "A new first line.\n\n" + text
    document.save()
    page_break.refresh_from_db()
    assert document.transcription[page_break.position :].startswith("Page two")
    assert not page_break.needs_review
    document.transcription = "Rewritten entirely."
    document.save()
    page_break.refresh_from_db()
    assert page_break.needs_review and page_break.position <= len(document.transcription)


def test_the_document_page_with_scans_runs_a_bounded_number_of_queries(
    client, scanned, django_assert_max_num_queries
):
    text = "One.\n\nTwo.\n\nThree.\n\nFour."
    document, images = scanned(text=text, count=4)
    for image, word in zip(images, ("One", "Two", "Three", "Four"), strict=True):
        PageBreak.objects.create(document=document, image=image, position=text.index(word))
    # The page without scans (12 in tests/views) + the images + the breaks.
    with django_assert_max_num_queries(14):
        html = client.get(document.get_absolute_url()).content.decode()
    assert html.count('class="page-break"') == 4


def test_scan_changes_make_a_published_pages_cache_stale_and_drafts_bump_nothing(scanned):
    from sources import caching
    from sources.models import ChangeToken

    document, (image,) = scanned()
    key = caching.document_key(document.pk)
    before = ChangeToken.objects.current([key]).get(key)
    image.label = "l. 4 verso"
    image.save()
    after = ChangeToken.objects.current([key])[key]
    assert after != before
    PageBreak.objects.create(document=document, image=image, position=0)
    assert ChangeToken.objects.current([key])[key] != after

    draft, (draft_image,) = scanned(status=PublicationStatus.DRAFT)
    draft_key = caching.document_key(draft.pk)
    quiet = ChangeToken.objects.current([draft_key]).get(draft_key)
    draft_image.label = "l. 9"
    draft_image.save()
    assert ChangeToken.objects.current([draft_key]).get(draft_key) == quiet
