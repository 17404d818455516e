"""The links on their own (mentions, proposals, agents, works cited, event places and
participants, old addresses), for curators who review them across documents."""

from __future__ import annotations

from django.contrib import admin

from ...models import (
    DismissedName,
    DocumentAgent,
    DocumentEvent,
    EventParticipant,
    EventPlace,
    Mention,
    MentionProposal,
    SlugRedirect,
    WorkCited,
)
from .base import PublicParentAdmin
from .scale import ScaleMixin


@admin.register(Mention)
class MentionAdmin(PublicParentAdmin):
    parent_field = "document"
    list_display = ["text", "entity", "document", "start", "role", "certainty", "needs_review"]
    list_filter = ["needs_review", "role", "certainty", "entity__kind", "document__status"]
    search_fields = ["text", "entity__name", "document__title"]
    list_select_related = ["entity", "document"]
    autocomplete_fields = ["entity", "document"]


@admin.register(MentionProposal)
class MentionProposalAdmin(ScaleMixin, admin.ModelAdmin):
    list_display = ["text", "entity", "document", "start", "status"]
    list_filter = ["status", "entity__kind"]
    search_fields = ["text", "entity__name", "document__title"]
    list_select_related = ["entity", "document"]
    readonly_fields = ["document", "entity", "start", "end", "text", "matched_name", "created"]

    def has_add_permission(self, request):
        return False


@admin.register(DocumentAgent)
class DocumentAgentAdmin(PublicParentAdmin):
    parent_field = "document"
    list_display = ["entity", "role", "document", "certainty"]
    list_filter = ["role", "certainty"]
    search_fields = ["entity__name", "document__title"]
    list_select_related = ["entity", "document"]
    autocomplete_fields = ["entity", "document"]


@admin.register(WorkCited)
class WorkCitedAdmin(PublicParentAdmin):
    parent_field = "document"
    list_display = ["__str__", "document", "number"]
    search_fields = ["text", "document__title"]
    list_select_related = ["document"]
    autocomplete_fields = ["document"]


@admin.register(EventPlace)
class EventPlaceAdmin(PublicParentAdmin):
    parent_field = "event"
    list_display = ["event", "place", "note"]
    search_fields = ["event__name", "place__name"]
    list_select_related = ["event", "place"]
    autocomplete_fields = ["event", "place"]


@admin.register(EventParticipant)
class EventParticipantAdmin(PublicParentAdmin):
    parent_field = "event"
    list_display = ["entity", "role", "event", "certainty"]
    list_filter = ["certainty"]
    search_fields = ["entity__name", "event__name", "role"]
    list_select_related = ["entity", "event"]
    autocomplete_fields = ["entity", "event"]


@admin.register(DismissedName)
class DismissedNameAdmin(ScaleMixin, admin.ModelAdmin):
    """Words the finder must not offer as names again. The "dismiss" links beside
    "names not yet in the archive" open the add form with the name filled in."""

    list_display = ["name", "note", "created"]
    search_fields = ["name", "folded", "note"]
    fields = ["name", "note"]


@admin.register(DocumentEvent)
class DocumentEventAdmin(PublicParentAdmin):
    parent_field = "document"
    list_display = ["document", "role", "event", "certainty"]
    list_filter = ["role", "certainty"]
    search_fields = ["document__title", "event__name", "note"]
    list_select_related = ["document", "event"]
    autocomplete_fields = ["document", "event"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(ScaleMixin, admin.ModelAdmin):
    """Old addresses kept when a slug changed (made automatically; read-only here)."""

    list_display = ["old_slug", "kind", "__str__"]
    raw_id_fields = ["document", "entity"]
    list_filter = ["kind"]
    search_fields = ["old_slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
