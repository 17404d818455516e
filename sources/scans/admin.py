"""The curators' side of scans: page images and page breaks as inlines of a document
(upload, order, label, describe; place breaks in the text), and their own pages with
history. Deleting a page image is an Editor's act: only the Editor group holds
``delete_pageimage`` (migration 0011), and while the document is public only an Editor
changes its images at all (``PublicParentInline``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..curation.admin.base import PublicParentInline
from ..models import PageBreak, PageImage
from . import derivatives
from .services import store
from .uploads import ScanRefused, prepare


class PageImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Scan",
        required=False,
        help_text="JPEG, PNG or TIFF, or a PDF (each page becomes an image). Checked by "
        "content; thumbnails and zoom tiles are made after you save.",
    )

    class Meta:
        model = PageImage
        fields = ["upload", "order", "label", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new upload may leave it empty: a PDF's pages are labelled "p. 1", "p. 2"…
        self.fields["label"].required = False
        self.fields["order"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        self.pages = []
        if self.instance.pk:
            if not cleaned.get("label"):
                self.add_error("label", "Give the page's label, as it is cited: 'l. 4'.")
            if cleaned.get("order") is None:
                cleaned["order"] = self.instance.order
            if upload:
                self.add_error(
                    "upload", "To replace a scan, delete this image and upload the new one."
                )
            return cleaned
        if not upload:
            if self.has_changed():
                self.add_error("upload", "Choose the scan to upload.")
            return cleaned
        try:
            self.pages = [(upload.name, page) for page in prepare(upload.name, upload.read())]
        except ScanRefused as error:
            self.add_error("upload", error.messages[0])
        return cleaned


class PageImageFormSet(forms.BaseInlineFormSet):
    def save_new(self, form, commit=True):
        """Store the checked pages (a PDF gives several), the first with the form's
        label, order and description."""
        data = form.cleaned_data
        images = store(
            self.instance,
            form.pages,
            labels=[data.get("label") or ""],
            descriptions=[data.get("description") or ""],
        )
        if data.get("order"):
            for offset, image in enumerate(images):
                image.order = data["order"] + offset
                image.save(update_fields=["order"])
        self.created_images = [*getattr(self, "created_images", []), *images]
        return images[0]

    def save(self, commit=True):
        saved = super().save(commit)
        created = [image.pk for image in getattr(self, "created_images", [])]
        if created:
            # After the commit, not while the curator's transaction holds its locks.
            transaction.on_commit(
                lambda: derivatives.make_all(PageImage.objects.filter(pk__in=created))
            )
        return saved


class PageImageInline(PublicParentInline, admin.StackedInline):
    model = PageImage
    form = PageImageForm
    formset = PageImageFormSet
    parent_field = "document"
    extra = 0  # "Add another page image" adds an upload row
    fields = ["preview", "upload", "order", "label", "description", "size", "derivatives"]
    readonly_fields = ["preview", "size", "derivatives"]
    verbose_name_plural = "page images (scans)"

    @admin.display(description="Image")
    def preview(self, obj: PageImage) -> str:
        if not obj.pk or not obj.is_ready:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="120">',
            reverse("scans:thumb", kwargs={"key": obj.key.hex}),
            obj.label,
        )

    @admin.display(description="Pixels")
    def size(self, obj: PageImage) -> str:
        return f"{obj.width} × {obj.height}" if obj.pk else "—"


class PageBreakInline(PublicParentInline, admin.TabularInline):
    model = PageBreak
    parent_field = "document"
    extra = 0
    fields = ["image", "position", "needs_review"]
    verbose_name_plural = "page breaks in the text (where each image's text begins)"

    def get_formset(self, request, obj=None, **kwargs):
        self._document = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "image":
            document = getattr(self, "_document", None)
            kwargs["queryset"] = (
                PageImage.objects.filter(document=document)
                if document is not None
                else PageImage.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PageImage)
class PageImageAdmin(SimpleHistoryAdmin):
    """Each image with its history; uploads happen on the document's page."""

    list_display = ["label", "document", "order", "width", "height", "derivatives"]
    list_filter = ["derivatives"]
    search_fields = ["label", "description", "document__title"]
    list_select_related = ["document"]
    fields = ["document", "order", "label", "description", "width", "height", "derivatives",
              "derivatives_error"]  # fmt: skip
    readonly_fields = ["document", "width", "height", "derivatives", "derivatives_error"]

    def has_add_permission(self, request):
        return False


@admin.register(PageBreak)
class PageBreakAdmin(SimpleHistoryAdmin):
    list_display = ["image", "document", "position", "needs_review"]
    list_filter = ["needs_review"]
    list_select_related = ["image", "document"]
    autocomplete_fields = ["document"]
