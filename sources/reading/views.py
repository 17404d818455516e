"""The reading pages: home, documents, records, timeline, map. Thin views: the
querysets (``published()``, ``with_citation()``, ``for_reading()``…) hold the query
logic and the modules of ``sources.reading`` the computations, so the admin, feeds and
tests share them and each page runs a fixed number of queries. The document list is a
search view (``sources.search.views``): it shares the search's filters and counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, F, Func, IntegerField, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from .. import caching, placenames, prepared, reading
from ..claims.points import points_about
from ..models import (
    KIND_PATHS,
    Claim,
    Document,
    DocumentEvent,
    Entity,
    EntityKind,
    Event,
    Organization,
    Person,
    Place,
    PlaceKind,
    PublicationStatus,
    RecordCount,
    SlugRedirect,
)
from ..models.documents import LIST_FIELDS, load_page_links, published_neighbours
from ..models.entities import PreparedLink, prefetch_present
from ..paging import paginate
from ..text import initial_letter
from ..texts.reading import shown_texts
from .transcription import Break

KIND_MODELS: dict[str, type[Entity]] = {
    EntityKind.PERSON: Person,
    EntityKind.PLACE: Place,
    EntityKind.ORGANIZATION: Organization,
    EntityKind.EVENT: Event,
}


class SafePaginationMixin:
    """``?page=`` that is not a page (``abc``, ``0``, ``999``) gives the nearest page
    and a notice, never a 404: a typo in an address is not a missing page."""

    page_notice = ""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, self.page_notice = paginate(self.request, queryset, page_size)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notices"] = [n for n in (self.page_notice, *self.extra_notices()) if n]
        return context

    def extra_notices(self) -> list[str]:
        return []


class SlugRedirectMixin:
    """A detail page whose slug has changed answers its old address with a 301."""

    redirect_kind = ""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            target = SlugRedirect.objects.target_for(self.redirect_kind, kwargs["slug"])
            if target is None or not self.is_public(target):
                raise
            return HttpResponsePermanentRedirect(target.get_absolute_url())

    def is_public(self, target) -> bool:
        return True


class HomeView(TemplateView):
    template_name = "sources/home.html"
    cache_params = ()  # the page cache's canonical addresses (archive/middleware.py)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_kind = dict(_HOME_COUNTS.rows())
        context["document_count"] = by_kind.pop("", 0)
        context["counts"] = {KIND_PATHS[kind]: by_kind.get(kind, 0) for kind in EntityKind.values}
        context["trail"] = reading.reading_trail()
        context["first_documents"] = prepared.instances(
            Document, _HOME_FIRST_DOCUMENTS.rows(), only=LIST_FIELDS
        )
        return context


# The home page's queries, their SQL compiled once per process (sources.prepared).
# The records of each kind, then (kind "") the published documents: one query.
_HOME_COUNTS = prepared.PreparedQuery(
    lambda: (
        Entity.objects.order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
        .union(
            Document.objects.published()
            .order_by()
            .annotate(k=Value("", output_field=CharField()))
            .values("k")
            .annotate(n=Count("pk"))
            .values_list("k", "n"),
            all=True,
        )
    )
)
_HOME_FIRST_DOCUMENTS = prepared.PreparedQuery(
    lambda: (
        Document.objects.published()
        .in_reading_order()
        .values_list(*prepared.field_names(Document, LIST_FIELDS))[:8]
    )
)


def page_images_and_breaks(document: Document) -> tuple[list, list[Break]]:
    """The document's ready page images, in order, and its page breaks to show in the
    text (two queries; none when it has no images)."""
    if not getattr(document, "has_scans", True):
        return [], []  # known from the document's own query: no extra query
    images = list(document.page_images.ready())
    if not images:
        return [], []
    pages = {image.pk: (number, image) for number, image in enumerate(images, 1)}
    breaks = [
        Break(
            b.position,
            pages[b.image_id][1].label,
            f"#scan-{pages[b.image_id][0]}",
            pages[b.image_id][0],
        )
        for b in document.page_breaks.all()
        if b.image_id in pages
    ]
    return images, breaks


class DocumentDetailView(SlugRedirectMixin, DetailView):
    template_name = "sources/document_detail.html"
    context_object_name = "document"
    redirect_kind = "document"
    cache_params = ()
    # What the page loads (the document, its records, neighbours, related documents)
    # is what it depends on, and the reading order (previous/next).
    cache_depends_on = (caching.ORDER,)

    def get_queryset(self):
        documents = Document.objects.for_page()
        # Staff preview drafts at the public address; everyone else sees published only.
        return documents if self.can_preview() else documents.published()

    def get_object(self, queryset=None) -> Document:
        if queryset is None:  # the page's own query, compiled once per process
            preview = self.can_preview()
            found = _DOCUMENT_PAGE[preview].objects(self.kwargs[self.slug_url_kwarg])
            if not found:
                raise Http404("No document found matching the query")
            document = found[0]
        else:
            document = super().get_object(queryset)
        load_page_links(document)  # agents, works cited, events, mentions; the flags
        return document

    def can_preview(self) -> bool:
        return self.request.user.has_perm("sources.view_document")

    def is_public(self, target) -> bool:
        return target.is_published or self.can_preview()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document: Document = self.object
        mentions = list(document.mentions.all())  # in every text of the document
        placenames.annotate_document(document, mentions)  # "Rezayeh (today Urmia)"
        records = {m.entity_id: m.entity for m in mentions}
        for pk in records:  # the related documents: those naming the same records
            caching.shown(caching.named_key(pk))
        works_cited = list(document.works_cited.all())
        previous, following = published_neighbours(document)
        # The public address from SITE_URL, never the Host the request came in with.
        url = settings.SITE_URL.rstrip("/") + document.get_absolute_url()
        page_images, breaks = page_images_and_breaks(document)
        context.update(
            texts=(
                texts := shown_texts(document, mentions, {w.number for w in works_cited}, breaks)
            ),
            transcription=texts[0].html,
            page_images=page_images,
            works_cited=works_cited,
            agents=reading.agents_by_role(document),
            record_groups=reading.records_by_kind(mentions),
            related_panel=(panel := reading.related_panel(document, records)),
            related=panel.documents,
            previous=previous,
            next=following,
            citation=reading.chicago_note(document, url, timezone.localdate()),
            permalink=url,
            claim_points=points_about(document) if document.has_claims else [],
        )
        return context


# A document page's own row (Document.objects.for_page()), by slug: staff who may
# preview see drafts too (True), everyone else the published document only (False).
_DOCUMENT_PAGE = {
    True: prepared.PreparedModelQuery(lambda slug: Document.objects.for_page().filter(slug=slug)),
    False: prepared.PreparedModelQuery(
        lambda slug: Document.objects.for_page().published().filter(slug=slug)
    ),
}


class EntityListView(SafePaginationMixin, ListView):
    """People and organizations A–Z, places by kind, events in time order."""

    template_name = "sources/entity_list.html"
    context_object_name = "entities"
    paginate_by = 100
    kind: str = ""
    cache_params = ("page", "year")

    def get_queryset(self):
        return PreparedRecords(self.kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["kind_plural"] = KIND_PATHS[self.kind]
        context["groups"] = self.group(context["entities"])
        if self.kind == EntityKind.PLACE:  # names as of a chosen year (?year=1946)
            choice = self.year_choice()
            context["year_choice"] = choice
            if choice.year is not None:
                placenames.annotate_as_of(context["entities"], choice.year)
        return context

    def year_choice(self) -> placenames.YearChoice:
        if self.kind != EntityKind.PLACE:
            return placenames.YearChoice(None)
        choice = placenames.parse_year(self.request.GET.get("year"))
        if choice.notice:
            caching.do_not_store("not a year")
        return choice

    def extra_notices(self) -> list[str]:
        notice = self.year_choice().notice
        return [notice] if notice else []

    def group(self, entities) -> list[tuple[str, str, list[Entity]]]:
        """(heading, anchor, records) for the page's records, in the page's order."""
        groups: list[tuple[str, str, list[Entity]]] = []
        for entity in entities:
            heading = self.heading_for(entity)
            if not groups or groups[-1][0] != heading:
                anchor = "group-" + "".join(c if c.isalnum() else "-" for c in heading.lower())
                groups.append((heading, anchor, []))
            groups[-1][2].append(entity)
        return groups

    def heading_for(self, entity) -> str:
        if self.kind == EntityKind.PLACE:
            return PLACE_KIND_HEADINGS.get(entity.place_kind, "Other places")
        if self.kind == EntityKind.EVENT:
            return str(entity.date_earliest.year) if entity.date_earliest else "Date unknown"
        return initial_letter(entity.sort_name or entity.name)


def records_in_list_order(kind: str):
    """A kind's records with their published documents counted, in the list's order."""
    records = KIND_MODELS[kind].objects.with_document_counts()
    if kind == EntityKind.PLACE:
        return records.in_kind_order()
    if kind == EntityKind.EVENT:
        return records.in_date_order()
    return records.order_by("sort_name", "pk")


_RECORD_COUNT = prepared.PreparedQuery(
    lambda kind: (
        KIND_MODELS[kind]
        .objects.order_by()
        .values_list(Func(F("pk"), function="COUNT", output_field=IntegerField()))
    )
)
# Places come with their larger place (``select_related("located_in")``): its columns
# follow the place's and its document count.
_LOCATED_IN = [f"located_in__{name}" for name in prepared.field_names(Place)]
_RECORD_PAGE = prepared.PreparedQuery(
    lambda kind, start, stop: records_in_list_order(kind).values_list(
        *prepared.field_names(KIND_MODELS[kind]),
        "document_count",
        *(_LOCATED_IN if kind == EntityKind.PLACE else ()),
    )[start:stop]
)


class PreparedRecords:
    """The records of a list as the paginator reads them (``count()`` and a slice),
    the same rows as ``records_in_list_order`` with SQL compiled once per process
    (``sources.prepared``): on an uncached list, compiling the two queries cost more
    than running them."""

    def __init__(self, kind: str):
        self.kind = kind

    def count(self) -> int:
        rows = _RECORD_COUNT.rows(prepared.Literal(self.kind))
        return rows[0][0] if rows else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = _RECORD_PAGE.rows(
            prepared.Literal(self.kind), prepared.Literal(start), prepared.Literal(stop)
        )
        model = KIND_MODELS[self.kind]
        width = len(prepared.field_names(model)) + 1
        records = prepared.instances(model, [row[:width] for row in rows], ("document_count",))
        if self.kind == EntityKind.PLACE:
            cache = Place._meta.get_field("located_in")
            for place, row in zip(records, rows, strict=True):
                larger = prepared.instances(Place, [row[width:]])[0] if row[width] else None
                cache.set_cached_value(place, larger)
        return records


PLACE_KIND_HEADINGS = {
    PlaceKind.COUNTRY: "Countries and states",
    PlaceKind.REGION: "Regions",
    PlaceKind.PROVINCE: "Provinces",
    PlaceKind.DISTRICT: "Districts",
    PlaceKind.CITY: "Cities",
    PlaceKind.TOWN: "Towns",
    PlaceKind.VILLAGE: "Villages",
    PlaceKind.STATION: "Railway stations",
    PlaceKind.ROAD: "Roads",
    PlaceKind.OTHER: "Other places",
}


CO_MENTION_LIMIT = 1000

# A record page's sources (the published documents naming it, in reading order) and
# the records most often named with them, compiled once per process.
# Their number is kept (RecordCount.named_in, by the search index's upkeep): counting
# took 30–60 ms for a record named by ten thousand documents. No row: none.
_NAMED_IN = prepared.PreparedQuery(
    lambda pk: RecordCount.objects.filter(entity_id=pk).values_list("named_in")
)
_MENTIONING_PAGE = prepared.PreparedModelQuery(
    lambda pk, start, stop: Document.objects.published().mentioning(pk).for_lists()[start:stop]
)
_CO_MENTIONED = {
    False: prepared.PreparedModelQuery(lambda pk: Entity.objects.co_mentioned_with(pk)[:10]),
    True: prepared.PreparedModelQuery(
        lambda pk, within: Entity.objects.co_mentioned_with(pk, within=within)[:10]
    ),
}

# A record page's queries by kind (record_page_queries): made once per process.
_RECORD_PAGE_QUERIES: dict[str, tuple[prepared.PreparedModelQuery, list]] = {}


def record_page_queries(kind: str) -> tuple[prepared.PreparedModelQuery, list]:
    """A record page's own row by slug and its links (``for_reading()``; a place also
    its larger places through time), each compiled once per process: on an uncached
    page, compiling these querysets cost more than running them."""
    found = _RECORD_PAGE_QUERIES.get(kind)
    if found is None:
        model = KIND_MODELS[kind]
        records = model.objects.for_reading()
        lookups = [*records._prefetch_related_lookups]
        if kind == EntityKind.PLACE:
            lookups += placenames.logic.place_page()
        own = records.prefetch_related(None)
        found = _RECORD_PAGE_QUERIES[kind] = (
            prepared.PreparedModelQuery(lambda slug: own.filter(slug=slug)),
            [PreparedLink.of(model, lookup) for lookup in lookups],
        )
    return found


class EntityDetailView(SlugRedirectMixin, DetailView):
    """A person, place, organization or event, with every source that names it."""

    context_object_name = "entity"
    kind: str = ""
    sources_per_page = 20
    cache_params = ("page",)
    cache_depends_on = ()  # what it loads (the record, its sources, linked records)

    @property
    def redirect_kind(self) -> str:
        return self.kind

    def get_template_names(self) -> list[str]:
        return [f"sources/{self.kind}_detail.html", "sources/entity_detail.html"]

    def get_queryset(self):
        # for_reading() says what a record page shows: the record's row with what it
        # joins to it (this query), and its links, loaded by get_object.
        return KIND_MODELS[self.kind].objects.for_reading().prefetch_related(None)

    def get_object(self, queryset=None) -> Entity:
        own, links = record_page_queries(self.kind)
        if queryset is None:
            found = own.objects(self.kwargs[self.slug_url_kwarg])
            if not found:
                raise Http404(f"No {self.kind} found matching the query")
            entity = found[0]
        else:
            entity = super().get_object(queryset)
        # The links as prefetch_related would load them (a place also its larger places
        # through time), but a link the record has nothing in costs no query, and the
        # same query says whether any claims are about it.
        claims = connection.ops.quote_name(Claim._meta.db_table)
        present = prefetch_present(
            entity, links, {"has_claims": (f"SELECT 1 FROM {claims} WHERE record_id = %s", [])}
        )
        entity.has_claims = present["has_claims"]
        return entity

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entity = self.object
        caching.shown(caching.named_key(entity.pk))  # its sources, the records named with it
        _, page, notice = paginate(
            self.request,
            prepared.PreparedPage(_NAMED_IN, _MENTIONING_PAGE, entity.pk),
            self.sources_per_page,
        )
        # A record named by very many documents: "often mentioned with" counts its
        # first CO_MENTION_LIMIT documents only, and says so.
        within = CO_MENTION_LIMIT if page.paginator.count > CO_MENTION_LIMIT else None
        context.update(
            sources=reading.quote_sources(entity, page.object_list),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            notices=[notice] if notice else [],
            co_mentioned=_CO_MENTIONED[within is not None].objects(
                entity.pk, *([prepared.Literal(within)] if within else [])
            ),
            co_mentioned_within=within,
            kind_plural=KIND_PATHS[self.kind],
            claim_points=points_about(entity) if entity.has_claims else [],
        )
        if self.kind == EntityKind.PLACE:
            caching.shown(caching.PLACES)  # which places are nearby
            nearby = Place.objects.near(entity)
            context["nearby"] = nearby
            context["map_places"] = map_markers([entity, *nearby], main=entity)
            context["former_names"] = placenames.former_names_note(list(entity.variants.all()))
            context["containments"] = placenames.containment_lines(entity)
        if self.kind == EntityKind.EVENT:
            places = [link.place for link in entity.event_places.all()]
            context["map_places"] = map_markers(places)
            context["sources_heading"] = "Where the sources name it"
            if entity.document_links.all():
                context["no_sources_text"] = (
                    "The sources above tell of this event without naming it in words "
                    "the archive has marked."
                )
        return context


def map_markers(places, main: Place | None = None) -> list[dict[str, Any]]:
    """Marker data for the map script (embedded with json_script, so escaped); as of a
    chosen year, a place's name then ("Rezayeh (today Urmia)")."""
    return [
        {
            "name": placenames.logic.marker_name(place),
            "url": place.get_absolute_url(),
            "lat": float(place.latitude),
            "lon": float(place.longitude),
            "kind": place.get_place_kind_display(),
            "main": main is not None and place.pk == main.pk,
        }
        for place in places
        if place.has_coordinates
    ]


# A timeline page lists at most this many documents; a longer archive's timeline is
# read a year at a time (``?year=``), and a year with more than this many documents
# shows its first ones and says so (the document list, paginated, has them all).
TIMELINE_DOCUMENTS = 500


class TimelineView(TemplateView):
    template_name = "sources/timeline.html"
    cache_params = ("year",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, notice = self.year_choice()
        cut = prepared.Literal(TIMELINE_DOCUMENTS + 1)
        if year is None:
            rows = _TIMELINE_DOCUMENTS.rows(cut)
        else:
            rows = list(timeline_year_documents(year)[: TIMELINE_DOCUMENTS + 1])
        truncated = len(rows) > TIMELINE_DOCUMENTS
        documents = prepared.instances(Document, rows[:TIMELINE_DOCUMENTS], only=LIST_FIELDS)
        events = prepared.instances(Event, _TIMELINE_EVENTS.rows(), only=TIMELINE_EVENT_FIELDS)
        if year is not None:
            events = [e for e in events if e.date_earliest and e.date_earliest.year == year]
        elif truncated and (last := _placed_on(documents[-1])) is not None:
            # No event past the last document shown (when that one is undated, every
            # dated document is shown, and so is every dated event).
            events = [e for e in events if e.date_earliest and e.date_earliest <= last]
        # Each event with the published documents that record or tell it (one query),
        # strongest first: what the timeline writes after the event.
        sources: dict[int, list[reading.TimelineSource]] = {}
        for event_id, role, certainty, title, slug in _TIMELINE_SOURCES.rows():
            sources.setdefault(event_id, []).append(
                reading.TimelineSource(role, certainty, title, slug)
            )
        for event in events:
            event.timeline_sources = sources.get(event.pk, [])
        context["timeline"] = reading.build_timeline(documents, events)
        context["notices"] = [notice] if notice else []
        if truncated or year is not None:
            # A long archive: the years to choose from, with their documents.
            context["timeline_years"] = timeline_years()
            context["timeline_year"] = year
            context["timeline_truncated"] = truncated
            context["timeline_shown"] = len(documents)
            context["timeline_last"] = _placed_on(documents[-1]) if truncated else None
        return context

    def year_choice(self) -> tuple[int | None, str]:
        """The year asked for, or None; a value that is not a year gets a notice (and
        the page, never stored)."""
        raw = self.request.GET.get("year", "").strip()
        if not raw:
            return None, ""
        if raw.isdigit() and len(raw) == 4:
            return int(raw), ""
        caching.do_not_store("not a year")
        return None, f"“{raw[:20]}” is not a year (four digits, such as 1946): showing the start."


def timeline_year_documents(year: int):
    """The published documents placed in ``year``, in timeline order (a range on the
    placing date)."""
    return (
        Document.objects.published()
        .alias(placed=_PLACED)
        .filter(placed__gte=dt.date(year, 1, 1), placed__lt=dt.date(year + 1, 1, 1))
        .order_by(*_TIMELINE_ORDER)
        .values_list(*prepared.field_names(Document, LIST_FIELDS))
    )


def _placed_on(document: Document):
    """Where the timeline places a document: its date, or the start of the period it
    covers; None for an undated one."""
    return document.date_earliest or document.coverage_earliest


def timeline_years() -> list[tuple[int, int]]:
    """(year, published documents placed in it) for every year with documents or
    events, in order: one grouped query over the documents' dates."""
    counts = dict(_TIMELINE_YEARS.rows())
    for (year,) in _TIMELINE_EVENT_YEARS.rows():
        counts.setdefault(year, 0)
    return sorted((int(year), n) for year, n in counts.items() if year is not None)


TIMELINE_EVENT_FIELDS = (
    "name", "kind", "event_kind", "date_edtf", "date_written", "date_earliest",
    "date_latest", "slug",
)  # fmt: skip
# Where a document stands in time: its date, or else the start of the period it covers
# (the timeline's placing); then title and id, so a cut never splits ties at random.
_PLACED = Coalesce("date_earliest", "coverage_earliest")
_TIMELINE_ORDER = (_PLACED.asc(nulls_last=True), "title", "pk")
# The timeline's queries, their SQL compiled once per process (sources.prepared).
_TIMELINE_DOCUMENTS = prepared.PreparedQuery(
    lambda stop: (
        Document.objects.published()
        .order_by(*_TIMELINE_ORDER)
        .values_list(*prepared.field_names(Document, LIST_FIELDS))[:stop]
    )
)
_TIMELINE_YEARS = prepared.PreparedQuery(
    lambda: (
        Document.objects.published()
        .annotate(placed_year=ExtractYear(_PLACED))
        .order_by()
        .values("placed_year")
        .annotate(n=Count("pk"))
        .values_list("placed_year", "n")
    )
)
_TIMELINE_EVENT_YEARS = prepared.PreparedQuery(
    lambda: (
        Event.objects.filter(date_earliest__isnull=False)
        .annotate(year=ExtractYear("date_earliest"))
        .order_by()
        .values_list("year")
        .distinct()
    )
)
_TIMELINE_EVENTS = prepared.PreparedQuery(
    lambda: Event.objects.values_list(*prepared.field_names(Event, TIMELINE_EVENT_FIELDS))
)
_TIMELINE_SOURCES = prepared.PreparedQuery(
    lambda: (
        DocumentEvent.objects.filter(document__status=PublicationStatus.PUBLISHED)
        .strongest_first()
        .order_by("role_order", "document__date_earliest", "pk")
        .values_list("event_id", "role", "certainty", "document__title", "document__slug")
    )
)


class MapView(TemplateView):
    template_name = "sources/map.html"
    cache_params = ("year",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = list(
            Place.objects.with_coordinates()
            .only("name", "slug", "kind", "place_kind", "latitude", "longitude", "located_in")
            .order_by("sort_name", "pk")
        )
        choice = placenames.parse_year(self.request.GET.get("year"))
        context["year_choice"] = choice
        context["notices"] = [choice.notice] if choice.notice else []
        if choice.notice:
            caching.do_not_store("not a year")
        if choice.year is not None:
            placenames.annotate_as_of(places, choice.year)
        context["places"] = places
        context["map_places"] = map_markers(places)
        context["without_coordinates"] = Place.objects.filter(latitude__isnull=True).count()
        return context
