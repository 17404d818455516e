"""Documents and their holding archives: the publication workflow as permissioned
buttons and actions, the inlines for agents, works cited and mentions, and the
mention finder's proposals to accept or reject."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ...models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    EntityKind,
    Mention,
    MentionProposal,
    ProposalStatus,
    Repository,
    WorkCited,
)
from .. import review, workflow
from ..finder import (
    accept_proposal,
    dismissed_names,
    refresh_proposals,
    unknown_names,
)
from .base import ArchiveAdmin, PublicParentInline
from .claims import ClaimsAboutDocumentInline
from .scale import linked_count, name_index
from .texts import DocumentTextInline


def scan_inlines() -> list:
    # Page images and page breaks (issue 14): their admin lives with the scans.
    from ...scans.admin import PageBreakInline, PageImageInline

    return [PageImageInline, PageBreakInline]


@admin.register(Repository)
class RepositoryAdmin(ArchiveAdmin):
    list_display = ["name", "abbreviation", "location", "document_total"]
    search_fields = ["name", "abbreviation"]
    list_select_related = ["location"]
    autocomplete_fields = ["location"]
    prepopulated_fields = {"slug": ["abbreviation"]}

    def get_queryset(self, request):
        held = linked_count(Document, "repository")
        return super().get_queryset(request).annotate(documents_held=held)

    @admin.display(description="documents", ordering="documents_held")
    def document_total(self, obj) -> int:
        return obj.documents_held


class DocumentAgentInline(PublicParentInline, admin.TabularInline):
    model = DocumentAgent
    extra = 0
    autocomplete_fields = ["entity"]
    fields = ["role", "entity", "order", "certainty", "note"]
    verbose_name = "author, recipient or contributor"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity", "document")


class DocumentEventInline(PublicParentInline, admin.TabularInline):
    """The events this document records, reports, describes or mentions (also
    editable from each event's page)."""

    model = DocumentEvent
    fk_name = "document"
    extra = 0
    autocomplete_fields = ["event"]
    fields = ["event", "role", "certainty", "note"]
    verbose_name = "event in this document"
    verbose_name_plural = "events this document records, reports, describes or mentions"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "document")


class WorkCitedInline(PublicParentInline, admin.TabularInline):
    model = WorkCited
    extra = 0


class MentionInline(PublicParentInline, admin.TabularInline):
    """Accepted mentions. Their words and record are fixed here (one query for all
    rows, however many); new ones come from the proposals, and a mention's own page
    (the change link) edits everything."""

    model = Mention
    extra = 0
    fields = ["text", "entity", "start", "end", "role", "certainty", "needs_review", "note"]
    readonly_fields = ["text", "entity", "start", "end"]
    ordering = ["start"]
    show_change_link = True
    verbose_name_plural = "mentions (accepted)"
    classes = ["collapse"]  # folded: the battle article alone has ninety

    def get_queryset(self, request):
        # The primary text's; those of a further text are on that text's page (issue 14).
        return (
            super()
            .get_queryset(request)
            .filter(document_text__isnull=True)
            .select_related("entity", "document")
        )

    def has_add_permission(self, request, obj=None):
        return False


class ProposalForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[("", "— decide later"), ("accept", "Accept"), ("reject", "Reject")],
        required=False,
    )

    class Meta:
        model = MentionProposal
        fields: list[str] = []


CONTEXT = 60  # characters either side of a proposed mention


class MentionProposalInline(PublicParentInline, admin.TabularInline):
    """The finder's suggestions: choose Accept or Reject for each, then save."""

    model = MentionProposal
    form = ProposalForm
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["in_context", "record", "matched_name", "accept_same", "decision"]
    readonly_fields = ["in_context", "record", "matched_name", "accept_same"]
    verbose_name = "proposed mention"
    verbose_name_plural = "proposed mentions (found by name; accept or reject each)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=ProposalStatus.OPEN)
            .select_related("entity", "document")
            .order_by("start")
        )

    @admin.display(description="record")
    def record(self, obj) -> str:
        return format_html("{} ({})", obj.entity.name, obj.entity.kind)

    @admin.display(description="words around it")
    def in_context(self, obj) -> str:
        """The proposed words in their line of text, so a curator judges without
        looking the offset up: "… attacked a partisan detachment in the village of
        **Hojamir** with 25 armed horsemen …"."""
        text = obj.document.transcription
        before = text[max(0, obj.start - CONTEXT) : obj.start].split("\n")[-1]
        after = text[obj.end : obj.end + CONTEXT].split("\n")[0]
        return format_html("…{}<strong>{}</strong>{}…", before, text[obj.start : obj.end], after)

    @admin.display(description="all of this record")
    def accept_same(self, obj) -> str:
        return format_html(
            '<button type="submit" name="_accept_record" value="{}" class="button">'
            "Accept every “{}” proposal</button>",
            obj.entity_id,
            obj.entity.name,
        )


@admin.register(Document)
class DocumentAdmin(ArchiveAdmin):
    change_form_template = "admin/sources/document/change_form.html"
    list_display = [
        "title", "date_display", "document_type", "source_kind", "status", "open_proposals",
        "mentions_to_review", "published_at",
    ]  # fmt: skip
    list_filter = ["status", "document_type", "source_kind", "language", "repository"]
    search_fields = ["title", "slug", "summary", "archival_reference"]
    list_select_related = ["repository"]
    autocomplete_fields = ["repository", "origin", "destination"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date_earliest"  # the document's own date (indexed), not the row's
    readonly_fields = [
        "status", "published_at", "published_by", "date_earliest", "date_latest",
        "coverage_earliest", "coverage_latest", "names_not_yet_known", "created", "modified",
    ]  # fmt: skip
    inlines = [
        MentionProposalInline,
        MentionInline,
        DocumentTextInline,
        DocumentAgentInline,
        DocumentEventInline,
        WorkCitedInline,
        ClaimsAboutDocumentInline,
        *scan_inlines(),
    ]
    actions = ["submit_for_review", "publish", "withdraw", "return_to_draft"]
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
                    "calendar",
                ]
            },
        ),
        (
            "Text",
            {
                "fields": ["summary", "transcription", "editorial_notes", "names_not_yet_known"],
                "description": "The transcription is the document alone. After you save, "
                "the archive proposes mentions of every record it knows by any name; "
                "mentions already accepted move with their words when you edit the text, "
                "or are flagged for review.",
            },
        ),
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
        (
            "Publication",
            {
                "fields": ["status", "published_at", "published_by", "created", "modified"],
                "description": "Use the workflow buttons below the form (or the list's "
                "actions) to submit, publish or withdraw.",
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "transcription":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 24, "cols": 100})
        if db_field.name == "source_url":
            kwargs["assume_scheme"] = "https"  # what Django 6 will assume anyway
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Counted for the shown rows only (subqueries, not a join of every
            # mention and proposal); not sortable, which would count them all.
            .annotate(
                proposal_total=linked_count(
                    MentionProposal, "document", Q(status=ProposalStatus.OPEN)
                ),
                review_total=linked_count(Mention, "document", Q(needs_review=True)),
            )
        )

    @admin.display(description="proposed")
    def open_proposals(self, obj) -> int:
        return obj.proposal_total

    @admin.display(description="to review")
    def mentions_to_review(self, obj) -> int:
        return obj.review_total

    @admin.display(description="names not yet in the archive")
    def names_not_yet_known(self, obj) -> str:
        if not obj or not obj.transcription:
            return "—"
        names = unknown_names(
            obj.transcription, name_index(), limit=30, dismissed=dismissed_names()
        )
        if not names:
            return "None: every capitalised name is a known record."
        links = []
        for name in names:
            adds = format_html_join(
                " · ",
                '<a href="{}?name={}">{}</a>',
                (
                    (reverse(f"admin:sources_{kind}_add"), name, label)
                    for kind, label in [
                        (EntityKind.PERSON, "person"),
                        (EntityKind.PLACE, "place"),
                        (EntityKind.ORGANIZATION, "organization"),
                        (EntityKind.EVENT, "event"),
                    ]
                ),
            )
            dismiss = format_html(
                '<a href="{}?name={}" class="dismiss">not a name: dismiss for good</a>',
                reverse("admin:sources_dismissedname_add"),
                name,
            )
            links.append((name, adds, dismiss))
        return format_html(
            "<ul>{}</ul><p class='help'>Add one as a new record (or add the spelling as a "
            "variant of an existing one), then save this document again to propose its "
            "mentions.</p>",
            format_html_join("", "<li><strong>{}</strong>: add as {} · {}</li>", links),
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

    def save_formset(self, request, form, formset, change):
        if formset.model is not MentionProposal:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # sets the bookkeeping the change message reads
        accepted = rejected = 0
        for proposal_form in formset.forms:
            decision = proposal_form.cleaned_data.get("decision")
            proposal = proposal_form.instance
            if decision == "accept":
                accept_proposal(proposal)
                accepted += 1
            elif decision == "reject":
                proposal.status = ProposalStatus.REJECTED
                proposal.save(update_fields=["status"])
                rejected += 1
        if accepted or rejected:
            messages.info(request, f"{accepted} proposed mention(s) accepted, {rejected} rejected.")

    def save_model(self, request, obj, form, change):
        if change:
            # A form (or a history revert) restores content, never the publication
            # state: that is the workflow's (and the model refuses it otherwise).
            stored = Document.objects.filter(pk=obj.pk).values(
                "status", "published_at", "published_by"
            )
            for name, value in stored.first().items():
                setattr(obj, name if name != "published_by" else "published_by_id", value)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(request, "_pending_change", None):
            return
        count = refresh_proposals(form.instance)
        if count:
            messages.info(request, f"{count} proposed mention(s) wait for your decision.")

    # The workflow, as buttons on the change form …
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_transitions"] = (
            workflow.allowed_transitions(request.user, obj) if obj else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_accept_all" in request.POST or request.POST.get("_accept_record"):
            if review.is_public(obj) and not review.may_review(request.user):
                # The same rule as one proposal at a time: a new mention of what the
                # public sees is an Editor's act.
                self.message_user(
                    request,
                    "Mentions of a published document are accepted by an Editor.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            proposals = obj.proposals.filter(status=ProposalStatus.OPEN)
            record = request.POST.get("_accept_record", "")
            if record:
                proposals = proposals.filter(entity_id=int(record) if record.isdigit() else 0)
            accepted = 0
            for proposal in proposals.select_related("entity", "document"):
                accept_proposal(proposal)
                accepted += 1
            self.message_user(
                request, f"{accepted} proposed mention(s) accepted.", messages.SUCCESS
            )
            return HttpResponseRedirect(request.path)
        step = request.POST.get("_workflow")
        if step and not getattr(request, "_pending_change", None):
            try:
                workflow.apply(request.user, obj, step)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])),
                                  messages.ERROR)  # fmt: skip
            else:
                self.message_user(
                    request, f"“{obj}” is now {obj.get_status_display()}.", messages.SUCCESS
                )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # … and as actions on the list.
    def _apply_to_selection(self, request, queryset, step: str) -> None:
        done, refused = 0, []
        for document in queryset:
            try:
                workflow.apply(request.user, document, step)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(f"{document}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            self.message_user(request, f"{done} document(s) updated.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply_to_selection(request, queryset, "submit")

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request, queryset):
        self._apply_to_selection(request, queryset, "publish")

    @admin.action(description="Withdraw from public view", permissions=["publish"])
    def withdraw(self, request, queryset):
        self._apply_to_selection(request, queryset, "withdraw")

    @admin.action(description="Return to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._apply_to_selection(request, queryset, "return_to_draft")
