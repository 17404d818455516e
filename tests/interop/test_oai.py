"""OAI-PMH at /oai/: harvested by a real harvester (Sickle) from a live server, and every
error condition of the protocol; every response is validated against the OAI-PMH and
oai_dc XML schemas (vendored in sources/interop/schemas/)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from sickle import Sickle
from sickle.oaiexceptions import IdDoesNotExist

from sources.interop.oai.protocol import DC, OAI, identifier_for
from sources.models import Document, PublicationStatus
from sources.models.documents import publication_change

from .conftest import DRAFT_WORD
from .schemas import validate

NS = {"oai": OAI, "dc": DC}


class CheckedSickle(Sickle):
    """Sickle that validates every response it receives and keeps them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses: list[str] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        validate(response.raw)
        self.responses.append(response.raw)
        return response


def withdraw(document: Document) -> None:
    with publication_change():  # the workflow's door (tests/curation/test_workflow.py)
        Document.objects.filter(pk=document.pk).update(
            status=PublicationStatus.WITHDRAWN, modified=timezone.now()
        )


@pytest.fixture
def harvester(live_server, live_corpus, settings):
    settings.OAI_PAGE_SIZE = 1  # every document through a resumption token
    settings.SITE_URL = live_server.url
    return CheckedSickle(f"{live_server.url}/oai/")


def test_a_harvester_takes_every_published_document_through_resumption_tokens(
    harvester, make_document
):
    draft = make_document(slug="oai-draft", status=PublicationStatus.DRAFT, title=DRAFT_WORD)
    withdrawn = Document.objects.published().order_by("pk").last()
    withdraw(withdrawn)
    published = {d.slug: d for d in Document.objects.published()}

    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))

    live = [r for r in records if not r.deleted]
    assert sorted(r.header.identifier for r in live) == sorted(
        identifier_for(d) for d in published.values()
    )
    for record in live:
        document = published[record.header.identifier.rsplit("/", 1)[1]]
        assert record.metadata["title"][0] == document.title
        assert (
            f"{harvester.endpoint.removesuffix('/oai/')}{document.get_absolute_url()}"
            in (record.metadata["identifier"])
        )
        assert record.metadata["rights"] == [document.rights]
    deleted = [r for r in records if r.deleted]
    assert [r.header.identifier for r in deleted] == [identifier_for(withdrawn)]
    assert all(draft.slug not in raw for raw in harvester.responses)
    assert all(DRAFT_WORD not in raw for raw in harvester.responses)
    # One document per answer: the harvest went through a token per document.
    assert len(harvester.responses) == len(published) + 1

    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    assert sorted(h.identifier for h in headers) == sorted(r.header.identifier for r in records)
    assert [h.deleted for h in headers if h.identifier == identifier_for(withdrawn)] == [True]


def test_a_withdrawn_document_is_a_deleted_record_and_a_draft_does_not_exist(
    harvester, make_document
):
    withdrawn = Document.objects.published().order_by("pk").first()
    withdraw(withdrawn)
    record = harvester.GetRecord(identifier=identifier_for(withdrawn), metadataPrefix="oai_dc")
    assert record.deleted and not getattr(record, "metadata", None)
    draft = make_document(slug="oai-draft-2", status=PublicationStatus.DRAFT)
    with pytest.raises(IdDoesNotExist):
        harvester.GetRecord(identifier=identifier_for(draft), metadataPrefix="oai_dc")
    identify = harvester.Identify()
    assert identify.deletedRecord == "persistent"
    assert identify.protocolVersion == "2.0"


# --- the verbs, with the test client ------------------------------------------------


def oai(client, query: str, method: str = "get") -> ET.Element:
    if method == "post":
        response = client.post("/oai/", query, content_type="application/x-www-form-urlencoded")
    else:
        response = client.get("/oai/", QUERY_STRING=query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    validate(response.content)
    return ET.fromstring(response.content)


def error_code(root: ET.Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


@pytest.mark.django_db
def test_list_sets_offers_document_types_and_source_kinds(client):
    root = oai(client, "verb=ListSets")
    specs = [s.text for s in root.iterfind(".//oai:setSpec", NS)]
    assert {"type", "kind", "type:letter", "type:decree", "kind:primary", "kind:secondary"} <= set(
        specs
    )


@pytest.mark.django_db
@pytest.mark.parametrize("spec", ["kind:primary", "kind:secondary", "type:encyclopedia_article"])
def test_a_set_holds_the_documents_of_its_kind(client, spec):
    family, value = spec.split(":")
    field = {"kind": "source_kind", "type": "document_type"}[family]
    expected = {identifier_for(d) for d in Document.objects.published().filter(**{field: value})}
    root = oai(client, f"verb=ListIdentifiers&metadataPrefix=oai_dc&set={spec}")
    assert {i.text for i in root.iterfind(".//oai:identifier", NS)} == expected


@pytest.mark.django_db
def test_from_and_until_select_by_last_change(client):
    documents = list(Document.objects.published().order_by("pk"))
    for day, document in enumerate(documents, start=1):
        Document.objects.filter(pk=document.pk).update(
            modified=dt.datetime(2026, 1, day, 12, 0, tzinfo=dt.UTC)
        )

    def listed(query: str) -> list[str]:
        root = oai(client, f"verb=ListIdentifiers&metadataPrefix=oai_dc&{query}")
        return [i.text for i in root.iterfind(".//oai:identifier", NS)]

    assert listed("from=2026-01-02") == [identifier_for(d) for d in documents[1:]]
    assert listed("until=2026-01-02") == [identifier_for(d) for d in documents[:2]]
    assert listed("from=2026-01-02T12:00:00Z&until=2026-01-02T12:00:00Z") == [
        identifier_for(documents[1])
    ]
    assert error_code(
        oai(client, "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2027-01-01")
    ) == ("noRecordsMatch")


@pytest.mark.django_db
def test_get_record_gives_dublin_core_and_post_works_too(client):
    document = Document.objects.published().get(slug="1945-07-06-politburo-decree")
    query = f"verb=GetRecord&metadataPrefix=oai_dc&identifier={identifier_for(document)}"
    for method in ("get", "post"):
        root = oai(client, query, method)
        assert root.find(".//dc:title", NS).text == document.title
        assert [e.text for e in root.iterfind(".//dc:language", NS)] == [document.language]


ERRORS = {
    "": "badVerb",
    "verb=Harvest": "badVerb",
    "verb=Identify&verb=ListSets": "badVerb",
    "verb=Identify&extra=1": "badArgument",
    "verb=ListRecords": "badArgument",
    "verb=GetRecord&metadataPrefix=oai_dc": "badArgument",
    "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday": "badArgument",
    "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-02T00:00:00Z": (
        "badArgument"
    ),
    "verb=ListRecords&metadataPrefix=oai_dc&from=2026-02-01&until=2026-01-01": "badArgument",
    "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc": "badArgument",
    "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc": "badArgument",
    "verb=ListRecords&metadataPrefix=a%20b": "badArgument",
    "verb=ListRecords&metadataPrefix=oai_dc&set=%3Cx%3E": "badArgument",
    "verb=ListRecords&metadataPrefix=marc21": "cannotDisseminateFormat",
    "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:documents/x": "idDoesNotExist",
    "verb=ListMetadataFormats&identifier=oai:127.0.0.1:documents/nothing": "idDoesNotExist",
    "verb=ListRecords&metadataPrefix=oai_dc&set=type:letter": "noRecordsMatch",
    "verb=ListRecords&metadataPrefix=oai_dc&set=colour:red": "noRecordsMatch",
    "verb=ListRecords&resumptionToken=not-a-token": "badResumptionToken",
    "verb=ListIdentifiers&resumptionToken=W3t9LDAsMF0": "badResumptionToken",
    "verb=ListSets&resumptionToken=anything": "badResumptionToken",
    "verb=Identify&x=%00%01": "badArgument",
}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ERRORS)
def test_each_error_condition_is_reported_in_valid_oai_pmh(client, query):
    root = oai(client, query)
    assert error_code(root) == ERRORS[query]
    request = root.find("oai:request", NS)
    if ERRORS[query] in ("badVerb", "badArgument"):
        assert request.attrib == {}  # the protocol: no attributes echoed for these


@pytest.mark.django_db
def test_a_resumption_token_resumes_where_the_last_answer_stopped(client, settings):
    settings.OAI_PAGE_SIZE = 2
    root = oai(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    seen = [i.text for i in root.iterfind(".//oai:identifier", NS)]
    token = root.find(".//oai:resumptionToken", NS)
    assert token.get("completeListSize") == str(Document.objects.published().count())
    while token is not None and token.text:
        root = oai(client, f"verb=ListIdentifiers&resumptionToken={token.text}")
        seen += [i.text for i in root.iterfind(".//oai:identifier", NS)]
        token = root.find(".//oai:resumptionToken", NS)
    assert sorted(seen) == sorted(identifier_for(d) for d in Document.objects.published())
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
def test_oai_pmh_answers_are_never_cached(client, settings):
    settings.PUBLIC_PAGE_CACHE = True
    first = client.get("/oai/?verb=Identify")
    assert "ETag" not in first
