"""Problem 6 of issue 10: a Curator's change to what is public waits for an Editor, and
deleting what the public sees is an Editor's act."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources.curation import review, workflow
from sources.models import (
    Document,
    Entity,
    Mention,
    NameVariant,
    PendingChange,
    Person,
    PublicationStatus,
    ReviewStatus,
)
from tests.html import find, text

from .staff import posted, staff_client

pytestmark = pytest.mark.django_db
DECREE = "1945-07-06-politburo-decree"


@pytest.fixture
def curator():
    return staff_client("Curator")


@pytest.fixture
def editor():
    return staff_client("Editor")


def approve(editor, change: PendingChange):
    url = reverse("admin:sources_pendingchange_change", args=[change.pk])
    page = editor.get(url)
    assert page.status_code == 200
    return editor.post(url, {"_approve": "1"}, follow=True)


def test_a_curators_edit_to_a_published_document_waits_for_an_editor(curator, editor, client):
    document = Document.objects.get(slug=DECREE)
    old_summary = document.summary
    url = reverse("admin:sources_document_change", args=[document.pk])
    response = curator.post(
        url, posted(curator.get(url), summary="A curator wrote this new summary.")
    )
    assert response.status_code == 302
    messages = [str(m) for m in curator.get(response.url).context["messages"]]
    assert any("waits for an Editor's review" in m for m in messages)

    public = client.get(document.get_absolute_url()).content.decode()
    assert "A curator wrote this new summary." not in public
    document.refresh_from_db()
    assert document.summary == old_summary

    change = PendingChange.objects.open().get(object_id=document.pk)
    assert change.proposed_by == curator.user
    assert change.data == {"summary": "A curator wrote this new summary."}
    # The Editor's list shows it, with the diff field by field.
    listing = editor.get(reverse("admin:sources_pendingchange_changelist")).content.decode()
    assert document.title in text(listing)
    page = editor.get(reverse("admin:sources_pendingchange_change", args=[change.pk]))
    row = find(page.content.decode(), "tr", **{"data-field": "summary"})
    assert "A curator wrote this new summary." in text(row)
    assert old_summary[:40] in text(row)

    approved = approve(editor, change)
    assert "Approved" in approved.content.decode()
    assert (
        "A curator wrote this new summary."
        in client.get(document.get_absolute_url()).content.decode()
    )
    latest = Document.objects.get(pk=document.pk).history.first()
    assert latest.history_user == editor.user
    assert curator.user.username in latest.history_change_reason
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED


def test_a_rejected_change_never_reaches_the_public(curator, editor, client):
    person = Person.objects.get(slug="mir-jafar-bagirov")
    url = reverse("admin:sources_person_change", args=[person.pk])
    curator.post(url, posted(curator.get(url), description="Rejected wording."))
    change = PendingChange.objects.open().get(object_id=person.pk)
    page_url = reverse("admin:sources_pendingchange_change", args=[change.pk])
    editor.post(page_url, {"_reject": "1", "decision_note": "Not in the sources."})
    change.refresh_from_db()
    assert change.status == ReviewStatus.REJECTED and change.decided_by == editor.user
    assert "Rejected wording." not in client.get(person.get_absolute_url()).content.decode()


def test_a_curator_cannot_approve(curator, editor):
    person = Person.objects.get(slug="mir-jafar-bagirov")
    url = reverse("admin:sources_person_change", args=[person.pk])
    curator.post(url, posted(curator.get(url), description="Self-approved?"))
    change = PendingChange.objects.open().get(object_id=person.pk)
    curator.post(reverse("admin:sources_pendingchange_change", args=[change.pk]), {"_approve": "1"})
    change.refresh_from_db()
    assert change.status == ReviewStatus.OPEN
    assert Person.objects.get(pk=person.pk).description != "Self-approved?"


def test_an_editors_own_edit_goes_live_at_once(editor, client):
    person = Person.objects.get(slug="mir-jafar-bagirov")
    url = reverse("admin:sources_person_change", args=[person.pk])
    editor.post(url, posted(editor.get(url), description="An editor wrote this description."))
    assert (
        "An editor wrote this description."
        in client.get(person.get_absolute_url()).content.decode()
    )
    assert not PendingChange.objects.exists()


def public_traces(client, name: str, slug: str) -> dict:
    """Everywhere a reader could meet a record."""
    return {
        "page": client.get(reverse("sources:person-detail", args=[slug])).status_code,
        "list": name in client.get(reverse("sources:person-list")).content.decode(),
        "suggest": any(
            name in str(item)
            for item in client.get(reverse("sources:suggest"), {"q": name[:6]}).json()
        ),
        "search": f'href="/people/{slug}/"'
        in client.get(reverse("sources:search"), {"q": name}).content.decode(),
        "home": client.get(reverse("sources:home")).context["counts"]["people"],
    }


def test_a_person_a_curator_creates_is_not_public_until_approved(curator, editor, client):
    name, slug = "Zulfugar Qaradaghi", "zulfugar-qaradaghi"
    people_before = Person.objects.count()
    form = curator.get(reverse("admin:sources_person_add"))
    data = posted(form, name=name, slug=slug, description="Proposed by a curator.")
    response = curator.post(reverse("admin:sources_person_add"), data)
    assert response.status_code == 302
    assert not Entity.objects.filter(slug=slug).exists()

    hidden = public_traces(client, name, slug)
    assert hidden == {
        "page": 404,
        "list": False,
        "suggest": False,
        "search": False,
        "home": people_before,
    }

    change = PendingChange.objects.open().get(action="create")
    assert change.object_repr == name
    approve(editor, change)
    person = Person.objects.get(slug=slug)
    shown = public_traces(client, name, slug)
    assert shown == {
        "page": 200,
        "list": True,
        "suggest": True,
        "search": True,
        "home": people_before + 1,
    }
    change.refresh_from_db()
    assert change.object_id == person.pk
    assert person.history.first().history_user == editor.user


def test_approving_a_record_whose_slug_was_taken_meanwhile_says_why(curator, editor):
    form = curator.get(reverse("admin:sources_person_add"))
    curator.post(
        reverse("admin:sources_person_add"), posted(form, name="Twice", slug="twice-named")
    )
    Person.objects.create(name="Twice", slug="twice-named")
    change = PendingChange.objects.open().get(action="create")
    response = approve(editor, change)
    assert "Not approved" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ReviewStatus.OPEN


# --- Deleting what the public sees --------------------------------------------------------


def published_mention() -> Mention:
    return Mention.objects.filter(document__status=PublicationStatus.PUBLISHED).first()


def test_a_curator_cannot_delete_a_mention_or_variant_of_a_published_document(curator):
    mention = published_mention()
    delete = reverse("admin:sources_mention_delete", args=[mention.pk])
    assert curator.get(delete).status_code == 403
    assert curator.post(delete, {"post": "yes"}).status_code == 403
    assert Mention.objects.filter(pk=mention.pk).exists()

    variant = NameVariant.objects.first()
    delete = reverse("admin:sources_namevariant_delete", args=[variant.pk])
    assert curator.post(delete, {"post": "yes"}).status_code == 403
    assert NameVariant.objects.filter(pk=variant.pk).exists()

    # Nor through the document's inline or the list's bulk delete.
    document = mention.document
    page = curator.get(reverse("admin:sources_document_change", args=[document.pk]))
    for inline in page.context["inline_admin_formsets"]:
        assert not inline.has_delete_permission
        assert not inline.has_add_permission
    changelist = curator.get(reverse("admin:sources_mention_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_an_editor_deletes_a_mention_and_a_variant_on_record(editor):
    mention = published_mention()
    delete = reverse("admin:sources_mention_delete", args=[mention.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert not Mention.objects.filter(pk=mention.pk).exists()
    gone = Mention.history.filter(id=mention.pk, history_type="-").get()
    assert gone.history_user == editor.user

    variant = NameVariant.objects.first()
    delete = reverse("admin:sources_namevariant_delete", args=[variant.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert not NameVariant.objects.filter(pk=variant.pk).exists()


def test_a_curator_still_deletes_a_mention_of_a_draft(curator, make_document, mention_of):
    document = make_document(status=PublicationStatus.DRAFT, transcription="Bagirov spoke.")
    mention = mention_of(document, Person.objects.get(slug="mir-jafar-bagirov"), "Bagirov")
    delete = reverse("admin:sources_mention_delete", args=[mention.pk])
    assert curator.post(delete, {"post": "yes"}).status_code == 302
    assert not Mention.objects.filter(pk=mention.pk).exists()


def test_a_curator_cannot_add_a_mention_to_a_published_document(curator):
    document = Document.objects.get(slug=DECREE)
    person = Person.objects.get(slug="mir-jafar-bagirov")
    response = curator.post(
        reverse("admin:sources_mention_add"),
        {"document": document.pk, "entity": person.pk, "start": 0, "end": 3, "text": "The",
         "role": "subject", "certainty": "certain"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "is public: only an Editor" in response.content.decode()


def test_review_rules_in_one_place(make_document):
    draft = make_document(status=PublicationStatus.DRAFT)
    assert not review.is_public(draft)
    assert review.is_public(Document.objects.get(slug=DECREE))
    assert review.is_public(Person.objects.get(slug="mir-jafar-bagirov"))
    assert not review.is_public(Person(name="unsaved"))
    withdrawn = make_document(status=PublicationStatus.DRAFT)
    assert not review.is_public(withdrawn)
    assert workflow.PUBLISH_PERMISSION != review.REVIEW_PERMISSION


def test_an_editor_deletes_a_record_on_record_and_a_curator_cannot(curator, editor):
    person = Person.objects.create(name="Deleted Later", slug="deleted-later")
    delete = reverse("admin:sources_person_delete", args=[person.pk])
    assert curator.post(delete, {"post": "yes"}).status_code == 403
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    gone = Person.history.filter(id=person.pk, history_type="-").get()
    assert gone.history_user == editor.user
