"""Further texts through the importer (``texts:`` in the YAML header, issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.curation.importer import ImportFailed, import_sources
from sources.models import Document, DocumentText

from .test_texts import ENGLISH, RUSSIAN

pytestmark = pytest.mark.django_db

HEADER = """---
title: An order sending Bagirov to Tabriz
type: decree
source_kind: primary
language: en
original_language: ru
texts:
  - file: order.ru.txt
    language: ru
    kind: original
    source: "Test archive, f. 1, op. 1, d. 1"
{extra}---
{body}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_source_with_its_russian_original_in_the_same_folder(tmp_path):
    write(tmp_path, "order.md", HEADER.format(extra="", body=ENGLISH))
    write(tmp_path, "order.ru.txt", RUSSIAN)
    [document] = import_sources([tmp_path])  # the .ru.txt is a text, not a source
    assert document.transcription.strip() == ENGLISH
    text = DocumentText.objects.get(document=document)
    assert (text.language, text.kind, text.text) == ("ru", "original", RUSSIAN)
    assert text.source_note == "Test archive, f. 1, op. 1, d. 1"
    assert document.status == "draft"


@pytest.mark.parametrize(
    ("extra", "files", "message"),
    [
        ("", {}, "no file 'order.ru.txt' beside this file"),
        ("", {"order.ru.txt": "   \n"}, "'order.ru.txt' is empty"),
        (
            "  - file: order.ru.txt\n    language: ru\n    kind: original\n",
            {"order.ru.txt": RUSSIAN},
            "a second ru original",
        ),
        (
            "  - file: other.txt\n    language: xx\n",
            {"order.ru.txt": RUSSIAN},
            "language 'xx' is not one of",
        ),
        (
            "  - file: /etc/hostname\n    language: de\n",
            {"order.ru.txt": RUSSIAN},
            "must be given relative to this file",
        ),
        (
            "  - file: order.ru.txt\n    language: ru\n    kind: copy\n",
            {"order.ru.txt": RUSSIAN},
            "kind 'copy' is not one of",
        ),
    ],
)
def test_bad_texts_are_refused_before_anything_is_written(tmp_path, extra, files, message):
    write(tmp_path, "order.md", HEADER.format(extra=extra, body=ENGLISH))
    for name, content in files.items():
        write(tmp_path, name, content)
    before = Document.objects.count(), DocumentText.objects.count()
    with pytest.raises(ImportFailed) as failed:
        import_sources([tmp_path / "order.md"])
    assert any(message in str(problem) for problem in failed.value.problems), failed.value.problems
    assert any(":7:" in str(problem) for problem in failed.value.problems)  # the line of texts:
    assert (Document.objects.count(), DocumentText.objects.count()) == before


def test_the_command_reports_a_text_that_is_not_utf8(tmp_path):
    write(tmp_path, "order.md", HEADER.format(extra="", body=ENGLISH))
    (tmp_path / "order.ru.txt").write_bytes("Баку".encode("cp1251"))
    with pytest.raises(CommandError):
        call_command("import_sources", str(tmp_path / "order.md"), verbosity=0)
    assert not Document.objects.filter(slug="an-order-sending-bagirov-to-tabriz").exists()
