"""Importer edges: every problem as ``file:line: message``, nothing written, no "draft
created" line for a batch that is rolled back; the admin refuses an oversized text
with a form error."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import RequestFactory

from sources.models import Document
from sources.models.documents import MAX_TEXT_BYTES

from .test_importer import GOOD, write

pytestmark = pytest.mark.django_db


def import_report(folder: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    before = Document.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_sources", str(folder), stdout=out, stderr=err)
    assert Document.objects.count() == before
    return out.getvalue(), err.getvalue()


def big_text(size: int) -> str:
    words = "The rallies in Tabriz drew Bagirov's attention again and again. "
    return (words * (size // len(words) + 1))[:size]


def test_a_3_9_mb_text_is_refused_with_the_limit(tmp_path):
    write(tmp_path, "a-good.md", GOOD)
    bad = write(
        tmp_path, "b-big.md", GOOD.split("---\nThe rallies")[0] + "---\n\n" + big_text(3_900_000)
    )
    out, err = import_report(tmp_path)
    assert f"{bad}:10: the text is 3,900,000 bytes; the limit is 800,000 bytes" in err
    assert "PostgreSQL's search index holds at most 1 MB" in err
    assert "draft created" not in out


def test_a_text_just_under_the_limit_imports(tmp_path):
    text = GOOD.split("---\nThe rallies")[0] + "---\n" + big_text(MAX_TEXT_BYTES)
    write(tmp_path, "big.md", text)
    call_command("import_sources", str(tmp_path), stdout=StringIO())
    assert len(Document.objects.get(slug="a-report-on-the-rallies").transcription) == MAX_TEXT_BYTES


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (("date: 1945-11-25", "date: 1945-13-45"), ":3:", "date"),
        (("title: A report on the rallies", "title: [a, b]"), ":2:",
         "'title' must be text, not a list"),
        (("title: A report on the rallies", "title: {a: b}"), ":2:",
         "'title' must be text, not a mapping"),
        (("language: en", "language: en\norigin: [tabriz, baku]"), ":7:",
         "'origin' must be one slug"),
        (("language: en", "language: en\nslug: other\nsource_url: javascript:alert(1)"), ":8:",
         "source_url: Enter a valid URL."),
    ],
)  # fmt: skip
def test_every_header_problem_names_its_file_and_line(tmp_path, change, where, message):
    write(tmp_path, "a-good.md", GOOD)
    bad = write(tmp_path, "b-bad.md", GOOD.replace(*change))
    out, err = import_report(tmp_path)
    lines = [line for line in err.splitlines() if str(bad) in line]
    assert lines, err
    assert any(f"{bad}{where}" in line and message in line for line in lines), err
    assert "Traceback" not in err
    assert "draft created" not in out


def test_an_impossible_date_is_reported_not_raised(tmp_path):
    bad = write(tmp_path, "bad.md", GOOD.replace("date: 1945-11-25", "date: 1945-13-45"))
    _, err = import_report(tmp_path)
    assert f"{bad}:3: " in err and "1945-13-45" in err


def test_values_keep_the_characters_written(tmp_path):
    write(tmp_path, "one.md", GOOD.replace("A report on the rallies", "1.10").replace(
        "language: en", "language: en\nslug: report-one-ten\nsummary: No"))  # fmt: skip
    call_command("import_sources", str(tmp_path), stdout=StringIO())
    document = Document.objects.get(slug="report-one-ten")
    assert (document.title, document.summary) == ("1.10", "No")
    assert document.date_edtf == "1945-11-25"


def test_a_model_error_in_a_later_file_leaves_no_created_line(tmp_path):
    write(tmp_path, "a-good.md", GOOD)
    bad = write(
        tmp_path,
        "b-bad.md",
        GOOD.replace("A report on the rallies", "Other").replace(
            "language: en", "language: en\nsource_url: data:text/html,hi"
        ),
    )
    out, err = import_report(tmp_path)
    assert f"{bad}:7: source_url: Enter a valid URL." in err
    assert out == ""


def test_the_admin_form_refuses_an_oversized_text_with_a_form_error():
    from django.contrib import admin

    document = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    model_admin = admin.site._registry[Document]
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("admin", password="a-long-admin-password")
    form_class = model_admin.get_form(request, document)
    data = {k: v for k, v in model_to_dict(document).items() if v is not None}
    data["transcription"] = big_text(MAX_TEXT_BYTES + 1)
    form = form_class(data=data, instance=document)
    assert not form.is_valid()
    assert "the limit is 800,000 bytes" in " ".join(form.errors["transcription"])
    document.transcription = big_text(MAX_TEXT_BYTES + 1)
    with pytest.raises(ValidationError) as error:
        document.clean()  # the same rule, whatever form or code saves the document
    assert "transcription" in error.value.message_dict
