"""Admin registrations: every record type can be inspected, searched (by any name
variant) and filtered. Curation workflow and history come in a later change."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Document,
    DocumentAgent,
    Entity,
    Event,
    EventParticipant,
    EventPlace,
    Mention,
    NameVariant,
    Organization,
    Person,
    Place,
    Repository,
    WorkCited,
)

ENTITY_SEARCH = ["name", "slug", "variants__name", "search_names"]


class NameVariantInline(admin.TabularInline):
    model = NameVariant
    extra = 0
    fields = ["name", "language", "script", "variant_kind", "source"]


class EntityAdminBase(admin.ModelAdmin):
    search_fields = ENTITY_SEARCH
    list_display = ["name", "slug", "date_display", "certainty"]
    list_filter = ["certainty"]
    readonly_fields = ["date_earliest", "date_latest", "search_names", "created", "modified"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NameVariantInline]
    common_fieldsets = [
        (None, {"fields": ["name", "slug", "sort_name", "description"]}),
        ("Dates", {"fields": ["date_edtf", "date_written", "date_earliest", "date_latest"]}),
        ("Identification", {"fields": ["certainty", "identification_note", "wikidata"]}),
    ]
    kind_fields: list[str] = []

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.common_fieldsets)
        if self.kind_fields:
            fieldsets.insert(1, ("Details", {"fields": self.kind_fields}))
        fieldsets.append(("Record", {"fields": ["search_names", "created", "modified"]}))
        return fieldsets


@admin.register(Entity)
class EntityAdmin(EntityAdminBase):
    list_display = ["name", "kind", "slug", "certainty"]
    list_filter = ["kind", "certainty"]

    def has_add_permission(self, request):
        # Records are created as a person, place, organization or event.
        return False


@admin.register(Person)
class PersonAdmin(EntityAdminBase):
    list_display = ["name", "slug", "date_display", "roles", "certainty"]
    kind_fields = ["roles"]


@admin.register(Place)
class PlaceAdmin(EntityAdminBase):
    list_display = ["name", "place_kind", "located_in", "latitude", "longitude", "certainty"]
    list_filter = ["place_kind", "certainty"]
    list_select_related = ["located_in"]
    autocomplete_fields = ["located_in"]
    kind_fields = [
        "place_kind",
        "located_in",
        ("latitude", "longitude"),
        "coordinates_note",
        "geonames_id",
    ]


@admin.register(Organization)
class OrganizationAdmin(EntityAdminBase):
    list_display = ["name", "org_kind", "parent", "certainty"]
    list_filter = ["org_kind", "certainty"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    kind_fields = ["org_kind", "parent"]


class EventPlaceInline(admin.TabularInline):
    model = EventPlace
    extra = 0
    autocomplete_fields = ["place"]


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    fk_name = "event"
    extra = 0
    autocomplete_fields = ["entity"]


@admin.register(Event)
class EventAdmin(EntityAdminBase):
    list_display = ["name", "event_kind", "date_display", "part_of", "certainty"]
    list_filter = ["event_kind", "certainty"]
    list_select_related = ["part_of"]
    autocomplete_fields = ["part_of"]
    kind_fields = ["event_kind", "part_of"]
    inlines = [NameVariantInline, EventPlaceInline, EventParticipantInline]


@admin.register(NameVariant)
class NameVariantAdmin(admin.ModelAdmin):
    list_display = ["name", "entity", "language", "script", "variant_kind", "source"]
    list_filter = ["variant_kind", "language", "script"]
    search_fields = ["name", "folded", "entity__name"]
    list_select_related = ["entity"]
    autocomplete_fields = ["entity"]


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "location"]
    search_fields = ["name", "abbreviation"]
    list_select_related = ["location"]
    autocomplete_fields = ["location"]
    prepopulated_fields = {"slug": ["abbreviation"]}


class DocumentAgentInline(admin.TabularInline):
    model = DocumentAgent
    extra = 0
    autocomplete_fields = ["entity"]


class WorkCitedInline(admin.TabularInline):
    model = WorkCited
    extra = 0


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["entity"]
    fields = ["text", "entity", "start", "end", "role", "certainty", "note"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "date_display", "document_type", "source_kind", "language", "status"]
    list_filter = ["status", "document_type", "source_kind", "language", "repository"]
    search_fields = ["title", "slug", "summary", "archival_reference", "transcription"]
    list_select_related = ["repository"]
    autocomplete_fields = ["repository", "origin", "destination"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "date_earliest",
        "date_latest",
        "coverage_earliest",
        "coverage_latest",
        "created",
        "modified",
    ]
    inlines = [DocumentAgentInline, WorkCitedInline, MentionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "original_title", "document_type", "source_kind"]}),
        (
            "Dates",
            {
                "fields": [
                    "date_edtf",
                    "date_written",
                    ("date_earliest", "date_latest"),
                    "coverage_edtf",
                    ("coverage_earliest", "coverage_latest"),
                ]
            },
        ),
        ("Text", {"fields": ["summary", "transcription", "editorial_notes"]}),
        ("Languages", {"fields": ["original_language", "language"]}),
        (
            "Archival context",
            {
                "fields": [
                    "repository",
                    "archival_reference",
                    "origin",
                    "destination",
                    "publisher",
                    "source_url",
                    "rights",
                    "acknowledgement",
                ]
            },
        ),
        ("Publication", {"fields": ["status", "published_at", "created", "modified"]}),
    ]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["text", "entity", "document", "start", "role", "certainty"]
    list_filter = ["role", "certainty", "entity__kind", "document"]
    search_fields = ["text", "entity__name", "document__title"]
    list_select_related = ["entity", "document"]
    autocomplete_fields = ["entity", "document"]


@admin.register(DocumentAgent)
class DocumentAgentAdmin(admin.ModelAdmin):
    list_display = ["entity", "role", "document", "certainty"]
    list_filter = ["role", "certainty"]
    search_fields = ["entity__name", "document__title"]
    list_select_related = ["entity", "document"]
    autocomplete_fields = ["entity", "document"]


@admin.register(WorkCited)
class WorkCitedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "number"]
    search_fields = ["text", "document__title"]
    list_select_related = ["document"]


@admin.register(EventPlace)
class EventPlaceAdmin(admin.ModelAdmin):
    list_display = ["event", "place", "note"]
    search_fields = ["event__name", "place__name"]
    list_select_related = ["event", "place"]
    autocomplete_fields = ["event", "place"]


@admin.register(EventParticipant)
class EventParticipantAdmin(admin.ModelAdmin):
    list_display = ["entity", "role", "event", "certainty"]
    list_filter = ["certainty"]
    search_fields = ["entity__name", "event__name", "role"]
    list_select_related = ["entity", "event"]
    autocomplete_fields = ["entity", "event"]
