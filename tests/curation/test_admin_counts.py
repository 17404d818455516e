"""The admin's "mentions" column reads the kept count (RecordCount.mentions, kept by the
search index's upkeep) so that sorting by it reads no mention: it must stay equal to a
Count over the mentions as curators add, move and delete them, drafts included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import Count
from django.urls import reverse

from sources.models import Mention, Person, PublicationStatus, RecordCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("counts", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    return client


def shown_counts(client, **params) -> dict[int, int]:
    response = client.get(reverse("admin:sources_person_changelist"), {"all": "", **params})
    assert response.status_code == 200
    return {row.pk: row.mention_total for row in response.context["cl"].result_list}


def counted() -> dict[int, int]:
    return dict(Person.objects.annotate(n=Count("mentions")).values_list("pk", "n"))


def test_kept_counts_follow_mentions_added_moved_and_deleted(
    curator_client, make_document, make_person, mention_of
):
    assert shown_counts(curator_client) == counted()
    draft = make_document(
        transcription="Qorxmaz met Qorxmaz and Xanbaba.", status=PublicationStatus.DRAFT
    )
    first, second = make_person(name="Qorxmaz"), make_person(name="Xanbaba")
    a = mention_of(draft, first, "Qorxmaz")
    mention_of(draft, first, "Qorxmaz", occurrence=1)
    shown = shown_counts(curator_client)
    assert shown == counted()
    assert shown[first.pk] == 2  # a draft's mentions count in the admin
    assert shown[second.pk] == 0  # never mentioned: no kept row, shown as 0
    a.entity = second  # moved to another record: both recounted
    a.save()
    assert shown_counts(curator_client) == counted()
    assert RecordCount.objects.get(entity=second).mentions == 1
    Mention.objects.filter(entity=first).get().delete()
    assert shown_counts(curator_client) == counted()
    draft.delete()  # its mentions go with it
    assert shown_counts(curator_client) == counted()
    assert shown_counts(curator_client)[second.pk] == 0


def test_sorting_by_mentions_reads_the_kept_count(curator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        ordered = shown_counts(curator_client, o="-4")
    counts = list(ordered.values())
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    assert ordered == counted()
    page = [
        q["sql"]
        for q in queries.captured_queries
        if "ORDER BY" in q["sql"] and "recordcount" in q["sql"]
    ]
    assert page and not [sql for sql in page if 'FROM "sources_mention"' in sql]
