"""Derivatives of a page image, made once (by ``manage.py make_derivatives`` or right
after an upload in the admin), never while a reader waits: a thumbnail, a web-size
image, and the static tiles of the IIIF Image API at level 0.

Every derivative is a fresh JPEG written from pixels only, so no EXIF block (camera,
date, GPS location) of the original survives into what readers get.

The tiles follow the layout IIIF clients ask for (OpenSeadragon, Mirador): for each
scale factor 1, 2, 4 … up to the one at which the whole image fits in one tile, the
image is cut into regions of TILE_SIZE × factor full-size pixels, each scaled down
to at most TILE_SIZE. They are stored as ``tiles/<x>,<y>,<w>,<h>/<w'>,<h'>.jpg`` and
found again from any equivalent request (``sources.scans.iiif.tile_path``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from PIL import Image, ImageOps

from ..models import DerivativeState, PageImage
from .uploads import _limits

TILE_SIZE = 512
THUMB_WIDTH = 240
WEB_WIDTH = 1400
QUALITY = 85


def scale_factors(width: int, height: int, tile: int = TILE_SIZE) -> list[int]:
    factors = [1]
    while math.ceil(width / factors[-1]) > tile or math.ceil(height / factors[-1]) > tile:
        factors.append(factors[-1] * 2)
    return factors


def level_size(width: int, height: int, factor: int) -> tuple[int, int]:
    return math.ceil(width / factor), math.ceil(height / factor)


def advertised_sizes(width: int, height: int, tile: int = TILE_SIZE) -> list[tuple[int, int]]:
    """The whole-image sizes info.json lists: the levels that fit in one tile."""
    sizes = []
    for factor in scale_factors(width, height, tile):
        w, h = level_size(width, height, factor)
        if w <= tile and h <= tile:
            sizes.append((w, h))
    return sorted(sizes)


def tiles(width: int, height: int, tile: int = TILE_SIZE) -> Iterator[tuple[tuple, tuple]]:
    """((x, y, w, h) region in full-size pixels, (w', h') output size) of every tile."""
    for factor in scale_factors(width, height, tile):
        level_w, level_h = level_size(width, height, factor)
        span = tile * factor
        for row in range(math.ceil(level_h / tile)):
            for col in range(math.ceil(level_w / tile)):
                x, y = col * span, row * span
                region = (x, y, min(span, width - x), min(span, height - y))
                size = (min(tile, level_w - col * tile), min(tile, level_h - row * tile))
                yield region, size


def tile_name(folder: str, region: tuple, size: tuple) -> str:
    return f"{folder}/tiles/{','.join(map(str, region))}/{size[0]},{size[1]}.jpg"


def thumb_name(image: PageImage) -> str:
    return f"{image.folder}/thumb.jpg"


def web_name(image: PageImage) -> str:
    return f"{image.folder}/web.jpg"


def _jpeg(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=QUALITY, optimize=True)  # no exif=: none kept
    return ContentFile(buffer.getvalue())


def _put(name: str, content: ContentFile) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, content)


def _scaled(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image.copy()
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def make(image: PageImage, progress: Callable[[str], None] | None = None) -> int:
    """Make every derivative of ``image``; returns how many files were written."""
    _limits()
    with image.original.open("rb") as handle, Image.open(handle) as source:
        source.load()
        pixels = ImageOps.exif_transpose(source).convert("RGB")
    width, height = pixels.size
    _put(thumb_name(image), _jpeg(_scaled(pixels, THUMB_WIDTH)))
    _put(web_name(image), _jpeg(_scaled(pixels, WEB_WIDTH)))
    written = 2
    for region, size in tiles(width, height):
        x, y, w, h = region
        piece = pixels.crop((x, y, x + w, y + h))
        if piece.size != size:
            piece = piece.resize(size, Image.Resampling.LANCZOS)
        _put(tile_name(image.folder, region, size), _jpeg(piece))
        written += 1
    image.width, image.height = width, height
    _record_state(image, DerivativeState.READY)
    if progress:
        progress(f"{image.document.slug} · {image.label}: {written} files ({width}×{height})")
    return written


def _record_state(image: PageImage, state: str, error: str = "") -> None:
    """Save the derivatives' state through the ordinary save, so the signals mark the
    document's page, manifest, API answer and TEI stale (a page cached while the scans
    were pending would otherwise never show them); not in history: it is derived, not a
    curator's change."""
    image.derivatives, image.derivatives_error = state, error
    image.skip_history_when_saving = True
    try:
        image.save(update_fields=["width", "height", "derivatives", "derivatives_error"])
    finally:
        del image.skip_history_when_saving


def make_all(
    images: QuerySet[PageImage] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[int, int]:
    """Make the derivatives of ``images`` (by default those still pending). Returns
    (images done, images failed); a failure is recorded on the image, not raised."""
    if images is None:
        images = PageImage.objects.exclude(derivatives=DerivativeState.READY)
    done = failed = 0
    todo = list(images.select_related("document"))
    for number, image in enumerate(todo, 1):
        step = (lambda line, n=number: progress(f"[{n}/{len(todo)}] {line}")) if progress else None
        try:
            make(image, step)
            done += 1
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            _record_state(image, DerivativeState.FAILED, str(error)[:500])
            failed += 1
            if progress:
                progress(f"{image.document.slug} · {image.label}: failed ({error})")
    return done, failed


def remove(image: PageImage) -> None:
    """Delete an image's files (original and derivatives) from the storage."""
    folder = image.folder
    _remove_tree(folder)


def _remove_tree(folder: str) -> None:
    try:
        directories, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for directory in directories:
        _remove_tree(f"{folder}/{directory}")
