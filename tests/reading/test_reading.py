"""The reading services: safe transcription HTML, keyword in context, citations,
related documents, the trail, the timeline, paging and slug redirects."""

from __future__ import annotations

import datetime as dt

import pytest

from sources import reading
from sources.models import (
    AgentRole,
    Document,
    DocumentAgent,
    Event,
    Mention,
    Person,
    Place,
    SlugRedirect,
)
from tests.html import find, text

# ---------------------------------------------------------------------------------
# Transcription HTML


@pytest.mark.django_db
def test_mentions_become_links_and_everything_else_is_escaped(
    make_document, make_person, mention_of
):
    document = make_document(
        transcription='To Cde. Bagirov <script>alert(1)</script> & "friends"\n\nNext <b>para</b>.'
    )
    person = make_person(name="Mir Jafar Bagirov")
    mention = mention_of(document, person, "Bagirov")
    html = reading.render_transcription(document.transcription, [mention])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; &quot;friends&quot;" in html
    assert (
        f'<a id="m{mention.start}" class="mention mention-person" '
        f'href="/people/{person.slug}/" title="Mir Jafar Bagirov (person)">Bagirov</a>'
    ) in html
    assert html.count("<p>") == 2


@pytest.mark.django_db
def test_markup_in_names_and_words_is_escaped_inside_links(make_document, make_person):
    document = make_document(transcription='Hello <img src=x onerror="alert(1)"> there')
    person = make_person(name='"><script>x</script>')
    words = '<img src=x onerror="alert(1)">'
    start = document.transcription.index(words)
    mention = Mention.objects.create(
        document=document, entity=person, start=start, end=start + len(words), text=words
    )
    html = reading.render_transcription(document.transcription, [mention])
    assert "<img" not in html and "<script>" not in html
    assert 'title="&quot;&gt;&lt;script&gt;x&lt;/script&gt; (person)"' in html


def test_paragraphs_come_from_blank_lines_and_single_newlines_are_line_breaks():
    html = reading.render_transcription("One\nline two\n\n  \n\nThree", [])
    assert html == "<p>One<br>\nline two</p>\n<p>Three</p>"


def test_reference_markers_link_to_works_cited_only_when_the_work_exists():
    html = reading.render_transcription(
        "Strongly opposed.[1][2] Also [7] and [oblast'].", [], {1, 2}
    )
    assert '<a href="#ref-1" aria-label="reference 1">[1]</a>' in html
    assert '<a href="#ref-2" aria-label="reference 2">[2]</a>' in html
    assert "[7]" in html and "#ref-7" not in html
    assert "[oblast&#x27;]" in html


class _FakeMention:
    """Enough of a Mention for the renderer, without the database."""

    def __init__(self, start, text, entity):
        self.start, self.end, self.text, self.entity = start, start + len(text), text, entity
        self.entity_id = id(entity)
        self.certainty = "certain"


def _fake_entity():
    return Person(name="Someone", slug="someone", kind="person")


def test_stale_overlapping_and_paragraph_crossing_mentions_are_left_as_text():
    entity = _fake_entity()
    text = "Alpha beta\n\ngamma delta"
    stale = _FakeMention(0, "Omega", entity)  # the text no longer reads "Omega" there
    crossing = _FakeMention(6, "beta\n\ngamma", entity)
    good = _FakeMention(18, "delta", entity)
    overlapping = _FakeMention(19, "elta", entity)
    html = reading.render_transcription(text, [stale, crossing, good, overlapping])
    assert html.count("<a ") == 1
    assert 'id="m18"' in html
    assert html.startswith("<p>Alpha beta</p>")


# ---------------------------------------------------------------------------------
# Keyword in context


def test_kwic_quotes_the_sentence_and_skips_abbreviations_and_initials():
    text = (
        "Preamble here. Entrust Cde. [Nicolai] Bulganin together with Cde. Bagirov with "
        "carrying out this point. Next sentence."
    )
    start = text.index("Bagirov")
    kwic = reading.keyword_in_context(text, start, start + len("Bagirov"))
    assert kwic.before == "Entrust Cde. [Nicolai] Bulganin together with Cde. "
    assert kwic.words == "Bagirov"
    assert kwic.after == " with carrying out this point."
    assert not kwic.clipped_before and not kwic.clipped_after


def test_kwic_stops_at_line_breaks_and_handles_initials():
    text = "Distribution: 1-2 Cde. Molotov\nwrote U.S. Justice William O. Douglas, who visited."
    start = text.index("Douglas")
    kwic = reading.keyword_in_context(text, start, start + 7)
    assert kwic.before == "wrote U.S. Justice William O. "
    assert kwic.after == ", who visited."


def test_kwic_works_on_a_stretch_cut_out_of_a_longer_text():
    full = "First sentence. " + "x" * 50 + " Molotov said so. The end."
    offset = 20
    start = full.index("Molotov")
    kwic = reading.keyword_in_context(full[offset:], start, start + 7, offset=offset)
    assert kwic.words == "Molotov"
    assert kwic.clipped_before  # the stretch began mid-sentence
    assert kwic.after == " said so."


def test_kwic_clips_long_sentences_at_words():
    text = "word " * 200 + "Tabriz " + "more " * 200
    start = text.index("Tabriz")
    kwic = reading.keyword_in_context(text, start, start + 6, limit=50)
    assert kwic.clipped_before and kwic.clipped_after
    assert len(kwic.before) <= 50 and len(kwic.after) <= 50
    assert kwic.before.startswith("word") and kwic.after.rstrip().endswith("more")


@pytest.mark.django_db
def test_quote_sources_cuts_context_in_the_database(make_document, make_person, mention_of):
    long_text = "Intro. " + "Filler words here. " * 100 + "Then Bagirov acted. " + "Tail. " * 100
    document = make_document(transcription=long_text)
    person = make_person()
    mention_of(document, person, "Bagirov")
    [group] = reading.quote_sources(person, [document])
    [(mention, kwic)] = group.quotes
    assert (kwic.before, kwic.words, kwic.after) == ("Then ", "Bagirov", " acted.")
    assert len(mention.context) < len(long_text)
    assert group.words_used == ["Bagirov"]


# ---------------------------------------------------------------------------------
# Citation, related documents, trail (on the corpus)

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"


@pytest.mark.django_db
def test_chicago_note_for_the_decree():
    decree = Document.objects.with_citation().get(slug=DECREE)
    note = reading.chicago_note(
        decree, "https://archive.example/documents/x/", dt.date(2026, 11, 21)
    )
    recipients = ", ".join(
        link.entity.name for link in decree.agent_links.all() if link.role == AgentRole.RECIPIENT
    )
    assert recipients and f" to {recipients}, “" in note
    assert f"“{decree.title.rstrip('.')},” 6 July 1945 (15 Tir 1324 SH), " in note
    assert decree.archival_reference in note
    assert "obtained by Jamil Hasanli" in note
    assert "trans. Gary Goldberg" in note
    assert note.endswith(
        "Azerbaijan Crisis Archive, https://archive.example/documents/x/ "
        "(accessed 21 November 2026)."
    )


@pytest.mark.django_db
def test_chicago_note_for_a_published_work_without_an_archive(make_document):
    document = make_document(
        title="Battles of X",
        publisher="Wikipedia",
        source_url="https://en.wikipedia.org/wiki/X",
        date_edtf="",
        archival_reference="",
    )
    note = reading.chicago_note(
        Document.objects.with_citation().get(pk=document.pk), "https://a/", dt.date(2026, 1, 2)
    )
    assert note == (
        "“Battles of X,” Wikipedia, https://en.wikipedia.org/wiki/X, Azerbaijan Crisis "
        "Archive, https://a/ (accessed 2 January 2026)."
    )


def _records_of(document: Document):
    return {m.entity_id: m.entity for m in document.mentions.select_related("entity")}


@pytest.mark.django_db
def test_related_documents_are_ranked_by_shared_records_and_name_them():
    decree = Document.objects.with_citation().get(slug=DECREE)
    related = reading.related_documents(decree, _records_of(decree), limit=10)
    by_slug = {item.document.slug: item for item in related}
    assert TELEGRAM in by_slug
    assert "vyacheslav-molotov" in {e.slug for e in by_slug[TELEGRAM].shared}
    assert DECREE not in by_slug
    counts = [item.shared_count for item in related]
    assert counts == sorted(counts, reverse=True)
    # Each count is what the documents really share: records named, agents (authors,
    # recipients, translators…) and events linked (issue 11).
    own = _touched(decree)
    for item in related:
        assert {e.pk for e in item.shared} == own & _touched(item.document)


def _touched(document: Document) -> set[int]:
    return (
        set(_records_of(document))
        | set(document.agent_links.values_list("entity_id", flat=True))
        | set(document.event_links.values_list("event_id", flat=True))
    )


@pytest.mark.django_db
def test_related_documents_skip_unpublished(make_document, make_person, mention_of):
    decree = Document.objects.with_citation().get(slug=DECREE)
    molotov = Person.objects.get(slug="vyacheslav-molotov")
    draft = make_document(transcription="Molotov again", status="draft")
    mention_of(draft, molotov, "Molotov")
    related = reading.related_documents(decree, _records_of(decree), limit=50)
    assert draft.pk not in {item.document.pk for item in related}


@pytest.mark.django_db
def test_the_trail_runs_decree_telegram_article_with_what_links_each_step():
    steps = reading.reading_trail()
    assert [s.document.slug for s in steps] == [DECREE, TELEGRAM, ARTICLE]
    assert steps[0].shared_with_previous == [] and steps[0].previous is None
    telegram_shares = {e.slug for e in steps[1].shared_with_previous}
    assert {"vyacheslav-molotov", "tabriz"} <= telegram_shares
    assert "tabriz" in {e.slug for e in steps[2].shared_with_previous}
    assert steps[1].noun == "telegram" and steps[1].previous_noun == "decree"


def test_name_list_reads_like_a_sentence():
    people = [Person(name=n) for n in ("Molotov", "Tabriz", "Baku")]
    assert reading.name_list(people) == "Molotov, Tabriz and Baku"
    assert reading.name_list(people[:1]) == "Molotov"
    assert reading.name_list(people * 3, most=5) == (
        "Molotov, Tabriz, Baku, Molotov, Tabriz and 4 more"
    )


# ---------------------------------------------------------------------------------
# Reading order


@pytest.mark.django_db
def test_neighbours_follow_date_then_coverage_with_undated_last(make_document):
    published = Document.objects.published()
    order = list(published.in_reading_order())
    dated = [d for d in order if d.date_earliest]
    assert order[: len(dated)] == dated  # undated documents come last
    for i, document in enumerate(order):
        previous, following = published.neighbours(document)
        assert previous == (order[i - 1] if i else None)
        assert following == (order[i + 1] if i + 1 < len(order) else None)


@pytest.mark.django_db
def test_the_document_pages_neighbours_are_the_querysets(make_document):
    """The document page's own SQL for previous/next gives what the queryset gives, for
    every document of the corpus and for ties and missing dates."""
    from sources.models.documents import published_neighbours

    make_document(title="A", date_edtf="1945-11-21", coverage_edtf="")
    make_document(title="B", date_edtf="1945-11-21", coverage_edtf="1945-11")
    make_document(title="C", date_edtf="", coverage_edtf="1946-04")
    make_document(title="D", date_edtf="", coverage_edtf="")
    make_document(title="D", date_edtf="", coverage_edtf="")
    make_document(title="E", date_edtf="1945-11-21", coverage_edtf="1945-11", status="draft")
    published = Document.objects.published()
    documents = list(published)
    assert len(documents) >= 9  # the corpus and the five above
    for document in documents:
        previous, following = published_neighbours(document)
        assert (previous, following) == published.neighbours(document)
        for neighbour in (previous, following):
            if neighbour is not None:  # what the links show, from the row itself
                stored = Document.objects.get(pk=neighbour.pk)
                assert (neighbour.title, neighbour.slug) == (stored.title, stored.slug)
                assert neighbour.date_earliest == stored.date_earliest


@pytest.mark.django_db
def test_neighbours_handle_ties_and_missing_dates(make_document):
    a = make_document(title="A", date_edtf="1945-11-21", coverage_edtf="")
    b = make_document(title="B", date_edtf="1945-11-21", coverage_edtf="1945-11")
    c = make_document(title="C", date_edtf="", coverage_edtf="1946-04")
    d = make_document(title="D", date_edtf="", coverage_edtf="")
    mine = Document.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk])
    assert list(mine.in_reading_order()) == [b, a, c, d]  # coverage breaks the tie
    assert mine.neighbours(b) == (None, a)
    assert mine.neighbours(a) == (b, c)
    assert mine.neighbours(c) == (a, d)
    assert mine.neighbours(d) == (c, None)


# ---------------------------------------------------------------------------------
# Timeline


@pytest.mark.parametrize(
    ("edtf", "precision"),
    [
        ("1945-07-06", "day"),
        ("1946-04", "month"),
        ("1944-10~", "month"),
        ("1946-04-17/1946-04-21", "day"),
        ("1945/1946", "year"),
        ("1945-21", "year"),  # spring: the month is not known
        ("", ""),
        ("../1946", ""),
    ],
)
def test_date_precision(edtf, precision):
    assert reading.date_precision(edtf) == precision


def _event(slug, edtf):
    event = Event(name=slug, slug=slug, event_kind="other", date_edtf=edtf, kind="event")
    event.set_date_bounds()
    return event


def test_timeline_places_partial_dates_honestly():
    day = _event("day", "1945-11-21")
    month = _event("month", "1945-11")
    early = _event("early", "1945-11-02")
    year = _event("year", "1945")
    ranged = _event("range", "1945-12-01/1946-01-19")
    undated = _event("undated", "")
    timeline = reading.build_timeline([], [month, undated, year, day, ranged, early])
    [y1945] = timeline.years
    assert [m.label for m in y1945.months] == ["November 1945", "December 1945"]
    november = [e.record.slug for e in y1945.months[0].entries]
    assert november == ["early", "day", "month"]  # days in order, the month-only after
    assert [e.record.slug for e in y1945.months[1].entries] == ["range"]
    assert y1945.months[1].entries[0].is_range
    assert [e.record.slug for e in y1945.month_unknown] == ["year"]
    assert [e.record.slug for e in timeline.undated] == ["undated"]


# ---------------------------------------------------------------------------------
# Paging


# ---------------------------------------------------------------------------------
# Slug redirects


@pytest.mark.django_db
def test_changing_a_document_slug_records_the_old_one(make_document):
    document = make_document(slug="old-address")
    document.slug = "new-address"
    document.save()
    document.slug = "newer-address"
    document.save()
    assert SlugRedirect.objects.target_for("document", "old-address") == document
    assert SlugRedirect.objects.target_for("document", "new-address") == document
    # Going back to an old slug removes its redirect (it is live again).
    document.slug = "old-address"
    document.save()
    assert SlugRedirect.objects.target_for("document", "old-address") is None
    assert SlugRedirect.objects.target_for("document", "newer-address") == document


@pytest.mark.django_db
def test_changing_a_record_slug_records_the_old_one_under_its_kind(make_place):
    place = make_place(slug="rezaiyeh")
    place.slug = "urmia-city"
    place.save()
    redirect = SlugRedirect.objects.get(old_slug="rezaiyeh")
    assert redirect.kind == "place" and redirect.entity_id == place.pk
    assert SlugRedirect.objects.target_for("person", "rezaiyeh") is None


@pytest.mark.django_db
def test_saving_without_a_slug_change_records_nothing(make_person):
    person = make_person()
    person.description = "Edited."
    person.save()
    Place.objects.filter(slug="tabriz").first().save()
    assert not SlugRedirect.objects.exists()


@pytest.mark.django_db
def test_agents_by_role_groups_prefetched_links():
    decree = Document.objects.with_citation().get(slug=DECREE)
    roles = reading.agents_by_role(decree)
    assert {link.role for link in roles[AgentRole.RECIPIENT]} <= {AgentRole.RECIPIENT}
    assert (
        sum(len(v) for v in roles.values()) == DocumentAgent.objects.filter(document=decree).count()
    )


@pytest.mark.django_db
def test_widely_named_records_are_not_counted_in_ranking_related_documents(client, monkeypatch):
    """A record touching more than WIDELY_NAMED published documents relates a document
    to much of the archive: ranking leaves it out, the page says so, and the shared
    records shown still include it. Bound lowered to 2 so the corpus has such records."""
    from sources.models import RecordCount
    from sources.reading import connections

    decree = Document.objects.with_citation().get(slug=DECREE)
    own = _touched(decree)
    touching = dict(
        RecordCount.objects.filter(entity_id__in=own).values_list("entity", "documents")
    )
    monkeypatch.setattr(connections, "WIDELY_NAMED", 2)
    widely = {pk for pk in own if touching.get(pk, 0) > 2}
    assert widely and own - widely, "the corpus decree names both kinds"
    panel = reading.related_panel(decree, _records_of(decree), limit=10)
    assert {e.pk for e in panel.not_counted} == widely
    assert panel.documents
    counted = []
    for item in panel.documents:
        shared = {e.pk for e in item.shared}
        assert shared == own & _touched(item.document)  # widely named ones shown too
        assert shared - widely, "found through a record named less widely"
        counted.append(len(shared - widely))
    assert counted == sorted(counted, reverse=True)

    html = client.get(f"/documents/{DECREE}/").content.decode()
    note = text(find(html, "p", class_="not-counted"))
    for record in panel.not_counted:
        assert record.name in note

    # Every record widely named: ranked by all of them, as with no bound.
    monkeypatch.setattr(connections, "WIDELY_NAMED", -1)
    everything = reading.related_panel(decree, _records_of(decree), limit=10)
    assert everything.not_counted == []
    monkeypatch.setattr(connections, "WIDELY_NAMED", 10**9)
    unbounded = reading.related_panel(decree, _records_of(decree), limit=10)
    assert [d.document.pk for d in everything.documents] == [
        d.document.pk for d in unbounded.documents
    ]
    assert "not-counted" not in client.get(f"/documents/{DECREE}/").content.decode()
