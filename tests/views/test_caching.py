"""HTTP caching: conditional requests answer 304, pages are served from the cache, and
any change to what the public sees (an edit, a publication) invalidates them."""

import pytest
from django.contrib.auth.models import User

from sources.curation import workflow
from sources.models import Person, PublicationStatus

pytestmark = pytest.mark.django_db

BAGIROV = "/people/mir-jafar-bagirov/"


def test_a_revalidating_reader_gets_304_without_the_page(client):
    first = client.get(BAGIROV)
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Last-Modified"] and "max-age=60" in first["Cache-Control"]
    again = client.get(BAGIROV, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


@pytest.mark.parametrize(
    "header",
    ["{etag}", "W/{etag}", '"other", {etag}', "*"],
    ids=["strong", "weak", "one-of-several", "any"],
)
def test_if_none_match_as_browsers_and_proxies_send_it(client, header):
    etag = client.get(BAGIROV)["ETag"]
    response = client.get(BAGIROV, HTTP_IF_NONE_MATCH=header.format(etag=etag))
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_if_modified_since_answers_304_until_the_archive_changes(client):
    last_modified = client.get(BAGIROV)["Last-Modified"]
    assert client.get(BAGIROV, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(BAGIROV, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_pages_are_served_from_the_cache(client, page_cache, django_assert_max_num_queries):
    assert client.get(BAGIROV)["X-Archive-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # only the archive version
        hit = client.get(BAGIROV)
    assert hit["X-Archive-Cache"] == "hit"
    assert "Mir Jafar Bagirov" in hit.content.decode()


def test_editing_a_record_invalidates_the_pages_that_show_it(client, page_cache):
    etag = client.get(BAGIROV)["ETag"]
    person = Person.objects.get(slug="mir-jafar-bagirov")
    person.description = "An edited description, visible at once."
    person.save()
    response = client.get(BAGIROV, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["X-Archive-Cache"] == "stale"
    assert "An edited description, visible at once." in response.content.decode()


def test_publishing_invalidates_the_lists(client, page_cache, make_document):
    draft = make_document(title="A newly published telegram", status=PublicationStatus.DRAFT)
    assert "A newly published telegram" not in client.get("/documents/").content.decode()
    editor = User.objects.create_superuser("ed", "ed@example.org", "a-long-editor-password")
    workflow.apply(editor, draft, "publish")
    assert "A newly published telegram" in client.get("/documents/").content.decode()


def test_staff_and_the_admin_are_never_cached(client, page_cache):
    user = User.objects.create_superuser("su", "su@example.org", "a-long-admin-password")
    client.force_login(user)
    response = client.get(BAGIROV)
    assert "ETag" not in response and "X-Archive-Cache" not in response
    assert "X-Archive-Cache" not in client.get("/admin/")
