"""Publication workflow, roles and admin permissions."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from sources.curation import workflow
from sources.models import Document, PublicationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    user = User.objects.create_user("curator", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return User.objects.get(pk=user.pk)


def test_roles_exist_with_the_right_powers(curator, editor):
    assert curator.has_perm("sources.change_document")
    assert curator.has_perm("sources.add_mention")
    assert not curator.has_perm("sources.publish_document")
    assert not curator.has_perm("sources.delete_document")
    assert not curator.has_perm("sources.delete_person")
    assert editor.has_perm("sources.publish_document")


def test_a_curator_submits_but_cannot_publish(curator, make_document):
    document = make_document(status=PublicationStatus.DRAFT)
    workflow.apply(curator, document, "submit")
    assert document.status == PublicationStatus.IN_REVIEW
    with pytest.raises(PermissionDenied):
        workflow.apply(curator, document, "publish")
    document.refresh_from_db()
    assert document.status == PublicationStatus.IN_REVIEW
    assert [t.name for t in workflow.allowed_transitions(curator, document)] == ["return_to_draft"]


def test_an_editor_publishes_and_it_is_recorded(editor, make_document):
    document = make_document(status=PublicationStatus.IN_REVIEW)
    workflow.apply(editor, document, "publish")
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED
    assert document.published_by == editor
    assert document.published_at is not None
    latest = document.history.first()
    assert (latest.history_change_reason, latest.status) == ("Publish", "published")
    workflow.apply(editor, document, "withdraw")
    assert Document.objects.published().filter(pk=document.pk).count() == 0


def test_impossible_steps_are_refused(editor, make_document):
    document = make_document()  # published
    with pytest.raises(ValidationError):
        workflow.apply(editor, document, "submit")
    with pytest.raises(ValidationError):
        workflow.apply(editor, document, "no-such-step")


def test_anonymous_users_cannot_reach_the_admin(client):
    for url in ["/admin/", "/admin/sources/document/", "/admin/sources/person/add/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_curator_cannot_publish_through_the_admin(client, curator, make_document):
    document = make_document(status=PublicationStatus.IN_REVIEW)
    client.force_login(curator)
    change = client.get(f"/admin/sources/document/{document.pk}/change/")
    assert change.status_code == 200
    assert b'value="publish"' not in change.content
    listing = client.get("/admin/sources/document/")
    assert b'value="publish"' not in listing.content  # the action is not offered
    client.post(
        "/admin/sources/document/",
        {"action": "publish", "_selected_action": [document.pk]},
    )
    document.refresh_from_db()
    assert document.status == PublicationStatus.IN_REVIEW


def test_an_editor_publishes_from_the_list(client, editor, make_document):
    document = make_document(status=PublicationStatus.IN_REVIEW)
    client.force_login(editor)
    response = client.post(
        "/admin/sources/document/",
        {"action": "publish", "_selected_action": [document.pk]},
        follow=True,
    )
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED
    assert document.published_by == editor


def test_repeated_failed_logins_are_locked_out(client, curator):
    for _ in range(5):
        client.post("/admin/login/", {"username": "curator", "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "curator", "password": "a-long-curator-password"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
