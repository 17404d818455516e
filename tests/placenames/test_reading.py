"""Issue 15, part 4: place names in their time on the reading pages, on the corpus."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from sources.models import NameVariant, Place, PlaceContainment
from tests.html import find, find_all, section, text
from tests.views.test_reading_pages import PAGES

pytestmark = pytest.mark.django_db
TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_urmia_page_reads_called_rezayeh_until_1979(client):
    html = page(client, "/places/urmia/")
    assert "Urmia (called Rezayeh until 1979)" in text(html)
    # The variant says its period, that its start is uncertain, and the references.
    names = text(section(html, "names-heading"))
    assert "official name, in use 1920s?–1979 (uncertain start)" in names
    assert "Columbia Electronic Encyclopedia" in names


def test_salmas_page_marks_both_bounds_of_shahpur_uncertain(client):
    html = page(client, "/places/salmas/")
    assert "Salmas (called Shahpur until 1979?)" in text(html)
    assert "in use 1930?–1979? (uncertain start and end)" in text(html)


def test_the_telegrams_mention_of_rezayeh_reads_today_urmia(client):
    html = page(client, TELEGRAM)
    transcription = find(html, "div", class_="transcription")
    titles = {text(a): a.attrs["title"] for a in find_all(transcription, "a", class_="mention")}
    assert titles["Rezayeh"] == "Rezayeh (today Urmia), place"
    assert titles["Shahpur"] == "Shahpur (today Salmas), place"
    # A name still in use is not a former name: Khoy stays as it was.
    assert titles["Khoy"] == "Khoy (place)"
    records = text(find(html, "section", class_="in-this-source"))
    assert "Rezayeh (today Urmia)" in records
    assert (
        "Rezayeh (today Urmia) as “Rezayeh” · in the text: Urmia · in West Azerbaijan Province"
        in records
    )


def test_the_document_shows_the_larger_place_of_its_date_beside_todays(client, make_place):
    """Karaj lies in Alborz Province since 2010; the archive does not know since when
    it lay in Tehran Province, so the telegram of 1945 shows only today's province.
    When the archive learns the province of 1945, the page shows it beside today's."""
    html = page(client, TELEGRAM)
    records = text(find(html, "section", class_="in-this-source"))
    assert "today in Alborz Province" in records
    assert "at the time" not in records.split("Karaj")[1].split("·")[0]

    central = make_place(name="Central Province (test)", place_kind="province")
    PlaceContainment.objects.create(
        place=Place.objects.get(slug="karaj"),
        container=central,
        period_start="1937?",
        period_end="1986?",
        period_reference="A test reference.",
    )
    html = page(client, TELEGRAM)
    records = text(find(html, "section", class_="in-this-source"))
    assert (
        "in Central Province (test) at the time (1937?–1986?); today in Alborz Province" in records
    )


def test_the_karaj_page_lists_its_larger_places_by_period(client):
    html = page(client, "/places/karaj/")
    facts = text(find(html, "dl", class_="metadata"))
    assert "Tehran Province until 2010" in facts
    assert "Alborz Province since 2010" in facts
    assert "Alborz province" in facts  # the reference is named
    # Tehran Province's page names the place that lay in it until 2010.
    html = page(client, "/places/tehran-province/")
    assert "Karaj until 2010" in text(section(html, "within-period-heading"))


def test_the_place_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for slug in ("karaj", "urmia", "tehran-province"):
        with django_assert_max_num_queries(PAGES["place"][1]):
            page(client, f"/places/{slug}/")


def test_place_list_as_of_1946(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = page(client, reverse("sources:place-list") + "?year=1946")
    body = text(html)
    assert "Rezayeh (today Urmia)" in body
    assert "Shahpur (today Salmas)" in body
    assert "as of 1946" in body
    # Today's names without a year, and in 1985 (after the renaming back).
    assert "Rezayeh (today Urmia)" not in text(page(client, reverse("sources:place-list")))
    assert "Rezayeh (today Urmia)" not in text(
        page(client, reverse("sources:place-list") + "?year=1985")
    )


def test_map_as_of_1946_names_markers_then(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = page(client, reverse("sources:map") + "?year=1946")
    script = find(html, "script", id="map-data")
    markers = json.loads("".join(c for c in script.children if isinstance(c, str)))
    names = {m["url"]: m["name"] for m in markers}
    assert names["/places/urmia/"] == "Rezayeh (today Urmia)"
    assert names["/places/tabriz/"] == "Tabriz"
    assert "Rezayeh (today Urmia)" in text(html)


@pytest.mark.parametrize("year", ["abc", "19461", "0", "-5", "1946.5", "<script>"])
def test_a_malformed_year_gets_a_message_not_a_500(client, year):
    for name in ("sources:place-list", "sources:map"):
        response = client.get(reverse(name), {"year": year})
        assert response.status_code == 200
        html = response.content.decode()
        assert "is not a year" in text(html)
        assert "“<script>” is not a year" not in html  # escaped on output
        assert "Rezayeh (today Urmia)" not in text(html)


def test_a_changed_period_makes_the_cached_pages_stale(client, settings):
    """The place page and the telegram depend on the variant (its record's token)."""
    client.get("/places/urmia/")
    client.get(TELEGRAM)
    variant = NameVariant.objects.get(entity__slug="urmia", name="Rezayeh")
    variant.period_end = "1978"
    variant.save()
    assert "called Rezayeh until 1978" in text(page(client, "/places/urmia/"))
    assert variant.period_end_date == dt.date(1978, 12, 31)
