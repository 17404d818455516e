"""Problem 5 of issue 10: two staff open the same form; the second save from a stale
form is refused with what changed since, and nothing is lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources.models import Document, Person, Place
from tests.html import text

from .staff import posted, staff_client

pytestmark = pytest.mark.django_db
DECREE = "1945-07-06-politburo-decree"


@pytest.fixture
def editors():
    return staff_client("Editor"), staff_client("Editor")


def errors(response) -> str:
    return text(response.content.decode())


def test_a_stale_document_form_is_refused_and_says_what_changed(editors):
    first, second = editors
    document = Document.objects.get(slug=DECREE)
    url = reverse("admin:sources_document_change", args=[document.pk])
    form_one, form_two = first.get(url), second.get(url)

    new_summary = "A new summary saved first."
    saved = first.post(url, posted(form_one, summary=new_summary))
    assert saved.status_code == 302

    refused = second.post(url, posted(form_two, title="A new title from a stale form"))
    assert refused.status_code == 200  # the form again, not "changed successfully"
    message = errors(refused)
    assert "changed by someone else" in message
    assert "Summary: now" in message and new_summary in message
    assert first.user.username in message
    # Nothing is lost: the refused input is still in the form, the summary is kept.
    form = refused.context["adminform"].form
    assert form["title"].value() == "A new title from a stale form"
    assert form["summary"].value() == new_summary  # theirs, where this user changed nothing
    document.refresh_from_db()
    assert document.summary == new_summary
    assert document.title != "A new title from a stale form"

    # Saving again from the re-rendered form is a deliberate choice: it goes through.
    again = second.post(url, posted(refused))
    assert again.status_code == 302
    document.refresh_from_db()
    assert document.title == "A new title from a stale form"
    assert document.summary == new_summary  # the form came back with the saved summary


@pytest.mark.parametrize(
    ("model", "slug", "field", "value"),
    [
        (Person, "mir-jafar-bagirov", "description", "Changed first by another editor."),
        (Place, "maragheh", "coordinates_note", "Centre of the town."),
    ],
)
def test_a_stale_record_form_is_refused_and_says_what_changed(editors, model, slug, field, value):
    first, second = editors
    record = model.objects.get(slug=slug)
    url = reverse(f"admin:sources_{model._meta.model_name}_change", args=[record.pk])
    form_one, form_two = first.get(url), second.get(url)
    assert first.post(url, posted(form_one, **{field: value})).status_code == 302
    refused = second.post(url, posted(form_two, sort_name="Stale, Sort"))
    assert refused.status_code == 200
    assert value in errors(refused)
    record.refresh_from_db()
    assert getattr(record, field) == value
    assert record.sort_name != "Stale, Sort"


def test_a_form_saved_after_an_unrelated_change_is_not_refused(editors, make_document):
    _, second = editors
    document = make_document()
    url = reverse("admin:sources_document_change", args=[document.pk])
    form = second.get(url)
    # Someone else touched the row without changing anything the form shows.
    Document.objects.get(pk=document.pk).save()
    assert second.post(url, posted(form, title="Still fine")).status_code == 302
    document.refresh_from_db()
    assert document.title == "Still fine"


def test_a_damaged_version_mark_gets_a_clear_answer(editors):
    first, _ = editors
    person = Person.objects.get(slug="mir-jafar-bagirov")
    url = reverse("admin:sources_person_change", args=[person.pk])
    data = posted(first.get(url), _lock="{not json")
    response = first.post(url, data)
    assert response.status_code == 200
    assert "version mark is damaged" in errors(response)


def test_every_change_form_carries_the_version_mark(editors):
    first, _ = editors
    for model, slug in [(Document, DECREE), (Person, "mir-jafar-bagirov"), (Place, "maragheh")]:
        obj = model.objects.get(slug=slug)
        page = first.get(reverse(f"admin:sources_{model._meta.model_name}_change", args=[obj.pk]))
        assert 'name="_lock"' in page.content.decode()


def test_when_both_changed_the_same_field_the_users_input_is_kept(editors):
    first, second = editors
    person = Person.objects.get(slug="mir-jafar-bagirov")
    url = reverse("admin:sources_person_change", args=[person.pk])
    form_one, form_two = first.get(url), second.get(url)
    first.post(url, posted(form_one, description="First description."))
    refused = second.post(url, posted(form_two, description="Second description."))
    assert refused.status_code == 200
    message = errors(refused)
    assert "First description." in message and "you changed it too" in message
    assert refused.context["adminform"].form["description"].value() == "Second description."
    person.refresh_from_db()
    assert person.description == "First description."


def test_the_row_is_locked_while_a_change_form_is_saved(editors):
    """The check and the write are one atomic step: on PostgreSQL the row is read FOR
    UPDATE inside the save's transaction, so of two concurrent saves the second waits
    and then sees the first one's version. (SQLite serialises writes itself.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, _ = editors
    person = Person.objects.get(slug="mir-jafar-bagirov")
    url = reverse("admin:sources_person_change", args=[person.pk])
    data = posted(first.get(url), description="Saved under a lock.")
    with CaptureQueriesContext(connection) as queries:
        assert first.post(url, data).status_code == 302
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert bool(locking) == connection.features.has_select_for_update
