"""The reading pages on the real corpus: what each shows and links, what is escaped,
what gives a 404 or a redirect, and how many queries each runs."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources.models import (
    Document,
    Entity,
    Event,
    EventParticipant,
    EventPlace,
    Mention,
    NameVariant,
    Organization,
    Person,
    Place,
    PublicationStatus,
)
from tests.html import (
    attribute,
    contains,
    find,
    find_all,
    hrefs,
    inline_code,
    section,
    text,
    tree,
)

pytestmark = pytest.mark.django_db

DECREE = "/documents/1945-07-06-politburo-decree/"
TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"
ARTICLE = "/documents/1946-04-battles-of-inje-and-qalaburun/"
BAGIROV = "/people/mir-jafar-bagirov/"
MOLOTOV = "/people/vyacheslav-molotov/"
TABRIZ = "/places/tabriz/"
BATTLES = "/events/battles-of-inje-and-qalaburun/"


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def h1s(html: str) -> list[str]:
    return [text(h1) for h1 in find_all(html, "h1")]


def map_data(html: str) -> list[dict]:
    script = find(html, "script", id="map-data", type="application/json")
    return json.loads(text_of_script(script))


def text_of_script(script) -> str:
    return "".join(child for child in script.children if isinstance(child, str))


def facts(html: str) -> dict[str, list[str]]:
    """A page's <dt>/<dd> facts: label → the links of its value."""
    found = {}
    for dl in find_all(html, "dl"):
        label = None
        for child in dl.children:
            if getattr(child, "name", None) == "dt":
                label = text(child)
            elif getattr(child, "name", None) == "dd" and label:
                found[label] = hrefs(child)
    return found


def group_headings(html: str) -> list[str]:
    return [
        text(h2) for h2 in find_all(html, "h2") if (attribute(h2, "id") or "").startswith("group-")
    ]


def listed_documents(html: str) -> list[str]:
    """The documents a list page shows, in order (each linked from its title)."""
    links = [attribute(a, "href") or "" for a in find_all(find(html, "main"), "a")]
    documents = [href for href in links if href.startswith("/documents/") and "?" not in href]
    return list(dict.fromkeys(documents))


# ---------------------------------------------------------------------------------
# Document page


def test_the_decree_page_shows_what_a_historian_cites(client):
    decree = Document.objects.get(slug="1945-07-06-politburo-decree")
    html = page(client, DECREE)
    assert h1s(html) == [decree.title]
    about_section = section(html, "about-heading")
    about = text(about_section)
    for fact in (
        "6 July 1945",
        "Decree or resolution",
        "Primary source",
        decree.archival_reference,
        decree.repository.name,
        "Jamil Hasanli",
        "Gary Goldberg",
        "Russian",
        decree.publisher,
        decree.rights[:60],
    ):
        assert " ".join(fact.split()) in about, fact
    # The recipient, linked to his record.
    assert contains(about_section, '<a href="/people/mir-jafar-bagirov/">Mir Jafar Bagirov</a>')
    citation = text(section(html, "cite-heading"))
    assert decree.archival_reference in citation
    # The public address from SITE_URL, never the request's Host ("testserver").
    assert f"{settings.SITE_URL}/documents/1945-07-06-politburo-decree/ (accessed" in citation


def test_the_decree_text_links_every_mention_to_its_record(client):
    decree = Document.objects.get(slug="1945-07-06-politburo-decree")
    html = page(client, DECREE)
    transcription = section(html, "text-heading")
    anchors = {attribute(a, "id"): a for a in find_all(transcription, "a", class_="mention")}
    for mention in decree.mentions.select_related("entity"):
        link = anchors[f"m{mention.start}"]
        assert attribute(link, "href") == mention.entity.get_absolute_url()
        assert text(link) == mention.text
    molotov = find_all(transcription, "a", href="/people/vyacheslav-molotov/")
    assert molotov and all(
        set(attribute(a, "class").split()) == {"mention", "mention-person"} for a in molotov
    )
    assert "/places/tabriz/" in hrefs(transcription)


def test_the_decree_lists_its_records_by_kind(client):
    html = page(client, DECREE)
    records = section(html, "records-heading")
    headings = [text(h3) for h3 in find_all(records, "h3")]
    assert headings[:2] == ["People", "Places"]
    assert set(headings) <= {"People", "Places", "Organizations", "Events"}
    assert contains(records, '<a href="/people/vyacheslav-molotov/">Vyacheslav Molotov</a>')


def test_related_documents_name_what_they_share(client):
    html = page(client, DECREE)
    related = section(html, "related-heading")
    telegram = next(li for li in find_all(related, "li") if hrefs(li)[:1] == [TELEGRAM])
    assert "shares" in text(telegram)
    assert contains(telegram, '<a href="/people/vyacheslav-molotov/">Vyacheslav Molotov</a>')
    assert contains(telegram, '<a href="/places/tabriz/">Tabriz</a>')


def test_previous_and_next_follow_time(client):
    decree_html = page(client, DECREE)
    telegram_html = page(client, TELEGRAM)
    decree_nav = find(decree_html, class_="prev-next")
    assert [attribute(a, "href") for a in find_all(decree_nav, "a", rel="next")] == [TELEGRAM]
    assert find_all(decree_nav, "a", rel="prev") == []
    telegram_nav = find(telegram_html, class_="prev-next")
    assert [attribute(a, "href") for a in find_all(telegram_nav, "a", rel="prev")] == [DECREE]


def test_reference_markers_link_to_works_cited(client):
    html = page(client, ARTICLE)
    transcription = section(html, "text-heading")
    assert contains(transcription, '<a href="#ref-1" aria-label="reference 1">[1]</a>')
    works = section(html, "works-heading")
    assert attribute(find(works, "li", id="ref-5"), "value") == "5"


def test_an_undated_document_says_what_it_covers(client):
    html = page(client, ARTICLE)
    assert "Undated (about 17–21 April 1946)" in text(html)


def test_data_is_escaped_everywhere_on_a_document_page(client, make_document, make_person):
    evil = "<script>alert(1)</script>"
    document = make_document(
        title=f"Title {evil}",
        summary=f"Summary {evil}",
        transcription=f"Text {evil} and Bagirov.\n\nMore {evil}",
        editorial_notes=f"Note {evil}",
        archival_reference=f"Ref {evil}",
        rights=f"Rights {evil}",
    )
    person = make_person(name=f"Name {evil}")
    start = document.transcription.index("Bagirov")
    Mention.objects.create(
        document=document, entity=person, start=start, end=start + 7, text="Bagirov"
    )
    html = page(client, document.get_absolute_url())
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Only our own scripts and JSON data blocks (the page's JSON-LD), which never run.
    assert not inline_code(html)


def test_unknown_and_unpublished_documents_are_404(client, make_document):
    page(client, "/documents/no-such-document/", 404)
    draft = make_document(status=PublicationStatus.DRAFT)
    withdrawn = make_document(status=PublicationStatus.WITHDRAWN, published_at=timezone.now())
    html = page(client, draft.get_absolute_url(), 404)
    assert h1s(html) == ["Page not found"]
    page(client, withdrawn.get_absolute_url(), 404)


def test_a_changed_document_slug_redirects_permanently(client, make_document):
    document = make_document(slug="first-address")
    document.slug = "second-address"
    document.save()
    response = client.get("/documents/first-address/")
    assert response.status_code == 301
    assert response["Location"] == "/documents/second-address/"


def test_an_old_slug_of_an_unpublished_document_is_404(client, make_document):
    document = make_document(slug="hidden-before", status=PublicationStatus.DRAFT)
    document.slug = "hidden-after"
    document.save()
    page(client, "/documents/hidden-before/", 404)


def test_a_changed_record_slug_redirects_permanently(client):
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    molotov.slug = "v-m-molotov"
    molotov.save()
    response = client.get(MOLOTOV)
    assert (response.status_code, response["Location"]) == (301, "/people/v-m-molotov/")
    page(client, "/places/vyacheslav-molotov/", 404)  # the old slug belongs to people only


# ---------------------------------------------------------------------------------
# Record pages


def test_the_person_page_quotes_each_source_with_the_words_used(client):
    html = page(client, BAGIROV)
    assert h1s(html) == ["Mir Jafar Bagirov"]
    sources = section(html, "sources-heading")
    links = hrefs(sources)
    mentioning = Document.objects.published().filter(mentions__entity__slug="mir-jafar-bagirov")
    for document in mentioning.distinct():
        assert document.get_absolute_url() in links
    marked = [text(mark) for mark in find_all(sources, "mark")]
    assert "Bagirov" in marked  # the decree's word
    assert "Baghirov" in marked  # the article's word
    assert "Overall supervision of this group is entrusted to Bagirov and Yakubov." in text(sources)
    decree_mention = Mention.objects.filter(
        entity__slug="mir-jafar-bagirov", document__slug="1945-07-06-politburo-decree"
    ).first()
    assert f"{DECREE}#m{decree_mention.start}" in links


def test_the_person_page_shows_variants_with_their_language(client):
    html = page(client, BAGIROV)
    names = section(html, "names-heading")
    assert contains(
        names, '<span class="variant-name" dir="auto" lang="az-Latn">Mircəfər Bağırov</span>'
    )
    assert contains(names, '<span lang="ru-Cyrl" class="variant-name" dir="auto">Багиров</span>')
    assert "Azerbaijani, Latin script" in text(names)


def test_the_person_page_lists_events_and_co_mentions(client):
    html = page(client, BAGIROV)
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    events = section(html, "events-heading")
    for link in EventParticipant.objects.filter(entity=bagirov).select_related("event"):
        assert link.event.get_absolute_url() in hrefs(events)
        assert " ".join(link.role.split()) in text(events)
    together = hrefs(section(html, "with-heading"))
    assert "/people/vyacheslav-molotov/" in together
    top = Entity.objects.co_mentioned_with(bagirov).first()
    assert top.get_absolute_url() in together


def test_a_record_named_by_very_many_documents_counts_co_mentions_in_its_first_ones(
    client, monkeypatch
):
    """Past CO_MENTION_LIMIT documents, "often mentioned with" counts the record's first
    documents in reading order only (grouping every mention of tens of thousands of
    documents would take seconds), and the page says so."""
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    documents = list(Document.objects.published().mentioning(bagirov))
    assert len(documents) > 1
    assert "Counted in the first" not in page(client, BAGIROV)

    monkeypatch.setattr("sources.reading.views.CO_MENTION_LIMIT", 1)
    html = page(client, BAGIROV)
    together = section(html, "with-heading")
    assert (
        f"Counted in the first 1 of the {len(documents)} documents that name "
        "Mir Jafar Bagirov, in reading order." in text(together)
    )
    first = documents[0]
    in_first = {m.entity.get_absolute_url() for m in first.mentions.select_related("entity")} - {
        BAGIROV
    }
    shown = hrefs(together)
    assert shown and set(shown) <= in_first
    assert "named together in 1 document" in text(together)
    assert "named together in 2 documents" not in text(together)


def test_the_place_page_has_a_map_its_region_and_its_neighbours(client):
    tabriz = Place.objects.get(slug="tabriz")
    html = page(client, TABRIZ)
    data = map_data(html)
    main = [m for m in data if m["main"]]
    assert main == [
        {
            "name": "Tabriz",
            "url": TABRIZ,
            "lat": float(tabriz.latitude),
            "lon": float(tabriz.longitude),
            "kind": "city",
            "main": True,
        }
    ]
    assert facts(html)["Lies in"] == [tabriz.located_in.get_absolute_url()]
    near = section(html, "near-heading")
    assert "/places/maragheh/" in hrefs(near)
    assert any(word == "km" for word in text(near).split())
    scripts = [attribute(s, "src") or "" for s in find_all(html, "script")]
    assert any(src.endswith("vendor/leaflet/leaflet.js") for src in scripts)
    assert any(src.endswith("js/map.js") for src in scripts)


def test_a_region_page_lists_the_places_within_it(client):
    region = Place.objects.get(slug="tabriz").located_in
    html = page(client, region.get_absolute_url())
    within = hrefs(section(html, "within-heading"))
    for place in region.contains.all():
        assert place.get_absolute_url() in within


def test_the_battle_page_shows_dates_places_participants_and_sources(client):
    battles = Event.objects.get(slug="battles-of-inje-and-qalaburun")
    html = page(client, BATTLES)
    assert contains(
        html,
        '<dt>When</dt><dd>17–21 April 1946 <span class="solar-hijri" title="Solar Hijri">'
        "(28 Farvardin – 1 Ordibehesht 1325 SH · "
        '<span lang="fa" dir="rtl">۲۸ فروردین – ۱ اردیبهشت ۱۳۲۵</span>)</span></dd>',
    )
    for link in EventPlace.objects.filter(event=battles).select_related("place"):
        assert link.place.get_absolute_url() in hrefs(html)
    participants = text(section(html, "participants-heading"))
    for link in battles.event_participants.select_related("entity"):
        assert link.entity.name in participants and " ".join(link.role.split()) in participants
    assert facts(html)["Part of"] == [battles.part_of.get_absolute_url()]
    sources = section(html, "sources-heading")
    assert "Where the sources name it" in text(sources)
    assert ARTICLE in hrefs(sources)


def test_the_larger_event_lists_the_events_inside_it(client):
    crisis = Event.objects.get(slug="battles-of-inje-and-qalaburun").part_of
    html = page(client, crisis.get_absolute_url())
    assert BATTLES in hrefs(section(html, "sub-heading"))


def test_an_organization_page_shows_its_parent(client):
    body = Organization.objects.exclude(parent=None).select_related("parent").first()
    html = page(client, body.get_absolute_url())
    assert facts(html)["Part of"] == [body.parent.get_absolute_url()]
    parent_html = page(client, body.parent.get_absolute_url())
    assert body.get_absolute_url() in hrefs(section(parent_html, "subdivisions-heading"))


def test_uncertain_identifications_say_so(client):
    record = Entity.objects.exclude(certainty="certain").first()
    shown = text(page(client, record.get_absolute_url()))
    assert f"Identification {record.get_certainty_display()}:" in shown
    assert " ".join(record.identification_note.split()) in shown


def test_authority_ids_link_out(client, make_person, make_place):
    person = make_person(wikidata="Q312947")
    place = make_place(latitude=38.08, longitude=46.29, geonames_id="113646")
    assert "https://www.wikidata.org/wiki/Q312947" in hrefs(page(client, person.get_absolute_url()))
    assert "https://www.geonames.org/113646" in hrefs(page(client, place.get_absolute_url()))


def test_data_is_escaped_on_record_pages(client, make_person, make_document, mention_of):
    evil = "<script>alert(1)</script>"
    person = make_person(name=f"X {evil}", description=f"D {evil}", roles=f"R {evil}")
    NameVariant.objects.create(entity=person, name=f"V {evil}", language="az")
    document = make_document(transcription=f"Said {evil} Someone here.")
    mention_of(document, person, "Someone")
    html = page(client, person.get_absolute_url())
    assert evil not in html
    assert "&lt;script&gt;" in html


def test_record_pages_404_for_unknown_slugs_and_other_kinds(client):
    page(client, "/people/nobody-at-all/", 404)
    page(client, "/people/tabriz/", 404)  # Tabriz is a place
    page(client, "/events/mir-jafar-bagirov/", 404)


def test_record_pages_do_not_quote_unpublished_documents(client, make_document, mention_of):
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    draft = make_document(
        title="Secret draft", transcription="Molotov in a draft.", status=PublicationStatus.DRAFT
    )
    mention_of(draft, molotov, "Molotov")
    html = page(client, MOLOTOV)
    assert "Secret draft" not in html and draft.get_absolute_url() not in html


# ---------------------------------------------------------------------------------
# Lists, timeline, map, home


def test_people_are_grouped_a_to_z(client):
    html = page(client, "/people/")
    assert BAGIROV in hrefs(section(html, "group-b"))
    letters = group_headings(html)
    assert letters == sorted(letters)


def test_places_are_grouped_by_kind(client):
    html = page(client, "/places/")
    assert "/places/tabriz/" in hrefs(section(html, "group-cities"))
    headings = group_headings(html)
    assert headings.index("Cities") < headings.index("Villages")


def test_events_are_listed_in_time_order(client):
    html = page(client, "/events/")
    listed = [href for href in hrefs(find(html, "main")) if href.startswith("/events/")]
    expected = [
        f"/events/{slug}/" for slug in Event.objects.in_date_order().values_list("slug", flat=True)
    ]
    assert listed == expected


def test_organizations_list_every_organization(client):
    html = page(client, "/organizations/")
    listed = hrefs(html)
    for slug in Organization.objects.values_list("slug", flat=True):
        assert f"/organizations/{slug}/" in listed


def test_documents_sort_by_date_or_title(client):
    by_date = listed_documents(page(client, "/documents/"))
    by_title = listed_documents(page(client, "/documents/?sort=title"))
    published = Document.objects.published()
    assert by_date == [d.get_absolute_url() for d in published.in_reading_order()]
    assert by_title == [d.get_absolute_url() for d in published.order_by("title", "pk")]


def test_document_pages_paginate_and_keep_the_sort(client, make_document):
    for n in range(55):
        make_document(title=f"Zz filler {n:02d}")
    html = page(client, "/documents/?sort=title")
    assert 'href="?sort=title&amp;page=2" rel="next"' in html
    second = page(client, "/documents/?sort=title&page=2")
    assert "Page 2 of 2" in second


@pytest.mark.parametrize(
    "url",
    [
        "/documents/?page=abc",
        "/documents/?page=0",
        "/documents/?page=99999",
        "/documents/?page=-1",
        "/documents/?sort=nonsense",
        "/documents/?sort=title&page=%00",
        "/documents/?sort[]=x&page[]=y",
        "/people/?page=zz",
        "/places/?page=1e9",
        "/organizations/?page=",
        "/events/?page=2.5",
        f"{BAGIROV}?page=abc",
        f"{TABRIZ}?page=999",
        "/timeline/?year=abc",
        "/map/?zoom=<script>",
    ],
)
def test_malformed_query_strings_give_a_page(client, url):
    html = page(client, url)
    assert len(h1s(html)) == 1
    assert not inline_code(html)  # nothing from the address became code


def test_a_bad_page_number_says_what_happened(client):
    notices = text(page(client, "/documents/?page=abc&sort=bogus"))
    assert "“abc” is not a page number; showing page 1." in notices
    assert "“bogus” is not a way to sort" in notices


def entries_under(html: str, heading_id: str):
    """The timeline entries listed under the heading with ``heading_id``."""
    for parent in [tree(html), *find_all(html)]:
        children = [c for c in parent.children if not isinstance(c, str)]
        for i, child in enumerate(children):
            if attribute(child, "id") == heading_id:
                lists = [c for c in children[i + 1 :] if c.name == "ol"]
                assert lists, f"nothing listed under {heading_id}"
                return find_all(lists[0], "li")
    raise AssertionError(f"no heading {heading_id}")


def test_the_timeline_places_partial_dates_honestly(client):
    html = page(client, "/timeline/")
    assert text(find(html, "h2", id="y1945")) == "1945"
    assert text(find(html, "h3", id="m1946-04")) == "April 1946"
    # Known only to the year:
    year_only = Event.objects.get(slug="negotiations-ang-tehran-1946")
    assert text(find(html, "h3", id="y1946-unknown")) == "1946 (month unknown)"
    assert year_only.name in [text(find(li, "a")) for li in entries_under(html, "y1946-unknown")]
    # Known only to the month: under its month, shown without a day.
    december = {text(find(li, "a")): li for li in entries_under(html, "m1946-12")}
    fall = next(li for name, li in december.items() if "Fall of the Azerbaijan National" in name)
    # The Gregorian date, then its Solar Hijri beside it (issue 15).
    assert text(find(fall, "span", class_="entry-date")).split(" (")[0] == "December 1946"
    # A range sits at its start with its whole span shown.
    april = [
        text(find(li, "span", class_="entry-date")).split(" (")[0]
        for li in entries_under(html, "m1946-04")
    ]
    assert "17–21 April 1946" in april
    # A document without a date of its own goes where the period it covers starts
    # (issue 11): the battle article under April 1946, not under "Undated".
    april_documents = [
        text(find(li, "a"))
        for li in entries_under(html, "m1946-04")
        if "entry-document" in attribute(li, "class")
    ]
    assert "Battles of Inje and Qalaburun" in april_documents
    assert not find_all(html, "section", aria_labelledby="undated")
    sections = [attribute(s, "aria-labelledby") for s in find_all(html, "section")]
    assert sections.index("y1944") < sections.index("y1945") < sections.index("y1946")


def timeline_documents(html: str) -> list[str]:
    return [
        text(find(li, "a"))
        for li in find_all(html, "li")
        if "entry-document" in (attribute(li, "class") or "")
    ]


def test_a_small_archive_has_its_whole_timeline_on_one_page(client):
    html = page(client, "/timeline/")
    assert find_all(html, "nav", aria_label="Years of the timeline") == []
    assert len(timeline_documents(html)) == Document.objects.published().count()


def test_a_long_timeline_is_read_a_year_at_a_time(client, monkeypatch):
    """Past TIMELINE_DOCUMENTS published documents (100,000 made one page of 34 MB),
    the timeline shows its first documents, says so, and offers each year; a year
    shows its own documents and events only."""
    monkeypatch.setattr("sources.reading.views.TIMELINE_DOCUMENTS", 2)
    published = list(Document.objects.published().order_by("date_earliest"))
    html = page(client, "/timeline/")
    shown = timeline_documents(html)
    assert len(shown) == 2
    notice = text(find(html, "p", class_="notice"))
    assert "the timeline is read a year at a time" in notice
    assert "this page shows the first 2 documents" in notice
    years = find(html, "nav", aria_label="Years of the timeline")
    placed = {(d.date_earliest or d.coverage_earliest).year for d in published}
    with_events = placed | {e.date_earliest.year for e in Event.objects.exclude(date_earliest=None)}
    assert [attribute(a, "href") for a in find_all(years, "a")] == [
        f"?year={year}" for year in sorted(with_events)
    ]

    html = page(client, "/timeline/?year=1946")
    in_1946 = [d for d in published if (d.date_earliest or d.coverage_earliest).year == 1946]
    assert sorted(timeline_documents(html)) == sorted(d.title for d in in_1946)
    assert [text(h2) for h2 in find_all(html, "h2")] == ["1946"]
    current = [a for a in find_all(years_nav(html), "a") if attribute(a, "aria-current")]
    assert [attribute(a, "href") for a in current] == ["?year=1946"]


def years_nav(html: str):
    return find(html, "nav", aria_label="Years of the timeline")


def test_a_long_timeline_whose_cut_falls_on_undated_documents(client, monkeypatch, make_document):
    """More documents than a page holds, the last shown undated: no date to cut the
    events at, so every dated event stays, and the notice gives no end date."""
    for n in range(3):
        make_document(title=f"Undated note {n}", date_edtf="", coverage_edtf="")
    dated = Document.objects.published().exclude(date_earliest=None, coverage_earliest=None)
    monkeypatch.setattr("sources.reading.views.TIMELINE_DOCUMENTS", dated.count() + 1)
    html = page(client, "/timeline/")
    notice = text(find(html, "p", class_="notice"))
    assert f"this page shows the first {dated.count() + 1} documents." in notice
    shown_events = [
        li for li in find_all(html, "li") if "entry-event" in (attribute(li, "class") or "")
    ]
    assert len(shown_events) == Event.objects.exclude(date_earliest=None).count()


def test_a_timeline_year_with_nothing_says_so(client):
    html = page(client, "/timeline/?year=1850")
    assert "Nothing in the archive is dated 1850." in text(find(html, "main"))
    assert timeline_documents(html) == []
    assert find(html, "nav", aria_label="Years of the timeline")  # where there is something


@pytest.mark.parametrize("year", ["19x6", "1946-04", "<b>", "99999"])
def test_a_timeline_year_that_is_not_a_year_gets_the_page_and_a_notice(client, year):
    response = client.get("/timeline/", {"year": year})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a year" in text(find(html, "p", class_="notice"))
    assert "<b>" not in html.split("<main", 1)[1]


def test_the_map_page_embeds_every_place_with_coordinates(client):
    html = page(client, "/map/")
    data = map_data(html)
    with_coordinates = Place.objects.with_coordinates()
    assert {m["url"] for m in data} == {p.get_absolute_url() for p in with_coordinates}
    listed = section(html, "list-heading")
    assert contains(listed, '<a href="/places/tabriz/">Tabriz</a>')
    assert "38.0700° N, 46.3000° E" in text(listed)
    # No inline code: only JSON data blocks (the markers, the JSON-LD) and our own files.
    assert not inline_code(html)
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_the_home_page_counts_and_walks_the_trail(client):
    html = page(client, "/")
    counts = text(html)
    assert f"{Document.objects.published().count()} documents" in counts
    assert f"{Person.objects.count()} people" in counts
    trail = section(html, "trail-heading")
    links = hrefs(trail)
    positions = [links.index(url) for url in (DECREE, TELEGRAM, ARTICLE)]
    assert positions == sorted(positions)
    steps = [text(p) for p in find_all(trail, "p", class_="trail-link")]
    telegram = next(step for step in steps if step.startswith("The telegram shares"))
    assert "Vyacheslav Molotov" in telegram and telegram.endswith("with the decree.")
    article = next(step for step in steps if step.startswith("The encyclopedia article shares"))
    assert "Tabriz" in article and article.endswith("with the telegram.")
    assert find_all(html, "form", action="/search/")


# ---------------------------------------------------------------------------------
# Query counts: bounded, and not growing with the data

# Bounds include the one-row archive-version read of the HTTP cache layer. Each detail
# page adds one query for the claims about its document or record (issue 15).
PAGES = {
    "home": ("/", 7),
    # The list with its filters and counts (sources/search_views.py): 5 with kept counts,
    # 7 when they are recounted after a change.
    "document list": ("/documents/", 7),
    # The document, one query asking which of its links have rows (agents, works cited,
    # events, mentions, scans, further texts, claims) and one per link it has; related
    # documents (which of its records are widely named, the ranking by the database,
    # then their links and lines: 4, whatever the archive's size), larger places then
    # and today, previous/next, claims (issues 11, 13, 15).
    "document": (DECREE, 14),
    "person list": ("/people/", 4),
    # A record page: the record, one query asking which of its links have rows, one
    # per link it has, its sources (count, page, quotes), the records named with it.
    "person": (BAGIROV, 10),
    "place list": ("/places/", 4),
    # + nearby places; larger places and places within by period (Karaj has them all: 11)
    "place": (TABRIZ, 11),
    "organization list": ("/organizations/", 4),
    "organization": ("/organizations/communist-party-of-azerbaijan/", 9),
    "event list": ("/events/", 4),
    "event": (BATTLES, 12),  # + the documents that record it (issue 11), claims (issue 15)
    "timeline": ("/timeline/", 4),  # + each event's sources (issue 11)
    "map": ("/map/", 3),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, name):
    url, most = PAGES[name]
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_mentions_and_documents(client, make_document):
    before = {name: _count(client, url) for name, (url, _) in PAGES.items()}
    # Many more documents that mention the same people, places and events.
    people = list(Entity.objects.filter(slug__in=["mir-jafar-bagirov", "vyacheslav-molotov"]))
    places = list(Entity.objects.filter(slug__in=["tabriz", "maragheh"]))
    events = list(Entity.objects.filter(slug__in=["battles-of-inje-and-qalaburun"]))
    organizations = list(Entity.objects.filter(slug="communist-party-of-azerbaijan"))
    records = people + places + events + organizations
    for n in range(30):
        words = [r.name for r in records]
        document = make_document(
            title=f"More {n}",
            transcription=" and ".join(words * 2) + ".",
            date_edtf=f"1946-0{1 + n % 9}-1{n % 9}",
        )
        position = 0
        for record in records * 2:
            start = document.transcription.index(record.name, position)
            Mention.objects.create(
                document=document,
                entity=record,
                start=start,
                end=start + len(record.name),
                text=record.name,
            )
            position = start + len(record.name)
    for extra in range(20):
        Place.objects.create(
            name=f"Village {extra}",
            slug=f"village-{extra}",
            place_kind="village",
            latitude=38.0 + extra / 100,
            longitude=46.2 + extra / 100,
            located_in=Place.objects.get(slug="tabriz").located_in,
        )
    after = {name: _count(client, url) for name, (url, _) in PAGES.items()}
    assert after == before


def _reads(client, url: str) -> list[str]:
    """The SQL of a page's queries, except the one asking which links have rows."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if not q["sql"].startswith("SELECT EXISTS(")]


def test_a_page_asks_nothing_of_the_links_it_has_nothing_in(client, make_person):
    """A link a record or document has no rows in (most have no scans, works cited,
    variants…) costs no query (issue 13); one it has is read and shown."""
    person = make_person(name="Nobody Yet")
    reads = _reads(client, person.get_absolute_url())
    for table in ("sources_namevariant", "sources_eventparticipant", "sources_documentagent"):
        assert not any(f'FROM "{table}"' in sql for sql in reads), table
    assert not any('FROM "sources_claim"' in sql for sql in reads)
    html = page(client, BAGIROV)
    assert section(html, "names-heading") and section(html, "roles-heading")
    reads = _reads(client, BAGIROV)
    assert any('FROM "sources_namevariant"' in sql for sql in reads)
    # The decree has no works cited, scans or further texts: none is read.
    reads = _reads(client, DECREE)
    for table in ("sources_workcited", "sources_pageimage", "sources_documenttext"):
        assert not any(f'FROM "{table}"' in sql for sql in reads), table
    assert any('FROM "sources_mention"' in sql for sql in reads)
