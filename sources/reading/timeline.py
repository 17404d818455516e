"""The timeline: documents and events placed at the precision their dates are known."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Document, DocumentEventRole, Entity
from ..models.mixins import detail_url
from ..text.dates import MONTHS

_EDTF_START = re.compile(r"^(?P<year>-?\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?")


def date_precision(edtf: str) -> str:
    """'day', 'month' or 'year': how precisely the start of an EDTF date is known.

    Seasons (1945-21) count as years: the month is not known. '' when there is no
    usable start (empty or open-ended).
    """
    start = (edtf or "").split("/", 1)[0].strip()
    match = _EDTF_START.match(start)
    if not match:
        return ""
    month, day = match.group("month"), match.group("day")
    if month and int(month) <= 12:
        return "day" if day else "month"
    return "year"


@dataclass(frozen=True)
class TimelineSource:
    """A published document that records, reports or tells of an event, as the
    timeline names it after the event (the role, how certain, the document's title)."""

    role: str
    certainty: str
    title: str
    slug: str

    @property
    def role_label(self) -> str:
        return DocumentEventRole(self.role).label if self.role in _ROLES else self.role

    def get_absolute_url(self) -> str:
        return detail_url("sources:document-detail", self.slug)


_ROLES = set(DocumentEventRole.values)


@dataclass
class TimelineEntry:
    """A document or event at its place in time. ``is_range`` when it spans days."""

    kind: str  # "document" or "event"
    record: Document | Entity
    precision: str
    earliest: dt.date | None
    latest: dt.date | None

    @property
    def is_range(self) -> bool:
        return "/" in getattr(self.record, "placing_edtf", self.record.date_edtf)

    @property
    def is_document(self) -> bool:
        return self.kind == "document"


@dataclass
class TimelineMonth:
    year: int
    month: int
    entries: list[TimelineEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def anchor(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass
class TimelineYear:
    year: int
    months: list[TimelineMonth] = field(default_factory=list)
    month_unknown: list[TimelineEntry] = field(default_factory=list)


@dataclass
class Timeline:
    years: list[TimelineYear]
    undated: list[TimelineEntry]

    @property
    def is_empty(self) -> bool:
        return not self.years and not self.undated


_PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}


def build_timeline(documents: Iterable[Document], events: Iterable[Entity]) -> Timeline:
    """Place documents and events by the start of their dates, at the precision known.

    A date known to the day goes under its month; one known only to the month goes
    under that month after the dated days; one known only to the year goes under
    "<year> (month unknown)"; a range goes where it starts (it shows its full range);
    records without a usable date are listed at the end.
    """
    entries = [
        TimelineEntry(
            kind,
            record,
            # An undated document goes where the period it covers starts.
            date_precision(getattr(record, "placing_edtf", record.date_edtf)),
            record.date_earliest,
            record.date_latest,
        )
        for kind, records in (("document", documents), ("event", events))
        for record in records
    ]
    dated = [e for e in entries if e.earliest and e.precision]
    undated = sorted(
        (e for e in entries if not (e.earliest and e.precision)),
        key=lambda e: (e.kind, str(e.record).casefold()),
    )
    dated.sort(
        key=lambda e: (
            e.earliest.year,
            e.precision == "year",
            e.earliest.month,
            _PRECISION_ORDER[e.precision],
            e.earliest,
            e.kind != "event",
            str(e.record).casefold(),
        )
    )
    years: dict[int, TimelineYear] = {}
    for entry in dated:
        year = years.setdefault(entry.earliest.year, TimelineYear(entry.earliest.year))
        if entry.precision == "year":
            year.month_unknown.append(entry)
            continue
        if not year.months or year.months[-1].month != entry.earliest.month:
            year.months.append(TimelineMonth(entry.earliest.year, entry.earliest.month))
        year.months[-1].entries.append(entry)
    return Timeline(sorted(years.values(), key=lambda y: y.year), undated)
