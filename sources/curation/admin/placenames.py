"""Names and larger places in their time (issue 15, part 4): the periods of name
variants and of a place's larger places.

On a record's page they are inlines like its other links (an Editor's to change while
the record is public). On their own pages a Curator may also propose a period for a
public record's name or larger place: the save becomes a change waiting for an
Editor's review (``sources.curation.review``), as a Curator's edit of the record
itself does; deleting stays an Editor's act.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ...models import PlaceContainment
from .. import review
from .base import OptimisticLockMixin, PublicParentInline, ReviewMixin

PERIOD_FIELDS = ["period_start", "period_end", "period_reference"]


class PlaceContainmentInline(PublicParentInline, admin.TabularInline):
    model = PlaceContainment
    fk_name = "place"
    extra = 0
    autocomplete_fields = ["container"]
    fields = ["container", *PERIOD_FIELDS, "note"]
    verbose_name = "larger place in a period"
    verbose_name_plural = (
        "larger places in periods (today's is “lies in” above; add past ones with their "
        "dates and reference)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("place", "container")


class PeriodReviewAdmin(OptimisticLockMixin, ReviewMixin, SimpleHistoryAdmin):
    """A link of a record with a period: a Curator's save on a public record waits for
    review; an Editor's (or any save on a record not yet public) is written at once."""

    parent_field = "entity"

    def _parent(self, obj):
        return getattr(obj, self.parent_field, None) if obj is not None else None

    def _needs_review(self, request, obj) -> bool:
        return not review.may_review(request.user) and review.is_public(self._parent(obj))

    def save_model(self, request, obj, form, change):
        live = self.model._default_manager.filter(pk=obj.pk).first() if change else None
        # Moving a link off a public record needs review too.
        if self._needs_review(request, obj) or (live and self._needs_review(request, live)):
            request._pending_change = review.propose(request.user, obj, list(form.fields))
            return
        SimpleHistoryAdmin.save_model(self, request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._needs_review(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not review.may_review(request.user):
            actions.pop("delete_selected", None)  # a bulk delete cannot check each parent
        return actions


@admin.register(PlaceContainment)
class PlaceContainmentAdmin(PeriodReviewAdmin):
    parent_field = "place"
    list_display = ["place", "container", "period_start", "period_end", "period_reference"]
    list_select_related = ["place", "container"]
    search_fields = ["place__name", "container__name", "period_reference"]
    autocomplete_fields = ["place", "container"]
    fields = ["place", "container", *PERIOD_FIELDS, "note"]
