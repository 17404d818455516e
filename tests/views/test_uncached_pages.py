"""Issue 13, uncached lists: what the faster paths show is what the querysets say.

The lists, home page and timeline run SQL compiled once per process
(``sources.prepared``), write their rows in Python (``list_tags``) and reuse the site's
frame (``site_tags``). These tests check, on the real corpus and on both databases,
that the compiled SQL is run with each request's values on each request's data, that a
value the compiler would transform still gives the right rows, and that readers see
the same pages: sections marked, queries escaped, records counted, links in order.
"""

from __future__ import annotations

import pytest
from django.db.models import F, Func, IntegerField

from sources import reading
from sources.models import (
    Document,
    DocumentEvent,
    Entity,
    Event,
    Mention,
    Person,
    PublicationStatus,
)
from sources.prepared import Literal, PreparedQuery, field_names, instances
from sources.text import hedged
from tests.html import attribute, find, find_all, text

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# ---------------------------------------------------------------------------------
# The prepared queries


BY_SLUGS = PreparedQuery(
    lambda slugs: (
        Document.objects.filter(slug__in=slugs)
        .order_by("slug")
        .values_list("slug", "title", "date_earliest")
    )
)
OF_KIND = PreparedQuery(
    lambda kind, start, stop: (
        Entity.objects.filter(kind=kind)
        .order_by("sort_name", "pk")
        .values_list("pk", "name")[start:stop]
    )
)
NAMED_LIKE = PreparedQuery(  # icontains wraps the value in %…%: never found as given
    lambda words: Entity.objects.filter(name__icontains=words).order_by("pk").values_list("pk")
)


def test_a_prepared_query_gives_the_querysets_rows_for_each_set_of_values():
    for slugs in ([DECREE], [TELEGRAM, ARTICLE], [DECREE, TELEGRAM, "no-such-document"]):
        expected = list(
            Document.objects.filter(slug__in=slugs)
            .order_by("slug")
            .values_list("slug", "title", "date_earliest")
        )
        assert BY_SLUGS.rows(slugs) == expected  # same shape twice: values bound anew
        assert expected
    assert BY_SLUGS.rows(["no-such-document"]) == []
    assert BY_SLUGS.rows([]) == []  # an empty IN: nothing, without a query
    for kind in ("person", "place", "event"):
        for start, stop in ((0, 5), (5, 12)):
            expected = list(
                Entity.objects.filter(kind=kind)
                .order_by("sort_name", "pk")
                .values_list("pk", "name")[start:stop]
            )
            assert OF_KIND.rows(kind, Literal(start), Literal(stop)) == expected


def test_a_value_the_compiler_transforms_is_still_searched_for():
    for words in ("bagirov", "molotov", "tabriz"):
        expected = list(
            Entity.objects.filter(name__icontains=words).order_by("pk").values_list("pk")
        )
        assert expected and NAMED_LIKE.rows(words) == expected


def test_prepared_rows_become_the_models_the_queryset_gives():
    fields = ("title", "slug", "date_edtf", "summary")
    rows = PreparedQuery(
        lambda: (
            Document.objects.published().order_by("pk").values_list(*field_names(Document, fields))
        )
    ).rows()
    documents = instances(Document, rows, only=fields)
    expected = list(Document.objects.published().order_by("pk").only(*fields))
    assert [(d.pk, d.title, d.slug, d.summary) for d in documents] == [
        (d.pk, d.title, d.slug, d.summary) for d in expected
    ]
    assert documents[0].get_deferred_fields() == expected[0].get_deferred_fields()
    counted = PreparedQuery(
        lambda: Person.objects.order_by().values_list(
            Func(F("pk"), function="COUNT", output_field=IntegerField())
        )
    )
    assert counted.rows() == [(Person.objects.count(),)]


# ---------------------------------------------------------------------------------
# The pages


def test_the_people_list_counts_and_lists_a_record_added_after_it_was_shown(
    client, make_person, make_document, mention_of
):
    before = page(client, "/people/")
    people = Person.objects.count()
    assert f"{people} records." in text(find(before, "p", class_="lead"))
    added = make_person(name="Zzyzx Aardvark", sort_name="Aardvark, Zzyzx")
    document = make_document(transcription="Zzyzx Aardvark spoke.")
    mention_of(document, added, "Zzyzx Aardvark")
    after = page(client, "/people/")
    assert f"{people + 1} records." in text(find(after, "p", class_="lead"))
    row = next(li for li in find_all(after, "li") if "Zzyzx Aardvark" in text(li))
    assert attribute(find(row, "a"), "href") == added.get_absolute_url()
    assert text(find(row, "span", class_="meta")) == "named in 1 document"
    letters = [text(a) for a in find_all(find(after, "nav", class_="jump-links"), "a")]
    assert letters[0] == "A"  # filed under its sort name


def test_each_list_shows_every_record_of_its_kind_with_its_published_documents(client):
    for path, model_kind in (
        ("/people/", "person"),
        ("/organizations/", "organization"),
        ("/events/", "event"),
        ("/places/", "place"),
    ):
        html = page(client, path)
        records = Entity.objects.filter(kind=model_kind)
        listed = {
            attribute(find(li, "a"), "href")
            for ul in find_all(html, "ul", class_="entity-list")
            for li in find_all(ul, "li")
        }
        assert listed == {r.get_absolute_url() for r in records}, path


def test_the_site_header_marks_the_section_and_echoes_the_query_escaped(client):
    for path, current in (
        ("/people/", "People"),
        ("/timeline/", "Timeline"),
        ("/documents/", "Documents"),
        ("/places/tabriz/", "Places"),
    ):
        nav = find(page(client, path), "nav", class_="site-nav")
        marked = [text(a) for a in find_all(nav, "a") if attribute(a, "aria-current")]
        assert marked == [current], path
    home = page(client, "/")
    assert attribute(find(find(home, "p", class_="site-name"), "a"), "aria-current") == "page"
    assert not [a for a in find_all(find(home, "nav", class_="site-nav"), "a")
                if attribute(a, "aria-current")]  # fmt: skip
    html = page(client, '/search/?q=<b>"Bagirov"</b>')
    box = find(html, "input", id="site-search")
    assert attribute(box, "value") == '<b>"Bagirov"</b>'
    assert '<b>"Bagirov"' not in html.split("<main", 1)[0]  # escaped in the header


def test_the_trail_shares_exactly_the_records_both_steps_name():
    steps = reading.reading_trail()
    assert [s.document.slug for s in steps] == [DECREE, TELEGRAM, ARTICLE]
    for step in steps[1:]:
        both = set(
            Mention.objects.filter(document=step.previous).values_list("entity_id", flat=True)
        ) & set(Mention.objects.filter(document=step.document).values_list("entity_id", flat=True))
        assert {e.pk for e in step.shared_with_previous} == both
        kinds = [e.kind for e in step.shared_with_previous]
        assert kinds == sorted(kinds, key=reading.KIND_ORDER.index)
    # A slug that is not published is left out; the rest still link to each other.
    short = reading.reading_trail([DECREE, "no-such-document", ARTICLE])
    assert [s.document.slug for s in short] == [DECREE, ARTICLE]
    assert short[1].previous.slug == DECREE


def test_the_timeline_names_each_events_published_sources_strongest_first(client, make_document):
    event = Event.objects.filter(document_links__isnull=False).distinct().first()
    draft = make_document(title="A draft about the event", status="draft")
    DocumentEvent.objects.create(document=draft, event=event, role="record")
    html = page(client, "/timeline/")
    entry = next(
        li for li in find_all(html, "li", class_="entry-event") if text(find(li, "a")) == event.name
    )
    sources = find(entry, "span", class_="entry-sources")
    links = (
        DocumentEvent.objects.filter(event=event, document__status=PublicationStatus.PUBLISHED)
        .strongest_first()
        .order_by("role_order", "document__date_earliest", "pk")
    )
    assert [attribute(a, "href") for a in find_all(sources, "a")] == [
        link.document.get_absolute_url() for link in links
    ]
    assert "A draft about the event" not in text(sources)
    first = links[0]
    assert text(sources).startswith(f"({hedged(first.get_role_display(), first.certainty)}: ")
