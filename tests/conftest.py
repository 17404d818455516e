"""Shared test fixtures: the real corpus, loaded once per test session, plus small
factories for records the edge-case tests need."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from sources.models import Document, Mention, Person, Place, PublicationStatus

from .snapshot import Snapshot

_counter = itertools.count(1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """``--dist loadgroup`` (make test): name each ``xdist_group`` test ``<id>@<group>``,
    which is how xdist's scheduler knows the group. pytest-xdist 3.8 writes that name to
    ``item._nodeid``, which pytest 9.2 no longer reads (its id is ``item._id``), so its
    own renaming is lost; this is it again, where pytest keeps the id."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        groups = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default"))
             for m in item.iter_markers("xdist_group")}
        )  # fmt: skip
        if groups and "@" not in item.nodeid and hasattr(item, "_id"):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.fixture(scope="session")
def _corpus_snapshot() -> Snapshot:
    return Snapshot()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _corpus_snapshot):
    """Every database test starts from the curated corpus (each test's changes are
    rolled back). Transactional tests flush the tables; they use ``live_corpus``. The
    loaded database is copied once here (tests/snapshot.py) for ``live_corpus``."""
    with django_db_blocker.unblock():
        call_command("load_corpus", verbosity=0)
        _corpus_snapshot.take()


@pytest.fixture
def live_corpus(transactional_db, _corpus_snapshot):
    """A transactional test's database holding the curated corpus, as the session
    loaded it: restored from the session's copy, not loaded again."""
    _corpus_snapshot.restore()


@pytest.fixture
def page_cache():
    """The public page cache on, as in production (the test settings turn it off), and
    empty before and after. An edit made just before a request (as in a test) lets the
    page be stored: no clock margin."""
    from django.core.cache import cache
    from django.test import override_settings

    cache.clear()
    with override_settings(PUBLIC_PAGE_CACHE=True, PAGE_CACHE_CLOCK_MARGIN=0):
        yield
    cache.clear()


@pytest.fixture
def make_document(db):
    def make(**fields) -> Document:
        n = next(_counter)
        values = {
            "title": f"Test document {n}",
            "slug": f"test-document-{n}",
            "document_type": "report",
            "source_kind": "primary",
            "language": "en",
            "transcription": "A short text.",
            "status": PublicationStatus.PUBLISHED,
            "published_at": timezone.now(),
            "publisher": "Test publisher",
            "rights": "Public domain.",
            "date_edtf": "1945-11-21",
        }
        values.update(fields)
        if values["status"] != PublicationStatus.PUBLISHED and "published_at" not in fields:
            values["published_at"] = None
        return Document.objects.create(**values)

    return make


@pytest.fixture
def make_person(db):
    def make(**fields) -> Person:
        n = next(_counter)
        return Person.objects.create(**{"name": f"Person {n}", "slug": f"person-{n}", **fields})

    return make


@pytest.fixture
def make_place(db):
    def make(**fields) -> Place:
        n = next(_counter)
        values = {"name": f"Place {n}", "slug": f"place-{n}", "place_kind": "village"}
        values.update(fields)
        if "latitude" not in fields and "coordinates_note" not in fields:
            values["coordinates_note"] = "Test place."
        return Place.objects.create(**values)

    return make


def mention_at(
    document: Document,
    entity,
    words: str,
    text=None,
    *,
    occurrence: int = 0,
    after: int = 0,
    note: str = "",
) -> Mention:
    """A mention of ``entity`` at the ``occurrence``-th appearance (0 = the first) of
    ``words`` from offset ``after``, in the primary transcription or in the further
    ``text`` (a DocumentText) of ``document``."""
    body = text.text if text is not None else document.transcription
    start = after - 1
    for _ in range(occurrence + 1):
        start = body.index(words, start + 1)
    return Mention.objects.create(
        document=document,
        document_text=text,
        entity=entity,
        start=start,
        end=start + len(words),
        text=words,
        note=note,
    )


@pytest.fixture
def mention_of(db):
    return mention_at
