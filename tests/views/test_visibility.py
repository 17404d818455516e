"""Nothing unpublished reaches the public: not shown, listed, counted or related.
Staff may preview a draft at its public address."""

import pytest
from django.contrib.auth.models import Group, User

from sources.models import Document, Entity, PublicationStatus
from sources.models.documents import publication_change

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Unpublished report naming Molotov and Tabriz"


@pytest.fixture
def draft(make_document, mention_of):
    """A draft that mentions two corpus records, so it could leak into their pages."""
    document = make_document(
        title=SECRET_TITLE,
        slug="unpublished-report",
        status=PublicationStatus.DRAFT,
        transcription="Molotov wrote from Tabriz.",
        date_edtf="1945-11-22",
    )
    mention_of(document, Entity.objects.get(slug="vyacheslav-molotov"), "Molotov")
    mention_of(document, Entity.objects.get(slug="tabriz"), "Tabriz")
    return document


PUBLIC_PAGES = [
    "/",
    "/documents/",
    "/documents/?sort=title",
    "/people/vyacheslav-molotov/",
    "/places/tabriz/",
    "/documents/1945-11-21-telegram-baku-to-moscow/",
    "/timeline/",
    "/people/",
    "/places/",
]


@pytest.mark.parametrize("withdrawn", [False, True])
def test_the_public_never_sees_an_unpublished_document(client, draft, withdrawn):
    if withdrawn:
        with publication_change():  # set up directly, through the workflow's door
            Document.objects.filter(pk=draft.pk).update(status=PublicationStatus.WITHDRAWN)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET_TITLE not in response.content.decode(), url
        assert "unpublished-report" not in response.content.decode(), url


def test_counts_leave_drafts_out(client, draft):
    molotov = client.get("/people/").content.decode()
    published = Document.objects.published().filter(mentions__entity__slug="vyacheslav-molotov")
    count = published.distinct().count()
    assert f"{count} documents" in molotov or f"{count} sources" in molotov


def test_staff_preview_a_draft_with_a_banner(client, draft):
    user = User.objects.create_user("cur", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview." in html and "not visible to the public" in html
    # …while the public pages stay public-only even for staff.
    assert SECRET_TITLE not in client.get("/documents/").content.decode()
