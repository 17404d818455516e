"""The page cache keeps what an edit does not touch: each page is stored with the change
tokens of what it showed, and a change bumps only the tokens it touches (a document,
the records it names, the lists and searches). Drafts, history rows and proposals
change nothing cached. Correctness only: no timings."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from sources.curation import workflow
from sources.models import (
    ChangeToken,
    Document,
    MentionProposal,
    Person,
    Place,
    PublicationStatus,
)

pytestmark = pytest.mark.django_db

TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"
MOLOTOV = "/people/vyacheslav-molotov/"  # named in the telegram
BAKU = "/places/baku/"  # named in the telegram
# Named only in the 2014 interview, with none of the telegram's records.
QULUNCU = "/people/alirza-quluncu/"
DECREE = "/documents/1945-07-06-politburo-decree/"
LISTS = ["/documents/", "/documents/?sort=title", "/search/?q=Molotov", "/", "/timeline/"]


def prime(client, *urls: str) -> None:
    """Render and store each page, and check it is then served from the cache."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Archive-Cache"] in ("miss", "stale"), url
        assert client.get(url)["X-Archive-Cache"] == "hit", url


def labels(client, *urls: str) -> dict[str, str]:
    return {url: client.get(url)["X-Archive-Cache"] for url in urls}


def test_an_edit_to_one_document_refreshes_what_shows_it_and_nothing_else(client, page_cache):
    prime(client, TELEGRAM, MOLOTOV, BAKU, QULUNCU, *LISTS)
    telegram = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    telegram.title = "Telegram from Baku to Moscow (edited title)"
    telegram.save()

    seen = labels(client, TELEGRAM, MOLOTOV, BAKU, *LISTS)
    assert seen == dict.fromkeys([TELEGRAM, MOLOTOV, BAKU, *LISTS], "stale")
    assert client.get(QULUNCU)["X-Archive-Cache"] == "hit"
    # What the reader now sees is the edit, on the page and where the document is listed.
    for url in (TELEGRAM, MOLOTOV, "/documents/?sort=title"):
        response = client.get(url)
        assert response["X-Archive-Cache"] == "hit"
        assert "Telegram from Baku to Moscow (edited title)" in response.content.decode(), url


def test_an_edit_to_a_record_refreshes_the_documents_naming_it(client, page_cache):
    prime(client, TELEGRAM, MOLOTOV, QULUNCU)
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    molotov.name = "Vyacheslav M. Molotov"
    molotov.save()
    assert labels(client, TELEGRAM, MOLOTOV, QULUNCU) == {
        TELEGRAM: "stale",
        MOLOTOV: "stale",
        QULUNCU: "hit",
    }
    assert "Vyacheslav M. Molotov" in client.get(TELEGRAM).content.decode()


def test_a_draft_edit_changes_nothing_cached(client, page_cache, make_document, mention_of):
    draft = make_document(
        title="An unpublished telegram", status=PublicationStatus.DRAFT, transcription="Molotov."
    )
    prime(client, TELEGRAM, MOLOTOV, QULUNCU, *LISTS)
    tokens = list(ChangeToken.objects.values_list("key", "token"))
    draft.title = "An unpublished telegram, retitled"
    draft.save()
    mention_of(draft, Person.objects.get(slug="vyacheslav-molotov"), "Molotov")
    assert list(ChangeToken.objects.values_list("key", "token")) == tokens
    assert set(labels(client, TELEGRAM, MOLOTOV, QULUNCU, *LISTS).values()) == {"hit"}


def test_history_rows_and_proposals_change_nothing_cached(client, page_cache):
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    molotov.save()  # a history row to change
    prime(client, TELEGRAM, MOLOTOV)
    tokens = list(ChangeToken.objects.values_list("key", "token"))
    telegram = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    history = molotov.history.first()
    history.history_change_reason = "checked"
    history.save()
    MentionProposal.objects.create(
        document=telegram,
        entity=Person.objects.get(slug="vyacheslav-molotov"),
        start=0,
        end=3,
        text="Tel",
        matched_name="tel",
    )
    assert list(ChangeToken.objects.values_list("key", "token")) == tokens
    assert labels(client, TELEGRAM, MOLOTOV) == {TELEGRAM: "hit", MOLOTOV: "hit"}


def test_publishing_refreshes_the_lists_and_the_records_it_names(
    client, page_cache, make_document, mention_of
):
    draft = make_document(
        title="A newly published telegram", status=PublicationStatus.DRAFT, transcription="Baku."
    )
    mention_of(draft, Place.objects.get(slug="baku"), "Baku")
    prime(client, "/documents/", BAKU, QULUNCU)
    editor = User.objects.create_superuser("ed", "ed@example.org", "a-long-editor-password")
    workflow.apply(editor, draft, "publish")
    assert labels(client, "/documents/", BAKU, QULUNCU) == {
        "/documents/": "stale",
        BAKU: "stale",
        QULUNCU: "hit",
    }
    assert "A newly published telegram" in client.get(BAKU).content.decode()


def test_a_new_neighbour_refreshes_previous_and_next(client, page_cache, make_document):
    prime(client, TELEGRAM, DECREE)
    make_document(title="A telegram of the same day", date_edtf="1945-11-21")
    assert client.get(TELEGRAM)["X-Archive-Cache"] == "stale"


def test_moving_a_place_refreshes_nearby_places(client, page_cache):
    prime(client, BAKU, QULUNCU)
    place = Place.objects.get(slug="julfa")
    place.latitude, place.longitude = 40.41, 49.87  # next to Baku
    place.save()
    assert labels(client, BAKU, QULUNCU) == {BAKU: "stale", QULUNCU: "hit"}


# --- Canonical addresses --------------------------------------------------------------------


def test_parameters_are_sorted_and_empty_ones_dropped(client, page_cache):
    assert client.get("/documents/?sort=title&language=en")["X-Archive-Cache"] == "miss"
    for same in (
        "/documents/?language=en&sort=title",
        "/documents/?language=en&q=&sort=title&page=",
        "/documents/?sort=title&language=en&page=1",
    ):
        assert client.get(same)["X-Archive-Cache"] == "hit", same


@pytest.mark.parametrize(
    "url",
    [
        "/documents/?utm_source=newsletter",  # a parameter the page does not read
        "/documents/?sort=title&sort=date",  # given twice
        "/documents/?page=abc",  # not a page number
        "/documents/?page=999",  # no such page
        "/documents/?sort=sideways",  # not a way to sort
        "/documents/?language=xx",  # not a language
        "/people/?page=0",
        "/search/?q=zzqxv",  # finds nothing
        "/search/?q=%20Molotov%20",  # not as typed once cleaned
        "/search/?q=" + "Molotov%20" * 80,  # a very long address
        "/timeline/?x=1",
    ],
)
def test_other_addresses_are_answered_but_never_stored(client, page_cache, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Archive-Cache"] == "pass"
    assert client.get(url)["X-Archive-Cache"] == "pass"


def test_a_flood_of_junk_searches_stores_nothing(client, page_cache):
    prime(client, TELEGRAM)
    stored = len(cache._cache)
    for n in range(50):
        assert client.get(f"/search/?q=junk{n}xq")["X-Archive-Cache"] == "pass"
    assert len(cache._cache) == stored
    assert client.get(TELEGRAM)["X-Archive-Cache"] == "hit"


def test_the_host_is_part_of_the_key(client, page_cache):
    assert client.get(TELEGRAM)["X-Archive-Cache"] == "miss"
    assert client.get(TELEGRAM, HTTP_HOST="localhost")["X-Archive-Cache"] == "miss"
    response = client.get(TELEGRAM, HTTP_HOST="localhost")
    assert response["X-Archive-Cache"] == "hit"
    # Defence in depth: the page itself never names the host it was asked under
    # (absolute links come from SITE_URL, tests/views/test_hardening.py).
    assert "http://localhost/" not in response.content.decode()
    assert "http://localhost/" not in client.get(TELEGRAM).content.decode()


def test_without_the_cache_every_page_passes_and_still_revalidates(client):
    response = client.get(TELEGRAM)
    assert response["X-Archive-Cache"] == "pass"
    again = client.get(TELEGRAM, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_new_mention_refreshes_the_record_newly_named(client, page_cache, mention_of):
    prime(client, TELEGRAM, QULUNCU)
    assert "Telegram from Baku to Moscow" not in client.get(QULUNCU).content.decode()
    telegram = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    quluncu = Person.objects.get(slug="alirza-quluncu")
    word = telegram.transcription.split()[0]
    mention_of(telegram, quluncu, word)
    assert labels(client, TELEGRAM, QULUNCU) == {TELEGRAM: "stale", QULUNCU: "stale"}
    assert "Telegram from Baku to Moscow" in client.get(QULUNCU).content.decode()


def test_renaming_a_larger_place_refreshes_the_documents_naming_a_place_in_it(client, page_cache):
    """The document page reads its places' larger places as narrow rows (issue 13), not
    as records: it still depends on them, so a renamed province shows at once."""
    prime(client, TELEGRAM, QULUNCU)
    assert "· in East Azerbaijan Province" in client.get(TELEGRAM).content.decode()
    province = Place.objects.get(name="East Azerbaijan Province")
    province.name = "East Azerbaijan (renamed)"
    province.save()
    assert labels(client, TELEGRAM, QULUNCU) == {TELEGRAM: "stale", QULUNCU: "hit"}
    assert "· in East Azerbaijan (renamed)" in client.get(TELEGRAM).content.decode()
