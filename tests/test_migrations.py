"""Migrations are frozen: they import no app logic (a later change to the search code must
never break a fresh ``migrate``), and the data they no longer compute is rebuilt by
``manage.py rebuild_search`` with the same search results."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from sources.models import Document, DocumentRecords, FacetCount, RecordCount
from sources.search import Search

MIGRATIONS = Path(__file__).resolve().parents[1] / "sources" / "migrations"
# What a migration may import from the app: field validators and defaults.
ALLOWED = {"sources.text.dates", "sources.models.state", "sources.models.fields"}


def app_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {name for name in found if name == "sources" or name.startswith("sources.")}


@pytest.mark.parametrize("path", sorted(MIGRATIONS.glob("0*.py")), ids=lambda p: p.name)
def test_migrations_import_no_app_logic(path):
    assert app_imports(path) <= ALLOWED


QUERIES = ["Baghirov", "Urmia", "Tabriz", "Molotof", '"National Committee"', "oil concession"]


def results() -> dict[str, object]:
    found = {}
    for text in QUERIES:
        search = Search(text)
        documents = search.ranked(search.matching(Document.objects.published()), filtered=False)
        found[text] = (
            [(d.slug) for d in documents[: len(documents)]],
            [hit.entity.slug for hit in search.entities],
        )
    return found


@pytest.mark.django_db
def test_rebuild_search_gives_the_same_results_as_the_kept_index():
    before = results()
    counts = dict(RecordCount.objects.filter(documents__gt=0).values_list("entity_id", "documents"))
    named_in = dict(RecordCount.objects.filter(named_in__gt=0).values_list("entity_id", "named_in"))
    assert named_in
    assert any(slugs for slugs, _ in before.values())
    Document.objects.update(search_terms="", search_vector=None)
    RecordCount.objects.all().delete()
    assert not any(slugs for slugs, _ in results().values())
    out = StringIO()
    call_command("rebuild_search", stdout=out)
    assert "Indexed 4 documents" in out.getvalue()
    assert results() == before
    rebuilt = RecordCount.objects.filter(documents__gt=0).values_list("entity_id", "documents")
    assert dict(rebuilt) == counts  # a record no document names counts 0, kept or not
    renamed = RecordCount.objects.filter(named_in__gt=0).values_list("entity_id", "named_in")
    assert dict(renamed) == named_in


def kept_state() -> tuple[list, set]:
    rows = list(
        DocumentRecords.objects.order_by("document_id").values_list(
            "document_id", "person_ids", "place_ids", "organization_ids", "event_ids",
            "published", "document_type", "language", "date_earliest", "date_latest",
        )
    )  # fmt: skip
    counts = set(
        FacetCount.objects.values_list(
            "document_type", "source_kind", "language", "repository_id", "first_year",
            "last_year", "documents",
        )
    )  # fmt: skip
    return rows, counts


@pytest.mark.django_db
def test_rebuild_search_rebuilds_the_kept_rows_and_facet_counts():
    """The facets' kept tables (DocumentRecords, FacetCount) are derived: a rebuild
    makes them again as the index upkeep kept them."""
    before = kept_state()
    assert before[0] and before[1]
    DocumentRecords.objects.all().delete()
    FacetCount.objects.all().delete()
    call_command("rebuild_search", stdout=StringIO())
    assert kept_state() == before
