"""Scans made with Pillow (and a PDF Pillow writes), stored under a temporary
MEDIA_ROOT for each test."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://archive.example.org"
    return settings.MEDIA_ROOT


def scan_bytes(
    width: int = 1300, height: int = 1700, kind: str = "JPEG", text: str = "l. 4", exif=None
) -> bytes:
    """A page-like image: pale paper, a few dark lines of 'writing'."""
    image = Image.new("RGB", (width, height), (236, 228, 205))
    draw = ImageDraw.Draw(image)
    for y in range(80, height - 80, 60):
        draw.line((60, y, width - 60, y), fill=(40, 30, 20), width=4)
    draw.text((70, 20), text, fill=(0, 0, 0))
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    images = [Image.new("RGB", (595, 842), (250, 250, 250 - 20 * n)) for n in range(pages)]
    for number, image in enumerate(images, 1):
        ImageDraw.Draw(image).text((50, 50), f"page {number}", fill=(0, 0, 0))
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return buffer.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Test camera maker"  # Make
    gps = {1: "N", 2: (38.0, 4.0, 48.0), 3: "E", 4: (46.0, 17.0, 31.0)}
    exif[0x8825] = gps
    return exif
