"""Bulk import: all or nothing, every problem with its file and line."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Document, DocumentAgent, MentionProposal, PublicationStatus

pytestmark = pytest.mark.django_db

GOOD = """---
title: A report on the rallies
date: 1945-11-25
type: report
source_kind: primary
language: en
original_language: ru
---
The rallies in Tabriz drew Bagirov's attention.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_folder_becomes_drafts_with_proposed_mentions(tmp_path):
    write(tmp_path, "one.md", GOOD)
    write(
        tmp_path,
        "two.txt",
        GOOD.replace("A report on the rallies", "Second report").replace(
            "language: en\n", "language: en\nauthors: [mir-jafar-bagirov]\n"
        ),
    )
    call_command("import_sources", str(tmp_path), verbosity=0)
    documents = Document.objects.filter(slug__in=["a-report-on-the-rallies", "second-report"])
    assert documents.count() == 2
    assert {d.status for d in documents} == {PublicationStatus.DRAFT}
    first = documents.get(slug="a-report-on-the-rallies")
    assert first.date_earliest.isoformat() == "1945-11-25"
    proposals = MentionProposal.objects.filter(document=first)
    assert sorted(proposals.values_list("text", "entity__slug")) == [
        ("Bagirov", "mir-jafar-bagirov"),
        ("Tabriz", "tabriz"),
    ]
    agent = DocumentAgent.objects.get(document__slug="second-report")
    assert (agent.role, agent.entity.slug) == ("author", "mir-jafar-bagirov")
    assert not Document.objects.published().filter(slug="second-report").exists()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (GOOD.replace("type: report", "type: memo"), ":4:", "type 'memo' is not one of"),
        (GOOD.replace("date: 1945-11-25", "date: 25 Nov 1945"), ":3:", "not a valid EDTF"),
        (GOOD.replace("title: A report on the rallies\n", ""), ":2:", "'title' is required"),
        (GOOD.replace("language: en", "langage: en"), ":6:", "unknown key 'langage'"),
        (GOOD.replace("language: en", "authors: [nobody-known]\nlanguage: en"), ":6:",
         "no record 'nobody-known'"),
        (GOOD.replace("language: en", "archive: rgaspi\nlanguage: en"), ":6:",
         "'archive' is now called 'repository'"),
        (GOOD.replace("language: en", "repository: nowhere\nlanguage: en"), ":6:",
         "no repository (holding archive) 'nowhere'"),
        (GOOD.replace("type: report", "type: [report"), ":", "not valid YAML"),
        (GOOD.replace("---\n", "", 1), ":1:", "must start with a '---' line"),
        (GOOD.split("---\nThe rallies")[0], ":", "never closed"),
    ],
)  # fmt: skip
def test_one_bad_file_writes_nothing_and_names_the_problem(tmp_path, text, where, message):
    write(tmp_path, "a-good.md", GOOD)
    bad = write(tmp_path, "b-bad.md", text)
    before = Document.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("import_sources", str(tmp_path), verbosity=0, stderr=(out := StringIO()))
    assert "nothing was imported" in str(error.value)
    assert Document.objects.count() == before
    report = out.getvalue()
    assert f"{bad}{where}" in report
    assert message in report


def test_duplicate_slugs_in_a_batch_are_refused(tmp_path):
    write(tmp_path, "one.md", GOOD)
    write(tmp_path, "two.md", GOOD)
    with pytest.raises(CommandError):
        call_command("import_sources", str(tmp_path), verbosity=0, stderr=StringIO())
    assert not Document.objects.filter(slug="a-report-on-the-rallies").exists()


def test_binary_and_missing_files_are_reported(tmp_path):
    (tmp_path / "bad.md").write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    with pytest.raises(CommandError):
        call_command(
            "import_sources",
            str(tmp_path / "bad.md"),
            str(tmp_path / "missing.md"),
            stderr=(out := StringIO()),
        )
    assert "not UTF-8" in out.getvalue() and "no such file" in out.getvalue()


def test_the_repository_key_names_the_holding_archive(tmp_path):
    write(tmp_path, "one.md", GOOD.replace("language: en", "repository: rgaspi\nlanguage: en"))
    call_command("import_sources", str(tmp_path), verbosity=0)
    document = Document.objects.get(slug="a-report-on-the-rallies")
    assert document.repository.slug == "rgaspi"
