"""Claims: what each source says about a record or a document, in its words.

A Curator's new or changed claim about something public (any record, a published
document) waits for an Editor, as other changes to what the public sees do
(``sources.curation.review``: ``Claim.review_subject``); deleting one is an Editor's
act. Editors' own saves go live at once. History is kept on every claim.

The claims about a record or a document are also listed on that record's or document's
own page (``ClaimsAboutRecordInline``, ``ClaimsAboutDocumentInline``), read-only: each
row links to the claim's page and "Add a claim about this" opens the claim form with the
subject chosen, so every change to a claim goes through this page and its review.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

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


class ClaimsAboutInline(admin.TabularInline):
    """The claims about the record or document on its page, to read and to follow:
    never edited, added or deleted here (a Curator's change to a claim about something
    public waits for an Editor, and that rule lives on the claim's own page)."""

    model = Claim
    extra = 0
    can_delete = False
    fields = ["claim", "property", "aspect", "value_text", "source", "certainty", "preferred"]
    readonly_fields = fields
    ordering = ["property", "aspect", "pk"]
    template = "admin/sources/claim/about_inline.html"

    def get_queryset(self, request):
        # The source's citation line without its text: one query for every row.
        return super().get_queryset(request).for_display()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="claim")
    def claim(self, claim: Claim) -> str:
        if claim.pk is None:
            return ""
        url = reverse("admin:sources_claim_change", args=[claim.pk])
        return format_html('<a href="{}">{}</a>', url, claim.point_label)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.add_claim_url = (
            f"{reverse('admin:sources_claim_add')}?{urlencode({self.fk_name: obj.pk})}"
            if obj is not None and request.user.has_perm("sources.add_claim")
            else ""
        )
        return formset


class ClaimsAboutRecordInline(ClaimsAboutInline):
    fk_name = "record"
    verbose_name = "claim about this record"
    verbose_name_plural = "claims about this record (what each source says)"


class ClaimsAboutDocumentInline(ClaimsAboutInline):
    fk_name = "document"
    verbose_name = "claim about this document"
    verbose_name_plural = "claims about this document (who wrote it, when…)"
