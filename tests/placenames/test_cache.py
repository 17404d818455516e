"""The page cache: a curator's change to a name's period or a place's larger place makes
stale the pages that show it (the place page, the documents naming the place, the
place list and map as of a year), and a malformed year is answered but not stored."""

from __future__ import annotations

import pytest

from sources.models import NameVariant, Place, PlaceContainment

pytestmark = pytest.mark.django_db

TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"
URMIA = "/places/urmia/"
KARAJ = "/places/karaj/"
AS_OF = ["/places/?year=1946", "/map/?year=1946"]
UNTOUCHED = "/people/alirza-quluncu/"  # named only in the interview


def prime(client, *urls: str) -> None:
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Archive-Cache"] == "hit", url


def test_a_changed_name_period_refreshes_the_pages_that_show_it(client, page_cache):
    prime(client, TELEGRAM, URMIA, UNTOUCHED, *AS_OF)
    variant = NameVariant.objects.get(entity__slug="urmia", name="Rezayeh")
    variant.period_end = "1945"  # as if the name had ended before the telegram
    variant.save()
    for url in (TELEGRAM, URMIA, *AS_OF):
        assert client.get(url)["X-Archive-Cache"] != "hit", url
    assert client.get(UNTOUCHED)["X-Archive-Cache"] == "hit"
    assert "called Rezayeh until 1945" in client.get(URMIA).content.decode()


def test_a_changed_containment_refreshes_the_place_and_its_container(client, page_cache):
    prime(client, KARAJ, "/places/tehran-province/", UNTOUCHED)
    row = PlaceContainment.objects.get(place__slug="karaj", container__slug="tehran-province")
    row.period_start = "1986?"
    row.save()
    assert client.get(KARAJ)["X-Archive-Cache"] != "hit"
    assert client.get("/places/tehran-province/")["X-Archive-Cache"] != "hit"
    assert client.get(UNTOUCHED)["X-Archive-Cache"] == "hit"
    assert (
        Place.objects.get(slug="karaj").containments.get(pk=row.pk).period_start_date.year == 1986
    )


def test_a_malformed_year_is_answered_but_not_stored(client, page_cache):
    for url in ("/places/?year=abc", "/map/?year=19x6"):
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Archive-Cache"] != "hit", url
