"""Which name and which larger place apply at a date, and the words pages use for them."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .. import caching
from ..models import (
    Entity,
    EntityKind,
    NameUsage,
    NameVariant,
    Place,
    PlaceContainment,
    VariantKind,
)
from ..models.entities import from_database
from ..models.placenames import bound_text, period_text
from ..prepared import PreparedModelQuery
from ..text import fold

MIN_YEAR, MAX_YEAR = 1, 9999
_YEAR = re.compile(r"^\d{1,4}$")


def today() -> dt.date:
    return timezone.localdate()


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class YearChoice:
    """What ``?year=`` asked for: a year, nothing, or a notice saying why not."""

    year: int | None
    raw: str = ""
    notice: str = ""

    @property
    def bounds(self) -> tuple[dt.date, dt.date] | None:
        return year_bounds(self.year) if self.year is not None else None


def parse_year(raw: str | None) -> YearChoice:
    """``?year=1946`` → 1946. Anything else gets a notice, and the page shows today's
    names: a mistyped address is not a missing page."""
    text = (raw or "").strip()
    if not text:
        return YearChoice(None)
    if _YEAR.match(text) and MIN_YEAR <= int(text) <= MAX_YEAR:
        return YearChoice(int(text), text)
    shown = text if len(text) <= 40 else text[:40] + "…"
    return YearChoice(
        None,
        shown,
        f"“{shown}” is not a year: give one such as 1946. Showing today's names.",
    )


def _is_former(variant: NameVariant, day: dt.date) -> bool:
    return variant.ended_before(day) or variant.variant_kind == VariantKind.FORMER


def _preference(variant: NameVariant) -> tuple:
    """Official names first, then former names, then A–Z: the name a place went by."""
    official = variant.usage == NameUsage.OFFICIAL
    return (not official, variant.variant_kind != VariantKind.FORMER, variant.name)


def name_at(
    variants: Iterable[NameVariant], earliest: dt.date, latest: dt.date
) -> NameVariant | None:
    """The former name a place went by during earliest…latest, if the archive knows
    one (a name still in use has no end: the preferred name is today's name)."""
    found = [
        v for v in variants if v.period_end and v.period_start and v.holds_during(earliest, latest)
    ]
    return min(found, key=_preference) if found else None


def container_at(
    containments: Iterable[PlaceContainment], earliest: dt.date, latest: dt.date
) -> PlaceContainment | None:
    """The larger place of earliest…latest (the latest-starting one if several)."""
    found = [c for c in containments if c.holds_during(earliest, latest)]
    return max(found, key=lambda c: (c.period_start_date, c.pk or 0)) if found else None


def former_names_note(variants: Sequence[NameVariant], day: dt.date | None = None) -> str:
    """'called Rezayeh until 1979' from a place's (prefetched) variants: the names
    whose period ended, the official ones when the archive marks any."""
    day = day or today()
    ended = [v for v in variants if v.period_end and v.ended_before(day)]
    official = [v for v in ended if v.usage == NameUsage.OFFICIAL]
    shown = official or ended
    by_end: dict[str, list[str]] = defaultdict(list)
    order: dict[str, dt.date] = {}
    for variant in sorted(shown, key=_preference):
        text = bound_text(variant.period_end)
        by_end[text].append(variant.name)
        order[text] = variant.period_end_date
    parts = [
        f"called {' or '.join(names)} until {end}"
        for end, names in sorted(by_end.items(), key=lambda item: order[item[0]])
    ]
    return "; ".join(parts)


@dataclass
class ContainmentLine:
    container: Place
    period: str
    reference: str
    note: str
    current: bool


def containment_lines(place: Place, day: dt.date | None = None) -> list[ContainmentLine]:
    """A place's larger places through time, from its prefetched ``containments``."""
    day = day or today()
    return [
        ContainmentLine(
            container=row.container,
            period=period_text(row) or "period not known",
            reference=row.period_reference,
            note=row.note,
            current=not row.ended_before(day) and row.container_id == place.located_in_id,
        )
        for row in place.containments.all()
    ]


def reading_places() -> Prefetch:
    """What a page speaking of dates needs of each place: its dated variants and its
    larger places through time (two queries, whatever the number of places)."""
    return Prefetch(
        "containments",
        queryset=PlaceContainment.objects.select_related("container").order_by(
            "period_start_date", "pk"
        ),
    )


def place_page() -> list[Prefetch]:
    """A place page's periods: its larger places through time, and the places that lay
    in it in a period (one query each)."""
    return [
        reading_places(),
        Prefetch(
            "contained_in_period",
            queryset=PlaceContainment.objects.select_related("place").order_by(
                "place__sort_name", "period_start_date", "pk"
            ),
        ),
    ]


def dated_variants() -> Prefetch:
    return Prefetch(
        "variants",
        queryset=NameVariant.objects.exclude(period_start="", period_end="").order_by("name"),
        to_attr="dated_variants",
    )


@dataclass
class PlaceInTime:
    """How a document shows one place it names: the words of the source with today's
    name ("Rezayeh (today Urmia)"), the larger place of the document's date when the
    archive knows it, and today's. ``dated``: whether the archive records that its
    larger place changed (then "today" means something)."""

    place: Entity
    words: str = ""
    then_container: PlaceName | None = None
    then_period: str = ""
    today_container: PlaceName | None = None
    dated: bool = False

    @property
    def label(self) -> str:
        return f"{self.words} (today {self.place.name})" if self.words else ""

    @property
    def note(self) -> SafeString:
        """' · in Tehran Province at the time (until 2010); today in Alborz Province',
        or ' · in East Azerbaijan Province' (with "today" only where the archive records
        that the larger place changed): the document page's note beside the place."""
        if self.then_container is not None:
            period = format_html(" ({})", self.then_period) if self.then_period else ""
            today = (
                format_html("; today in {}", self.today_container.name)
                if self.today_container is not None
                else ""
            )
            return format_html(
                ' <span class="meta place-then">· in {} at the time{}{}</span>',
                self.then_container.name,
                period,
                today,
            )
        if self.today_container is not None:
            return format_html(
                ' <span class="meta place-today">· {}in {}</span>',
                "today " if self.dated else "",
                self.today_container.name,
            )
        return mark_safe("")


@dataclass(frozen=True)
class PlaceName:
    """A larger place as a document page names it (its name only, no link), read as a
    narrow row rather than a whole record; the page still depends on it."""

    pk: int
    name: str


def document_bounds(document) -> tuple[dt.date, dt.date] | None:
    """The days a document speaks of: its date, else the period it covers."""
    for earliest, latest in (
        (document.date_earliest, document.date_latest),
        (getattr(document, "coverage_earliest", None), getattr(document, "coverage_latest", None)),
    ):
        if earliest or latest:
            return earliest or latest, latest or earliest
    return None


def annotate_document(document, mentions: Sequence) -> dict[int, PlaceInTime]:
    """Mark each mention of a place by a former name with ``time_note`` ("Rezayeh
    (today Urmia)") and each mentioned place's record with ``in_time``
    (``PlaceInTime``) for the record list; every other record's ``in_time`` is None.

    Uses the records the mentions carry and at most two narrow queries: the larger
    places (today's and by period, ``_larger_places``) and the dated names, the latter
    only when some mention's words are not the place's own name (only then can they be
    a former name). An uncached document page runs this on every view, so it avoids
    whole-record loads and prefetch machinery."""
    places = {m.entity_id: m.entity for m in mentions if m.entity.kind == EntityKind.PLACE}
    if not places:
        for mention in mentions:
            mention.entity.in_time = None
        return {}
    day = today()
    span = document_bounds(document)
    found = {pk: PlaceInTime(place=place) for pk, place in places.items()}
    periods: dict[int, list[PlaceContainment]] = defaultdict(list)
    for kind, place_id, container_id, name, row in _larger_places(list(places)):
        caching.shown(caching.record_key(container_id))  # its name may be on the page
        if kind == "today":
            found[place_id].today_container = PlaceName(container_id, name)
        else:
            row.container_name = name
            periods[place_id].append(row)
    for pk, rows in periods.items():
        info = found[pk]
        info.dated = True
        now_in = info.today_container.pk if info.today_container else None
        if span is not None:
            then = container_at(rows, *span)
            if then is not None and then.container_id != now_in:
                info.then_container = PlaceName(then.container_id, then.container_name)
                info.then_period = period_text(then)
    # A former name can only be words that are not the place's own name.
    other_words = [
        m
        for m in mentions
        if m.entity_id in places and fold(m.text) != fold(places[m.entity_id].name)
    ]
    variants: dict[int, list[NameVariant]] = defaultdict(list)
    if other_words:
        for variant in _DATED_VARIANTS.objects(sorted({m.entity_id for m in other_words})):
            variants[variant.entity_id].append(variant)
    for mention in sorted(other_words, key=lambda m: m.start):
        info = found[mention.entity_id]
        words = fold(mention.text)
        former = next(
            (v for v in variants[mention.entity_id] if v.folded == words and _is_former(v, day)),
            None,
        )
        if former is not None:
            mention.time_note = f"{mention.text} (today {info.place.name})"
            if not info.words:
                info.words = mention.text
    for mention in mentions:  # each mention carries its own copy of the record
        mention.entity.in_time = found.get(mention.entity_id)
    return found


# The dated names of some places (annotate_document), compiled once per process.
_DATED_VARIANTS = PreparedModelQuery(
    lambda place_ids: (
        NameVariant.objects.filter(entity_id__in=place_ids)
        .exclude(period_start="", period_end="")
        .order_by("name")
    )
)


def _larger_places(place_ids: list[int]) -> list[tuple]:
    """("today" or "period", place, larger place, its name, the period's row or None)
    for ``place_ids``: where each lies today and in which larger places it lay by
    period, in one plain SQL query (a UNION ALL). A document page asks this on every
    uncached view; as querysets it was two, each costing more to build than to run."""
    q = connection.ops.quote_name
    ids = ", ".join(["%s"] * len(place_ids))
    wanted = {"id", "place", "container", "period_start", "period_end"} | {
        "period_start_date",
        "period_end_date",
    }
    # In the model's field order: Model.from_db takes a subset of fields in that order.
    fields = [f for f in PlaceContainment._meta.concrete_fields if f.name in wanted]
    entity = q(Entity._meta.db_table)
    period_columns = ", ".join(f"c.{q(f.column)}" for f in fields)
    sql = (
        f"SELECT 1, c.place_id, c.container_id, e.name, {period_columns} "
        f"FROM {q(PlaceContainment._meta.db_table)} c "
        f"INNER JOIN {entity} e ON e.id = c.container_id WHERE c.place_id IN ({ids}) "
        "UNION ALL "
        f"SELECT 0, p.entity_ptr_id, p.located_in_id, e.name, {', '.join(['NULL'] * len(fields))} "
        f"FROM {q(Place._meta.db_table)} p "
        f"INNER JOIN {entity} e ON e.id = p.located_in_id WHERE p.entity_ptr_id IN ({ids})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*place_ids, *place_ids])
        rows = cursor.fetchall()
    names = [f.attname for f in fields]
    found = []
    for is_period, place_id, container_id, name, *period in rows:
        if is_period:
            row = PlaceContainment.from_db(connection.alias, names, from_database(fields, period))
            found.append(("period", place_id, container_id, name, row))
        else:
            found.append(("today", place_id, container_id, name, None))
    return found


def annotate_as_of(places: Sequence[Place], year: int) -> None:
    """Give each place of a page ``name_then`` (its name in ``year``, if it was another)
    and ``container_then`` (its larger place then, if the archive knows it and it was
    another): two queries for the page."""
    earliest, latest = year_bounds(year)
    ids = [p.pk for p in places]
    variants: dict[int, list[NameVariant]] = defaultdict(list)
    for variant in (
        NameVariant.objects.filter(
            entity_id__in=ids, period_start_date__lte=latest, period_end_date__gte=earliest
        )
        .exclude(period_start="")
        .exclude(period_end="")
    ):
        variants[variant.entity_id].append(variant)
    containments: dict[int, list[PlaceContainment]] = defaultdict(list)
    for row in (
        PlaceContainment.objects.filter(place_id__in=ids, period_start_date__lte=latest)
        .exclude(period_start="")
        .exclude(period_end_date__lt=earliest)
        .select_related("container")
    ):
        containments[row.place_id].append(row)
    for place in places:
        named = name_at(variants.get(place.pk, ()), earliest, latest)
        place.name_then = named.name if named is not None else ""
        then = container_at(containments.get(place.pk, ()), earliest, latest)
        place.container_then = (
            then.container
            if then is not None and then.container_id != getattr(place, "located_in_id", None)
            else None
        )


def marker_name(place: Place) -> str:
    """A map marker's name as of the chosen year: 'Rezayeh (today Urmia)'."""
    then = getattr(place, "name_then", "")
    return f"{then} (today {place.name})" if then else place.name
