"""Checking an uploaded scan by its content, and turning a PDF into page images.

Nothing here writes: ``prepare`` either returns the pages ready to store or raises
``ScanRefused`` with a message a curator can act on, so a refused upload leaves no
row and no file behind.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats accepted by content (never by file name), with their media types.
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}
SUFFIXES = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif"}
PDF_MAGIC = b"%PDF-"
MAX_PDF_PAGES = 500
# PDF pages are rendered at this resolution (a 300 dpi scan of an A4 page is about
# 2480 × 3508 pixels): enough to read a typescript, no more than a scanner makes.
PDF_DPI = 300


class ScanRefused(ValidationError):
    """An upload that is not a scan the archive keeps; the message says why."""


@dataclass
class PreparedScan:
    """One page ready to store: its bytes, media type, file suffix and size."""

    data: bytes
    media_type: str
    suffix: str
    width: int
    height: int
    page: int | None = None  # its page number when it came from a PDF


def max_pixels() -> int:
    return settings.SCANS_MAX_PIXELS


def _limits() -> None:
    # Pillow refuses (DecompressionBombError) beyond twice this and warns beyond it; the
    # check below refuses anything beyond it, before any pixel is decoded.
    Image.MAX_IMAGE_PIXELS = max_pixels()


def _too_many_pixels(name: str, width: int, height: int) -> ScanRefused:
    return ScanRefused(
        f"{name}: {width:,} × {height:,} pixels is more than the {max_pixels():,} pixels "
        "a scan may have (a decompression bomb, or a scan at a needlessly high resolution): "
        "reduce it and upload it again."
    )


def check_image(name: str, data: bytes) -> PreparedScan:
    """Open ``data`` as an image, by content, and refuse anything that is not a whole
    JPEG, PNG or TIFF within the pixel limit."""
    _limits()
    try:
        with warnings.catch_warnings():
            # Beyond the limit Pillow only warns (it refuses at twice the limit): refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ALLOWED_FORMATS:
                raise ScanRefused(
                    f"{name} is a {kind} image; the archive keeps JPEG, PNG or TIFF scans "
                    "(or a PDF of them)."
                )
            if width * height > max_pixels():
                raise _too_many_pixels(name, width, height)
            probe.verify()  # the structure and checksums, without decoding everything
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a truncated file fails here, not when derivatives are made
            oriented = ImageOps.exif_transpose(image) if image.getexif() else image
            width, height = oriented.size
    except ScanRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ScanRefused(
            f"{name} has more pixels than a scan may have ({max_pixels():,}): it looks like "
            "a decompression bomb and was refused."
        ) from error
    except UnidentifiedImageError as error:
        raise ScanRefused(
            f"{name} is not an image the archive can read, whatever its name says: upload "
            "a JPEG, PNG or TIFF scan, or a PDF."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ScanRefused(
            f"{name} is damaged or incomplete ({error}); nothing was saved."
        ) from error
    return PreparedScan(data, ALLOWED_FORMATS[kind], SUFFIXES[kind], width, height)


def render_pdf(name: str, data: bytes) -> list[PreparedScan]:
    """Every page of a PDF as a JPEG at PDF_DPI (smaller if a page would pass the
    pixel limit). A damaged or truncated PDF is refused as a whole."""
    import pypdfium2 as pdfium

    _limits()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ScanRefused(
            f"{name} is a damaged or incomplete PDF ({error}); nothing was saved."
        ) from error
    try:
        count = len(pdf)
        if count == 0:
            raise ScanRefused(f"{name} is a PDF without pages.")
        if count > MAX_PDF_PAGES:
            raise ScanRefused(f"{name} has {count} pages; split PDFs beyond {MAX_PDF_PAGES}.")
        pages = []
        for number in range(count):
            page = pdf[number]
            width_pt, height_pt = page.get_size()
            scale = PDF_DPI / 72
            if width_pt * height_pt * scale * scale > max_pixels():
                scale = (max_pixels() / (width_pt * height_pt)) ** 0.5 * 0.99
            try:
                image = page.render(scale=scale).to_pil().convert("RGB")
            except pdfium.PdfiumError as error:
                raise ScanRefused(
                    f"{name}: page {number + 1} cannot be rendered ({error}); nothing was saved."
                ) from error
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=90, optimize=True)
            pages.append(
                PreparedScan(
                    buffer.getvalue(), "image/jpeg", "jpg", image.width, image.height, number + 1
                )
            )
        return pages
    finally:
        pdf.close()


def prepare(name: str, data: bytes) -> list[PreparedScan]:
    """The pages an upload holds: one for an image, one per page for a PDF."""
    limit = settings.SCANS_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ScanRefused(f"{name} is {len(data):,} bytes; a scan may be at most {limit:,} bytes.")
    if not data:
        raise ScanRefused(f"{name} is empty.")
    if data.startswith(PDF_MAGIC):
        return render_pdf(name, data)
    if data.startswith(b"PK\x03\x04"):
        raise ScanRefused(
            f"{name} is a ZIP archive; upload the scans in it one by one (JPEG, PNG, TIFF) "
            "or as a PDF."
        )
    return [check_image(name, data)]
