"""Curators edit periods in the admin, with review on public records; periods go
through the backup and the API."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from openapi_spec_validator import validate as validate_openapi

from sources.models import NameVariant, PendingChange, Place, PlaceContainment
from tests.curation.staff import posted, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return staff_client("Curator")


@pytest.fixture
def editor():
    return staff_client("Editor")


def test_the_place_admin_edits_periods_in_inlines(editor):
    karaj = Place.objects.get(slug="karaj")
    url = reverse("admin:sources_place_change", args=[karaj.pk])
    page = editor.get(url)
    assert page.status_code == 200
    inlines = {inline.formset.prefix: inline for inline in page.context["inline_admin_formsets"]}
    assert "containments" in inlines
    variant_form = inlines["variants"].formset.forms[0]
    assert {"usage", "period_start", "period_end", "period_reference"} <= set(variant_form.fields)
    # The Editor sets the start of Tehran Province's period through the inline.
    rows = inlines["containments"].formset.forms
    index = next(i for i, f in enumerate(rows) if f.instance.container.slug == "tehran-province")
    prefix = f"containments-{index}"
    response = editor.post(url, posted(page, **{f"{prefix}-period_start": "1986?"}), follow=False)
    assert response.status_code == 302, response.context and response.context["errors"]
    row = PlaceContainment.objects.get(place=karaj, container__slug="tehran-province")
    assert row.period_start == "1986?"
    assert row.history.first().history_user == editor.user


def test_a_curators_period_on_a_public_record_waits_for_an_editor(curator, editor, client):
    variant = NameVariant.objects.get(entity__slug="urmia", name="Rezayeh")
    url = reverse("admin:sources_namevariant_change", args=[variant.pk])
    page = curator.get(url)
    assert page.status_code == 200
    response = curator.post(url, posted(page, period_end="1980"))
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.period_end == "1979"  # the public still sees the live value
    assert "called Rezayeh until 1979" in client.get("/places/urmia/").content.decode()

    change = PendingChange.objects.open().get(object_id=variant.pk)
    assert change.data == {"period_end": "1980"}
    review_url = reverse("admin:sources_pendingchange_change", args=[change.pk])
    assert editor.get(review_url).status_code == 200
    editor.post(review_url, {"_approve": "1"})
    variant.refresh_from_db()
    assert variant.period_end == "1980"
    assert variant.period_end_date.year == 1980  # derived on the approving save
    assert "called Rezayeh until 1980" in client.get("/places/urmia/").content.decode()


def test_a_curator_cannot_delete_a_public_places_containment(curator, editor):
    row = PlaceContainment.objects.get(place__slug="karaj", container__slug="alborz-province")
    delete = reverse("admin:sources_placecontainment_delete", args=[row.pk])
    assert curator.post(delete, {"post": "yes"}).status_code == 403
    assert PlaceContainment.objects.filter(pk=row.pk).exists()
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert not PlaceContainment.objects.filter(pk=row.pk).exists()


def test_a_curators_new_containment_on_a_public_place_is_proposed(curator, make_place):
    karaj = Place.objects.get(slug="karaj")
    province = Place.objects.get(slug="qazvin-province")
    before = PlaceContainment.objects.count()
    response = curator.post(
        reverse("admin:sources_placecontainment_add"),
        {"place": karaj.pk, "container": province.pk, "period_start": "1950?",
         "period_end": "1960?", "period_reference": "A test reference.", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert PlaceContainment.objects.count() == before
    change = PendingChange.objects.open().get(content_type__model="placecontainment")
    assert change.data["period_start"] == "1950?"


def test_the_api_gives_periods_status_and_containments(client):
    data = client.get("/api/v1/places/urmia/").json()
    rezayeh = next(v for v in data["variants"] if v["name"] == "Rezayeh")
    assert rezayeh["period_start"] == "192X?"
    assert rezayeh["period_start_uncertain"] is True
    assert rezayeh["period_end"] == "1979"
    assert rezayeh["period_end_uncertain"] is False
    assert "historical" in rezayeh["status"]
    assert "Columbia" in rezayeh["period_reference"]
    karaj = client.get("/api/v1/places/karaj/").json()
    periods = {c["container"]["slug"]: c for c in karaj["containments"]}
    assert periods["alborz-province"]["period_start"] == "2010"
    assert periods["tehran-province"]["period_end"] == "2010"
    assert karaj["located_in"]["slug"] == "alborz-province"
    listing = client.get("/api/v1/places/").json()
    assert any(p["containments"] for p in listing["results"])


def test_the_openapi_schema_stays_valid_with_the_new_fields(client):
    schema = client.get("/api/schema/?format=json").json()
    validate_openapi(schema)
    place = schema["components"]["schemas"]["Place"]["properties"]
    assert "containments" in place


def test_periods_survive_the_backup_round_trip(tmp_path):
    path = tmp_path / "backup.json"
    call_command("export_archive", str(path), verbosity=0)
    text = path.read_text(encoding="utf-8")
    assert "sources.placecontainment" in text
    assert "192X?" in text
