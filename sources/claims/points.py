"""Claims grouped into points, and whether the sources agree on each.

A *point* is one subject (a record or a document), one property and one aspect: "the
date of the People's Congress", "the size of the Iranian force at Inje". The sources
agree on a point when every claim's value is compatible with every other's:

- dates (EDTF) agree when their spans overlap: "November 1945" and "21 November 1945"
  agree (one is more precise), "November 1945" and "December 1945" do not;
- a value naming a record agrees with a claim naming the same record;
- numbers agree when they are equal;
- anything else agrees when its words are the same (case and accents aside).

Pages show an agreed point as one value with all its sources, and a contested one
as "Sources disagree" with each claim, its citation and certainty, the preferred
reading first and marked. Only claims readers may see (``Claim.objects.public()``)
reach these functions from the pages; ``public_only`` filters loaded rows the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Q

from ..models import Claim, ClaimProperty, Document, Entity, PublicationStatus
from ..prepared import PreparedModelQuery
from ..text import dates, fold

PointKey = tuple[str, int, str, str]  # ("record"|"document", subject id, property, aspect)


def point_key(claim: Claim) -> PointKey:
    if claim.record_id is not None:
        return ("record", claim.record_id, claim.property, claim.aspect.strip().lower())
    return ("document", claim.document_id, claim.property, claim.aspect.strip().lower())


def _span(edtf: str) -> tuple[dt.date | None, dt.date | None] | None:
    try:
        found = dates.bounds(edtf)
    except Exception:  # a value the validators refused cannot reach a page; be safe
        return None
    return found.earliest, found.latest


def _overlap(a: tuple, b: tuple) -> bool:
    (a1, a2), (b1, b2) = a, b
    return (a1 is None or b2 is None or a1 <= b2) and (b1 is None or a2 is None or b1 <= a2)


def compatible(a: Claim, b: Claim) -> bool:
    """Whether two claims about one point can both be true."""
    if a.value_edtf and b.value_edtf:
        span_a, span_b = _span(a.value_edtf), _span(b.value_edtf)
        if span_a is not None and span_b is not None:
            return _overlap(span_a, span_b)
    if a.value_record_id is not None and b.value_record_id is not None:
        return a.value_record_id == b.value_record_id
    if a.value_number is not None and b.value_number is not None:
        return a.value_number == b.value_number
    return fold(a.value_text) == fold(b.value_text)


def is_contested(claims: Iterable[Claim]) -> bool:
    return any(not compatible(a, b) for a, b in combinations(list(claims), 2))


def _narrowness(claim: Claim) -> tuple:
    span = _span(claim.value_edtf) if claim.value_edtf else None
    if span and span[0] and span[1]:
        return (0, (span[1] - span[0]).days)
    return (1, 0)


@dataclass
class Point:
    """One subject's claims about one property and aspect."""

    key: PointKey
    subject: Entity | Document
    claims: list[Claim] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.claims[0].point_label if self.claims else ""

    @property
    def claimed(self) -> str:
        """The property claimed ('date', 'number'…)."""
        return self.key[2]

    @property
    def contested(self) -> bool:
        return is_contested(self.claims)

    @property
    def preferred(self) -> Claim | None:
        return next((c for c in self.claims if c.preferred), None)

    @property
    def value(self) -> Claim:
        """The claim whose value stands for an agreed point: the preferred reading, else
        the most precise date, else the first."""
        return self.preferred or min(self.claims, key=_narrowness)

    @property
    def anchor(self) -> str:
        _kind, _pk, prop, aspect = self.key
        slug = "".join(c if c.isalnum() else "-" for c in aspect)[:40].strip("-")
        return f"claim-{prop}{'-' + slug if slug else ''}"


def _order(claim: Claim) -> tuple:
    """Preferred first, then the sources in time order."""
    source = claim.source
    return (
        not claim.preferred,
        source.date_earliest or dt.date.max,
        source.title,
        claim.pk or 0,
    )


PROPERTY_ORDER = {value: i for i, value in enumerate(ClaimProperty.values)}


def public_only(claims: Iterable[Claim]) -> list[Claim]:
    """The loaded claims readers may see: made by a published document, about a record
    or a published document. Pages load every claim of a subject (so the page depends on
    each source, drafts included, and goes stale when one is published) and show these."""
    return [
        c
        for c in claims
        if c.source.status == PublicationStatus.PUBLISHED
        and (c.record_id is not None or c.document.status == PublicationStatus.PUBLISHED)
    ]


def group(claims: Iterable[Claim]) -> list[Point]:
    """Claims as points, in property order (date, place, number…), then by aspect."""
    points: dict[PointKey, Point] = {}
    for claim in claims:
        key = point_key(claim)
        if key not in points:
            points[key] = Point(key=key, subject=claim.subject)
        points[key].claims.append(claim)
    for point in points.values():
        point.claims.sort(key=_order)
    return sorted(points.values(), key=lambda p: (PROPERTY_ORDER.get(p.key[2], 99), p.key[3]))


# What a claim's citation line shows of its source: never the source's text.
UNSHOWN_SOURCE_FIELDS = (
    "source__transcription", "source__search_terms", "source__search_vector",
    "source__editorial_notes", "source__rights",
)  # fmt: skip


def points_about(subject: Entity | Document) -> list[Point]:
    """Every point about a record or a document, for its page (one query). The page
    has the subject already: each claim is given it rather than joining it again."""
    about = "document" if isinstance(subject, Document) else "record"
    loaded = _CLAIMS_ABOUT[about].objects(subject.pk)
    for claim in loaded:
        if isinstance(subject, Document):
            claim.document = subject
        else:
            claim.record = subject
    return group(public_only(loaded))


# The claims about a document or a record, by its key: compiled once per process.
_CLAIMS_ABOUT = {
    about: PreparedModelQuery(
        lambda pk, about=about: (
            Claim.objects.filter(**{f"{about}_id": pk})
            .select_related("source", "value_record")
            .defer(*UNSHOWN_SOURCE_FIELDS)
        )
    )
    for about in ("document", "record")
}


DECIDING_FIELDS = (
    "record_id", "document_id", "property", "aspect", "value_text", "value_edtf",
    "value_record_id", "value_number",
)  # fmt: skip


def contested_keys() -> list[PointKey]:
    """Every contested point of the archive, by subject name (one query of the columns
    that decide, never a transcription)."""
    rows = Claim.objects.public().only(*DECIDING_FIELDS).select_related(None)
    by_key: dict[PointKey, list[Claim]] = {}
    for claim in rows:
        by_key.setdefault(point_key(claim), []).append(claim)
    return [key for key, claims in by_key.items() if len(claims) > 1 and is_contested(claims)]


def contested_points(keys: list[PointKey]) -> list[Point]:
    """The points of ``keys`` with their claims and citations (one query), in the
    order of ``keys``."""
    if not keys:
        return []
    condition = Q()
    for kind, pk, prop, _aspect in keys:
        condition |= Q(**{f"{kind}_id": pk, "property": prop})
    claims = [
        c for c in Claim.objects.public().filter(condition).for_display() if point_key(c) in keys
    ]
    points = {p.key: p for p in group(claims)}
    return [points[key] for key in keys if key in points]


def sort_keys(keys: list[PointKey]) -> list[PointKey]:
    """Contested points by subject name, then property (one query for the names)."""
    record_ids = {pk for kind, pk, *_ in keys if kind == "record"}
    document_ids = {pk for kind, pk, *_ in keys if kind == "document"}
    names: dict[tuple[str, int], str] = {}
    if record_ids:
        names.update(
            (("record", pk), name)
            for pk, name in Entity.objects.filter(pk__in=record_ids).values_list("pk", "sort_name")
        )
    if document_ids:
        names.update(
            (("document", pk), title)
            for pk, title in Document.objects.filter(pk__in=document_ids).values_list("pk", "title")
        )
    return sorted(
        keys,
        key=lambda k: (fold(names.get((k[0], k[1]), "")), PROPERTY_ORDER.get(k[2], 99), k[3]),
    )
