"""TEI P5 read back with lxml: valid against the TEI RELAX NG schema (tei_all, vendored
in schemas/), every mention element's text equal to the mention's words and its ``ref``
a page that answers 200, the primary division's text equal to the transcription (and the
body nothing else when there are no further texts), the header carrying
the archival context. For every corpus document."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from lxml import etree

from sources.models import Document, EntityKind, WorkCited
from sources.reading.transcription import usable_mentions

from .conftest import facts

pytestmark = pytest.mark.django_db

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
SCHEMA = Path(__file__).parent / "schemas" / "tei_all.rng"
MENTION_TAGS = {
    EntityKind.PERSON: "persName",
    EntityKind.PLACE: "placeName",
    EntityKind.ORGANIZATION: "orgName",
    EntityKind.EVENT: "name",
}


@pytest.fixture(scope="session")
def tei_schema() -> etree.RelaxNG:
    """The TEI P5 schema, compiled once (it takes a while: tei_all is large)."""
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def tei(client, slug: str) -> etree._Element:
    response = client.get(f"/documents/{slug}/tei.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/tei+xml"
    return etree.fromstring(response.content)


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL + "/"), url
    return urlsplit(url).path


def test_tei_is_valid_p5_for_every_corpus_document(client, corpus_document, tei_schema):
    root = tei(client, corpus_document.slug)
    valid = tei_schema.validate(root)
    assert valid, str(tei_schema.error_log)
    # The schema does reject what TEI does not allow (a check that the check bites).
    root.find("tei:text/tei:body", NS).insert(0, etree.Element(f"{{{NS['tei']}}}persName"))
    root.find("tei:teiHeader", NS).append(etree.Element(f"{{{NS['tei']}}}p"))
    assert not tei_schema.validate(root)


def primary(root: etree._Element) -> etree._Element:
    """The body's first division, the transcription (further texts follow it)."""
    [division] = root.xpath("tei:text/tei:body/tei:div[@n='primary']", namespaces=NS)
    assert division.getparent()[0] is division
    return division


def test_tei_body_is_the_transcription_with_every_mention_linked(client, corpus_document):
    root = tei(client, corpus_document.slug)
    body = primary(root)
    assert "".join(body.itertext()) == corpus_document.transcription
    assert body.get("{http://www.w3.org/XML/1998/namespace}lang") == corpus_document.language
    if not corpus_document.texts.exists():  # nothing else in the body
        assert "".join(root.find("tei:text/tei:body", NS).itertext()) == (
            corpus_document.transcription
        )
    expected = usable_mentions(
        corpus_document.transcription, corpus_document.mentions.select_related("entity")
    )
    found = [
        element
        for element in body.iter()
        if etree.QName(element).localname in {"persName", "placeName", "orgName", "name"}
    ]
    # Mentions within one paragraph are all there (none crosses a paragraph in the corpus).
    assert len(found) == len(expected)
    checked_refs = set()
    for element, mention in zip(found, expected, strict=True):
        assert etree.QName(element).localname == MENTION_TAGS[mention.entity.kind]
        if mention.entity.kind == EntityKind.EVENT:
            assert element.get("type") == "event"
        assert "".join(element.itertext()) == mention.text
        assert element.get("ref") == settings.SITE_URL + mention.entity.get_absolute_url()
        checked_refs.add(element.get("ref"))
    for ref in checked_refs:  # every record the text links to answers
        assert client.get(local(ref)).status_code == 200


def test_tei_header_carries_the_archival_context(client, corpus_document):
    expected = facts(corpus_document)
    root = tei(client, corpus_document.slug)
    header = root.find("tei:teiHeader", NS)
    assert header.findtext("tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS) == expected.title
    publication = header.find("tei:fileDesc/tei:publicationStmt", NS)
    assert publication.findtext("tei:publisher", namespaces=NS) == "Azerbaijan Crisis Archive"
    assert publication.findtext("tei:idno[@type='URI']", namespaces=NS) == expected.url
    licence = publication.findtext("tei:availability/tei:licence", namespaces=NS)
    assert licence == (corpus_document.rights or "No rights statement recorded.")
    identifier = header.find("tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier", NS)
    if expected.reference:
        assert identifier.findtext("tei:repository", namespaces=NS) == expected.archive
        assert identifier.findtext("tei:idno", namespaces=NS) == expected.reference
        assert identifier.findtext("tei:collection", namespaces=NS).startswith("f. ")
    else:
        assert identifier is None
    responsibilities = {
        "".join(resp.find("tei:resp", NS).itertext()): "".join(resp[1].itertext())
        for resp in header.iterfind("tei:fileDesc/tei:titleStmt/tei:respStmt", NS)
    }
    for name in expected.translators:
        assert responsibilities["translated by"] == name
    for name in expected.obtained_by:
        assert responsibilities["obtained or contributed by"] == name
    languages = header.xpath("tei:profileDesc/tei:langUsage/tei:language/@ident", namespaces=NS)
    assert languages[0] == expected.language
    authors = header.xpath("tei:fileDesc/tei:titleStmt/tei:author/*", namespaces=NS)
    assert ["".join(a.itertext()) for a in authors] == [name for name, _ in expected.authors]
    for author in authors:
        if "".join(author.itertext()) in expected.probable_authors:
            assert author.get("cert") == "medium"


def test_tei_keeps_editorial_notes_and_works_cited(client):
    decree = Document.objects.get(slug="1945-07-06-politburo-decree")
    root = tei(client, decree.slug)
    notes = root.xpath("//tei:back//tei:note[@type='editorial']", namespaces=NS)
    assert " ".join("".join(n.itertext()) for n in notes).split() == (
        decree.editorial_notes.split()
    )
    article = Document.objects.get(slug="1946-04-battles-of-inje-and-qalaburun")
    works = list(WorkCited.objects.filter(document=article).order_by("number"))
    assert works
    root = tei(client, article.slug)
    bibls = root.xpath("//tei:back//tei:listBibl/tei:bibl", namespaces=NS)
    assert ["".join(b.itertext()) for b in bibls] == [w.text for w in works]
    # Reference markers in the text point at them.
    targets = root.xpath("//tei:body//tei:ref/@target", namespaces=NS)
    ids = set(root.xpath("//tei:listBibl/tei:bibl/@xml:id", namespaces=NS))
    assert targets and all(t.lstrip("#") in ids for t in targets)


def test_tei_escapes_hostile_data_and_stays_valid(client, make_document, make_person, tei_schema):
    from sources.models import Mention

    text = 'A <b>bold</b> & "quoted" text\x01 naming Molotov.\n\nSecond paragraph.'
    document = make_document(
        title="Title <script>&amp;",
        transcription=text,
        editorial_notes="Note <i>one</i>.\n\nNote two & three.",
        archival_reference="f. 7, op. <1>",
    )
    person = make_person(name="Molotov <x>")
    start = text.index("Molotov")
    Mention.objects.create(
        document=document, entity=person, start=start, end=start + 7, text="Molotov"
    )
    root = tei(client, document.slug)
    assert tei_schema.validate(root), str(tei_schema.error_log)
    body = "".join(root.find("tei:text/tei:body", NS).itertext())
    assert body == "".join(primary(root).itertext())
    assert body == text.replace("\x01", "\ufffd")  # a control character XML cannot hold
    assert root.findtext("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS) == (
        "Title <script>&amp;"
    )


def test_drafts_have_no_tei(client, draft):
    assert client.get(f"/documents/{draft.slug}/tei.xml").status_code == 404
