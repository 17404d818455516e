"""Claims: what each source says about a record or a document, in its words.

A Curator's new or changed claim about something public (any record, a published
document) waits for an Editor, as other changes to what the public sees do
(``sources.curation.review``: ``Claim.review_subject``); deleting one is an Editor's
act. Editors' own saves go live at once. History is kept on every claim.
"""

from __future__ import annotations

from django.contrib import admin

from ...models import Claim
from .. import review
from .base import ArchiveAdmin

VALUE_FIELDS = ["value_text", "value_edtf", "value_record", "value_number"]
CITATION_FIELDS = ["source", "passage", "attributed_to", "certainty", "note"]


@admin.register(Claim)
class ClaimAdmin(ArchiveAdmin):
    list_display = [
        "__str__", "property", "aspect", "value_text", "source", "certainty", "preferred",
    ]  # fmt: skip
    list_filter = ["property", "certainty", "preferred", "record__kind"]
    search_fields = ["value_text", "aspect", "passage", "record__name", "document__title",
                     "source__title", "note"]  # fmt: skip
    list_select_related = ["record", "document", "source"]
    autocomplete_fields = ["record", "document", "value_record", "source"]
    readonly_fields = ["created", "modified"]
    fieldsets = [
        ("About", {"fields": ["record", "document", "property", "aspect"]}),
        ("What the source says", {"fields": VALUE_FIELDS}),
        ("Where it says it", {"fields": CITATION_FIELDS}),
        ("The archive's reading", {"fields": ["preferred", "preferred_reason"]}),
        (None, {"fields": ["created", "modified"]}),
    ]

    def _locked(self, request, obj) -> bool:
        return obj is not None and review.is_public(obj) and not review.may_review(request.user)

    def has_delete_permission(self, request, obj=None):
        if self._locked(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not review.may_review(request.user):
            actions.pop("delete_selected", None)  # a bulk delete cannot check each claim
        return actions
