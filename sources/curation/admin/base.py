"""What every admin page of the archive shares: the site's titles, the folded-name
search, optimistic locking of change forms, review of Curators' changes to what the
public sees, and Editor-only deletion of what the public sees."""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from ...text import fold
from .. import review
from .scale import ScaleMixin

admin.site.site_header = "Azerbaijan Crisis Archive — curation"
admin.site.site_title = "Archive curation"
admin.site.index_title = "Sources and records"

LOCK_FIELD = "_lock"


class FoldedSearchMixin:
    """Admin search that also matches folded names: "Bağırov" finds Bagirov."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            results |= queryset.filter(search_names__contains=folded)
        return results, may_have_duplicates


# --- Optimistic locking -------------------------------------------------------------------


def _fingerprint(value: Any) -> str:
    """A short mark of a field's value, the same for a stored value and for what a
    browser posts back for it (text stripped, CRLF as LF, a link as its id)."""
    if value is None:
        value = ""
    elif isinstance(value, bool):
        value = "on" if value else ""
    elif isinstance(value, (list, tuple, set, models.QuerySet)):
        value = "\n".join(sorted(str(getattr(item, "pk", item)) for item in value))
    value = str(getattr(value, "pk", value)).replace("\r\n", "\n").strip()
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def lock_token(form: forms.BaseForm, obj: models.Model | None) -> str:
    """What the form was opened on: the row's ``modified`` time and a fingerprint of
    each field's stored value. Sent back with the form (hidden) and compared at save."""
    if obj is None or obj.pk is None or not hasattr(obj, "modified"):
        return ""
    fields = {
        name: _fingerprint(form.get_initial_for_field(field, name))
        for name, field in form.fields.items()
    }
    modified = obj.modified.isoformat() if obj.modified else ""
    return json.dumps({"modified": modified, "fields": fields}, sort_keys=True)


def _shown(obj: models.Model, name: str) -> str:
    try:
        field = obj._meta.get_field(name)
    except Exception:  # a form-only field
        return ""
    if getattr(field, "many_to_many", False):
        value = ", ".join(str(item) for item in getattr(obj, name).all())
    elif field.choices:
        value = getattr(obj, f"get_{name}_display")()
    else:
        value = getattr(obj, name)
    text = "—" if value in (None, "") else str(value)
    return Truncator(text).chars(300)


class OptimisticLockForm:
    """Refuses a save from a form opened before someone else saved the same row.

    The admin reads the row under ``select_for_update`` before building the form
    (``OptimisticLockMixin.get_object``), so the check and the save are one atomic
    step: of two saves from forms opened on the same version, the second is refused.
    The user's input stays in the re-rendered form, which then carries the new
    version: saving again is a deliberate choice to keep theirs.
    """

    lock_submitted: str | None = None

    def clean(self):
        cleaned = super().clean()
        self.check_not_stale()
        return cleaned

    def check_not_stale(self) -> None:
        instance = self.instance
        if not self.lock_submitted or instance.pk is None or not hasattr(instance, "modified"):
            return  # not from a change form (a history revert has its own page)
        try:
            opened = json.loads(self.lock_submitted)
            modified, fingerprints = opened["modified"], dict(opened["fields"])
        except (ValueError, KeyError, TypeError):
            raise ValidationError(
                "This form's version mark is damaged; reload the page and enter your change again."
            ) from None
        now = instance.modified.isoformat() if instance.modified else ""
        if now == modified:
            return
        theirs = [
            name
            for name, field in self.fields.items()
            if name in fingerprints
            and fingerprints[name] != _fingerprint(self.get_initial_for_field(field, name))
        ]
        if not theirs:
            return  # the other save touched nothing this form shows
        # The form comes back with their values where this user changed nothing, and
        # this user's input where both changed (a conflict to settle by hand).
        both = [name for name in theirs if _fingerprint(self[name].data) != fingerprints[name]]
        self.data = self.data.copy()
        for name in theirs:
            if name not in both:
                self._take_stored(name)
        raise ValidationError(self._stale_message(theirs, both), code="stale")

    def _take_stored(self, name: str) -> None:
        value = self.get_initial_for_field(self.fields[name], name)
        key = self.add_prefix(name)
        if isinstance(value, bool):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        elif isinstance(value, (list, tuple, set, models.QuerySet)):
            self.data.setlist(key, [str(getattr(item, "pk", item)) for item in value])
        else:
            self.data[key] = "" if value is None else str(getattr(value, "pk", value))

    def _stale_message(self, theirs: list[str], both: list[str]) -> str:
        instance = self.instance
        who = ""
        history = getattr(instance, "history", None)
        last = history.select_related("history_user").first() if history is not None else None
        if last is not None:
            user = last.history_user.get_username() if last.history_user else "someone"
            when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M")
            who = f" ({user}, {when})"
        details = "; ".join(
            f"{self.fields[name].label or name}: now “{_shown(instance, name)}”"
            + (" — you changed it too: your input is kept below" if name in both else "")
            for name in theirs
        )
        return (
            f"Not saved: this {instance._meta.verbose_name} was changed by someone else "
            f"after you opened it{who}. Changed since: {details}. The form below now has "
            "their values where you changed nothing and your input where you did: check "
            "it, then save again."
        )


class OptimisticLockMixin:
    """Every change form carries the version it was opened on and a stale save is
    refused with what changed since."""

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and transaction.get_connection().in_atomic_block:
            # Lock the row until this save commits (a no-op on SQLite); an id that is
            # no id is left to super(), which answers 404 as usual.
            with contextlib.suppress(ValueError, ValidationError):
                list(
                    self.model._default_manager.select_for_update()
                    .filter(pk=object_id)
                    .values_list("pk", flat=True)
                )
        return super().get_object(request, object_id, from_field)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        submitted = request.POST.get(LOCK_FIELD) if request.method == "POST" else None
        return type(form.__name__, (OptimisticLockForm, form), {"lock_submitted": submitted})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["lock_token"] = lock_token(context["adminform"].form, obj) if change else ""
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- Review of Curators' changes ----------------------------------------------------------


class ReviewMixin:
    """A Curator's save of something public (or of a new record) becomes a change
    waiting for an Editor (``sources.curation.review``) instead of a write."""

    def _pending(self, request):
        return getattr(request, "_pending_change", None)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is None and review.needs_review(request.user, self.model(), adding=True):
            return []  # a proposed record has no rows to link yet: add them once approved
        return inlines

    def save_model(self, request, obj, form, change):
        live = self.model._default_manager.filter(pk=obj.pk).first() if change else None
        if review.needs_review(request.user, live if change else obj, adding=not change):
            request._pending_change = review.propose(request.user, obj, list(form.fields))
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if self._pending(request):
            return
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if self._pending(request):
            return []  # nothing was saved: the pending change is its own record
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        if self._pending(request):
            return None
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if self._pending(request):
            return None
        return super().log_change(request, obj, message)

    def _waiting(self, request):
        pending = self._pending(request)
        what = "new record" if pending.action == "create" else "change"
        if not pending.data:
            self.message_user(request, "Nothing to change: the form matches the saved version.")
        else:
            self.message_user(
                request,
                f"Your {what} to “{pending.object_repr}” waits for an Editor's review. "
                "The public sees the published version until it is approved.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:sources_pendingchange_changelist"))

    def response_add(self, request, obj, post_url_continue=None):
        if self._pending(request):
            return self._waiting(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self._pending(request):
            return self._waiting(request)
        return super().response_change(request, obj)


class ArchiveAdmin(ScaleMixin, OptimisticLockMixin, ReviewMixin, SimpleHistoryAdmin):
    """The base of every document and record page."""


# --- Links of public rows: an Editor's to change or delete --------------------------------


class PublicParentMixin:
    """For the links of a document or record (mentions, agents, works cited, variants,
    event places and participants): while the parent is public, only an Editor adds,
    changes or deletes them (deleting what the public sees is an Editor's act, and a
    Curator's change to it waits for review: ask an Editor, or return the document to
    draft). ``parent_field`` names the link's document or record."""

    parent_field = ""

    def _parent_locked(self, request, parent) -> bool:
        return review.is_public(parent) and not review.may_review(request.user)

    def _parent_of(self, obj):
        return getattr(obj, self.parent_field, None) if obj is not None else None


class PublicParentInline(PublicParentMixin):
    """Inline: ``obj`` is the parent being edited."""

    def has_add_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._parent_locked(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._parent_locked(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class PublicParentForm:
    """Refuses a Curator's new or moved link onto a public document or record."""

    parent_field = ""
    reviewer = True

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get(self.parent_field)
        if parent is not None and not self.reviewer and review.is_public(parent):
            raise ValidationError(
                f"“{parent}” is public: only an Editor adds or changes its "
                f"{self._meta.model._meta.verbose_name_plural}."
            )
        return cleaned


class PublicParentAdmin(ScaleMixin, PublicParentMixin, OptimisticLockMixin, SimpleHistoryAdmin):
    """Standalone page of a link kind."""

    def has_change_permission(self, request, obj=None):
        if self._parent_locked(request, self._parent_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._parent_locked(request, self._parent_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not review.may_review(request.user):
            actions.pop("delete_selected", None)  # a bulk delete cannot check each parent
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"parent_field": self.parent_field, "reviewer": review.may_review(request.user)}
        return type(form.__name__, (PublicParentForm, form), attrs)
