"""A document's further texts (issue 14): the original beside the English transcription,
or more translations. ``Document.transcription`` stays the primary text; each
``DocumentText`` is another version of the same source, in its own language, with its
own mentions (``Mention.document_text``) and its own search configuration."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .choices import Language, PublicationStatus
from .mixins import TimeStampedModel


class TextKind(models.TextChoices):
    ORIGINAL = "original", "original"
    TRANSLATION = "translation", "translation"


class DocumentTextQuerySet(models.QuerySet):
    def get_by_natural_key(self, document_slug: str, language: str, kind: str):
        return self.get(document__slug=document_slug, language=language, kind=kind)

    def published(self) -> DocumentTextQuerySet:
        return self.filter(document__status=PublicationStatus.PUBLISHED)


class DocumentText(TimeStampedModel):
    """Another text of a document: its original, or a further translation."""

    document = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8, choices=Language)
    kind = models.CharField(max_length=12, choices=TextKind, default=TextKind.TRANSLATION)
    translator = models.CharField(
        max_length=255, blank=True, help_text="Who translated it, for a translation, if known."
    )
    source_note = models.CharField(
        "source",
        max_length=500,
        blank=True,
        help_text="Where this text comes from: the archive file, the edition, the site.",
    )
    text = models.TextField(
        help_text="The text alone, as in the source. Editing it may move its mentions."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Texts are shown in this order, after the primary text."
    )

    objects = DocumentTextQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["document", "order", "pk"]
        verbose_name = "further text"
        verbose_name_plural = "further texts (originals and translations)"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "kind"], name="documenttext_unique_language_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TextKind.values), name="documenttext_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.get_kind_display()} of {self.document}"

    def natural_key(self) -> tuple:
        return (*self.document.natural_key(), self.language, self.kind)

    natural_key.dependencies = ["sources.document"]

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of this text on the document page, stable across edits of the text."""
        return f"text-{self.language}-{self.kind}"

    @property
    def mention_prefix(self) -> str:
        """Mention anchors in this text: ``#<prefix><start>``, never clashing with the
        primary text's ``#m<start>``."""
        return f"{self.language}-{self.kind}-m"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_text = instance.__dict__.get("text")
        return instance

    def clean(self) -> None:
        from .documents import MAX_TEXT_BYTES, text_too_long

        super().clean()
        size = len((self.text or "").encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            raise ValidationError({"text": text_too_long(size)})

    def save(self, *args, **kwargs) -> None:
        old_text = getattr(self, "_stored_text", None)
        super().save(*args, **kwargs)
        if old_text is not None and old_text != self.text:
            # As Document.save does for the transcription: mentions follow their words.
            self.mentions.all().follow_edit(old_text, self.text)
        self._stored_text = self.text
