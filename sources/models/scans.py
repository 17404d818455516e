"""Scans: the page images of a document (its originals, one click from the
transcription) and the page breaks a curator places in the text to tie a stretch of
the transcription to the image it was read from.

Files are kept through Django's storage API under a random key per image
(``scans/<key>/…``), never under the document's slug, and are served only through a
view that checks the document is published (``sources.scans.views``)."""

from __future__ import annotations

import difflib
import uuid

from django.db import models
from simple_history.models import HistoricalRecords

from .choices import PublicationStatus
from .mixins import TimeStampedModel


class DerivativeState(models.TextChoices):
    PENDING = "pending", "waiting to be made"
    READY = "ready", "ready"
    FAILED = "failed", "failed"


class PageImageQuerySet(models.QuerySet):
    def published(self) -> PageImageQuerySet:
        return self.filter(document__status=PublicationStatus.PUBLISHED)

    def ready(self) -> PageImageQuerySet:
        return self.filter(derivatives=DerivativeState.READY)


class PageImage(TimeStampedModel):
    """One scanned page (or side of a leaf) of a document, in reading order."""

    document = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="page_images")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.PositiveIntegerField(
        default=0, help_text="Position among the document's images: lower comes first."
    )
    label = models.CharField(
        max_length=60, help_text="As the page is cited: 'l. 4', 'l. 4 verso', 'p. 2'."
    )
    description = models.TextField(
        blank=True, help_text="What the image shows, for readers who cannot see it."
    )
    # Stored by ``sources.scans.services`` under ``scans/<key>/original.<suffix>``.
    original = models.FileField(upload_to="scans/", max_length=255, editable=False)
    media_type = models.CharField(max_length=40, editable=False, default="image/jpeg")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    derivatives = models.CharField(
        "derivatives",
        max_length=10,
        choices=DerivativeState,
        default=DerivativeState.PENDING,
        db_index=True,
        editable=False,
    )
    derivatives_error = models.CharField(max_length=500, blank=True, editable=False)

    objects = PageImageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "order", "pk"]
        verbose_name = "page image"
        verbose_name_plural = "page images"
        indexes = [models.Index(fields=["document", "order"], name="pageimage_document_order")]

    def __str__(self) -> str:
        return f"{self.label} of {self.document}" if self.document_id else self.label

    @property
    def folder(self) -> str:
        return f"scans/{self.key.hex}"

    @property
    def is_ready(self) -> bool:
        return self.derivatives == DerivativeState.READY


class PageBreakQuerySet(models.QuerySet):
    def follow_edit(self, old_text: str, new_text: str) -> tuple[int, int]:
        """After an edit of the document's text, move each break with the text around
        it (difflib's matching blocks, as mentions move); a break whose surroundings
        were rewritten keeps its place, clamped to the text, and is flagged for review.
        Returns (moved or kept, flagged)."""
        breaks = list(self)
        if not breaks:
            return 0, 0
        matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        kept = flagged = 0
        for page_break in breaks:
            new_position = _follow(page_break.position, old_text, new_text, blocks)
            if new_position is None:
                page_break.position = min(page_break.position, len(new_text))
                page_break.needs_review = True
                flagged += 1
            else:
                page_break.position = new_position
                kept += 1
            self.model.objects.filter(pk=page_break.pk).update(
                position=page_break.position, needs_review=page_break.needs_review
            )
        return kept, flagged


def _follow(position: int, old_text: str, new_text: str, blocks) -> int | None:
    if position >= len(old_text):
        return len(new_text)  # a break at the very end stays at the end
    for block in blocks:
        # The character after the break must survive the edit unchanged.
        if block.a <= position < block.a + block.size:
            return block.b + (position - block.a)
    return None


class PageBreak(models.Model):
    """Where, in the transcription, the text of a page image begins ("l. 4")."""

    document = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="page_breaks")
    image = models.ForeignKey(PageImage, on_delete=models.CASCADE, related_name="breaks")
    position = models.PositiveIntegerField(
        help_text="Character offset in the transcription where this page begins (0 = the start)."
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="Set when an edit of the text rewrote the words around this break: "
        "check its position, then clear the flag.",
    )

    objects = PageBreakQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "position", "pk"]
        verbose_name = "page break"
        verbose_name_plural = "page breaks"
        constraints = [
            models.UniqueConstraint(fields=["document", "image"], name="pagebreak_one_per_image")
        ]

    def __str__(self) -> str:
        return f"{self.image.label} at {self.position}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.image_id and self.document_id and self.image.document_id != self.document_id:
            raise ValidationError({"image": "Choose an image of this document."})
        if self.document_id and self.position > len(self.document.transcription or ""):
            raise ValidationError({"position": "Beyond the end of the transcription."})
