"""Mentions: a place in a document's text that names a record, in the words used
there; and the mentions the finder proposes for a curator to accept or reject."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
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
    def get_by_natural_key(
        self,
        document_slug: str,
        entity_slug: str,
        start: int,
        language: str | None = None,
        kind: str | None = None,
    ):
        """A mention of the primary text by (document, record, start); of a further
        text with that text's language and kind after them (issue 14)."""
        where = Q(document_text__isnull=True)
        if language is not None:
            where = Q(document_text__language=language, document_text__kind=kind)
        return self.get(where, document__slug=document_slug, entity__slug=entity_slug, start=start)

    def primary(self) -> MentionQuerySet:
        """Mentions of the document's primary text (its transcription)."""
        return self.filter(document_text__isnull=True)

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
                # The text the mention is in: the transcription, or a further text.
                Case(
                    When(document_text__isnull=True, then=F("document__transcription")),
                    default=F("document_text__text"),
                ),
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
    # Issue 14: the further text the words are in; empty for the primary transcription.
    document_text = models.ForeignKey(
        "DocumentText",
        verbose_name="in text",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentions",
        help_text="Leave empty for the document's primary text (its transcription).",
    )
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
                fields=["document", "entity", "start"],
                condition=Q(document_text__isnull=True),
                name="mention_unique_position",
            ),
            models.UniqueConstraint(
                fields=["document_text", "entity", "start"],
                condition=Q(document_text__isnull=False),
                name="mention_unique_position_in_text",
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
        return f"{self.document.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of these words on the document page, in whichever text they are."""
        if self.document_text_id is None:
            return f"m{self.start}"
        return f"{self.document_text.mention_prefix}{self.start}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        data = instance.__dict__
        if all(name in data for name in ("document_text_id", "start", "end", "text")):
            instance._stored_span = (
                data["document_text_id"],
                data["start"],
                data["end"],
                data["text"],
            )
        return instance

    def natural_key(self) -> tuple:
        key = (*self.document.natural_key(), *self.entity.natural_key(), self.start)
        if self.document_text_id is None:
            return key
        return (*key, self.document_text.language, self.document_text.kind)

    natural_key.dependencies = ["sources.document", "sources.entity", "sources.documenttext"]

    def source_text(self) -> str:
        """The text these offsets are counted in."""
        text = self.document_text  # set, or unsaved yet on its own add page
        return text.text if text is not None else self.document.transcription

    def clean(self) -> None:
        """The words must be the text's own at these offsets, in the text they belong
        to: a mention of the Russian original is checked against the Russian."""
        super().clean()
        text = self.document_text
        if (
            text is not None
            and self.document_id is not None
            and text.document_id != self.document_id
        ):
            raise ValidationError({"document_text": "That text belongs to another document."})
        if self.document_id is None or self.start is None or self.end is None:
            return
        span = (self.document_text_id, self.start, self.end, self.text)
        if self.pk is not None and getattr(self, "_stored_span", None) == span:
            return  # unchanged: a stale one is flagged for review (follow_edit), not refused
        found = self.source_text()[self.start : self.end]
        if self.text and found != self.text:
            message = f"The text at {self.start}–{self.end} reads “{found}”, not “{self.text}”."
            raise ValidationError({"start": message})


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
