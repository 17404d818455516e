"""Problem 1 of issue 10: publication state changes only through the workflow, whatever
the route (History → Revert, change forms, list actions, the ORM)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.curation import workflow
from sources.models import Document, PendingChange, PublicationStatus
from sources.models.documents import PublicationChangeRefused

from .staff import posted, staff_client

pytestmark = pytest.mark.django_db
S = PublicationStatus


@pytest.fixture
def curator():
    return staff_client("Curator")


@pytest.fixture
def editor():
    return staff_client("Editor")


def revert_url(document: Document, version) -> str:
    return reverse("admin:sources_document_simple_history", args=[document.pk, version.history_id])


def version_with(document: Document, status: str):
    return document.history.filter(status=status).order_by("-history_date").first()


def test_reverting_to_a_published_version_does_not_republish(
    make_document, curator, editor, client
):
    document = make_document(status=S.DRAFT, summary="First summary.")
    workflow.apply(editor.user, document, "publish")
    published_at = Document.objects.get(pk=document.pk).published_at
    workflow.apply(editor.user, document, "withdraw")
    document.refresh_from_db()
    document.summary = "Summary written while withdrawn."
    document.save()

    # The Curator opens the history, picks the published version, saves the form as is.
    version = version_with(document, S.PUBLISHED)
    form = curator.get(revert_url(document, version))
    assert form.status_code == 200
    response = curator.post(revert_url(document, version), posted(form))
    assert response.status_code == 302

    document.refresh_from_db()
    assert document.status == S.WITHDRAWN
    assert document.published_by == editor.user
    assert document.published_at == published_at
    assert document.summary == "First summary."  # the content is what was reverted to
    assert client.get(document.get_absolute_url()).status_code == 404
    latest = document.history.first()
    assert latest.status == S.WITHDRAWN and latest.history_user == curator.user


@pytest.mark.parametrize("who", ["editor", "curator"])
def test_reverting_to_a_draft_version_does_not_take_a_published_document_offline(
    make_document, curator, editor, client, who
):
    document = make_document(status=S.DRAFT, summary="Draft summary.")
    workflow.apply(editor.user, document, "publish")
    document.refresh_from_db()
    staff = {"editor": editor, "curator": curator}[who]

    version = version_with(document, S.DRAFT)
    form = staff.get(revert_url(document, version))
    response = staff.post(revert_url(document, version), posted(form))
    assert response.status_code == 302

    document.refresh_from_db()
    assert document.status == S.PUBLISHED
    assert document.published_by == editor.user
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_change_form_cannot_set_the_status(make_document, editor):
    document = make_document(status=S.DRAFT)
    url = reverse("admin:sources_document_change", args=[document.pk])
    form = editor.get(url)
    data = posted(form, status=S.PUBLISHED, published_at="2020-01-01 00:00", published_by="1")
    assert editor.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.status == S.DRAFT
    assert document.published_at is None


def test_a_curator_cannot_publish_through_the_list_actions(make_document, curator):
    document = make_document(status=S.IN_REVIEW)
    response = curator.post(
        reverse("admin:sources_document_changelist"),
        {"action": "publish", "_selected_action": [document.pk]},
        follow=True,
    )
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.status == S.IN_REVIEW


def test_the_model_refuses_publication_changes_outside_the_workflow(make_document):
    document = make_document()
    document.status = S.WITHDRAWN
    with pytest.raises(PublicationChangeRefused):
        document.save()
    with pytest.raises(PublicationChangeRefused):
        Document.objects.filter(pk=document.pk).update(status=S.DRAFT)
    with pytest.raises(PublicationChangeRefused):
        Document.objects.filter(pk=document.pk).update(published_at=timezone.now())
    # A history version saved directly (what a revert does) is refused too.
    draft = make_document(status=S.DRAFT)
    stale = draft.history.first().instance
    stale.status = S.PUBLISHED
    stale.published_at = timezone.now()
    with pytest.raises(PublicationChangeRefused):
        stale.save()
    assert Document.objects.get(pk=document.pk).status == S.PUBLISHED
    assert Document.objects.get(pk=draft.pk).status == S.DRAFT


def test_a_status_change_is_recorded_with_who_and_when(make_document, editor):
    document = make_document(status=S.IN_REVIEW)
    before = timezone.now()
    workflow.apply(editor.user, document, "publish")
    latest = document.history.first()
    assert latest.status == S.PUBLISHED
    assert latest.history_user == editor.user
    assert latest.history_change_reason == "Publish"
    assert latest.published_by_id == editor.user.pk
    assert latest.published_at >= before


def test_a_curators_revert_of_a_published_document_waits_for_review(
    make_document, curator, editor, client
):
    document = make_document(status=S.DRAFT, summary="Old summary.")
    workflow.apply(editor.user, document, "publish")
    document.refresh_from_db()
    document.summary = "Edited summary."
    document.save()
    version = document.history.filter(summary="Old summary.").first()
    form = curator.get(revert_url(document, version))
    curator.post(revert_url(document, version), posted(form))
    document.refresh_from_db()
    assert document.summary == "Edited summary."  # still public as it was
    change = PendingChange.objects.get(object_id=document.pk)
    assert change.data == {"summary": "Old summary."}
