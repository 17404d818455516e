"""/connections/ and the "connect to…" form of record pages: what a reader sees, what
bad input gets, how many queries a page costs, and when the cached page goes stale."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from sources.models import Document, Entity, Mention, PublicationStatus
from tests.html import attribute, find_all, inline_code, text

pytestmark = pytest.mark.django_db

PAGE = "/connections/"
MOLOTOV = "person/vyacheslav-molotov"
BATTLES = "event/battles-of-inje-and-qalaburun"
BOTH = f"{PAGE}?from={MOLOTOV}&to={BATTLES}"


def inputs(root, name: str) -> list:
    return [node for node in find_all(root, "input") if node.attrs.get("name") == name]


def test_the_page_shows_the_chains_with_their_evidence(client):
    response = client.get(BOTH)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(find_all(html, "h1")) == 1
    paths = find_all(html, "li", class_="path")
    assert paths and len(paths) <= 5
    first = text(paths[0])
    assert "Vyacheslav Molotov" in first and "Battles of Inje and Qalaburun" in first
    article = Document.objects.get(slug="1946-04-battles-of-inje-and-qalaburun")
    words = Mention.objects.filter(document=article, entity__slug="vyacheslav-molotov")
    assert any(f"“{m.text}”" in first for m in words)
    assert not inline_code(html)
    # Both fields are labelled, and keep the chosen identifiers.
    for name, value in (("from", MOLOTOV), ("to", BATTLES)):
        (field,) = inputs(html, name)
        assert field.attrs["value"] == value
        assert find_all(html, "label", for_=field.attrs["id"])


def test_an_empty_page_is_the_form(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert find_all(html, "form", class_="connect-form")
    assert not find_all(html, "li", class_="path")


def test_names_are_resolved_and_redirected_to_the_permanent_address(client):
    response = client.get(f"{PAGE}?from=Molotov&to=Maragheh")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query == {"from": [MOLOTOV], "to": ["place/maragheh"]}


def test_an_ambiguous_name_gets_a_did_you_mean_list(client):
    response = client.get(f"{PAGE}?from=Azerbaijan&to={BATTLES}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "choose one" in text(html)
    choices = find_all(find_all(html, "section", class_="did-you-mean")[0], "a")
    iranian = Entity.objects.get(slug="iranian-azerbaijan")
    targets = [parse_qs(urlsplit(a.attrs["href"]).query) for a in choices]
    assert {"from": [f"place/{iranian.slug}"], "to": [BATTLES]} in targets


@pytest.mark.parametrize(
    "query",
    ["from=person/nobody-at-all&to=place/maragheh", "from=%00%01&to=../..", "from=person/a%20b",
     "from=" + "x" * 3000, "from=documents/&to=", "to=place/maragheh",
     f"from={MOLOTOV}&to={MOLOTOV}", "from=Zzyzx&to=Qwfpgj", "from[]=1&to=2"],
)  # fmt: skip
def test_bad_values_get_the_page_with_a_message_never_an_error(client, query):
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200, query
    html = response.content.decode()
    assert find_all(html, "p", class_="notice"), query
    assert not find_all(html, "li", class_="path")


def test_a_draft_document_is_not_an_end(client, make_document):
    draft = make_document(status=PublicationStatus.DRAFT)
    response = client.get(f"{PAGE}?from=document/{draft.slug}&to={MOLOTOV}")
    assert response.status_code == 200
    assert "no published source" in text(response.content.decode())
    assert draft.title not in response.content.decode()


def test_no_connection_is_said_plainly(client, make_person):
    alone = make_person(name="Unlinked Person")
    response = client.get(f"{PAGE}?from=person/{alone.slug}&to={MOLOTOV}")
    assert response.status_code == 200
    assert "No connection within 4 steps" in text(response.content.decode())


def test_the_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        assert client.get(BOTH).status_code == 200


def test_every_record_page_has_a_connect_to_form(client):
    for kind in ("person", "place", "organization", "event"):
        entity = Entity.objects.filter(kind=kind).order_by("pk").first()
        html = client.get(entity.get_absolute_url()).content.decode()
        (form,) = find_all(html, "form", class_="connect-form")
        assert form.attrs["action"] == PAGE
        (origin,) = inputs(form, "from")
        assert origin.attrs["value"] == f"{entity.kind}/{entity.slug}"
        (field,) = inputs(form, "to")
        assert find_all(form, "label", for_=field.attrs["id"])


def test_the_pickers_load_the_shared_combobox_first(client):
    person = Entity.objects.filter(kind="person").order_by("pk").first()
    for url in (PAGE, person.get_absolute_url()):
        html = client.get(url).content.decode()
        scripts = [attribute(s, "src") or "" for s in find_all(html, "script")]
        names = [src.rsplit("/", 1)[-1] for src in scripts if src]
        # Deferred scripts run in document order: ArchiveSuggest exists before its user.
        assert "connections.js" in names
        assert names.index("suggest.js") < names.index("connections.js")


def test_the_cached_page_goes_stale_when_a_link_changes(client, page_cache, make_person):
    alone = make_person(name="Lonely Witness")
    url = f"{PAGE}?from=person/{alone.slug}&to={MOLOTOV}"
    assert "No connection" in client.get(url).content.decode()
    assert client.get(url)["X-Archive-Cache"] == "hit"
    telegram = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    start = telegram.transcription.index("Molotov".upper())
    Mention.objects.create(
        document=telegram, entity=alone, start=start, end=start + 7, text="MOLOTOV"
    )
    response = client.get(url)
    assert response["X-Archive-Cache"] == "stale"
    assert find_all(response.content.decode(), "li", class_="path")
