"""The curators' admin: every page renders for a curator, search folds names, and
every change is on record and reversible."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from sources.models import (
    Document,
    Event,
    Mention,
    MentionProposal,
    Organization,
    Person,
    Place,
    PublicationStatus,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "document", "entity", "person", "place", "organization", "event", "namevariant",
    "mention", "mentionproposal", "documentagent", "workcited", "eventplace",
    "eventparticipant", "repository", "documentevent", "dismissedname",
]  # fmt: skip


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("cura", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_list_renders_for_a_curator(curator_client, model):
    response = curator_client.get(reverse(f"admin:sources_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        (Document, "1945-07-06-politburo-decree"),
        (Person, "mir-jafar-bagirov"),
        (Place, "maragheh"),
        (Organization, "azerbaijan-democratic-party"),
        (Event, "battles-of-inje-and-qalaburun"),
    ],
)
def test_change_forms_and_history_render(
    curator_client, model, slug, django_assert_max_num_queries
):
    obj = model.objects.get(slug=slug)
    name = model._meta.model_name
    # Django's autocomplete widget looks up each inline row's record: bounded by the
    # record's own links (an event's participants), not by the size of the archive.
    with django_assert_max_num_queries(50):
        response = curator_client.get(reverse(f"admin:sources_{name}_change", args=[obj.pk]))
    assert response.status_code == 200
    history = curator_client.get(reverse(f"admin:sources_{name}_history", args=[obj.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize("term", ["Bağırov", "BAGHIROV", "Багиров"])
def test_admin_search_finds_records_by_any_spelling(curator_client, term):
    response = curator_client.get(reverse("admin:sources_person_changelist"), {"q": term})
    assert response.status_code == 200
    assert "Mir Jafar Bagirov" in response.content.decode()


def test_new_record_links_prefill_name_and_slug(curator_client):
    response = curator_client.get(reverse("admin:sources_person_add"), {"name": "Seyyed Jafar"})
    assert response.status_code == 200
    assert 'value="Seyyed Jafar"' in response.content.decode()
    assert 'value="seyyed-jafar"' in response.content.decode()


def test_unknown_names_are_listed_escaped_on_a_draft(curator_client, make_document):
    document = make_document(
        status=PublicationStatus.DRAFT,
        transcription="Bagirov wrote to Zorvanek <script>alert(1)</script> in Tabriz.",
    )
    page = curator_client.get(reverse("admin:sources_document_change", args=[document.pk]))
    html = page.content.decode()
    assert "<strong>Zorvanek</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_changes_are_recorded_with_who_and_can_be_reverted(curator_client):
    person = Person.objects.get(slug="ansari")
    original = person.description
    person.description = "A wrong description."
    person._history_user = curator_client.user
    person.save()
    latest = person.history.first()
    assert latest.history_user == curator_client.user
    assert latest.description == "A wrong description."
    delta = latest.diff_against(latest.prev_record) if latest.prev_record else None
    assert delta is None or "description" in delta.changed_fields
    # Revert through the admin's history form, as a curator would.
    earliest = person.history.earliest() if latest.prev_record else None
    if earliest is None:  # the corpus is loaded without history: make a first version
        person.description = original
        person.save()
        person.description = "A wrong description."
        person.save()
        earliest = person.history.order_by("history_date")[0]
    url = reverse("admin:sources_person_simple_history", args=[person.pk, earliest.history_id])
    form = curator_client.get(url)
    assert form.status_code == 200
    assert "Revert" in form.content.decode()
    reverted = earliest.instance
    reverted._history_user = curator_client.user
    reverted.save()
    person.refresh_from_db()
    assert person.description == earliest.description


def test_accepting_a_proposal_in_the_admin_creates_the_mention(curator_client, make_document):
    from sources.curation.finder import refresh_proposals

    document = make_document(status=PublicationStatus.DRAFT, transcription="Baghirov in Tabriz.")
    refresh_proposals(document)
    proposals = list(MentionProposal.objects.filter(document=document).order_by("start"))
    assert [p.text for p in proposals] == ["Baghirov", "Tabriz"]
    page = curator_client.get(reverse("admin:sources_document_change", args=[document.pk]))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"title": document.title, "slug": document.slug})
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for field in management:
            data[f"{prefix}-{field.name}"] = field.value()
        for index, inline_form in enumerate(formset.formset.forms):
            data[f"{prefix}-{index}-id"] = inline_form.instance.pk
            data[f"{prefix}-{index}-document"] = document.pk
            for field_name, value in inline_form.initial.items():
                if value is not None:
                    data[f"{prefix}-{index}-{field_name}"] = value
            if formset.formset.model is MentionProposal:
                data[f"{prefix}-{index}-decision"] = "accept"
    response = curator_client.post(page.request["PATH_INFO"], data)
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors]
        errors += [f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset]
        pytest.fail(f"the admin refused the form: {errors}")
    assert sorted(Mention.objects.filter(document=document).values_list("text", flat=True)) == [
        "Baghirov",
        "Tabriz",
    ]
    assert not MentionProposal.objects.filter(document=document).exists()
