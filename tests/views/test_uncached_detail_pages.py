"""Issue 13, uncached document and record pages: what the prepared queries load is
what the querysets say.

A document or record page's own row, its links and its lists of sources run SQL
compiled once per process (``sources.prepared.PreparedModelQuery``,
``sources.models.entities.PreparedLink``). These tests check, on the real corpus and
on both databases, that the instances are the ones the querysets give (fields,
deferred fields, ``select_related`` records, annotations), that values are bound anew
on every run, and that what a link loads is read back with no further query.
"""

from __future__ import annotations

import pytest
from django.db.models import F, Func, IntegerField

from sources.models import Document, Entity, Mention, Person, PublicationStatus, RecordCount
from sources.models.documents import PAGE_LINKS, load_page_links, publication_change
from sources.models.entities import PreparedLink
from sources.prepared import Literal, PreparedModelQuery, PreparedPage, PreparedQuery
from sources.reading.views import record_page_queries
from tests.html import find, find_all, text

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"

DOCUMENT_PAGE = PreparedModelQuery(lambda slug: Document.objects.for_page().filter(slug=slug))
CO_MENTIONED = PreparedModelQuery(lambda pk: Entity.objects.co_mentioned_with(pk)[:10])
MENTIONS_PAGE = PreparedModelQuery(
    lambda pk, start, stop: (
        Mention.objects.filter(entity_id=pk)
        .select_related("document")
        .order_by("document__title", "start", "pk")[start:stop]
    )
)
NAMED_LIKE = PreparedModelQuery(  # icontains wraps the value: never found as given
    lambda words: Entity.objects.filter(name__icontains=words).order_by("pk")
)


def _state(instance) -> dict:
    """An instance's loaded values, and which are deferred."""
    return {
        "values": {
            f.attname: getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
            if f.attname not in instance.get_deferred_fields()
        },
        "deferred": instance.get_deferred_fields(),
    }


def test_a_prepared_model_query_gives_the_querysets_instances_with_their_joined_records(
    django_assert_num_queries,
):
    joined = []
    for slug in (DECREE, TELEGRAM, ARTICLE):
        expected = Document.objects.for_page().get(slug=slug)
        with django_assert_num_queries(1):  # the joined records come with the row
            (found,) = DOCUMENT_PAGE.objects(slug)
            joined += [found.repository, found.origin, found.destination]
            if found.repository is not None:
                joined.append(found.repository.location)
        assert _state(found) == _state(expected)
        assert found.get_deferred_fields() == {"search_vector", "search_terms"}
        for name in ("repository", "origin", "destination"):
            mine, theirs = getattr(found, name), getattr(expected, name)
            assert (mine and _state(mine)) == (theirs and _state(theirs)), name
    assert any(joined), "the corpus documents name places and archives"
    assert DOCUMENT_PAGE.objects("no-such-document") == []


def test_a_value_used_twice_by_the_sql_is_bound_in_both_places():
    """co_mentioned_with uses the record's key twice (not itself, its documents)."""
    for slug in ("mir-jafar-bagirov", "vyacheslav-molotov", "tabriz"):
        record = Entity.objects.get(slug=slug)
        expected = list(Entity.objects.co_mentioned_with(record)[:10])
        found = CO_MENTIONED.objects(record.pk)
        assert expected, slug
        assert [(e.pk, e.shared_documents) for e in found] == [
            (e.pk, e.shared_documents) for e in expected
        ]
        assert record.pk not in {e.pk for e in found}


def test_slices_and_values_the_compiler_transforms_still_give_the_querysets_rows():
    bagirov = Entity.objects.get(slug="mir-jafar-bagirov")
    everything = list(
        Mention.objects.filter(entity=bagirov)
        .select_related("document")
        .order_by("document__title", "start", "pk")
    )
    assert len(everything) > 3
    for start, stop in ((0, 2), (2, 4), (1, 100)):
        found = MENTIONS_PAGE.objects(bagirov.pk, Literal(start), Literal(stop))
        assert [(m.pk, m.document.title) for m in found] == [
            (m.pk, m.document.title) for m in everything[start:stop]
        ]
    for words in ("bagirov", "tabriz"):
        expected = list(Entity.objects.filter(name__icontains=words).order_by("pk"))
        assert expected and [e.pk for e in NAMED_LIKE.objects(words)] == [e.pk for e in expected]


def test_a_prepared_model_query_has_no_rows_method():
    with pytest.raises(TypeError):
        DOCUMENT_PAGE.rows(DECREE)


def test_a_document_pages_links_are_read_back_with_no_query(django_assert_num_queries):
    for slug in (DECREE, TELEGRAM, ARTICLE):
        document = Document.objects.for_page().get(slug=slug)
        load_page_links(document)
        expected = Document.objects.prefetch_related(
            "agent_links__entity", "event_links__event", "mentions__entity", "works_cited"
        ).get(slug=slug)
        with django_assert_num_queries(0):
            agents = [(a.pk, a.role, a.entity.name) for a in document.agent_links.all()]
            events = [(e.pk, e.event.name) for e in document.event_links.all()]
            mentions = {(m.pk, m.text, m.entity.slug) for m in document.mentions.all()}
            works = [w.pk for w in document.works_cited.all()]
            assert all(m.document is document for m in document.mentions.all())
        assert agents == [
            (a.pk, a.role, a.entity.name)
            for a in sorted(expected.agent_links.all(), key=lambda a: (a.role, a.order))
        ]
        assert sorted(events) == sorted((e.pk, e.event.name) for e in expected.event_links.all())
        assert mentions == {(m.pk, m.text, m.entity.slug) for m in expected.mentions.all()}
        assert sorted(works) == sorted(w.pk for w in expected.works_cited.all())
        assert mentions, slug
    # A link a document has none of is empty, and asks nothing when read.
    assert {link.name for link in PAGE_LINKS} == {
        "agent_links", "works_cited", "event_links", "mentions",
    }  # fmt: skip


def test_a_link_that_is_not_one_reverse_link_is_prefetched_the_usual_way():
    from django.db.models import Prefetch

    nested = Prefetch("mentions__document")
    kept = Prefetch("mentions", to_attr="all_mentions")
    assert PreparedLink.of(Person, nested) is nested
    assert PreparedLink.of(Person, kept) is kept
    assert isinstance(PreparedLink.of(Person, "variants"), PreparedLink)


def test_each_record_kinds_page_loads_what_for_reading_says(django_assert_num_queries):
    from sources.models.entities import prefetch_present

    for kind, slug in (
        ("person", "mir-jafar-bagirov"),
        ("place", "tabriz"),
        ("organization", "azerbaijan-national-government"),
        ("event", "battles-of-inje-and-qalaburun"),
    ):
        own, links = record_page_queries(kind)
        (record,) = own.objects(slug)
        prefetch_present(record, links)
        model = type(record)
        expected = model.objects.for_reading().get(slug=slug)
        assert _state(record) == _state(expected)
        for link in links:
            name = link.name if isinstance(link, PreparedLink) else None
            if name is None:
                continue
            with django_assert_num_queries(0):
                mine = [r.pk for r in getattr(record, name).all()]
            assert mine == [r.pk for r in getattr(expected, name).all()], (kind, name)


def test_a_prepared_page_counts_and_slices_as_the_paginator_reads_it():
    page = PreparedPage(
        PreparedQuery(
            lambda pk: (
                Document.objects.published()
                .mentioning(pk)
                .order_by()
                .values_list(Func(F("pk"), function="COUNT", output_field=IntegerField()))
            )
        ),
        PreparedModelQuery(
            lambda pk, start, stop: (
                Document.objects.published().mentioning(pk).for_lists()[start:stop]
            )
        ),
        Entity.objects.get(slug="mir-jafar-bagirov").pk,
    )
    expected = list(Document.objects.published().mentioning(page.values[0]))
    assert page.count() == len(page) == len(expected) > 1
    assert [d.pk for d in page[0:2]] == [d.pk for d in expected[:2]]
    assert page[1].pk == expected[1].pk
    assert page[5:10] == []


# ---------------------------------------------------------------------------------
# The pages: values bound anew on every view


def test_a_record_page_shows_a_document_that_names_it_after_it_was_shown(client):
    """The page's sources and "often mentioned with" read each view's data: Beria is
    named by the telegram only, until the decree (which names Bagirov) names him too."""
    url = "/people/lavrentiy-beria/"
    decree = Document.objects.get(slug=DECREE)
    first = client.get(url).content.decode()
    assert decree.title not in text(find(first, "section", aria_labelledby="sources-heading"))
    start = decree.transcription.index("Bagirov")
    Mention.objects.create(
        document=decree,
        entity=Entity.objects.get(slug="lavrentiy-beria"),
        start=start,
        end=start + 7,
        text="Bagirov",
    )
    html = client.get(url).content.decode()
    assert decree.title in text(find(html, "section", aria_labelledby="sources-heading"))
    # Molotov and Baku, named by the telegram and the decree, are now named with him
    # in two documents, and come first.
    before = [
        text(li) for li in find_all(find(first, "section", aria_labelledby="with-heading"), "li")
    ]
    after = [
        text(li) for li in find_all(find(html, "section", aria_labelledby="with-heading"), "li")
    ]
    assert not [line for line in before if "in 2 documents" in line]
    twice = [line for line in after if "in 2 documents" in line]
    assert any("Molotov" in line for line in twice)
    assert after[: len(twice)] == twice


def test_a_draft_is_not_found_at_its_address_by_the_prepared_page_query(client):
    with publication_change():
        Document.objects.filter(slug=ARTICLE).update(status=PublicationStatus.DRAFT)
    assert client.get(f"/documents/{ARTICLE}/").status_code == 404
    with publication_change():
        Document.objects.filter(slug=ARTICLE).update(status=PublicationStatus.PUBLISHED)
    assert client.get(f"/documents/{ARTICLE}/").status_code == 200


def test_a_queryset_with_prefetches_of_its_own_is_run_by_the_orm(django_assert_num_queries):
    """A prepared model query whose queryset prefetches runs through the ORM (so the
    prefetches happen), and such a Prefetch is not made a PreparedLink."""
    from django.db.models import Prefetch

    with_variants = PreparedModelQuery(
        lambda slug: Entity.objects.filter(slug=slug).prefetch_related("variants")
    )
    (bagirov,) = with_variants.objects("mir-jafar-bagirov")
    expected = Entity.objects.get(slug="mir-jafar-bagirov").variants.all()
    with django_assert_num_queries(0):
        names = sorted(v.name for v in bagirov.variants.all())
    assert names == sorted(v.name for v in expected) and names
    nested = Prefetch("mentions", queryset=Mention.objects.prefetch_related("document"))
    assert PreparedLink.of(Person, nested) is nested


def test_often_mentioned_with_within_the_first_documents_is_the_querysets():
    """The bounded variant (a record named by more than CO_MENTION_LIMIT documents)
    gives what the queryset gives, for each bound."""
    from sources.reading.views import _CO_MENTIONED

    for slug in ("mir-jafar-bagirov", "vyacheslav-molotov"):
        record = Entity.objects.get(slug=slug)
        for within in (1, 2, 3):
            expected = list(Entity.objects.co_mentioned_with(record, within=within)[:10])
            found = _CO_MENTIONED[True].objects(record.pk, Literal(within))
            assert [(e.pk, e.shared_documents) for e in found] == [
                (e.pk, e.shared_documents) for e in expected
            ]
            assert expected


def _named_in() -> dict[int, int]:
    kept = dict(RecordCount.objects.values_list("entity_id", "named_in"))
    return {pk: kept.get(pk, 0) for pk in Entity.objects.values_list("pk", flat=True)}


def _counted() -> dict[int, int]:
    return {
        record.pk: Document.objects.published().mentioning(record).count()
        for record in Entity.objects.all()
    }


def test_the_kept_number_of_a_records_sources_is_what_counting_gives(client):
    """A record page pages through its sources by the kept count (RecordCount.named_in):
    equal to counting, for every record of the corpus, through mentions added and
    removed and a document withdrawn and published again."""
    assert _named_in() == _counted()
    assert any(_named_in().values())
    decree = Document.objects.get(slug=DECREE)
    beria = Entity.objects.get(slug="lavrentiy-beria")
    start = decree.transcription.index("Bagirov")
    mention = Mention.objects.create(
        document=decree, entity=beria, start=start, end=start + 7, text="Bagirov"
    )
    assert _named_in() == _counted()
    assert _named_in()[beria.pk] == 2
    mention.delete()
    assert _named_in() == _counted()
    with publication_change():
        decree.status = PublicationStatus.WITHDRAWN
        decree.save()
    assert _named_in() == _counted()
    bagirov = Entity.objects.get(slug="mir-jafar-bagirov")
    page = client.get("/people/mir-jafar-bagirov/").content.decode()
    assert decree.title not in text(find(page, "section", aria_labelledby="sources-heading"))
    assert _named_in()[bagirov.pk] == Document.objects.published().mentioning(bagirov).count()
    with publication_change():
        decree.status = PublicationStatus.PUBLISHED
        decree.save()
    assert _named_in() == _counted()


def test_search_results_are_read_without_the_search_index_columns(client):
    """A page of results reads every column a result shows (the transcription for the
    passages) but not the document's tsvector or search terms."""
    response = client.get("/search/?q=Bagirov")
    hits = response.context["results"]
    assert hits
    for hit in hits:
        assert hit.document.get_deferred_fields() == {"search_vector", "search_terms"}
        assert hit.document.transcription and hit.document.title
