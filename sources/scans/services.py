"""Adding scans to a document: every file checked first, then all stored, or none.

The admin, the importer and the tests all come through ``add_scans``; derivatives are
made afterwards (``derivatives.make_all``), not while a reader waits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from ..models import Document, PageImage
from .uploads import PreparedScan, prepare


def prepare_all(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, PreparedScan]]:
    """(file name, page) for every page of every file; raises ScanRefused for the first
    file that is not a scan, before anything is written."""
    pages = []
    for name, data in files:
        pages.extend((name, page) for page in prepare(name, data))
    return pages


def default_label(name: str, page: PreparedScan, position: int) -> str:
    if page.page is not None:
        return f"p. {page.page}"
    return f"image {position}"


def store(
    document: Document,
    pages: Sequence[tuple[str, PreparedScan]],
    labels: Sequence[str] = (),
    descriptions: Sequence[str] = (),
) -> list[PageImage]:
    """Store checked pages as the document's next images, in order. Files written
    before a failure are removed again, so a failed save leaves nothing behind."""
    created: list[PageImage] = []
    try:
        with transaction.atomic():
            last = document.page_images.aggregate(last=Max("order"))["last"]
            order = 0 if last is None else last + 1
            for index, (name, page) in enumerate(pages):
                label = labels[index] if index < len(labels) and labels[index] else ""
                image = PageImage(
                    document=document,
                    order=order + index,
                    label=label or default_label(name, page, order + index + 1),
                    description=descriptions[index] if index < len(descriptions) else "",
                    media_type=page.media_type,
                    width=page.width,
                    height=page.height,
                )
                # Under the image's random key: the address reveals neither the
                # document nor the order, and is never served directly.
                image.original.name = image.original.storage.save(
                    f"{image.folder}/original.{page.suffix}", ContentFile(page.data)
                )
                created.append(image)
                image.save()
    except BaseException:
        for image in created:
            if image.original.name:
                image.original.storage.delete(image.original.name)
        raise
    return created


def add_scans(
    document: Document,
    files: Iterable[tuple[str, bytes]],
    labels: Sequence[str] = (),
    descriptions: Sequence[str] = (),
) -> list[PageImage]:
    """Check every file, then store every page (a PDF gives one image per page)."""
    return store(document, prepare_all(files), labels, descriptions)
