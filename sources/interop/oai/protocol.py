"""The OAI-PMH protocol without HTTP: a dict of arguments in, an XML document out.

Identifiers are ``oai:<host of SITE_URL>:documents/<slug>``: the slug is the one the
document's page and API address use. Datestamps are when a document last changed
(``modified``, to the second, UTC). Resumption tokens carry the whole request and the
last identifier sent (keyset paging by primary key), so a harvest never skips or repeats
a document, even when others are published meanwhile; they do not expire.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from ...models import AgentRole, Document, DocumentType, PublicationStatus, SourceKind
from ...models.choices import MentionRole

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)

ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
VISIBLE = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)
DAY = "YYYY-MM-DD"
SECOND = "YYYY-MM-DDThh:mm:ssZ"
# The schema's patterns for the values echoed in <request>.
PREFIX_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
SET_FAMILIES = {
    "type": ("Documents by type", "document_type", DocumentType),
    "kind": ("Documents by kind of source (primary or secondary)", "source_kind", SourceKind),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def page_size() -> int:
    return int(getattr(settings, "OAI_PAGE_SIZE", 50))


def base_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/oai/"


def repository_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier_for(document: Document) -> str:
    return f"oai:{repository_host()}:documents/{document.slug}"


def slug_from_identifier(identifier: str) -> str | None:
    prefix = f"oai:{repository_host()}:documents/"
    return identifier[len(prefix) :] if identifier.startswith(prefix) else None


def datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(value: str, *, until: bool) -> tuple[dt.datetime, str]:
    """(moment, granularity) for a from/until argument, or badArgument."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time.max if until else dt.time.min, dt.UTC)
            return moment.replace(microsecond=999999 if until else 0), DAY
        if len(value) == 20 and value.endswith("Z") and value[10] == "T":
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            return (moment.replace(microsecond=999999) if until else moment), SECOND
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        f"“{value[:40]}” is not a datestamp: write YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC).",
    )


# --- the response ------------------------------------------------------------------


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def envelope(arguments: dict[str, str], *, echo: bool) -> ET.Element:
    root = ET.Element(f"{{{OAI}}}OAI-PMH", {f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"})
    _element(root, f"{{{OAI}}}responseDate", datestamp(timezone.now()))
    _element(root, f"{{{OAI}}}request", base_url(), **(arguments if echo else {}))
    return root


def respond(arguments: dict[str, list[str]]) -> bytes:
    """The whole response to one request, as UTF-8 XML."""
    flat = {key: values[0] for key, values in arguments.items()}
    try:
        verb = _check(arguments)
        root = envelope(flat, echo=True)
        VERBS[verb](root, flat)
    except OAIError as error:
        echo = error.code not in ("badVerb", "badArgument")
        root = envelope(flat, echo=echo and _echoable(flat))
        _element(root, f"{{{OAI}}}error", error.message, code=error.code)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _echoable(flat: dict[str, str]) -> bool:
    verb = flat.get("verb")
    return verb in ARGUMENTS and set(flat) - {"verb"} <= set().union(*ARGUMENTS[verb])


def _check(arguments: dict[str, list[str]]) -> str:
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        shown = verbs[0][:40] if verbs else ""
        raise OAIError("badVerb", f"“{shown}” is not an OAI-PMH verb." if shown else "No verb.")
    verb = verbs[0]
    repeated = sorted(key for key, values in arguments.items() if len(values) > 1)
    if repeated:
        raise OAIError("badArgument", f"Repeated argument: {', '.join(repeated)}.")
    required, optional = ARGUMENTS[verb]
    given = set(arguments) - {"verb"}
    unknown = given - required - optional
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take {', '.join(sorted(unknown))}.")
    if "resumptionToken" in given:
        if given != {"resumptionToken"}:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
    elif required - given:
        raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(required - given))}.")
    prefix = arguments.get("metadataPrefix", ["oai_dc"])[0]
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise OAIError("badArgument", "A metadataPrefix is letters, digits and -_.!~*'().")
    if "set" in arguments and not SET_PATTERN.fullmatch(arguments["set"][0]):
        raise OAIError(
            "badArgument", "A setSpec is words of letters, digits and -_.!~*'() joined by colons."
        )
    return verb


# --- the documents -----------------------------------------------------------------


def harvestable():
    return Document.objects.filter(status__in=VISIBLE)


def _selection(flat: dict[str, str]):
    documents = harvestable()
    start = end = None
    granularities = set()
    if "from" in flat:
        start, granularity = parse_datestamp(flat["from"], until=False)
        granularities.add(granularity)
        documents = documents.filter(modified__gte=start)
    if "until" in flat:
        end, granularity = parse_datestamp(flat["until"], until=True)
        granularities.add(granularity)
        documents = documents.filter(modified__lte=end)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start and end and start > end:
        raise OAIError("badArgument", "from comes after until.")
    if "set" in flat:
        documents = documents.filter(_set_filter(flat["set"]))
    return documents


def _set_filter(spec: str) -> Q:
    family, _, value = spec.partition(":")
    if family not in SET_FAMILIES:
        raise OAIError("noRecordsMatch", f"There is no set “{spec[:40]}”.")
    _, field, choices = SET_FAMILIES[family]
    if not value:
        return Q()
    if value not in choices.values:
        raise OAIError("noRecordsMatch", f"There is no set “{spec[:40]}”.")
    return Q(**{field: value})


@dataclass
class Token:
    """Everything needed to go on: the original arguments, how many were sent, and the
    last primary key sent."""

    arguments: dict[str, str]
    cursor: int
    after: int

    def encode(self) -> str:
        raw = json.dumps([self.arguments, self.cursor, self.after], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Token:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            arguments, cursor, after = json.loads(raw)
            if not (
                isinstance(arguments, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in arguments.items())
                and set(arguments) <= {"metadataPrefix", "from", "until", "set"}
                and type(cursor) is int
                and type(after) is int
                and cursor >= 0
            ):
                raise ValueError
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise OAIError(
                "badResumptionToken", "This resumption token is not one this archive gave."
            ) from None
        return cls(arguments, cursor, after)


def _listing(root: ET.Element, flat: dict[str, str], verb: str) -> None:
    if "resumptionToken" in flat:
        token = Token.decode(flat["resumptionToken"])
        arguments, cursor, after = token.arguments, token.cursor, token.after
        if "metadataPrefix" not in arguments:
            raise OAIError("badResumptionToken", "This resumption token is incomplete.")
    else:
        arguments, cursor, after = dict(flat), 0, 0
        arguments.pop("verb", None)
    _check_prefix(arguments["metadataPrefix"])
    documents = _selection(arguments)
    total = documents.count()
    size = page_size()
    page = list(
        documents.filter(pk__gt=after).order_by("pk").with_citation().with_mentions()[:size]
        if verb == "ListRecords"
        else documents.filter(pk__gt=after).order_by("pk")[:size]
    )
    if not page:
        if "resumptionToken" in flat:
            raise OAIError("badResumptionToken", "This resumption token has nothing left.")
        raise OAIError("noRecordsMatch", "No documents match these arguments.")
    container = _element(root, f"{{{OAI}}}{verb}")
    for document in page:
        if verb == "ListRecords":
            _record(container, document)
        else:
            _header(container, document)
    sent = cursor + len(page)
    if sent < total:
        token = Token(arguments, sent, page[-1].pk).encode()
        _element(
            container,
            f"{{{OAI}}}resumptionToken",
            token,
            completeListSize=str(total),
            cursor=str(cursor),
        )
    elif "resumptionToken" in flat:
        # The last part of an incomplete list: an empty token says it is complete.
        _element(
            container,
            f"{{{OAI}}}resumptionToken",
            "",
            completeListSize=str(total),
            cursor=str(cursor),
        )


def _check_prefix(prefix: str) -> None:
    if prefix != "oai_dc":
        raise OAIError("cannotDisseminateFormat", f"Only oai_dc is offered, not “{prefix[:40]}”.")


def _header(parent: ET.Element, document: Document) -> ET.Element:
    deleted = document.status == PublicationStatus.WITHDRAWN
    header = _element(parent, f"{{{OAI}}}header", status="deleted" if deleted else None)
    _element(header, f"{{{OAI}}}identifier", identifier_for(document))
    _element(header, f"{{{OAI}}}datestamp", datestamp(document.modified))
    _element(header, f"{{{OAI}}}setSpec", f"type:{document.document_type}")
    _element(header, f"{{{OAI}}}setSpec", f"kind:{document.source_kind}")
    return header


def _record(parent: ET.Element, document: Document) -> None:
    record = _element(parent, f"{{{OAI}}}record")
    _header(record, document)
    if document.status == PublicationStatus.WITHDRAWN:
        return  # a deleted record has no metadata
    metadata = _element(record, f"{{{OAI}}}metadata")
    dc = _element(
        metadata,
        f"{{{OAI_DC}}}dc",
        **{f"{{{XSI}}}schemaLocation": f"{OAI_DC} {OAI_DC_SCHEMA}"},
    )
    for name, value in dublin_core(document):
        if value:
            _element(dc, f"{{{DC}}}{name}", value)


def dublin_core(document: Document) -> list[tuple[str, str]]:
    """The document as unqualified Dublin Core (name, value) pairs, in schema order.
    ``document`` comes with ``with_citation()`` and ``with_mentions()``."""
    site = settings.SITE_URL.rstrip("/")
    links = list(document.agent_links.all())
    fields: list[tuple[str, str]] = [("title", document.title)]
    if document.original_title:
        fields.append(("title", document.original_title))
    fields += [("creator", link.entity.name) for link in links if link.role == AgentRole.AUTHOR]
    subjects = {m.entity.name for m in document.mentions.all() if m.role == MentionRole.SUBJECT}
    fields += [("subject", name) for name in sorted(subjects)]
    fields.append(("description", document.summary))
    fields.append(("publisher", document.publisher))
    fields += [
        ("contributor", f"{link.entity.name} ({link.get_role_display()})")
        for link in links
        if link.role in (AgentRole.TRANSLATOR, AgentRole.OBTAINED_BY, AgentRole.INTERVIEWER)
    ]
    fields.append(("date", document.date_edtf))
    fields.append(("type", "Text"))
    fields.append(("type", document.get_document_type_display()))
    fields.append(("format", "text/plain"))
    fields.append(("identifier", site + document.get_absolute_url()))
    if document.archival_reference:
        fields.append(("identifier", document.archival_reference))
    if document.repository_id:
        fields.append(("source", str(document.repository)))
    if document.source_url:
        fields.append(("source", document.source_url))
    fields.append(("language", document.language))
    if document.coverage_edtf:
        fields.append(("coverage", document.coverage_edtf))
    fields.append(("rights", document.rights))
    return fields


# --- the verbs ---------------------------------------------------------------------


def identify(root: ET.Element, flat: dict[str, str]) -> None:
    node = _element(root, f"{{{OAI}}}Identify")
    _element(node, f"{{{OAI}}}repositoryName", "Azerbaijan Crisis Archive")
    _element(node, f"{{{OAI}}}baseURL", base_url())
    _element(node, f"{{{OAI}}}protocolVersion", "2.0")
    _element(node, f"{{{OAI}}}adminEmail", settings.OAI_ADMIN_EMAIL)
    earliest = harvestable().aggregate(first=Min("modified"))["first"]
    _element(node, f"{{{OAI}}}earliestDatestamp", datestamp(earliest or timezone.now()))
    _element(node, f"{{{OAI}}}deletedRecord", "persistent")
    _element(node, f"{{{OAI}}}granularity", SECOND)


def list_metadata_formats(root: ET.Element, flat: dict[str, str]) -> None:
    if "identifier" in flat:
        _find(flat["identifier"])
    node = _element(root, f"{{{OAI}}}ListMetadataFormats")
    fmt = _element(node, f"{{{OAI}}}metadataFormat")
    _element(fmt, f"{{{OAI}}}metadataPrefix", "oai_dc")
    _element(fmt, f"{{{OAI}}}schema", OAI_DC_SCHEMA)
    _element(fmt, f"{{{OAI}}}metadataNamespace", OAI_DC)


def list_sets(root: ET.Element, flat: dict[str, str]) -> None:
    if "resumptionToken" in flat:
        raise OAIError("badResumptionToken", "The list of sets comes whole: no tokens.")
    node = _element(root, f"{{{OAI}}}ListSets")
    for family, (name, _, choices) in SET_FAMILIES.items():
        item = _element(node, f"{{{OAI}}}set")
        _element(item, f"{{{OAI}}}setSpec", family)
        _element(item, f"{{{OAI}}}setName", name)
        for value, label in choices.choices:
            item = _element(node, f"{{{OAI}}}set")
            _element(item, f"{{{OAI}}}setSpec", f"{family}:{value}")
            _element(item, f"{{{OAI}}}setName", label[:1].upper() + label[1:])


def _find(identifier: str) -> Document:
    slug = slug_from_identifier(identifier)
    document = None
    if slug:
        document = harvestable().with_citation().with_mentions().filter(slug=slug).first()
    if document is None:
        raise OAIError("idDoesNotExist", f"There is no record “{identifier[:120]}”.")
    return document


def get_record(root: ET.Element, flat: dict[str, str]) -> None:
    _check_prefix(flat["metadataPrefix"])
    document = _find(flat["identifier"])
    _record(_element(root, f"{{{OAI}}}GetRecord"), document)


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda root, flat: _listing(root, flat, "ListIdentifiers"),
    "ListRecords": lambda root, flat: _listing(root, flat, "ListRecords"),
}
