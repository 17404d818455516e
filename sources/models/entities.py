"""People, places, organizations and events: one ``Entity`` table for what all four
share (name, slug, variants, mentions, search), and one table per kind for the rest.

Kind-specific links point at the kind's own table (a place lies in a *Place*, an event
is part of an *Event*), so the database itself refuses a person inside a village.
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from ..prepared import PreparedModelQuery
from ..text import fold
from .choices import (
    PARTICIPANT_KINDS,
    PARTICIPANT_PLACE_KINDS,
    Certainty,
    EntityKind,
    EventKind,
    OrganizationKind,
    PlaceKind,
    PublicationStatus,
    VariantKind,
)
from .mixins import DatedModel, SlugQuerySet, TimeStampedModel, detail_url
from .placenames import NameUsage, PeriodModel


def _linked_model(name: str):
    """The model on the other side of one of Entity's reverse links (``mentions`` →
    Mention), so record querysets can use the document-side models without importing
    the modules that import this one."""
    return Entity._meta.get_field(name).related_model


class PreparedLink:
    """A reverse link (``name``) of a page's own row, loaded by a query compiled once
    per process (``sources.prepared``): ``build(pk)`` is the link's queryset for the
    row with that key, as a ``Prefetch`` queryset filtered to it would be. Given to
    ``prefetch_present`` in place of a ``Prefetch``, it fills the same prefetch cache,
    so ``instance.<name>.all()`` reads it with no query."""

    def __init__(self, name: str, build):
        self.name = name
        self.query = PreparedModelQuery(build)

    @classmethod
    def of(cls, model: type[models.Model], lookup) -> PreparedLink | Prefetch | str:
        """The ``Prefetch`` (or link name) ``lookup`` of ``model``'s rows as a
        ``PreparedLink`` with the same queryset, when it is one reverse link with no
        ``to_attr``; otherwise ``lookup`` as it is (prefetched the usual way). Call
        once per process: the queryset is kept and filtered anew for each row."""
        prefetch = lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
        if prefetch.to_attr or "__" in prefetch.prefetch_through:
            return lookup
        relation = model._meta.get_field(prefetch.prefetch_through)
        if not (relation.one_to_many and relation.auto_created):
            return lookup
        queryset = prefetch.queryset
        if queryset is None:
            queryset = relation.related_model._default_manager.all()
        if queryset._prefetch_related_lookups:  # prefetches of its own: the usual way
            return lookup
        column = relation.field.attname
        return cls(prefetch.prefetch_to, lambda pk: queryset.filter(**{column: pk}))

    def load(self, instance: models.Model, present: bool) -> None:
        install_prefetched(instance, self.name, self.query.objects(instance.pk) if present else [])


def install_prefetched(instance: models.Model, name: str, found: list) -> None:
    """Make ``found`` what ``instance.<name>.all()`` reads (a reverse link), with no
    query, as ``prefetch_related`` leaves it: each row's link back to ``instance`` set."""
    relation = instance._meta.get_field(name)
    for related in found:
        relation.field.set_cached_value(related, instance)
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = found
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation.field.remote_field.cache_name] = queryset


def prefetch_present(
    instance: models.Model, lookups, probes: dict[str, tuple[str, list]] | None = None
) -> dict[str, bool]:
    """Prefetch ``lookups`` (reverse links of ``instance``, by name, ``Prefetch`` or
    ``PreparedLink``) as ``prefetch_related`` would, but run the query of only those
    ``instance`` has rows in: one plain query asks first which links have any (and
    answers ``probes``: name → (SQL of a subquery with one %s for the instance's key,
    its other params)), and a link with none gets an empty queryset, so it costs no
    query and reading it asks nothing. Returns {name: has any} for the links and the
    probes.

    Why: on an uncached page, building and compiling a queryset costs several times
    what the database does for it, and most records and documents have nothing in
    most of their links (no scans, no works cited, no places within…)."""
    q = connection.ops.quote_name
    prepared = [lookup for lookup in lookups if isinstance(lookup, PreparedLink)]
    prefetches = [
        lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
        for lookup in lookups
        if not isinstance(lookup, PreparedLink)
    ]
    asks: dict[str, tuple[str, list]] = {}
    links = [(p.prefetch_through, p.prefetch_to) for p in prefetches]
    for through, name in [*links, *((link.name, link.name) for link in prepared)]:
        relation = instance._meta.get_field(through)  # a reverse link
        table = q(relation.related_model._meta.db_table)
        asks[name] = (f"SELECT 1 FROM {table} WHERE {q(relation.field.column)} = %s", [])
    asks.update(probes or {})
    present: dict[str, bool] = {}
    if asks:
        sql = "SELECT " + ", ".join(f"EXISTS({probe})" for probe, _ in asks.values())
        params = [p for _, extra in asks.values() for p in (instance.pk, *extra)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            present = dict(zip(asks, map(bool, cursor.fetchone()), strict=True))
    for link in prepared:
        link.load(instance, present[link.name])
    for index, prefetch in enumerate(prefetches):
        if not present[prefetch.prefetch_to]:
            prefetch = prefetches[index] = copy.copy(prefetch)  # the caller's stays as it is
            manager = getattr(instance, prefetch.prefetch_through)
            base = (
                prefetch.queryset
                if prefetch.queryset is not None
                else manager.model._base_manager.all()
            )
            prefetch.queryset = base.none()
    if prefetches:
        prefetch_related_objects([instance], *prefetches)
    return present


def _document_line(*own: str) -> tuple[str, ...]:
    """``only()`` for a link row (its ``own`` fields) shown with its document
    as a line of a list: the document's list fields, never its text or search columns
    (fewer columns also make the query cheaper to build, which a record page does on
    every uncached view)."""
    from .documents import LIST_FIELDS

    return (*own, "document", *(f"document__{name}" for name in LIST_FIELDS))


def from_database(fields, values) -> list:
    """Column values read by plain SQL as ``fields`` hold them, through the same
    converters the ORM applies (SQLite's booleans and dates, ``from_db_value``), so
    rows made into instances with ``Model.from_db`` are what a queryset would give."""
    converted = []
    for model_field, value in zip(fields, values, strict=True):
        column = model_field.get_col(model_field.model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return converted


# URL name prefix and plural path segment for each kind (see sources/urls.py).
KIND_PATHS = {
    EntityKind.PERSON: "people",
    EntityKind.PLACE: "places",
    EntityKind.ORGANIZATION: "organizations",
    EntityKind.EVENT: "events",
}


class EntityQuerySet(SlugQuerySet):
    def of_kind(self, kind: str) -> EntityQuerySet:
        return self.filter(kind=kind)

    def with_document_counts(self) -> EntityQuerySet:
        """How many published documents mention each record (for lists and ranking).

        A correlated count per record returned, not a join grouped over every
        mention: a list's page (``LIMIT 100``) counts its hundred records only, and the
        list's total counts records without touching a million mentions."""
        mentions = Entity._meta.get_field("mentions").related_model
        counted = (
            mentions.objects.filter(
                entity_id=OuterRef("pk"), document__status=PublicationStatus.PUBLISHED
            )
            .order_by()
            .values("entity_id")
            .annotate(n=Count("document_id", distinct=True))
            .values("n")
        )
        return self.annotate(
            document_count=Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)
        )

    def in_date_order(self) -> EntityQuerySet:
        """Chronological, undated last (events lists, timelines)."""
        return self.order_by(F("date_earliest").asc(nulls_last=True), "sort_name", "pk")

    def for_reading(self) -> EntityQuerySet:
        """What every record page shows besides its sources, in a fixed number of
        queries: name variants, the events it took part in and the published documents
        it wrote, received, obtained or translated."""
        DocumentAgent = _linked_model("document_roles")
        return self.prefetch_related(
            Prefetch("variants", queryset=NameVariant.objects.order_by("language", "name")),
            Prefetch(
                "participations",
                queryset=EventParticipant.objects.select_related("event").order_by(
                    F("event__date_earliest").asc(nulls_last=True), "event__sort_name"
                ),
            ),
            Prefetch(
                "document_roles",
                queryset=DocumentAgent.objects.filter(document__status=PublicationStatus.PUBLISHED)
                .select_related("document")
                # A line per document (title, date): never its text or search terms.
                .only(*_document_line("entity", "role", "order", "certainty", "note"))
                .order_by(F("document__date_earliest").asc(nulls_last=True), "role"),
            ),
        )

    def co_mentioned_with(self, entity: Entity | int, within: int | None = None) -> EntityQuerySet:
        """Records named in the same published documents as ``entity`` (a record or
        its key), the most shared first (``shared_documents`` counts those documents).

        With ``within``, only the first ``within`` of its documents in reading order
        are counted: a record named by tens of thousands of documents would otherwise
        group every mention of all of them (the page says so when it applies)."""
        from .documents import Document

        pk = entity if isinstance(entity, int) else entity.pk
        if within is None:
            documents = _linked_model("mentions").objects.filter(entity_id=pk).published()
            documents = documents.values("document_id")
        else:
            documents = Document.objects.published().mentioning(pk).values("pk")[:within]
        return (
            self.exclude(pk=pk)
            .filter(mentions__document_id__in=documents)
            .annotate(shared_documents=Count("mentions__document", distinct=True))
            .order_by("-shared_documents", "sort_name", "pk")
        )


class Entity(TimeStampedModel, DatedModel):
    """A person, place, organization or event named by the sources."""

    kind = models.CharField(max_length=12, choices=EntityKind, editable=False, db_index=True)
    name = models.CharField(
        "preferred name",
        max_length=255,
        help_text="The name readers see first: the usual English form in scholarship "
        "(for places, today's name). Other spellings go in the name variants.",
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The record's permanent address (/people/<slug>/). Lowercase ASCII "
        "words joined by hyphens. Changing it keeps the old address redirecting.",
    )
    sort_name = models.CharField(
        max_length=255,
        db_index=True,
        help_text="How the record sorts in A–Z lists: 'Bagirov, Mir Jafar'. Defaults to "
        "the preferred name.",
        blank=True,
    )
    description = models.TextField(
        blank=True,
        help_text="Who or what this is, written from the sources; facts from elsewhere "
        "only from standard references.",
    )
    certainty = models.CharField(
        "identification",
        max_length=10,
        choices=Certainty,
        default=Certainty.CERTAIN,
        help_text="How sure we are that the sources' name refers to this real-world "
        "person, place, body or event.",
    )
    identification_note = models.TextField(
        blank=True,
        help_text="Required unless the identification is certain: what is uncertain "
        "and why (e.g. several villages bear this name).",
    )
    wikidata = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        help_text="The Wikidata item, e.g. Q312947. Leave empty rather than guess.",
    )
    search_names = models.TextField(
        blank=True,
        editable=False,
        help_text="Folded preferred name and variants, kept up to date on save.",
    )

    objects = EntityQuerySet.as_manager()
    # inherit=True: each kind keeps its own full history (parent fields included).
    history = HistoricalRecords(inherit=True, excluded_fields=["search_names", "modified"])

    class Meta(DatedModel.Meta):
        ordering = ["sort_name", "name"]
        verbose_name = "record"
        verbose_name_plural = "records (all kinds)"
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=EntityKind.values), name="entity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(certainty=Certainty.CERTAIN) | ~Q(identification_note=""),
                name="entity_uncertainty_explained",
                violation_error_message="Say what is uncertain about this identification.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata="") | Q(wikidata__regex=r"^Q[1-9][0-9]*$"),
                name="entity_wikidata_format",
                violation_error_message="A Wikidata ID looks like Q312947.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return detail_url(f"sources:{self.kind}-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def specific(self) -> Entity:
        """The Person/Place/Organization/Event row behind this record."""
        return getattr(self, self.kind) if type(self) is Entity else self

    @property
    def is_uncertain(self) -> bool:
        return self.certainty != Certainty.CERTAIN

    def save(self, *args, **kwargs) -> None:
        if not self.sort_name:
            self.sort_name = self.name
        super().save(*args, **kwargs)

    def refresh_search_names(self) -> bool:
        """Store every folded name once, so a search is a lookup, not a computation.
        Returns whether the names changed (only then do documents need re-indexing).

        Reads names from the database: during ``loaddata`` a child row (Person…) is
        saved without its parent's fields, so the instance may not know its own name.
        """
        name, stored = Entity.objects.filter(pk=self.pk).values_list(
            "name", "search_names"
        ).first() or ("", None)
        variants = NameVariant.objects.filter(entity_id=self.pk).values_list("folded", flat=True)
        value = "\n".join(sorted({fold(name), *variants} - {""}))
        self.search_names = value
        if value == stored:
            return False
        Entity.objects.filter(pk=self.pk).update(search_names=value)
        return True


class Person(Entity):
    roles = models.CharField(
        max_length=255,
        blank=True,
        help_text="Offices and roles relevant to the sources, with years: 'First "
        "Secretary of the Communist Party of Azerbaijan (1933–1953)'.",
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def save(self, *args, **kwargs) -> None:
        self.kind = EntityKind.PERSON
        super().save(*args, **kwargs)


# Kinds whose coordinates are a point a reader can stand on; areas (a country, a
# province) have only a centroid, so "near" means nothing for them.
POINT_PLACE_KINDS = ("city", "town", "village", "station", "road", "other")
EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2


class PlaceQuerySet(EntityQuerySet):
    def for_reading(self) -> PlaceQuerySet:
        return (
            super()
            .for_reading()
            .select_related("located_in")
            .prefetch_related(
                Prefetch("contains", queryset=Place.objects.order_by("place_kind", "sort_name")),
                Prefetch(
                    "place_events",
                    queryset=EventPlace.objects.select_related("event").order_by(
                        F("event__date_earliest").asc(nulls_last=True)
                    ),
                ),
            )
        )

    def with_coordinates(self) -> PlaceQuerySet:
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def in_kind_order(self) -> PlaceQuerySet:
        """Largest kinds first (countries … villages), as the place list groups them."""
        order = Case(
            *(When(place_kind=kind, then=Value(i)) for i, kind in enumerate(PlaceKind.values)),
            default=Value(len(PlaceKind.values)),
        )
        return self.annotate(kind_order=order).order_by("kind_order", "sort_name", "pk")

    def near(self, place: Place, radius_km: float = 150, limit: int = 8) -> list[Place]:
        """Point-like places within ``radius_km`` of ``place``, nearest first, each with
        a ``distance_km`` attribute.

        The database narrows to a bounding box and the nearest ``limit`` by a flat
        approximation (cheap, indexed columns, works on SQLite and PostgreSQL); the great-
        circle distance is computed here for the few rows returned.
        """
        if not place.has_coordinates:
            return []
        lat, lon = float(place.latitude), float(place.longitude)
        dlat = radius_km / KM_PER_DEGREE
        dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        scale = Decimal(str(round(math.cos(math.radians(lat)), 6)))
        dy = F("latitude") - Decimal(str(lat))
        dx = (F("longitude") - Decimal(str(lon))) * scale
        rows = (
            self.with_coordinates()
            .exclude(pk=place.pk)
            .filter(
                place_kind__in=POINT_PLACE_KINDS,
                latitude__range=(lat - dlat, lat + dlat),
                longitude__range=(lon - dlon, lon + dlon),
            )
            .annotate(flat_distance=dy * dy + dx * dx)
            .order_by("flat_distance", "sort_name")[:limit]
        )
        found = []
        for row in rows:
            row.distance_km = great_circle_km(lat, lon, float(row.latitude), float(row.longitude))
            if row.distance_km <= radius_km:
                found.append(row)
        return found


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class Place(Entity):
    place_kind = models.CharField("kind of place", max_length=12, choices=PlaceKind)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Decimal degrees, north positive (Tabriz: 38.08).",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Decimal degrees, east positive (Tabriz: 46.29).",
    )
    coordinates_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Required when there are no coordinates: why not (a country, or a "
        "village not identified with certainty). Also how approximate they are.",
    )
    geonames_id = models.CharField(
        "GeoNames ID",
        max_length=20,
        blank=True,
        help_text="The GeoNames feature number, digits only. Leave empty rather than guess.",
    )
    located_in = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contains",
        help_text="The larger place this lies in today (Maragheh → East Azerbaijan Province).",
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = "place"
        verbose_name_plural = "places"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_coordinates_in_range",
                violation_error_message="Give both coordinates, latitude −90…90 and "
                "longitude −180…180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=False) | ~Q(coordinates_note=""),
                name="place_coordinates_or_reason",
                violation_error_message="Give coordinates, or say why there are none.",
            ),
            models.CheckConstraint(
                condition=Q(geonames_id="") | Q(geonames_id__regex=r"^[0-9]+$"),
                name="place_geonames_digits",
            ),
            models.CheckConstraint(
                condition=~Q(located_in=models.F("entity_ptr")),
                name="place_not_inside_itself",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.kind = EntityKind.PLACE
        super().save(*args, **kwargs)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class OrganizationQuerySet(EntityQuerySet):
    def for_reading(self) -> OrganizationQuerySet:
        return (
            super()
            .for_reading()
            .select_related("parent")
            .prefetch_related(
                Prefetch("subdivisions", queryset=Organization.objects.order_by("sort_name"))
            )
        )


class Organization(Entity):
    org_kind = models.CharField("kind of organization", max_length=12, choices=OrganizationKind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subdivisions",
        help_text="The body this one belongs to (the Politburo → the party's Central Committee).",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = "organization"
        verbose_name_plural = "organizations"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("entity_ptr")), name="organization_not_own_parent"
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.kind = EntityKind.ORGANIZATION
        super().save(*args, **kwargs)


class EventQuerySet(EntityQuerySet):
    def for_reading(self) -> EventQuerySet:
        """An event page: its larger event, the events inside it, its places and its
        participants with their roles."""
        return (
            super()
            .for_reading()
            .select_related("part_of")
            .prefetch_related(
                Prefetch("sub_events", queryset=Event.objects.in_date_order()),
                Prefetch(
                    "event_places",
                    queryset=EventPlace.objects.select_related("place").order_by(
                        "place__sort_name"
                    ),
                ),
                Prefetch(
                    "document_links",
                    queryset=Event._meta.get_field("document_links")
                    .related_model.objects.filter(document__status=PublicationStatus.PUBLISHED)
                    .select_related("document")
                    .only(*_document_line("event", "role", "certainty", "note"))
                    .strongest_first()
                    .order_by(
                        "role_order", F("document__date_earliest").asc(nulls_last=True), "pk"
                    ),
                ),
                Prefetch(
                    "event_participants",
                    queryset=EventParticipant.objects.select_related("entity").order_by(
                        "entity__kind", "entity__sort_name", "role"
                    ),
                ),
            )
        )


class Event(Entity):
    event_kind = models.CharField("kind of event", max_length=20, choices=EventKind)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_events",
        help_text="The larger event this belongs to (a battle → the Azerbaijan crisis).",
    )
    places = models.ManyToManyField(Place, through="EventPlace", related_name="events", blank=True)
    participants = models.ManyToManyField(
        Entity, through="EventParticipant", related_name="events_participated", blank=True
    )
    unsourced_note = models.TextField(
        "why no source",
        blank=True,
        help_text="Only for an event no document in the archive records, reports, "
        "describes or mentions: say where it is known from, for readers.",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date_earliest", "sort_name"]
        verbose_name = "event"
        verbose_name_plural = "events"
        constraints = [
            models.CheckConstraint(
                condition=~Q(part_of=models.F("entity_ptr")), name="event_not_part_of_itself"
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.kind = EntityKind.EVENT
        super().save(*args, **kwargs)


class EventPlaceQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug: str, place_slug: str):
        return self.get(event__slug=event_slug, place__slug=place_slug)


class EventPlace(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_places")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="place_events")
    note = models.CharField(max_length=255, blank=True)

    objects = EventPlaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "place__sort_name"]
        verbose_name = "place of an event"
        verbose_name_plural = "places of events"
        constraints = [
            models.UniqueConstraint(fields=["event", "place"], name="eventplace_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.place}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    def natural_key(self) -> tuple:
        return (*self.event.natural_key(), *self.place.natural_key())

    natural_key.dependencies = ["sources.event", "sources.place"]


# Who may take part in an event: people, organizations, and states (places of kind
# country). Used by the admin's picker, clean(), the importer and check_corpus.
PARTICIPANT_CHOICES = Q(kind__in=PARTICIPANT_KINDS) | Q(
    kind=EntityKind.PLACE, place__place_kind__in=PARTICIPANT_PLACE_KINDS
)


class EventParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug: str, entity_slug: str, role: str):
        return self.get(event__slug=event_slug, entity__slug=entity_slug, role=role)


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_participants")
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="participations",
        limit_choices_to=PARTICIPANT_CHOICES,
        help_text="A person, organization or state (a country) that took part.",
    )
    role = models.CharField(
        max_length=100, help_text="In the words of the sources where possible: 'commander'."
    )
    certainty = models.CharField(max_length=10, choices=Certainty, default=Certainty.CERTAIN)
    note = models.CharField(max_length=500, blank=True)

    objects = EventParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "entity__sort_name"]
        verbose_name = "participant in an event"
        verbose_name_plural = "participants in events"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "entity", "role"], name="eventparticipant_unique"
            ),
            models.CheckConstraint(
                condition=~Q(entity=models.F("event")), name="eventparticipant_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.role}) in {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    def clean(self) -> None:
        """Refuse a village or an event as a participant: only people, organizations
        and states take part (the admin's picker offers only those)."""
        super().clean()
        if (
            self.entity_id is not None
            and not Entity.objects.filter(PARTICIPANT_CHOICES, pk=self.entity_id).exists()
        ):
            raise ValidationError(
                {
                    "entity": "A participant is a person, an organization or a state (a "
                    "country), not a place or an event."
                }
            )

    def natural_key(self) -> tuple:
        return (*self.event.natural_key(), *self.entity.natural_key(), self.role)

    natural_key.dependencies = ["sources.event", "sources.entity"]


class NameVariantQuerySet(models.QuerySet):
    def get_by_natural_key(self, entity_slug: str, name: str):
        return self.get(entity__slug=entity_slug, name=name)


class NameVariant(PeriodModel):
    """Every other name a source or a reader may use for a record, and (for place
    names above all) when it was in use (``PeriodModel``)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=255)
    folded = models.CharField(
        max_length=255,
        editable=False,
        db_index=True,
        help_text="The name folded for search (case, accents, apostrophes removed).",
    )
    language = models.CharField(
        max_length=8, blank=True, help_text="ISO 639-1 code: en, az, ru, fa, tr…"
    )
    script = models.CharField(
        max_length=4, blank=True, help_text="ISO 15924 code: Latn, Cyrl, Arab."
    )
    variant_kind = models.CharField(
        "kind", max_length=16, choices=VariantKind, default=VariantKind.SPELLING
    )
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where this form comes from, in words readers see: 'the Baku telegram "
        "of 21 November 1945', 'modern official name'. Not a slug or an address.",
    )
    usage = models.CharField(
        "status",
        max_length=10,
        choices=NameUsage,
        blank=True,
        help_text="Official or local, when known. Historical and transliteration "
        "follow from the period and the kind.",
    )

    objects = NameVariantQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["folded", "period_start_date", "period_end_date"])

    class Meta:
        ordering = ["entity", "name"]
        verbose_name = "name variant"
        verbose_name_plural = "name variants"
        constraints = [
            *PeriodModel.Meta.constraints,
            models.UniqueConstraint(fields=["entity", "name"], name="namevariant_unique"),
        ]

    @property
    def status(self) -> list[str]:
        """Its status in words, from the fields that hold it (never stored twice):
        official/local from ``usage``, historical from the kind or an ended period,
        transliteration from the kind."""
        labels = [self.get_usage_display()] if self.usage else []
        if self.variant_kind == VariantKind.FORMER or (
            self.period_end and not self.period_end.startswith("..")
        ):
            labels.append("historical")
        if self.variant_kind == VariantKind.TRANSLITERATION:
            labels.append("transliteration")
        return labels

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.entity.get_absolute_url()

    def natural_key(self) -> tuple:
        return (*self.entity.natural_key(), self.name)

    natural_key.dependencies = ["sources.entity"]
