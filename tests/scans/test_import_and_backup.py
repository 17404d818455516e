"""Scans beside a text file in the importer (``images:``), checked before anything is
written; and in backups: the rows round-trip, the files stay where they were."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Document, PageBreak, PageImage
from tests.curation.test_backup import wipe_archive

from .conftest import pdf_bytes, scan_bytes

pytestmark = pytest.mark.django_db

SOURCE = """---
title: A report with its scans
date: 1945-11-25
type: report
source_kind: primary
language: en
images:
  - file: scans/l4.jpg
    label: "l. 4"
    description: "First page, stamped."
  - file: scans/l5.png
    label: "l. 5"
    starts_at: "The second page"
  - scans/appendix.pdf
---
The rallies in Tabriz drew attention.

The second page continues the report.
"""


@pytest.fixture
def folder(tmp_path):
    source = tmp_path / "batch"
    (source / "scans").mkdir(parents=True)
    (source / "scans" / "l4.jpg").write_bytes(scan_bytes(700, 900))
    (source / "scans" / "l5.png").write_bytes(scan_bytes(700, 900, kind="PNG"))
    (source / "scans" / "appendix.pdf").write_bytes(pdf_bytes(2))
    (source / "report.md").write_text(SOURCE, encoding="utf-8")
    return source


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_importer_stores_scans_with_labels_breaks_and_derivatives(folder):
    call_command("import_sources", str(folder), verbosity=0)
    document = Document.objects.get(slug="a-report-with-its-scans")
    images = list(document.page_images.all())
    assert [(i.label, i.order, i.derivatives) for i in images] == [
        ("l. 4", 0, "ready"),
        ("l. 5", 1, "ready"),
        ("p. 1", 2, "ready"),
        ("p. 2", 3, "ready"),
    ]
    assert images[0].description == "First page, stamped."
    assert images[1].media_type == "image/png"
    (page_break,) = PageBreak.objects.filter(document=document)
    assert page_break.image == images[1]
    assert document.transcription[page_break.position :].startswith("The second page")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: (f / "scans" / "l5.png").write_bytes(b"PK\x03\x04" + b"\0" * 100), "ZIP"),
        (lambda f: (f / "scans" / "l4.jpg").write_text("not a jpeg"), "not an image"),
        (lambda f: (f / "scans" / "appendix.pdf").unlink(), "no file 'scans/appendix.pdf'"),
        (
            lambda f: (f / "report.md").write_text(
                SOURCE.replace("scans/appendix.pdf", "../../etc/passwd"), encoding="utf-8"
            ),
            "outside this file's folder",
        ),
        (
            lambda f: (f / "report.md").write_text(
                SOURCE.replace('"The second page"', '"Words not there"'), encoding="utf-8"
            ),
            "are not in the text",
        ),
        (
            lambda f: (f / "report.md").write_text(
                SOURCE.replace('    label: "l. 4"', '    lable: "l. 4"'), encoding="utf-8"
            ),
            "unknown key(s) lable",
        ),
    ],
)
def test_a_bad_scan_fails_the_whole_import_with_its_line(folder, change, message, media_root):
    change(folder)
    with pytest.raises(CommandError):
        call_command("import_sources", str(folder), verbosity=0, stderr=(err := StringIO()))
    report = err.getvalue()
    assert message in report
    assert "report.md:7:" in report  # the line of the images: key
    assert not Document.objects.filter(slug="a-report-with-its-scans").exists()
    assert not PageImage.objects.exists()
    assert files_under(media_root) == []


def test_a_backup_keeps_the_scan_rows_and_the_restore_finds_their_files(folder, tmp_path):
    call_command("import_sources", str(folder), verbosity=0)
    backup = tmp_path / "archive.json"
    call_command("export_archive", str(backup), stderr=StringIO())
    first = backup.read_text(encoding="utf-8")
    models = {row["model"] for row in json.loads(first)}
    assert {"sources.pageimage", "sources.pagebreak", "sources.historicalpageimage"} <= models
    before = list(PageImage.objects.values_list("key", "original", "label", "width", "order"))

    PageBreak.objects.all().delete()
    PageImage.objects.all().delete()  # files stay: the deletion is never committed here
    PageImage.history.all().delete()
    PageBreak.history.all().delete()
    wipe_archive()
    call_command("import_archive", str(backup), stdout=StringIO())
    again = StringIO()
    call_command("export_archive", stdout=again)
    assert again.getvalue() == first
    assert (
        list(PageImage.objects.values_list("key", "original", "label", "width", "order")) == before
    )
    for image in PageImage.objects.all():  # the media folder, kept beside the database
        assert image.original.storage.exists(image.original.name)
    assert PageBreak.objects.get().image.label == "l. 5"
