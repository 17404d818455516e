"""Uploads are checked by content: hostile or damaged files are refused with a clear
message and leave neither a row nor a file behind."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from sources.models import PageImage
from sources.scans.services import add_scans
from sources.scans.uploads import ScanRefused, prepare

from .conftest import pdf_bytes, scan_bytes

pytestmark = pytest.mark.django_db


def huge_png(width: int = 40_000, height: int = 25_000) -> bytes:
    """A PNG header claiming a billion pixels (the pixel data is never read)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.jpg", scan_bytes(200, 300))
    return buffer.getvalue()


def files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


HOSTILE = {
    "not an image named .jpg": (
        "scan.jpg",
        b"<html><script>alert(1)</script></html>" * 20,
        "not an image",
    ),
    "a truncated PDF": ("scan.pdf", pdf_bytes()[:400], "damaged or incomplete PDF"),
    "a billion-pixel image": ("scan.png", huge_png(), "pixels"),
    "a ZIP archive": ("scans.zip", zip_bytes(), "ZIP"),
    "a truncated JPEG": ("scan.jpg", scan_bytes()[:3000], "damaged or incomplete"),
    "a GIF": (
        "scan.gif",
        (lambda b: (Image.new("RGB", (20, 20)).save(b, "GIF"), b.getvalue())[1])(io.BytesIO()),
        "JPEG, PNG or TIFF",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_files_are_refused_and_nothing_is_written(case, make_document, media_root):
    name, data, words = HOSTILE[case]
    document = make_document()
    good = ("good.jpg", scan_bytes(300, 400))
    with pytest.raises(ScanRefused) as refused:
        add_scans(document, [good, (name, data)])  # the good file is not kept either
    assert words in refused.value.messages[0]
    assert name in refused.value.messages[0]
    assert not PageImage.objects.filter(document=document).exists()
    assert files_under(media_root) == []


def test_the_pixel_limit_is_pillows_limit_too(settings):
    settings.SCANS_MAX_PIXELS = 100_000
    with pytest.raises(ScanRefused, match="100,000"):
        prepare("big.jpg", scan_bytes(400, 300))
    assert Image.MAX_IMAGE_PIXELS == 100_000
    settings.SCANS_MAX_PIXELS = 1_000_000
    assert prepare("small.jpg", scan_bytes(300, 300))[0].width == 300


def test_the_size_limit(settings):
    settings.SCANS_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ScanRefused, match="at most 1,000 bytes"):
        prepare("scan.png", scan_bytes(300, 300, kind="PNG"))


def test_a_pdf_becomes_one_image_per_page(make_document, media_root):
    document = make_document()
    images = add_scans(document, [("letter.pdf", pdf_bytes(3))])
    assert [i.label for i in images] == ["p. 1", "p. 2", "p. 3"]
    assert [i.order for i in images] == [0, 1, 2]
    first = images[0]
    # A 595 × 842 pt page rendered at 300 dpi.
    assert (first.width, first.height) == pytest.approx((2479, 3508), abs=2)
    with first.original.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"
    assert len(files_under(media_root)) == 3


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "TIFF"])
def test_each_allowed_format_is_kept_as_uploaded(kind, make_document):
    data = scan_bytes(320, 480, kind=kind)
    (image,) = add_scans(make_document(), [("scan.bin", data)], labels=["l. 4"])
    assert image.label == "l. 4"
    assert (image.width, image.height) == (320, 480)
    assert image.media_type == f"image/{kind.lower()}"
    with image.original.open("rb") as handle:
        assert handle.read() == data  # the original is kept byte for byte
    assert (
        image.original.name
        == f"scans/{image.key.hex}/original.{ {'JPEG': 'jpg', 'PNG': 'png', 'TIFF': 'tif'}[kind] }"
    )
    assert image.history.count() == 1
