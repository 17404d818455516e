"""A document's further texts (issue 14): the inline on the document's page, and each
text's own page, where its mentions are added by their words (the offsets are found in
that text) and checked against it. Like every link of a public document, they are an
Editor's to change while the document is public (``PublicParentMixin``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from ...models import DocumentText, Mention
from ...text.folding import on_word_boundaries
from .base import PublicParentAdmin, PublicParentInline, PublicParentMixin


class DocumentTextInline(PublicParentInline, admin.StackedInline):
    """The original or further translations, below the primary transcription."""

    model = DocumentText
    extra = 0
    fields = ["language", "kind", "translator", "source_note", "order", "text"]
    show_change_link = True  # its page adds the mentions in it
    verbose_name = "further text (original or translation)"
    verbose_name_plural = "further texts: the original, more translations"
    classes = ["collapse"]


def find_words(text: str, words: str, occurrence: int) -> int | None:
    """Where the ``occurrence``-th (1-based) appearance of ``words`` as whole words
    begins in ``text``, or None."""
    start, seen = -1, 0
    while True:
        start = text.find(words, start + 1)
        if start < 0:
            return None
        if on_word_boundaries(text, start, start + len(words)):
            seen += 1
            if seen == occurrence:
                return start


class MentionInTextForm(forms.ModelForm):
    """A mention in a further text: give the words (and which appearance of them);
    the offsets are found in this text, or given and checked against it."""

    occurrence = forms.IntegerField(
        min_value=1,
        initial=1,
        required=False,
        help_text="Which appearance of the words, when the text has them more than once.",
    )

    class Meta:
        model = Mention
        fields = ["text", "entity", "occurrence", "start", "end", "role", "certainty", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].required = False
            self.fields[name].help_text = "Found from the words when left empty."

    def clean(self):
        cleaned = super().clean()
        words = cleaned.get("text") or ""
        parent = self._parent()
        if not words or parent is None:
            return cleaned
        if cleaned.get("start") is None:
            start = find_words(parent.text, words, cleaned.get("occurrence") or 1)
            if start is None:
                raise ValidationError({"text": f"“{words}” is not in this text as whole words."})
            cleaned["start"], cleaned["end"] = start, start + len(words)
        elif cleaned.get("end") is None:
            cleaned["end"] = cleaned["start"] + len(words)
        self.instance.start, self.instance.end = cleaned["start"], cleaned["end"]
        return cleaned

    def _parent(self) -> DocumentText | None:
        """The text being edited: on its add page not saved yet, so not in the
        instance's key but in the formset's inline key field."""
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("document_text") or self.instance.document_text

    def _post_clean(self):
        # The mention belongs to the text's document: set before the model's checks.
        parent = self._parent()
        if parent is not None:
            self.instance.document_text = parent
            self.instance.document_id = parent.document_id
        super()._post_clean()


class MentionInTextInline(PublicParentMixin, admin.TabularInline):
    """On a text's page ``obj`` is the text: its document is what may be public."""

    model = Mention
    fk_name = "document_text"
    form = MentionInTextForm
    # The mention's document is its text's, set by the form: never a field to choose.
    fields = MentionInTextForm.Meta.fields
    extra = 1
    autocomplete_fields = ["entity"]
    ordering = ["start"]
    verbose_name = "mention in this text"
    verbose_name_plural = "mentions in this text (names linked to their records)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity", "document_text")

    def _locked(self, request, obj) -> bool:
        return self._parent_locked(request, getattr(obj, "document", None))

    def has_add_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_delete_permission(request, obj)


@admin.register(DocumentText)
class DocumentTextAdmin(PublicParentAdmin):
    parent_field = "document"
    list_display = ["document", "language", "kind", "translator", "order"]
    list_filter = ["language", "kind", "document__status"]
    search_fields = ["document__title", "translator", "source_note"]
    list_select_related = ["document"]
    autocomplete_fields = ["document"]
    fields = ["document", "language", "kind", "translator", "source_note", "order", "text"]
    inlines = [MentionInTextInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")
