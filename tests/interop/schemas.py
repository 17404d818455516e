"""The OAI-PMH and oai_dc XML schemas, loaded from the vendored copies (no network)."""

from __future__ import annotations

import functools
from pathlib import Path

import xmlschema

from sources.interop.oai.protocol import DC, OAI_DC

SCHEMAS = Path(__file__).resolve().parents[2] / "sources" / "interop" / "schemas"
XML_NS = "http://www.w3.org/XML/1998/namespace"
REMOTE = {
    "http://www.w3.org/2001/03/xml.xsd": SCHEMAS / "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": SCHEMAS / "xml.xsd",
}


def _local(uri: str) -> str:
    return str(REMOTE.get(uri, uri))


@functools.cache
def oai_schema() -> xmlschema.XMLSchema:
    """OAI-PMH.xsd with oai_dc.xsd (and what it imports) for the records' metadata,
    whose content the protocol schema checks strictly."""
    return xmlschema.XMLSchema(
        str(SCHEMAS / "OAI-PMH.xsd"),
        locations=[
            (OAI_DC, str(SCHEMAS / "oai_dc.xsd")),
            (DC, str(SCHEMAS / "simpledc20021212.xsd")),
            (XML_NS, str(SCHEMAS / "xml.xsd")),
        ],
        uri_mapper=_local,
        allow="local",
    )


def validate(xml: bytes | str) -> None:
    """Raise if ``xml`` is not a valid OAI-PMH response (metadata included)."""
    oai_schema().validate(xml)
