"""The claims about a record or a document, listed on its admin page: read-only there,
each linked to the claim's own page, with "Add a claim about this" opening the claim
form with the subject chosen (so the claim's page, and its review, stay the one way to
change a claim)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Claim, Document, Entity, Event, PendingChange, Person
from tests.curation.staff import posted, staff_client
from tests.html import find, find_all, hrefs, text

pytestmark = pytest.mark.django_db

CONGRESS = "peoples-congress-1945"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"


def change_page(client, model: str, pk: int):
    response = client.get(reverse(f"admin:sources_{model}_change", args=[pk]))
    assert response.status_code == 200
    return response


def claims_group(response, prefix: str):
    found = find_all(response.content.decode(), "div", id=f"{prefix}-group")
    return found[0] if found else None


def links_under(response) -> list[str]:
    return [a for a in hrefs(response.content.decode()) if "/admin/sources/claim/" in a]


@pytest.mark.parametrize("group", ["Editor", "Curator"])
def test_an_events_page_lists_its_claims_each_linked_to_its_own_page(group):
    staff = staff_client(group)
    event = Event.objects.get(slug=CONGRESS)
    claims = list(Claim.objects.filter(record=event))
    assert len(claims) >= 2  # the corpus: two dates of the Congress
    response = change_page(staff, "event", event.pk)
    assert claims_group(response, "claims") is not None
    shown = list(response.context_data["inline_admin_formsets"])
    inline = next(f for f in shown if f.formset.prefix == "claims")
    assert {form.instance.pk for form in inline.formset.forms} == {c.pk for c in claims}
    links = links_under(response)
    for claim in claims:
        assert reverse("admin:sources_claim_change", args=[claim.pk]) in links
    # Never an input for a claim's own fields: it is changed on its page only.
    html = response.content.decode()
    assert 'name="claims-0-value_text"' not in html
    assert 'name="claims-0-DELETE"' not in html
    add = f"{reverse('admin:sources_claim_add')}?record={event.pk}"
    assert add in links


def test_a_documents_page_lists_the_claims_about_it_not_those_it_makes():
    editor = staff_client("Editor")
    telegram = Document.objects.get(slug=TELEGRAM)
    about = set(Claim.objects.filter(document=telegram).values_list("pk", flat=True))
    assert about  # the corpus: who wrote the telegram
    response = change_page(editor, "document", telegram.pk)
    inline = next(
        f for f in response.context_data["inline_admin_formsets"]
        if f.formset.prefix == "claims_about"
    )  # fmt: skip
    assert {form.instance.pk for form in inline.formset.forms} == about
    links = links_under(response)
    assert f"{reverse('admin:sources_claim_add')}?document={telegram.pk}" in links
    for pk in about:
        assert reverse("admin:sources_claim_change", args=[pk]) in links
    made = Claim.objects.filter(source=telegram).exclude(document=telegram)
    for claim in made:
        assert reverse("admin:sources_claim_change", args=[claim.pk]) not in links


def test_the_add_link_opens_the_claim_form_with_the_subject_chosen():
    curator = staff_client("Curator")
    person = Person.objects.get(slug="mir-jafar-bagirov")
    response = change_page(curator, "person", person.pk)
    add = next(a for a in links_under(response) if "?record=" in a)
    assert add == f"{reverse('admin:sources_claim_add')}?record={person.pk}"
    form = curator.get(add)
    assert form.status_code == 200
    assert str(form.context_data["adminform"].form["record"].value()) == str(person.pk)
    select = find(form.content.decode(), "select", id="id_record")
    assert person.name in text(select)


def test_a_record_without_claims_says_so_and_a_new_record_has_no_claims_list():
    editor = staff_client("Editor")
    person = Person.objects.exclude(claims__isnull=False).first()
    response = change_page(editor, "person", person.pk)
    group = claims_group(response, "claims")
    assert group is not None
    assert "No claims yet." in response.content.decode()
    add_page = editor.get(reverse("admin:sources_person_add"))
    assert add_page.status_code == 200
    assert claims_group(add_page, "claims") is None


@pytest.mark.parametrize("group", ["Editor", "Curator"])
def test_saving_a_record_never_changes_its_claims(group):
    """A tampered post of the inline's fields changes nothing: the claims inline is not
    a way round the claim's own page and its review."""
    staff = staff_client(group)
    event = Event.objects.get(slug=CONGRESS)
    claim = Claim.objects.filter(record=event).first()
    before = (claim.value_text, claim.note)
    url = reverse("admin:sources_event_change", args=[event.pk])
    data = posted(staff.get(url))
    index = next(
        i
        for i in range(int(data["claims-TOTAL_FORMS"]))
        if str(data[f"claims-{i}-id"]) == str(claim.pk)
    )
    data[f"claims-{index}-value_text"] = "Tampered value"
    data[f"claims-{index}-note"] = "Tampered note"
    data[f"claims-{index}-DELETE"] = "on"
    response = staff.post(url, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.value_text, claim.note) == before
    assert not PendingChange.objects.filter(content_type__model="claim").exists()


def test_the_claims_list_adds_a_fixed_number_of_queries(make_document):
    editor = staff_client("Editor")
    event = Event.objects.get(slug=CONGRESS)
    url = reverse("admin:sources_event_change", args=[event.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor.get(url).status_code == 200
        return len(queries)

    before = count()
    for n in range(6):
        source = make_document(transcription=f"The congress met in session {n}.")
        Claim.objects.create(
            record=event,
            property="other",
            aspect=f"session {n}",
            value_text=f"session {n}",
            source=source,
            passage=f"The congress met in session {n}.",
        )
    assert count() == before
    assert len(links_under(editor.get(url))) >= Claim.objects.filter(record=event).count()


def test_the_all_records_page_lists_claims_too():
    editor = staff_client("Editor")
    event = Entity.objects.get(slug=CONGRESS)
    response = change_page(editor, "entity", event.pk)
    claims = Claim.objects.filter(record=event)
    for claim in claims:
        assert reverse("admin:sources_claim_change", args=[claim.pk]) in links_under(response)
