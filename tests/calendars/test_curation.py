"""The per-document calendar setting is curated like any field: in the admin, through
review for a Curator, kept in history and in the backup."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources.models import Calendar, Document, PendingChange
from tests.curation.staff import posted, staff_client
from tests.html import find, text

pytestmark = pytest.mark.django_db
DECREE = "1945-07-06-politburo-decree"


def test_a_curators_calendar_change_waits_for_an_editor_then_shows(client):
    curator, editor = staff_client("Curator"), staff_client("Editor")
    document = Document.objects.get(slug=DECREE)
    url = reverse("admin:sources_document_change", args=[document.pk])
    form = curator.get(url)
    find(form.content.decode(), "select", id="id_calendar")  # the setting is in the form
    response = curator.post(url, posted(form, calendar=Calendar.GREGORIAN))
    assert response.status_code == 302
    assert "15 Tir 1324" in client.get(document.get_absolute_url()).content.decode()
    change = PendingChange.objects.open().get(object_id=document.pk)
    assert change.data == {"calendar": Calendar.GREGORIAN}
    review = reverse("admin:sources_pendingchange_change", args=[change.pk])
    assert editor.post(review, {"_approve": "1"}, follow=True).status_code == 200
    document.refresh_from_db()
    assert document.calendar == Calendar.GREGORIAN
    assert document.history.first().calendar == Calendar.GREGORIAN
    page = client.get(document.get_absolute_url()).content.decode()
    facts = text(find(page, "dl", class_="metadata"))
    assert "6 July 1945" in facts and "15 Tir 1324" not in facts
