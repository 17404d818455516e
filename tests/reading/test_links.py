"""Documents and events linked explicitly, undated sources in time order, and doubt
written one way (issue 11), on the real corpus, as a reader sees them."""

from __future__ import annotations

import datetime as dt

import pytest

from sources import reading
from sources.models import Document, DocumentEvent, Event
from sources.text import hedged
from tests.html import find_all, hrefs, section, text

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"
INTERVIEW = "2014-12-12-voa-interview-kanani"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_event_page_lists_its_sources(client):
    """No event says "no published source" any more: each lists linked documents."""
    for event in Event.objects.all():
        html = page(client, event.get_absolute_url())
        sources = section(html, "event-sources-heading")
        linked = {link.document.get_absolute_url() for link in event.document_links.all()}
        assert linked, event.slug
        assert linked <= set(hrefs(sources)), event.slug
        assert "No document in the archive records this event" not in text(html)
        assert "No published source mentions this record yet" not in text(html)


def test_the_decree_is_the_record_of_the_decision(client):
    link = DocumentEvent.objects.get(
        document__slug=DECREE, event__slug="politburo-decree-1945-07-06"
    )
    assert link.get_role_display() == "is the record of"
    html = page(client, "/events/politburo-decree-1945-07-06/")
    sources = text(section(html, "event-sources-heading"))
    assert "is the record of this event" in sources
    assert "Decree of the CC CPSU Politburo" in sources


@pytest.mark.parametrize(
    "event",
    [
        "iranian-troops-halted-at-qazvin-1945",
        "partisan-actions-november-1945",
        "flight-of-astara-authorities-1945-11-18",
        "rallies-november-1945",
    ],
)
def test_the_telegram_reports_what_it_tells(client, event):
    link = DocumentEvent.objects.get(document__slug=TELEGRAM, event__slug=event)
    assert link.role == "reports"
    html = page(client, f"/events/{event}/")
    assert f"/documents/{TELEGRAM}/" in hrefs(section(html, "event-sources-heading"))


def test_a_document_page_lists_its_events_both_ways(client):
    html = page(client, f"/documents/{TELEGRAM}/")
    events = section(html, "events-heading")
    assert "/events/iranian-troops-halted-at-qazvin-1945/" in hrefs(events)
    assert "Reports" in text(events)


def test_an_event_with_no_source_says_why(client):
    event = Event.objects.create(
        name="A meeting known from memoirs",
        slug="a-meeting-known-from-memoirs",
        event_kind="congress",
        unsourced_note="Known only from Kanani's memoirs, which the archive does not hold.",
    )
    html = page(client, event.get_absolute_url())
    said = text(section(html, "event-sources-heading"))
    assert "No document in the archive records this event yet" in said
    assert "Known only from Kanani's memoirs" in said


def test_the_telegram_citation_says_probably():
    telegram = Document.objects.with_citation().get(slug=TELEGRAM)
    note = reading.chicago_note(telegram, "https://a/", dt.date(2026, 1, 2))
    assert note.startswith("[probably] Mir Jafar Bagirov to Joseph Stalin")


def test_doubt_is_written_one_way():
    assert hedged("Mir Jafar Bagirov", "probable") == "[probably] Mir Jafar Bagirov"
    assert hedged("Stepan Yemelyanov", "uncertain") == "[possibly] Stepan Yemelyanov"
    assert hedged("Joseph Stalin", "certain") == "Joseph Stalin"


def test_bagirov_page_says_he_probably_wrote_the_telegram_and_received_the_decree(client):
    html = page(client, "/people/mir-jafar-bagirov/")
    roles = [text(li) for li in find_all(section(html, "roles-heading"), "li")]
    assert any(r.startswith("[probably] wrote Telegram from Baku") for r in roles), roles
    assert any(r.startswith("Received Decree of the CC CPSU Politburo") for r in roles), roles
    # Beside "mentioned in": the sources that name him are still listed.
    assert f"/documents/{DECREE}/" in hrefs(section(html, "sources-heading"))


def test_the_telegram_page_says_probably_of_its_author(client):
    html = page(client, f"/documents/{TELEGRAM}/")
    assert "[probably] Mir Jafar Bagirov" in text(html)


def test_related_documents_say_how_an_author_links_them(client):
    html = page(client, f"/documents/{TELEGRAM}/")
    related = text(section(html, "related-heading"))
    assert "addressed to Mir Jafar Bagirov, who [probably] wrote this" in related
    assert "translated by Gary Goldberg, who translated this" in related


def test_the_battle_article_sorts_between_the_telegram_and_the_interview():
    order = list(Document.objects.published().in_reading_order().values_list("slug", flat=True))
    assert order == [DECREE, TELEGRAM, ARTICLE, INTERVIEW]
    article = Document.objects.get(slug=ARTICLE)
    assert article.date_edtf == ""  # still undated: it is placed by its period
    previous, following = Document.objects.published().neighbours(article)
    assert (previous.slug, following.slug) == (TELEGRAM, INTERVIEW)


def test_the_april_1946_date_filter_finds_the_battle_article(client):
    response = client.get("/documents/?date_from=1946-04-17&date_to=1946-04-21")
    assert [d.slug for d in response.context["page_obj"].object_list] == [ARTICLE]
    # Overlapping periods match: a range that only touches its last day finds it.
    response = client.get("/documents/?date_from=1946-04-21&date_to=1946-06")
    assert [d.slug for d in response.context["page_obj"].object_list] == [ARTICLE]


def test_the_article_still_reads_as_undated(client):
    html = page(client, f"/documents/{ARTICLE}/")
    assert "Undated (about 17–21 April 1946)" in text(html)


def test_the_timeline_shows_each_event_with_its_sources(client):
    html = page(client, "/timeline/")
    qazvin = next(
        li
        for li in find_all(html, "li", class_="entry-event")
        if "Iranian troops halted at Qazvin" in text(li)
    )
    assert f"/documents/{TELEGRAM}/" in hrefs(qazvin)
    assert "reports:" in text(qazvin)
