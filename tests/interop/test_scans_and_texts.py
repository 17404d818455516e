"""Issue 14 in what other software reads: a published document with page images (two
ready, one still waiting for its derivatives), page breaks in its text, and its Russian
original and a French translation, each with its names linked. The API's detail and the
TEI are read back as a program would: every address followed, the TEI validated against
tei_all, each ``<pb/>`` found at its break's offset in the transcription."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from openapi_schema_validator import OAS30Validator

from sources.curation import workflow
from sources.models import (
    DocumentText,
    Mention,
    PageBreak,
    PageImage,
    Place,
    PublicationStatus,
    WorkCited,
)
from sources.scans import derivatives
from sources.scans.services import add_scans
from tests.conftest import mention_at
from tests.scans.conftest import scan_bytes

from .test_tei import (
    NS,
    primary,
    tei,
    tei_schema,  # noqa: F401 (a fixture, compiled once a session)
)

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Test data written for these tests (not corpus data).
ENGLISH = (
    "Send comrade Bagirov from Baku to Tabriz.\n\n"
    "Then to the talks in Tehran, and report [1] at once."
)
RUSSIAN = "Направить товарища Багирова из Баку в Тебриз.\n\nЗатем на переговоры в Тегеране."
FRENCH = "Envoyer le camarade Baguirov de Bakou à Tabriz.\n\nPuis aux pourparlers à Téhéran."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def link(document, place: Place, words: str, text: DocumentText | None = None) -> Mention:
    # A name in another language, not (in this test) a recorded variant: say so.
    note = "" if text is None else "The city's name in this text's language."
    return mention_at(document, place, words, text, note=note)


def with_scans_and_texts(document) -> dict:
    """Pages l. 4 and l. 5 ready, l. 6 pending; breaks at the start, at the second
    paragraph and inside the word "Tehran"; a Russian original and a French translation."""
    files = [(f"{n}.jpg", scan_bytes(600 + 40 * n, 800, text=f"l. {n}")) for n in (4, 5)]
    l4, l5 = add_scans(document, files, labels=["l. 4", "l. 5"], descriptions=["Stamped.", ""])
    assert derivatives.make_all(PageImage.objects.filter(document=document)) == (2, 0)
    [l6] = add_scans(document, [("6.jpg", scan_bytes(500, 700))], labels=["l. 6"])
    text = document.transcription
    breaks = {l4: 0, l5: text.index("Then"), l6: text.index("Tehran") + 3}
    for image, position in breaks.items():
        PageBreak.objects.create(document=document, image=image, position=position)
    baku, tehran = Place.objects.get(slug="baku"), Place.objects.get(slug="tehran")
    for place, words in ((baku, "Baku"), (tehran, "Tehran")):
        link(document, place, words)
    russian = DocumentText.objects.create(
        document=document, language="ru", kind="original", text=RUSSIAN, source_note="Test f. 1"
    )
    french = DocumentText.objects.create(
        document=document,
        language="fr",
        kind="translation",
        translator="A. Test Translator",
        text=FRENCH,
        order=1,
    )
    for text_, baku_words, tehran_words in (
        (russian, "Баку", "Тегеране"),
        (french, "Bakou", "Téhéran"),
    ):
        link(document, baku, baku_words, text_)
        link(document, tehran, tehran_words, text_)
    return {"images": (l4, l5, l6), "breaks": breaks, "russian": russian, "french": french}


@pytest.fixture
def scanned(make_document):
    document = make_document(transcription=ENGLISH, original_language="ru")
    return document, with_scans_and_texts(document)


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL.rstrip("/") + "/"), url
    return urlsplit(url).path


def api_detail(client, slug: str, status: int = 200) -> dict:
    response = client.get(f"/api/v1/documents/{slug}/")
    assert response.status_code == status, response.content[:300]
    return response.json()


# --- the API ------------------------------------------------------------------------------


def test_the_api_lists_the_ready_pages_with_addresses_that_answer(client, scanned):
    document, made = scanned
    scans = api_detail(client, document.slug)["scans"]
    l4, l5, _ = made["images"]
    for image in (l4, l5):
        image.refresh_from_db()
    assert scans["iiif_manifest"] == (
        f"{settings.SITE_URL.rstrip('/')}/iiif/documents/{document.slug}/manifest.json"
    )
    # The pending page (l. 6) is not there: its images do not exist yet.
    assert [page["label"] for page in scans["pages"]] == ["l. 4", "l. 5"]
    assert [page["description"] for page in scans["pages"]] == ["Stamped.", ""]
    assert [(page["width"], page["height"]) for page in scans["pages"]] == [
        (l4.width, l4.height),
        (l5.width, l5.height),
    ]
    assert (scans["pages"][0]["width"], scans["pages"][0]["height"]) == (760, 800)
    manifest = client.get(local(scans["iiif_manifest"]))
    assert manifest.status_code == 200
    canvases = manifest.json()["items"]
    for page, canvas in zip(scans["pages"], canvases, strict=True):
        info = client.get(local(page["iiif_image"]) + "/info.json")
        assert info.status_code == 200
        assert info.json()["id"] == page["iiif_image"]
        assert info.json()["width"] == page["width"]
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["id"]
        assert service == page["iiif_image"]  # the same image as the manifest's
        for url in (page["image_url"], page["thumbnail_url"]):
            answer = client.get(local(url))
            assert answer.status_code == 200
            assert answer["Content-Type"] == "image/jpeg"


def test_the_api_carries_the_further_texts_with_their_mentions(client, scanned):
    document, _ = scanned
    body = api_detail(client, document.slug)
    assert [(t["language"], t["kind"]) for t in body["texts"]] == [
        ("ru", "original"),
        ("fr", "translation"),
    ]
    russian, french = body["texts"]
    assert russian["text"] == RUSSIAN and french["translator"] == "A. Test Translator"
    for text in (russian, french):
        for mention in text["mentions"]:
            assert text["text"][mention["start"] : mention["end"]] == mention["text"]
            assert client.get(local(mention["entity"]["api_url"])).status_code == 200
    assert [m["text"] for m in body["mentions"]] == ["Baku", "Tehran"]


def test_a_document_without_ready_pages_has_no_scans(client, make_document):
    plain = api_detail(client, make_document().slug)
    assert plain["scans"] is None
    waiting = make_document()
    add_scans(waiting, [("1.jpg", scan_bytes(400, 500))], labels=["p. 1"])
    assert api_detail(client, waiting.slug)["scans"] is None


def test_drafts_and_withdrawn_documents_leak_no_pages(client, make_document):
    draft = make_document(status=PublicationStatus.DRAFT, transcription=ENGLISH)
    made = with_scans_and_texts(draft)
    api_detail(client, draft.slug, status=404)
    assert client.get(f"/documents/{draft.slug}/tei.xml").status_code == 404
    keys = [image.key.hex for image in made["images"]]
    listed = client.get("/api/v1/documents/?page_size=100").content.decode()
    mentions = client.get("/api/v1/mentions/?page_size=100").content.decode()
    assert draft.slug not in listed and draft.slug not in mentions
    assert not any(key in listed for key in keys)
    assert "Тегеране" not in mentions
    # Published, then withdrawn: gone again.
    editor = User.objects.create_superuser("editor", "editor@example.org", "x")
    workflow.apply(editor, draft, "publish")
    assert api_detail(client, draft.slug)["scans"]["pages"]
    workflow.apply(editor, draft, "withdraw")
    api_detail(client, draft.slug, status=404)
    assert client.get(f"/documents/{draft.slug}/tei.xml").status_code == 404


def test_the_answer_matches_the_openapi_schema(client, scanned):
    """The fuzz test meets only corpus documents (no scans): check these fields here."""
    document, _ = scanned
    components = client.get("/api/schema/?format=json").json()["components"]

    def validator(name: str) -> OAS30Validator:
        return OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": components})

    body = api_detail(client, document.slug)
    scans = validator("Scans")
    assert not list(scans.iter_errors(body["scans"]))
    for text in body["texts"]:
        assert not list(validator("DocumentText").iter_errors(text))
    body["scans"]["pages"][0]["width"] = "wide"  # the check bites
    assert list(scans.iter_errors(body["scans"]))


def test_the_schema_describes_the_scans(client):
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    scans = schema["DocumentDetail"]["properties"]["scans"]
    assert scans["nullable"] is True
    assert scans["allOf"] == [{"$ref": "#/components/schemas/Scans"}]
    page = schema["Page"]["properties"]
    assert set(page) == {
        "label", "description", "width", "height", "iiif_image", "image_url", "thumbnail_url",
    }  # fmt: skip
    assert set(schema["Scans"]["properties"]) == {"iiif_manifest", "pages"}


# --- TEI --------------------------------------------------------------------------------


def offsets_of_breaks(division: etree._Element) -> list[tuple[int, etree._Element]]:
    """Each ``<pb/>`` with the number of characters of the division's text before it."""
    found, seen = [], 0
    for event, element in etree.iterwalk(division, events=("start", "end")):
        if event == "start":
            if etree.QName(element).localname == "pb":
                found.append((seen, element))
            seen += len(element.text or "")
        elif element is not division:
            seen += len(element.tail or "")
    return found


def test_tei_is_valid_with_page_breaks_facsimile_and_further_texts(client, scanned, tei_schema):  # noqa: F811
    document, _ = scanned
    root = tei(client, document.slug)
    assert tei_schema.validate(root), str(tei_schema.error_log)
    # The schema still bites: a <pb> may not hold text.
    root.find(".//tei:pb", NS).text = "x"
    assert not tei_schema.validate(root)


def test_each_page_break_is_a_pb_at_its_offset_in_the_transcription(client, scanned):
    document, made = scanned
    WorkCited.objects.create(document=document, number=1, text="A test work.")
    root = tei(client, document.slug)
    division = primary(root)
    assert "".join(division.itertext()) == ENGLISH
    found = offsets_of_breaks(division)
    expected = sorted((position, image) for image, position in made["breaks"].items())
    assert [offset for offset, _ in found] == [position for position, _ in expected]
    for (_, pb), (_, image) in zip(found, expected, strict=True):
        image.refresh_from_db()
        assert pb.get("n") == image.label
        if image.is_ready:
            assert client.get(local(pb.get("facs")) + "/info.json").status_code == 200
        else:
            assert pb.get("facs") is None  # l. 6: no image to point at yet
    # The break inside "Tehran" sits inside its placeName, which still reads "Tehran".
    inside = found[-1][1].getparent()
    assert etree.QName(inside).localname == "placeName"
    assert "".join(inside.itertext()) == "Tehran"
    # Works cited are still linked around the breaks.
    [ref] = division.xpath(".//tei:ref", namespaces=NS)
    assert (ref.text, ref.get("target")) == ("[1]", "#bibl-1")


def test_the_facsimile_has_a_surface_per_ready_page(client, scanned):
    document, _ = scanned
    root = tei(client, document.slug)
    surfaces = root.findall("tei:facsimile/tei:surface", NS)
    assert [s.get("n") for s in surfaces] == ["l. 4", "l. 5"]
    assert surfaces[0].findtext("tei:desc", namespaces=NS) == "Stamped."
    for surface in surfaces:
        graphic = surface.find("tei:graphic", NS)
        assert client.get(local(graphic.get("url"))).status_code == 200
        assert graphic.get("width").endswith("px")


def test_further_texts_are_divisions_with_their_names_marked_up(client, scanned):
    document, _ = scanned
    root = tei(client, document.slug)
    divisions = root.findall("tei:text/tei:body/tei:div", NS)
    assert [(d.get("type"), d.get(XML_LANG)) for d in divisions] == [
        ("translation", "en"),
        ("original", "ru"),
        ("translation", "fr"),
    ]
    for division, text in zip(divisions[1:], (RUSSIAN, FRENCH), strict=True):
        assert "".join(division.itertext()) == text
        assert not division.findall(".//tei:pb", NS)  # breaks belong to the transcription
        names = division.findall(".//tei:placeName", NS)
        stored = Mention.objects.filter(document_text__text=text).select_related("entity")
        expected = sorted(stored, key=lambda m: m.start)
        assert ["".join(n.itertext()) for n in names] == [m.text for m in expected]
        for name, mention in zip(names, expected, strict=True):
            assert local(name.get("ref")) == mention.entity.get_absolute_url()
    french = divisions[2]
    [resp] = root.xpath(f"//tei:respStmt[@xml:id='{french.get('resp')[1:]}']", namespaces=NS)
    assert resp.findtext("tei:name", namespaces=NS) == "A. Test Translator"
    languages = root.xpath("//tei:langUsage/tei:language/@ident", namespaces=NS)
    assert languages == ["en", "ru", "fr"]


# --- bounded queries --------------------------------------------------------------------


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_pages_breaks_and_mentions(client, scanned):
    document, made = scanned
    urls = [f"/api/v1/documents/{document.slug}/", f"/documents/{document.slug}/tei.xml"]
    before = [count(client, url) for url in urls]
    assert before[0] <= 8 and before[1] <= 9  # the corpus bounds + pages, texts, breaks
    more = add_scans(
        document,
        [(f"{n}.jpg", scan_bytes(300, 400)) for n in range(4)],
        labels=["a", "b", "c", "d"],
    )
    derivatives.make_all(PageImage.objects.filter(pk__in=[m.pk for m in more]))
    for number, image in enumerate(more):
        PageBreak.objects.create(document=document, image=image, position=10 + number)
    link(document, Place.objects.get(slug="tabriz"), "Tabriz")
    link(document, Place.objects.get(slug="tabriz"), "Тебриз", made["russian"])
    cache.clear()  # derivatives are marked ready by update(), which sends no signal
    after = [count(client, url) for url in urls]
    assert after == before
    assert len(api_detail(client, document.slug)["scans"]["pages"]) == 6
