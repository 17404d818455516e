"""Mentions: a place in a document's text that names a record, in the words used
there; and the mentions the finder proposes for a curator to accept or reject."""

from __future__ import annotations

from django.db import models
from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import Greatest, Length, Substr
from django.db.models.lookups import Exact
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..text import fold
from ..text.anchoring import reanchor
from .choices import Certainty, MentionRole, ProposalStatus, PublicationStatus
from .entities import Entity

_PARKING = 1_000_000_000  # beyond any text, inside a 32-bit integer


class MentionQuerySet(models.QuerySet):
    def get_by_natural_key(self, document_slug: str, entity_slug: str, start: int):
        return self.get(document__slug=document_slug, entity__slug=entity_slug, start=start)

    def published(self) -> MentionQuerySet:
        return self.filter(document__status=PublicationStatus.PUBLISHED)

    def with_context(self, width: int = 300) -> MentionQuerySet:
        """Annotate each mention with the stretch of its document's text around it.

        ``context`` holds up to ``width`` characters either side, cut by the database,
        so quoting a mention never loads a whole transcription; ``context_offset`` is
        where that stretch starts in the text (0-based).
        """
        first = Greatest(
            F("start") - Value(width) + Value(1), Value(1), output_field=IntegerField()
        )
        return self.annotate(
            context_offset=models.ExpressionWrapper(first - Value(1), output_field=IntegerField()),
            context=Substr(
                "document__transcription",
                first,
                models.ExpressionWrapper(
                    F("end") + Value(width + 1) - first, output_field=IntegerField()
                ),
            ),
        )

    def follow_edit(self, old_text: str, new_text: str) -> tuple[int, int]:
        """After an edit of a document's text, move each of these mentions with its
        words, or flag it for review when its words changed. Returns (moved or kept,
        flagged). ``Document.save`` calls it for the document's mentions."""
        mentions = list(self.order_by("start"))
        if not mentions:
            return 0, 0
        by_start: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_start.setdefault(mention.start, []).append(mention)
        kept = flagged = 0
        changed = []
        spans = [(m.start, m.end, m.text) for m in mentions]
        for old_start, new_start in reanchor(old_text, new_text, dict.fromkeys(spans)):
            for mention in by_start[old_start]:
                if mention.end - mention.start != len(mention.text):
                    continue
                if new_start is None:
                    mention.needs_review = True
                    flagged += 1
                else:
                    mention.start, mention.end = new_start, new_start + len(mention.text)
                    kept += 1
                changed.append(mention)
        # Two passes avoid transient clashes with the unique (document, entity, start) rule.
        model = self.model
        for mention in changed:
            if not mention.needs_review:
                model.objects.filter(pk=mention.pk).update(
                    start=F("start") + _PARKING, end=F("end") + _PARKING
                )
        for mention in changed:
            model.objects.filter(pk=mention.pk).update(
                start=mention.start, end=mention.end, needs_review=mention.needs_review
            )
        return kept, flagged


class Mention(models.Model):
    """A place in a document's text that names a record, in the words used there."""

    document = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mentions")
    start = models.PositiveIntegerField(help_text="Character offset where the words begin.")
    end = models.PositiveIntegerField(help_text="Character offset just after the words.")
    text = models.CharField(
        "words used", max_length=255, help_text="The exact words of the text: 'Baghirov'."
    )
    role = models.CharField(max_length=10, choices=MentionRole, default=MentionRole.MENTIONED)
    certainty = models.CharField(
        max_length=10,
        choices=Certainty,
        default=Certainty.CERTAIN,
        help_text="How sure we are that these words refer to this record.",
    )
    note = models.CharField(max_length=500, blank=True)
    needs_review = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Set when an edit of the text changed these words: check the position "
        "and the words, then clear the flag.",
    )

    objects = MentionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "start"]
        verbose_name = "mention"
        verbose_name_plural = "mentions"
        indexes = [models.Index(fields=["entity", "document"], name="mention_entity_document")]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "entity", "start"], name="mention_unique_position"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="mention_span_positive"),
            models.CheckConstraint(
                condition=Exact(Length("text"), F("end") - F("start")),
                name="mention_span_matches_words",
                violation_error_message="The words used must be exactly end − start characters.",
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.text}” → {self.entity} in {self.document}"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#m{self.start}"

    def natural_key(self) -> tuple:
        return (*self.document.natural_key(), *self.entity.natural_key(), self.start)

    natural_key.dependencies = ["sources.document", "sources.entity"]


class MentionProposal(models.Model):
    """A mention the finder suggests; a curator accepts (it becomes a Mention) or
    rejects it (kept, so the finder does not suggest it again)."""

    document = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="proposals")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="proposals")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField("words found", max_length=255)
    matched_name = models.CharField(
        max_length=255, help_text="The folded name or variant the words matched."
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus, default=ProposalStatus.OPEN, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "entity"]
        verbose_name = "proposed mention"
        verbose_name_plural = "proposed mentions"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "entity", "start"], name="mentionproposal_unique"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="proposal_span_positive"),
        ]

    def __str__(self) -> str:
        return f"“{self.text}” → {self.entity}?"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()


class DismissedName(models.Model):
    """A capitalised word or phrase a curator judged no name ("Result", "Homes"): the
    mention finder never lists it again under "names not yet in the archive", in any
    document. Stored folded, so every spelling of it is dismissed at once."""

    name = models.CharField(max_length=255, help_text="As it appears in the text.")
    folded = models.CharField(max_length=255, unique=True, editable=False)
    note = models.CharField(
        max_length=255, blank=True, help_text="Why it is no name, if not obvious."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["folded"]
        verbose_name = "dismissed name"
        verbose_name_plural = "dismissed names (never offered as new names)"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.folded = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("admin:sources_dismissedname_change", args=[self.pk])
