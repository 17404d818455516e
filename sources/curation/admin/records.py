"""People, places, organizations and events, with their names, places and participants:
columns, filters and folded search ("Bağırov" finds Bagirov), autocomplete pickers
and history."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from ...models import (
    DocumentEvent,
    Entity,
    Event,
    EventParticipant,
    EventPlace,
    NameVariant,
    Organization,
    Person,
    Place,
)
from .base import ArchiveAdmin, FoldedSearchMixin, PublicParentInline
from .claims import ClaimsAboutRecordInline
from .placenames import PERIOD_FIELDS, PeriodReviewAdmin, PlaceContainmentInline


class NameVariantInline(PublicParentInline, admin.TabularInline):
    model = NameVariant
    extra = 1
    fields = ["name", "language", "script", "variant_kind", "source", "usage", *PERIOD_FIELDS]


class EntityAdminBase(FoldedSearchMixin, ArchiveAdmin):
    search_fields = ["name", "slug", "variants__name"]
    list_display = ["name", "date_display", "certainty", "mention_count", "modified"]
    list_filter = ["certainty"]
    readonly_fields = ["date_earliest", "date_latest", "search_names", "created", "modified"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NameVariantInline, ClaimsAboutRecordInline]
    list_per_page = 50
    kind_fields: list = []

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["name", "slug", "sort_name", "description"]}),
            *([("Details", {"fields": self.kind_fields})] if self.kind_fields else []),
            (
                "Dates",
                {
                    "fields": ["date_edtf", "date_written", ("date_earliest", "date_latest")],
                    "description": "Give what the sources establish, in EDTF; the earliest "
                    "and latest days are derived for sorting and filtering.",
                },
            ),
            (
                "Identification",
                {
                    "fields": ["certainty", "identification_note", "wikidata"],
                    "description": "Say how sure the identification is; when it is not "
                    "certain, the note is required and shown to readers.",
                },
            ),
            (
                "Record",
                {"fields": ["search_names", "created", "modified"], "classes": ["collapse"]},
            ),
        ]

    def get_queryset(self, request):
        # The kept count (RecordCount.mentions, kept current by the search index's
        # upkeep): one row joined by primary key, where counting each record's mentions
        # to sort the list read every mention of every record. A record nothing has
        # counted yet (no mention ever) has no row: 0.
        return (
            super()
            .get_queryset(request)
            .annotate(mention_total=Coalesce(F("record_count__mentions"), 0))
        )

    @admin.display(description="mentions", ordering="mention_total")
    def mention_count(self, obj) -> int:
        return obj.mention_total

    def get_changeform_initial_data(self, request):
        # "Add as a new record" links from a document pass ?name=…; derive the slug too.
        initial = super().get_changeform_initial_data(request)
        if initial.get("name") and not initial.get("slug"):
            initial["slug"] = slugify(initial["name"])[:120]
        return initial


@admin.register(Entity)
class EntityAdmin(EntityAdminBase):
    """All records in one list, for finding anything by any name."""

    list_display = ["name", "kind", "certainty", "mention_count", "modified"]
    list_filter = ["kind", "certainty"]

    def has_add_permission(self, request):
        # A record is created as a person, place, organization or event.
        return False


@admin.register(Person)
class PersonAdmin(EntityAdminBase):
    list_display = ["name", "date_display", "roles", "certainty", "mention_count"]
    kind_fields = ["roles"]


@admin.register(Place)
class PlaceAdmin(EntityAdminBase):
    list_display = [
        "name", "place_kind", "located_in", "latitude", "longitude", "certainty", "mention_count",
    ]  # fmt: skip
    list_filter = ["place_kind", "certainty", ("latitude", admin.EmptyFieldListFilter)]
    list_select_related = ["located_in"]
    autocomplete_fields = ["located_in"]
    inlines = [NameVariantInline, PlaceContainmentInline, ClaimsAboutRecordInline]
    kind_fields = [
        "place_kind",
        "located_in",
        ("latitude", "longitude"),
        "coordinates_note",
        "geonames_id",
    ]


@admin.register(Organization)
class OrganizationAdmin(EntityAdminBase):
    list_display = ["name", "org_kind", "parent", "certainty", "mention_count"]
    list_filter = ["org_kind", "certainty"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    kind_fields = ["org_kind", "parent"]


class EventPlaceInline(PublicParentInline, admin.TabularInline):
    model = EventPlace
    extra = 0
    autocomplete_fields = ["place"]


class EventParticipantInline(PublicParentInline, admin.TabularInline):
    model = EventParticipant
    fk_name = "event"
    extra = 0
    autocomplete_fields = ["entity"]


class EventDocumentInline(PublicParentInline, admin.TabularInline):
    """The documents that record, report, describe or mention this event (the same
    links as on each document's page)."""

    model = DocumentEvent
    fk_name = "event"
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["document", "role", "certainty", "note"]
    verbose_name = "source of this event"
    verbose_name_plural = (
        "sources of this event (documents that record, report, describe or mention it)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "document")


@admin.register(Event)
class EventAdmin(EntityAdminBase):
    list_display = ["name", "event_kind", "date_display", "part_of", "certainty", "mention_count"]
    list_filter = ["event_kind", "certainty"]
    list_select_related = ["part_of"]
    autocomplete_fields = ["part_of"]
    kind_fields = ["event_kind", "part_of", "unsourced_note"]
    inlines = [
        NameVariantInline,
        EventDocumentInline,
        EventPlaceInline,
        EventParticipantInline,
        ClaimsAboutRecordInline,
    ]
    ordering = ["date_earliest", "sort_name"]


@admin.register(NameVariant)
class NameVariantAdmin(PeriodReviewAdmin):
    parent_field = "entity"
    list_display = ["name", "entity", "language", "script", "variant_kind", "usage", "source"]
    list_filter = ["variant_kind", "usage", "language", "script", "entity__kind"]
    search_fields = ["name", "folded", "entity__name"]
    list_select_related = ["entity"]
    autocomplete_fields = ["entity"]
