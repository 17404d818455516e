"""Changes waiting for review: the Editor's list, each change with a field-by-field
diff and Approve / Reject buttons (``sources.curation.review``)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ...models import PendingChange, ReviewStatus
from .. import review
from .scale import ScaleMixin


class OpenFirstFilter(admin.SimpleListFilter):
    """Opens on what is waiting; decided changes are one click away."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ReviewStatus.choices, ("all", "all")]

    def choices(self, changelist):
        value = self.value() or ReviewStatus.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or ReviewStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(PendingChange)
class PendingChangeAdmin(ScaleMixin, admin.ModelAdmin):
    change_form_template = "admin/sources/pendingchange/change_form.html"
    list_display = [
        "object_repr", "kind", "action", "fields_changed", "proposed_by", "proposed_at", "status",
        "decided_by",
    ]  # fmt: skip
    list_filter = [OpenFirstFilter, "action", "content_type"]
    list_select_related = ["content_type", "proposed_by", "decided_by"]
    search_fields = ["object_repr"]
    readonly_fields = [
        "object_repr", "content_type", "object_id", "action", "status", "proposed_by",
        "proposed_at", "decided_by", "decided_at", "decision_note",
    ]  # fmt: skip
    fields = readonly_fields

    @admin.display(description="kind")
    def kind(self, obj) -> str:
        return str(obj.content_type.model_class()._meta.verbose_name)

    @admin.display(description="fields")
    def fields_changed(self, obj) -> str:
        return ", ".join(obj.data)

    def has_add_permission(self, request):
        return False  # made by saving a document or record

    def has_delete_permission(self, request, obj=None):
        return False  # decided changes stay on record

    def has_change_permission(self, request, obj=None):
        return review.may_review(request.user)

    def has_view_permission(self, request, obj=None):
        return review.may_review(request.user) or super().has_view_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(PendingChange, pk=object_id)
        if request.method == "POST" and ("_approve" in request.POST or "_reject" in request.POST):
            try:
                if "_approve" in request.POST:
                    obj = review.approve(request.user, change)
                    self.message_user(
                        request,
                        f"Approved: “{obj}” now shows the change to the public.",
                        messages.SUCCESS,
                    )
                else:
                    review.reject(request.user, change, request.POST.get("decision_note", ""))
                    self.message_user(request, f"Rejected: {change.object_repr}.")
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
            except ValidationError as error:
                self.message_user(
                    request, "Not approved: " + " ".join(error.messages), messages.ERROR
                )
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(reverse("admin:sources_pendingchange_changelist"))
        context = {
            **(extra_context or {}),
            "diff": review.diff(change),
            "can_decide": review.may_review(request.user) and change.status == ReviewStatus.OPEN,
            "pending": change,
        }
        return super().change_view(request, object_id, form_url, context)
