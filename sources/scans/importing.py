"""The importer's ``images:`` header key: scans beside the text file, checked (by
content, like uploads) before anything is written, stored with the new document.

```yaml
images:
  - file: scans/l4.jpg          # relative to the text file
    label: "l. 4"
    description: "First page, with the stamp 'Top secret'."
    starts_at: "To Comrade Stalin"   # optional: the words where its page begins
  - scans/l5.pdf                # a bare path: a PDF gives one image per page
```
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from ..models import Document, PageBreak, PageImage
from .services import store
from .uploads import PreparedScan, ScanRefused, prepare

ENTRY_KEYS = {"file", "label", "description", "starts_at"}


@dataclass
class ImportedScan:
    path: Path
    label: str = ""
    description: str = ""
    starts_at: str = ""
    pages: list[PreparedScan] = field(default_factory=list)


def parse_images(
    source_path: Path, value, text: str, problem: Callable[[str], None]
) -> list[ImportedScan]:
    """Read and check every scan the header lists; each problem is reported through
    ``problem`` (the importer adds the file and line)."""
    if value is None:
        return []
    if not isinstance(value, list):
        problem("'images' must be a list of files (or of mappings with 'file' and 'label')")
        return []
    scans: list[ImportedScan] = []
    folder = source_path.parent
    for number, entry in enumerate(value, 1):
        if isinstance(entry, str):
            entry = {"file": entry}
        if not isinstance(entry, dict):
            problem(f"images, entry {number}: a path, or a mapping with 'file' and 'label'")
            continue
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            problem(
                f"images, entry {number}: unknown key(s) {', '.join(sorted(map(str, unknown)))};"
                f" known: {', '.join(sorted(ENTRY_KEYS))}"
            )
            continue
        name = entry.get("file")
        if not isinstance(name, str) or not name.strip():
            problem(f"images, entry {number}: 'file' (a path relative to this file) is required")
            continue
        path = (folder / name).resolve()
        if not path.is_relative_to(folder.resolve()):
            problem(f"images, entry {number}: {name!r} is outside this file's folder")
            continue
        if not path.is_file():
            problem(f"images, entry {number}: no file {name!r} beside this file")
            continue
        if path.stat().st_size > settings.SCANS_MAX_UPLOAD_BYTES:
            problem(
                f"images, entry {number}: {name} is larger than "
                f"{settings.SCANS_MAX_UPLOAD_BYTES:,} bytes"
            )
            continue
        scan = ImportedScan(
            path,
            **{k: str(entry.get(k) or "").strip() for k in ("label", "description", "starts_at")},
        )
        if len(scan.label) > 60:
            problem(f"images, entry {number}: the label is longer than 60 characters")
            continue
        if scan.starts_at and scan.starts_at not in text:
            problem(
                f"images, entry {number}: the 'starts_at' words {scan.starts_at!r} "
                "are not in the text"
            )
            continue
        try:
            scan.pages = prepare(name, path.read_bytes())
        except ScanRefused as error:
            problem(f"images, entry {number}: {error.messages[0]}")
            continue
        scans.append(scan)
    return scans


def store_imported(document: Document, scans: list[ImportedScan]) -> list[PageImage]:
    """Store a new document's scans (inside the importer's transaction) and place the
    page breaks their ``starts_at`` words give."""
    created: list[PageImage] = []
    for scan in scans:
        pages = [(scan.path.name, page) for page in scan.pages]
        labels = [scan.label] if scan.label else []
        images = store(document, pages, labels, [scan.description])
        created.extend(images)
        if scan.starts_at:
            PageBreak.objects.create(
                document=document,
                image=images[0],
                position=document.transcription.index(scan.starts_at),
            )
    return created


def discard(images: list[PageImage]) -> None:
    """Remove the files of images whose rows were rolled back."""
    for image in images:
        if image.original.name:
            image.original.storage.delete(image.original.name)
