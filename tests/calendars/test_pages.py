"""Solar Hijri on the reading pages, the citation, the filters and the search (corpus)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from sources.models import Calendar, Document
from tests.html import attribute, find, find_all, text
from tests.views.test_reading_pages import PAGES

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"
INTERVIEW = "2014-12-12-voa-interview-kanani"


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def listed(response) -> list[str]:
    return [d.slug for d in response.context["page_obj"].object_list]


def solar_notes(html: str) -> list[str]:
    return [text(span) for span in find_all(html, "span", class_="solar-hijri")]


def test_the_decree_page_shows_15_tir_1324_beside_its_date(client):
    html = html_of(client, f"/documents/{DECREE}/")
    notes = solar_notes(html)
    assert "(15 Tir 1324 SH · ۱۵ تیر ۱۳۲۴)" in notes
    persian = find(html, "span", lang="fa")
    assert text(persian) == "۱۵ تیر ۱۳۲۴" and attribute(persian, "dir") == "rtl"
    # The citation a historian copies carries both calendars.
    assert "6 July 1945 (15 Tir 1324 SH)," in text(find(html, "p", id="citation"))


def test_a_document_set_to_gregorian_only_shows_no_solar_hijri(client):
    Document.objects.filter(slug=DECREE).update(calendar=Calendar.GREGORIAN)
    html = html_of(client, f"/documents/{DECREE}/")
    facts = find(html, "dl", class_="metadata")
    assert "6 July 1945" in text(facts) and not find_all(facts, "span", class_="solar-hijri")
    assert "6 July 1945," in text(find(html, "p", id="citation"))
    assert "SH" not in text(find(html, "p", id="citation"))


@override_settings(ARCHIVE_SOLAR_HIJRI=False)
def test_the_archive_default_off_and_a_document_that_asks_for_it(client):
    assert "15 Tir 1324" not in html_of(client, f"/documents/{DECREE}/")
    assert not solar_notes(html_of(client, "/timeline/"))
    Document.objects.filter(slug=DECREE).update(calendar=Calendar.SOLAR_HIJRI)
    assert "15 Tir 1324" in html_of(client, f"/documents/{DECREE}/")
    timeline = solar_notes(html_of(client, "/timeline/"))
    assert timeline == ["(15 Tir 1324 SH · ۱۵ تیر ۱۳۲۴)"]  # only the decree's


def test_lists_and_record_pages_show_solar_hijri(client):
    documents = html_of(client, "/documents/")
    assert "(15 Tir 1324 SH · ۱۵ تیر ۱۳۲۴)" in solar_notes(documents)
    assert "(30 Aban 1324 SH · ۳۰ آبان ۱۳۲۴)" in solar_notes(documents)  # 21 November 1945
    battles = html_of(client, "/events/battles-of-inje-and-qalaburun/")
    assert "(28 Farvardin – 1 Ordibehesht 1325 SH · ۲۸ فروردین – ۱ اردیبهشت ۱۳۲۵)" in (
        solar_notes(battles)
    )
    assert any("SH" in note for note in solar_notes(html_of(client, "/events/")))


def test_the_timeline_shows_solar_hijri_at_the_precision_known(client):
    html = html_of(client, "/timeline/")
    dates = [text(span) for span in find_all(html, "span", class_="entry-date")]
    assert "6 July 1945 (15 Tir 1324 SH · ۱۵ تیر ۱۳۲۴)" in dates
    # A month is a month: December 1946 spans Azar and Dey 1325.
    assert any(d.startswith("December 1946 (Azar–Dey 1325 SH") for d in dates), dates
    month = next(
        span
        for span in find_all(html, "span", class_="solar-hijri")
        if text(span).startswith("(Azar–Dey 1325")
    )
    assert attribute(month, "title") == "Solar Hijri: 10 Azar – 10 Dey 1325"


@pytest.mark.parametrize("typed", ["Tir 1324", "1324/4/15", "15 Tir 1324", "۱۳۲۴/۴/۱۵", "تیر ۱۳۲۴"])
def test_a_solar_hijri_date_filter_finds_the_decree_and_only_it(client, typed):
    response = client.get("/documents/", {"date_from": typed, "date_to": typed})
    assert response.status_code == 200
    assert not response.context["notices"]
    assert listed(response) == [DECREE]


def test_a_solar_hijri_range_of_filters(client):
    # Aban 1324 (23 October – 21 November 1945) to the end of 1324 SH (20 March 1946).
    response = client.get("/documents/", {"date_from": "Aban 1324", "date_to": "Esfand 1324"})
    assert listed(response) == [TELEGRAM]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31 Mehr 1324", "Mehr 1324 has 30 days"),
        ("Foo 1324", "is not a Solar Hijri month"),
        ("1324/13/2", "no month 13"),
        ("tomorrow", "Tir 1324"),  # the message says what may be written
    ],
)
def test_a_malformed_date_is_a_message_not_an_error(client, typed, said):
    response = client.get("/documents/", {"date_from": typed})
    assert response.status_code == 200
    notices = " ".join(response.context["notices"])
    assert said in notices and "This filter was left out" in notices
    assert len(listed(response)) == 4  # the filter was left out, nothing else


def test_search_with_a_persian_script_date(client):
    response = client.get("/search/", {"q": "تیر ۱۳۲۴"})
    assert response.status_code == 200
    assert listed(response) == [DECREE]
    assert any("Tir 1324" in n for n in response.context["notices"])
    html = response.content.decode()
    assert DECREE in html


def test_search_words_and_a_solar_hijri_date_together(client):
    # "Bagirov" finds the decree (his name) and the telegram (he wrote it); with a
    # Solar Hijri date only the one dated then is left.
    words = listed(client.get("/search/", {"q": "Bagirov"}))
    assert {DECREE, TELEGRAM} <= set(words)
    assert listed(client.get("/search/", {"q": "Bagirov ۱۳۲۴/۸/۳۰"})) == [TELEGRAM]
    assert listed(client.get("/search/", {"q": "Bagirov Tir 1324"})) == [DECREE]


def test_the_filtered_list_runs_as_many_queries_with_more_documents(client, make_document):
    url = "/documents/?date_from=Tir+1324&date_to=Esfand+1324"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n, calendar in enumerate(["", Calendar.SOLAR_HIJRI, Calendar.GREGORIAN] * 4):
        make_document(date_edtf=f"1945-08-{n + 1:02d}", calendar=calendar)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(listed(response)) == 14
    assert len(after) <= len(before) + 2  # kept counts may be recounted after a change
    assert len(solar_notes(response.content.decode())) == 14 - 4  # 4 are Gregorian only


@pytest.mark.parametrize("url", [f"/documents/{DECREE}/", "/timeline/", "/documents/", "/"])
def test_pages_with_solar_hijri_keep_their_query_bounds(client, django_assert_max_num_queries, url):
    """The Solar Hijri dates cost no query: the pages keep the site-wide bounds."""
    bounds = {page_url: most for page_url, most in PAGES.values()}
    with django_assert_max_num_queries(bounds[url]):
        assert client.get(url).status_code == 200
