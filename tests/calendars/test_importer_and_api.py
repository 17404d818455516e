"""Solar Hijri in the importer (stored as Gregorian EDTF) and in the API (additive)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from openapi_spec_validator import validate as validate_openapi

from sources.models import Calendar, Document

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"

HEADER = """---
title: {title}
{date}type: decree
source_kind: primary
language: en
---
A text from Tabriz.
"""


def write(folder: Path, name: str, date: str, title: str = "A Solar Hijri source") -> Path:
    path = folder / name
    path.write_text(HEADER.format(title=title, date=date), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "edtf", "earliest", "latest"),
    [
        ('date_solar_hijri: "15 Tir 1324"\n', "1945-07-06", "1945-07-06", "1945-07-06"),
        ("date_solar_hijri: 1324/4/15\n", "1945-07-06", "1945-07-06", "1945-07-06"),
        ('date_solar_hijri: "تیر ۱۳۲۴"\n', "1945-06-22/1945-07-22", "1945-06-22", "1945-07-22"),
        ("date_solar_hijri: 1324\n", "1945-03-21/1946-03-20", "1945-03-21", "1946-03-20"),
    ],
)
def test_the_importer_stores_a_solar_hijri_date_as_gregorian_edtf(
    tmp_path, header, edtf, earliest, latest
):
    write(tmp_path, "one.md", header)
    call_command("import_sources", str(tmp_path), verbosity=0)
    document = Document.objects.get(slug="a-solar-hijri-source")
    assert document.date_edtf == edtf
    assert (document.date_earliest.isoformat(), document.date_latest.isoformat()) == (
        earliest,
        latest,
    )


def test_the_importer_takes_the_calendar_setting(tmp_path):
    write(tmp_path, "one.md", 'date_solar_hijri: "15 Tir 1324"\ncalendar: gregorian\n')
    call_command("import_sources", str(tmp_path), verbosity=0)
    assert Document.objects.get(slug="a-solar-hijri-source").calendar == Calendar.GREGORIAN


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ('date_solar_hijri: "31 Mehr 1324"\n', ":3: “31 Mehr 1324”: Mehr 1324 has 30 days"),
        ('date_solar_hijri: "Foo 1324"\n', "is not a Solar Hijri month"),
        ('date: 1945-07-06\ndate_solar_hijri: "15 Tir 1324"\n', "not both"),
        ("date_solar_hijri: [1324]\n", "must be text"),
        ("calendar: julian\n", "calendar 'julian' is not one of: solar_hijri, gregorian"),
    ],
)
def test_a_bad_solar_hijri_header_writes_nothing_and_says_why(tmp_path, header, message):
    write(tmp_path, "bad.md", header)
    write(tmp_path, "good.md", 'date_solar_hijri: "Tir 1324"\n', title="Another source")
    before = Document.objects.count()
    with pytest.raises(CommandError):
        call_command("import_sources", str(tmp_path), stderr=StringIO(), verbosity=0)
    assert Document.objects.count() == before
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_sources", str(tmp_path / "bad.md"), stderr=out, verbosity=0)
    assert message in out.getvalue() + str(error.value)


def test_api_documents_records_and_timeline_carry_solar_hijri(client):
    body = client.get(f"/api/v1/documents/{DECREE}/").json()
    assert body["date_solar_hijri"] == {"text": "15 Tir 1324", "persian": "۱۵ تیر ۱۳۲۴", "days": ""}
    listing = client.get("/api/v1/documents/?page_size=100").json()["results"]
    assert {d["slug"]: d["date_solar_hijri"] for d in listing}[DECREE]["text"] == "15 Tir 1324"
    battle = client.get("/api/v1/events/battles-of-inje-and-qalaburun/").json()
    assert battle["date_solar_hijri"]["text"] == "28 Farvardin – 1 Ordibehesht 1325"
    timeline = client.get("/api/v1/timeline/?page_size=100").json()["results"]
    month = next(i for i in timeline if i["date_edtf"] == "1946-12")
    assert month["date_solar_hijri"] == {
        "text": "Azar–Dey 1325",
        "persian": "آذر–دی ۱۳۲۵",
        "days": "10 Azar – 10 Dey 1325",
    }


def test_api_solar_hijri_follows_the_setting(client):
    Document.objects.filter(slug=DECREE).update(calendar=Calendar.GREGORIAN)
    assert client.get(f"/api/v1/documents/{DECREE}/").json()["date_solar_hijri"] is None
    with override_settings(ARCHIVE_SOLAR_HIJRI=False):
        battle = client.get("/api/v1/events/battles-of-inje-and-qalaburun/").json()
        assert battle["date_solar_hijri"] is None


def test_the_api_filters_accept_solar_hijri_dates(client):
    found = client.get("/api/v1/documents/", {"date_from": "Tir 1324", "date_to": "Tir 1324"})
    assert [d["slug"] for d in found.json()["results"]] == [DECREE]
    bad = client.get("/api/v1/documents/", {"date_from": "31 Mehr 1324"})
    assert bad.status_code == 400 and "30 days" in bad.content.decode()


def test_the_schema_stays_valid_and_describes_the_field(client):
    schema = client.get("/api/schema/?format=json").json()
    validate_openapi(schema)
    components = schema["components"]["schemas"]
    assert set(components["SolarHijri"]["properties"]) == {"text", "persian", "days"}
    assert "date_solar_hijri" in components["Document"]["properties"]
