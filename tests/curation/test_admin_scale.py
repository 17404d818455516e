"""The admin at archive scale (sources/curation/admin/scale.py): the lists show the right
counts of mentions and proposals on the corpus without a join of every link, their
queries are bounded whatever the archive's size, long lists give an estimated total
("about …"), and every large foreign key on a change form is a picker, not a <select>
of the whole table."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from sources.curation.admin.scale import EstimatedCountPaginator, estimated_rows
from sources.models import (
    Document,
    Entity,
    Mention,
    MentionProposal,
    Person,
    ProposalStatus,
    Repository,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "document", "entity", "person", "place", "organization", "event", "namevariant",
    "mention", "mentionproposal", "documentagent", "repository", "documentevent",
]  # fmt: skip


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("scale", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    return client


def shown_rows(response) -> list:
    return list(response.context["cl"].result_list)


def test_document_list_counts_proposals_and_flagged_mentions_of_each_shown_document(
    curator_client,
):
    documents = list(Document.objects.order_by("pk"))
    assert Mention.objects.exists()
    # Some work for the columns: a flagged mention and an open and a rejected proposal.
    first = Mention.objects.order_by("pk").first()
    Mention.objects.filter(pk=first.pk).update(needs_review=True)
    for status, offset in ((ProposalStatus.OPEN, 1), (ProposalStatus.REJECTED, 2)):
        MentionProposal.objects.create(
            document=first.document,
            entity=first.entity,
            start=first.start + 10_000 + offset,
            end=first.start + 10_001 + offset,
            text="x",
            matched_name="x",
            status=status,
        )
    response = curator_client.get(reverse("admin:sources_document_changelist"))
    assert response.status_code == 200
    rows = {document.pk: document for document in shown_rows(response)}
    assert set(rows) == {document.pk for document in documents}
    expected = Document.objects.annotate(
        proposals_open=Count(
            "proposals", filter=Q(proposals__status=ProposalStatus.OPEN), distinct=True
        ),
        flagged=Count("mentions", filter=Q(mentions__needs_review=True), distinct=True),
    )
    for document in expected:
        assert rows[document.pk].proposal_total == document.proposals_open
        assert rows[document.pk].review_total == document.flagged
    assert rows[first.document_id].proposal_total >= 1
    assert rows[first.document_id].review_total >= 1


def test_record_lists_count_each_records_mentions(curator_client):
    response = curator_client.get(reverse("admin:sources_person_changelist"), {"all": ""})
    rows = shown_rows(response)
    assert rows
    expected = dict(Person.objects.annotate(n=Count("mentions")).values_list("pk", "n"))
    assert {person.pk: person.mention_total for person in rows} == expected
    assert any(person.mention_total for person in rows)
    # Sorting by the column still works, by the counted value.
    ordered = curator_client.get(reverse("admin:sources_person_changelist"), {"o": "-4"})
    counts = [person.mention_total for person in shown_rows(ordered)]
    assert counts == sorted(counts, reverse=True)


def test_holding_archives_count_their_documents(curator_client):
    response = curator_client.get(reverse("admin:sources_repository_changelist"))
    expected = dict(Repository.objects.annotate(n=Count("documents")).values_list("pk", "n"))
    assert {r.pk: r.documents_held for r in shown_rows(response)} == expected


@pytest.mark.parametrize("model", LISTS)
def test_changelist_queries_do_not_grow_with_the_archive(
    curator_client, model, django_assert_max_num_queries
):
    """Session, user, permissions, the capped count, the page, the filters' choices:
    a fixed number, however many rows (the column counts are subqueries of the page
    query, not one query per row)."""
    url = reverse(f"admin:sources_{model}_changelist")
    with django_assert_max_num_queries(14):
        response = curator_client.get(url)
    assert response.status_code == 200


def test_counts_are_not_a_join_of_every_mention(curator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        curator_client.get(reverse("admin:sources_document_changelist"))
    for table in (Mention._meta.db_table, MentionProposal._meta.db_table):
        # The mention and proposal tables appear only inside the per-row subqueries.
        assert not [q["sql"] for q in queries.captured_queries if f'JOIN "{table}"' in q["sql"]]
        assert any(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)


def test_date_drill_down_is_on_the_documents_own_date(curator_client):
    document = Document.objects.exclude(date_earliest=None).order_by("date_earliest").first()
    year = document.date_earliest.year
    response = curator_client.get(
        reverse("admin:sources_document_changelist"), {"date_earliest__year": year}
    )
    assert response.status_code == 200
    shown = {d.pk for d in shown_rows(response)}
    assert shown == set(
        Document.objects.filter(date_earliest__year=year).values_list("pk", flat=True)
    )
    assert document.pk in shown


def test_short_lists_are_counted_exactly(curator_client):
    response = curator_client.get(reverse("admin:sources_mention_changelist"))
    cl = response.context["cl"]
    assert not cl.paginator.estimated
    assert cl.result_count == Mention.objects.count()
    assert "about" not in response.content.decode().split('class="paginator"')[1][:400]


def test_past_the_threshold_the_total_is_an_estimate(curator_client, settings):
    """With the threshold forced low, the mention list is "about" N mentions: on
    PostgreSQL the statistics' estimate (refreshed here by ANALYZE), on SQLite, which
    has none, the count; never fewer than were counted."""
    from django.db import connection

    total = Mention.objects.count()
    settings.ADMIN_EXACT_COUNT = 5
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Mention._meta.db_table}")
    response = curator_client.get(reverse("admin:sources_mention_changelist"))
    assert response.status_code == 200
    cl = response.context["cl"]
    paginator = cl.paginator
    if connection.vendor == "postgresql":
        assert paginator.estimated
        assert cl.result_count >= 6
        html = response.content.decode()
        paging = html.split('class="paginator"')[1][:600]
        assert re.search(r"about</span>\s*[\d,]+ mentions", paging), paging
    else:
        assert cl.result_count == total
    # A filtered list: the planner's estimate, or the count.
    filtered = curator_client.get(
        reverse("admin:sources_mention_changelist"), {"certainty__exact": "certain"}
    )
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count >= min(
        6, Mention.objects.filter(certainty="certain").count()
    )


def test_the_paginator_estimates_only_past_the_threshold(settings):
    settings.ADMIN_EXACT_COUNT = 3
    short = EstimatedCountPaginator(Entity.objects.filter(pk__in=[]), 10)
    assert short.count == 0 and not short.estimated
    entities = Entity.objects.order_by("pk")
    long = EstimatedCountPaginator(entities, 10)
    estimate = estimated_rows(entities)
    if estimate is None:
        assert long.count == entities.count() and not long.estimated
    else:
        assert long.estimated and long.count >= 4


def _large_fk(field) -> bool:
    """A link to documents, records or mentions: tables of 100,000s of rows."""
    target = field.related_model
    return target is not None and issubclass(target, Document | Entity | Mention)


def test_every_large_foreign_key_on_a_form_is_a_picker(rf):
    """No change form or inline renders a <select> of every document or record."""
    request = rf.get("/")
    request.user = User.objects.create_superuser("picker", password="a-long-password-here")
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "sources":
            continue
        pickers = {*model_admin.autocomplete_fields, *model_admin.raw_id_fields}
        shown = set(admin.utils.flatten_fieldsets(model_admin.get_fieldsets(request)))
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.ManyToManyField)
                and field.editable
                and field.name in shown
                and field.name not in pickers
                and field.name not in model_admin.readonly_fields
                and _large_fk(field)
            ):
                missing.append(f"{type(model_admin).__name__}.{field.name}")
        for inline in model_admin.inlines:
            pickers = {*inline.autocomplete_fields, *inline.raw_id_fields, *inline.readonly_fields}
            names = inline.fields or [f.name for f in inline.model._meta.get_fields()]
            for field in inline.model._meta.get_fields():
                if (
                    isinstance(field, models.ForeignKey)
                    and field.editable
                    and field.name in names
                    and field.name not in pickers
                    and field.name != inline.fk_name
                    and field.related_model is not model
                    and _large_fk(field)
                ):
                    missing.append(f"{inline.__name__}.{field.name}")
    assert missing == []


@pytest.mark.parametrize("term", ["Bagirov", "Tabriz", "telegram", "Baku 1945", '"Mir Jafar"'])
def test_mention_search_finds_what_djangos_search_finds(rf, term):
    """The mention list's search (records and titles looked up first, no join) finds
    every mention Django's own search over the same fields finds."""
    model_admin = admin.site._registry[Mention]
    request = rf.get("/", {"q": term})
    queryset = Mention.objects.all()
    ours, duplicates = model_admin.get_search_results(request, queryset, term)
    django_search, _ = admin.ModelAdmin.get_search_results(model_admin, request, queryset, term)
    assert not duplicates
    assert set(django_search.values_list("pk", flat=True)) <= set(ours.values_list("pk", flat=True))


def test_mention_search_finds_any_spelling_of_the_record(curator_client):
    bagirov = Person.objects.get(slug="mir-jafar-bagirov")
    expected = set(Mention.objects.filter(entity=bagirov).values_list("pk", flat=True))
    assert expected
    response = curator_client.get(
        reverse("admin:sources_mention_changelist"), {"q": "Bağırov", "all": ""}
    )
    assert expected <= {m.pk for m in shown_rows(response)}


def test_the_name_index_is_kept_until_a_name_changes(make_person):
    from sources.curation.admin import scale
    from sources.curation.finder import NameIndex

    first = scale.name_index()
    assert scale.name_index() is first
    assert first.names == NameIndex.from_database().names
    person = make_person(name="Qorxmaz Xanbabayev")
    renewed = scale.name_index()
    assert renewed is not first
    assert any(person.pk in ids for ids in renewed.names.values())
    variant = person.variants.create(name="Gorkhmaz Khanbabayev", script="Latn")
    with_variant = scale.name_index()
    assert with_variant is not renewed
    assert variant.entity_id in with_variant.names[("gorkhmaz", "khanbabayev")]
