"""Curators upload, order, label and describe scans on the document's admin page;
deleting one is an Editor's act, and on record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.models import DerivativeState, PageImage, PublicationStatus
from sources.scans.services import add_scans
from tests.curation.staff import posted, staff_client

from .conftest import pdf_bytes, scan_bytes

pytestmark = pytest.mark.django_db


def change_url(document) -> str:
    return reverse("admin:sources_document_change", args=[document.pk])


def upload(client, document, name: str, data: bytes, **fields):
    form = client.get(change_url(document))
    assert form.status_code == 200
    row = document.page_images.count()  # the first empty row, after the saved ones
    data = posted(
        form,
        **{
            "page_images-TOTAL_FORMS": str(row + 1),  # as "Add another page image" does
            f"page_images-{row}-upload": SimpleUploadedFile(name, data),
            **{f"page_images-{row}-{k}": v for k, v in fields.items()},
        },
    )
    return client.post(change_url(document), data)


def test_a_curator_uploads_a_scan_and_a_pdf_and_derivatives_follow(
    make_document, django_capture_on_commit_callbacks, media_root
):
    curator = staff_client("Curator")
    document = make_document(status=PublicationStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            curator, document, "l4.jpg", scan_bytes(900, 1200), label="l. 4", description="Stamp."
        )
    assert response.status_code == 302
    (image,) = document.page_images.all()
    assert (image.label, image.description, image.width) == ("l. 4", "Stamp.", 900)
    assert image.derivatives == DerivativeState.READY
    assert (media_root / image.folder / "thumb.jpg").is_file()
    assert image.history.first().history_user == curator.user
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(curator, document, "rest.pdf", pdf_bytes(2))
    assert response.status_code == 302
    assert list(document.page_images.values_list("label", "order", "derivatives")) == [
        ("l. 4", 0, "ready"),
        ("p. 1", 1, "ready"),
        ("p. 2", 2, "ready"),
    ]
    page = curator.get(change_url(document)).content.decode()
    assert f"/scans/{image.key.hex}/thumb.jpg" in page  # the preview in the inline


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("l4.jpg", b"%!PS-Adobe-3.0 not a scan at all" * 10, "not an image"),
        ("l4.pdf", pdf_bytes()[:300], "damaged or incomplete PDF"),
    ],
)
def test_a_hostile_upload_is_a_message_and_nothing_is_written(
    make_document, media_root, name, data, words
):
    curator = staff_client("Curator")
    document = make_document(status=PublicationStatus.DRAFT)
    response = upload(curator, document, name, data, label="l. 4")
    assert response.status_code == 200  # the form again, with the error
    assert words in response.content.decode()
    assert not PageImage.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_deleting_a_scan_is_an_editors_act_and_on_record(
    make_document, django_capture_on_commit_callbacks, media_root
):
    document = make_document(status=PublicationStatus.DRAFT)
    (image,) = add_scans(document, [("l4.jpg", scan_bytes(300, 400))], labels=["l. 4"])
    curator = staff_client("Curator")
    assert not curator.user.has_perm("sources.delete_pageimage")
    form = curator.get(change_url(document))
    assert "page_images-0-DELETE" not in form.content.decode()
    editor = staff_client("Editor")
    assert editor.user.has_perm("sources.delete_pageimage")
    form = editor.get(change_url(document))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(change_url(document), posted(form, **{"page_images-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not PageImage.objects.filter(pk=image.pk).exists()
    deletion = PageImage.history.filter(id=image.pk).first()
    assert deletion.history_type == "-" and deletion.history_user == editor.user
    assert not (media_root / image.folder).exists() or not any(
        (media_root / image.folder).iterdir()
    )
