"""The links on their own (mentions, proposals, agents, works cited, event places and
participants, old addresses), for curators who review them across documents."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from ...models import (
    DismissedName,
    Document,
    DocumentAgent,
    DocumentEvent,
    Entity,
    EventParticipant,
    EventPlace,
    Mention,
    MentionProposal,
    SlugRedirect,
    WorkCited,
)
from ...text import fold
from .base import PublicParentAdmin
from .scale import ScaleMixin

DOCUMENT_IDS = 5_000  # titles matched past this are joined as a subquery instead


@admin.register(Mention)
class MentionAdmin(PublicParentAdmin):
    parent_field = "document"
    list_display = ["text", "entity", "document", "start", "role", "certainty", "needs_review"]
    list_filter = ["needs_review", "role", "certainty", "entity__kind", "document__status"]
    search_fields = ["text", "entity__name", "document__title"]
    list_select_related = ["entity", "document"]
    autocomplete_fields = ["entity", "document", "document_text"]

    def get_search_results(self, request, queryset, search_term):
        """Each word in the mention's words, its record's names (any spelling, folded)
        or its document's title, as Django's search over ``search_fields`` would, but
        without joining a million mentions to their records and documents: the
        records and documents that match are looked up first (their own indexes),
        then the mentions by index."""
        if not search_term:
            return queryset, False
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            folded = fold(bit)
            records = Entity.objects.filter(
                Q(name__icontains=bit) | (Q(search_names__contains=folded) if folded else Q())
            )
            documents = Document.objects.filter(title__icontains=bit).values_list("pk", flat=True)
            document_ids = list(documents[: DOCUMENT_IDS + 1])
            queryset = queryset.filter(
                Q(text__icontains=bit)
                | Q(entity_id__in=list(records.values_list("pk", flat=True)))
                | Q(
                    document_id__in=document_ids
                    if len(document_ids) <= DOCUMENT_IDS
                    else documents.values("pk")
                )
            )
        return queryset, False


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
