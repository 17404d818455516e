"""Derivatives, the IIIF Image API (level 0) and the Presentation 3 manifest."""

from __future__ import annotations

import io
import json
from io import StringIO

import iiif_prezi3
import pytest
from django.core.management import call_command
from PIL import Image

from sources.models import DerivativeState, PageImage
from sources.scans.derivatives import make_all
from sources.scans.services import add_scans

from .conftest import gps_exif, pdf_bytes, scan_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_scans(make_document):
    document = make_document(
        title="Telegram with scans", rights="Public domain (test).", archival_reference="f. 1"
    )
    images = add_scans(
        document,
        [("l4.jpg", scan_bytes(1300, 1700, exif=gps_exif())), ("l5.pdf", pdf_bytes(1))],
        labels=["l. 4", "l. 5"],
        descriptions=["The first page, with a stamp."],
    )
    return document, images


def get_image(client, url: str) -> Image.Image:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_make_derivatives_reports_progress_and_marks_images_ready(with_scans):
    _, images = with_scans
    assert {i.derivatives for i in images} == {DerivativeState.PENDING}
    out = StringIO()
    call_command("make_derivatives", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/2] ") and "l. 4" in lines[0] and "1300×1700" in lines[0]
    assert lines[1].startswith("[2/2] ") and "l. 5" in lines[1]
    assert lines[-1] == "2 image(s) ready, 0 failed."
    assert set(PageImage.objects.values_list("derivatives", flat=True)) == {"ready"}
    again = StringIO()
    call_command("make_derivatives", stdout=again)  # nothing left to do
    assert again.getvalue().strip() == "0 image(s) ready, 0 failed."


def test_derivatives_carry_no_exif_and_keep_the_shape(with_scans, client):
    _, images = with_scans
    make_all()
    first = images[0]
    with first.original.open("rb") as handle:
        assert Image.open(handle).getexif().get_ifd(0x8825)  # the original has GPS data
    thumb = get_image(client, f"/scans/{first.key.hex}/thumb.jpg")
    web = get_image(client, f"/scans/{first.key.hex}/web.jpg")
    assert thumb.width == 240 and abs(thumb.height - 314) <= 1
    assert web.width == 1300  # never scaled up
    for derivative in (thumb, web):
        assert not derivative.getexif()
        assert "exif" not in derivative.info


def test_info_json_and_every_advertised_size_and_tile(with_scans, client):
    _, images = with_scans
    make_all()
    image = images[0]
    response = client.get(f"/iiif/{image.key.hex}/info.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    info = json.loads(response.content)
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"https://archive.example.org/iiif/{image.key.hex}"
    assert info["profile"] == "level0" and info["type"] == "ImageService3"
    assert (info["width"], info["height"]) == (1300, 1700)
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    base = info["id"].removeprefix("https://archive.example.org")
    assert info["sizes"] == [{"width": 325, "height": 425}]
    for size in info["sizes"]:
        got = get_image(client, f"{base}/full/{size['width']},{size['height']}/0/default.jpg")
        assert got.size == (size["width"], size["height"])
        # The same, as IIIF clients also write it.
        assert get_image(client, f"{base}/full/{size['width']},/0/default.jpg").size == got.size
    # A tile of each scale factor, as OpenSeadragon asks for them.
    assert get_image(client, f"{base}/0,0,512,512/512,512/0/default.jpg").size == (512, 512)
    assert get_image(client, f"{base}/1024,1024,276,512/276,512/0/default.jpg").size == (276, 512)
    assert get_image(client, f"{base}/1024,0,276,1024/138,512/0/default.jpg").size == (138, 512)
    assert get_image(client, f"{base}/0,0,1300,1700/325,425/0/default.jpg").size == (325, 425)
    # Level 0: nothing computed on demand.
    for refused in (
        f"{base}/0,0,100,100/100,100/0/default.jpg",
        f"{base}/full/max/0/default.jpg",
        f"{base}/full/325,425/90/default.jpg",
        f"{base}/full/325,425/0/gray.jpg",
        f"{base}/full/325,425/0/default.png",
        f"{base}/0,0,99999,1/1,1/0/default.jpg",
        f"{base}/a,b,c,d/1,1/0/default.jpg",
    ):
        assert client.get(refused).status_code == 404, refused


def test_the_manifest_loads_back_with_iiif_prezi3(with_scans, client):
    document, images = with_scans
    make_all()
    response = client.get(f"/iiif/documents/{document.slug}/manifest.json")
    assert response.status_code == 200
    assert "presentation/3" in response["Content-Type"]
    data = json.loads(response.content)
    manifest = iiif_prezi3.Manifest(**data)  # validated by the library's model
    assert manifest.label == {"en": ["Telegram with scans"]}
    assert data["requiredStatement"]["value"] == {"en": ["Public domain (test)."]}
    assert [type(item).__name__ for item in manifest.items] == ["Canvas", "Canvas"]
    assert manifest.items[0].width == 1300
    # What it writes again is what was served.
    assert json.loads(manifest.json()) == data
    homepage = data["homepage"][0]
    assert homepage["id"] == f"https://archive.example.org/documents/{document.slug}/"
    labels = {m["label"]["en"][0]: m["value"]["en"][0] for m in data["metadata"]}
    assert "Telegram with scans" in labels["Citation"]
    assert labels["Archival reference"] == "f. 1"
    canvases = data["items"]
    assert [c["label"]["en"][0] for c in canvases] == ["l. 4", "l. 5"]
    assert canvases[0]["summary"]["en"] == ["The first page, with a stamp."]
    assert (canvases[0]["width"], canvases[0]["height"]) == (1300, 1700)
    body = canvases[0]["items"][0]["items"][0]["body"]
    service = body["service"][0]
    assert service["id"] == f"https://archive.example.org/iiif/{images[0].key.hex}"
    assert service["type"] == "ImageService3" and service["profile"] == "level0"
    # The service the manifest names answers.
    path = service["id"].removeprefix("https://archive.example.org")
    assert json.loads(client.get(f"{path}/info.json").content)["width"] == 1300
    assert client.get(body["id"].removeprefix("https://archive.example.org")).status_code == 200


def test_a_document_without_images_has_no_manifest(make_document, client):
    document = make_document()
    assert client.get(f"/iiif/documents/{document.slug}/manifest.json").status_code == 404


def test_derivatives_made_after_a_page_was_cached_show_at_once(with_scans, client, page_cache):
    """The page, the API answer and the TEI cached while the scans were pending become
    stale when the derivatives are ready; the derived state writes no history."""
    document, _ = with_scans
    urls = [
        document.get_absolute_url(),
        f"/api/v1/documents/{document.slug}/",
        f"/documents/{document.slug}/tei.xml",
    ]
    before = [client.get(url).content for url in urls]
    assert client.get(urls[0])["X-Archive-Cache"] == "hit"  # cached while pending
    assert b"scan-pages" not in before[0] and json.loads(before[1])["scans"] is None
    assert b"<facsimile" not in before[2]
    history = PageImage.history.count()
    make_all()
    after = [client.get(url).content for url in urls]
    assert b"scan-pages" in after[0]
    assert [page["label"] for page in json.loads(after[1])["scans"]["pages"]] == ["l. 4", "l. 5"]
    assert b"<facsimile" in after[2]
    assert PageImage.history.count() == history
