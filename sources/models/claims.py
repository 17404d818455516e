"""Claims: what one source says about a record or a document (the factoid model of
prosopography, as in People of Medieval Scotland and the Digital Prosopography of the
Roman Republic). Historians weigh claims, not facts: the date of the People's Congress
is "21 November 1945" in one source and "December" in another, and the archive keeps
both, each with the words that make it, and says which reading it prefers and why.

A claim is about exactly one subject: a record (a person, place, organization or
event) or a document (who wrote a telegram). Claims about the same subject, property
and aspect form one *point*; ``sources.claims`` decides whether the sources agree on
it or disagree.

Every link is PROTECT: a claim is curated work, and deleting the document that makes
it, or the record it is about, must not silently delete it too.
"""

from __future__ import annotations

import builtins
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..text import dates
from .choices import Certainty, EntityKind, PublicationStatus
from .mixins import edtf_field

MAX_PASSAGE = 600  # characters: a sentence or two, and within a unique index's reach


class ClaimProperty(models.TextChoices):
    DATE = "date", "date"
    PLACE = "place", "place"
    NUMBER = "number", "number or size"
    PARTICIPANT = "participant", "participant"
    IDENTITY = "identity", "author or identity"
    OTHER = "other", "other"


# Which kinds of record a claim's value may name, by property (none: any kind).
VALUE_RECORD_KINDS = {
    ClaimProperty.PLACE: (EntityKind.PLACE,),
    ClaimProperty.PARTICIPANT: (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE),
    ClaimProperty.IDENTITY: (EntityKind.PERSON, EntityKind.ORGANIZATION),
}

_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Runs of white space as one space: a passage copied from a page keeps its words,
    not the transcription's line breaks."""
    return _SPACES.sub(" ", text or "").strip()


def passage_occurs(passage: str, text: str) -> bool:
    """Whether ``passage`` is in ``text`` word for word (white space aside)."""
    wanted = squeeze(passage)
    return bool(wanted) and wanted in squeeze(text)


class ClaimQuerySet(models.QuerySet):
    def get_by_natural_key(
        self,
        record_slug: str,
        document_slug: str,
        property: str,
        aspect: str,
        source_slug: str,
        passage: str,
    ):
        subject = Q(record__slug=record_slug) if record_slug else Q(document__slug=document_slug)
        return self.get(
            subject,
            property=property,
            aspect=aspect,
            source__slug=source_slug,
            passage=passage,
        )

    def public(self) -> ClaimQuerySet:
        """What readers may see: claims made by published documents, about a record or
        a published document."""
        return self.filter(source__status=PublicationStatus.PUBLISHED).filter(
            Q(record__isnull=False) | Q(document__status=PublicationStatus.PUBLISHED)
        )

    def for_display(self) -> ClaimQuerySet:
        """A claim with its source's citation line and its value's record, in one query,
        never loading a transcription."""
        return self.select_related("source", "value_record", "record", "document").defer(
            "source__transcription",
            "source__search_terms",
            "source__search_vector",
            "source__editorial_notes",
            "source__rights",
            "document__transcription",
            "document__search_terms",
            "document__search_vector",
            "document__editorial_notes",
            "document__rights",
        )


class Claim(models.Model):
    """What one source says about one property of a record or a document, in its words."""

    record = models.ForeignKey(
        "Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The record the claim is about (leave empty for a claim about a document).",
    )
    document = models.ForeignKey(
        "Document",
        verbose_name="about document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_about",
        help_text="The document the claim is about, e.g. who wrote it (leave empty for a "
        "claim about a record).",
    )
    property = models.CharField(
        "what is claimed", max_length=12, choices=ClaimProperty, db_index=True
    )
    aspect = models.CharField(
        max_length=120,
        blank=True,
        help_text="Which one, when a subject has several claims of one kind: 'size of the "
        "Iranian force', 'volunteers killed or wounded'. Claims with the same subject, "
        "property and aspect are compared.",
    )
    value_text = models.CharField(
        "value as shown",
        max_length=255,
        help_text="The value in words readers see: 'December 1945', '800 men', 'Bagirov'.",
    )
    value_edtf = edtf_field(
        "value as a date (EDTF)",
        "For a date: what the source says, in EDTF (1945-11-21, 1945-12, 1946-04-17/1946-04-21).",
    )
    value_record = models.ForeignKey(
        "Entity",
        verbose_name="value as a record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_as_value",
        help_text="For a place, a participant, an author or an identity: the record named.",
    )
    value_number = models.BigIntegerField(
        "value as a number", null=True, blank=True, help_text="For a number or size: 800."
    )
    source = models.ForeignKey(
        "Document",
        verbose_name="source making the claim",
        on_delete=models.PROTECT,
        related_name="claims_made",
    )
    passage = models.CharField(
        "quoted passage",
        max_length=MAX_PASSAGE,
        help_text="The exact words of the source that make the claim, copied from its text.",
    )
    attributed_to = models.CharField(
        "whose account",
        max_length=255,
        blank=True,
        help_text="When the source reports someone else's account: 'General Azimi's "
        "report of 17 April 1946'.",
    )
    certainty = models.CharField(
        max_length=10,
        choices=Certainty,
        default=Certainty.CERTAIN,
        help_text="How surely the passage makes this claim: certain (in so many words), "
        "probable (it implies it), uncertain (it can be read so).",
    )
    note = models.TextField(
        "curator's note", blank=True, help_text="For readers: how the passage is read, and why."
    )
    preferred = models.BooleanField(
        "preferred reading",
        default=False,
        help_text="The archive's preferred reading of this point (at most one per point).",
    )
    preferred_reason = models.TextField(
        "why preferred", blank=True, help_text="Required for the preferred reading."
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["record_id", "document_id", "property", "aspect", "-preferred", "pk"]
        verbose_name = "claim"
        verbose_name_plural = "claims (what sources say)"
        indexes = [
            models.Index(fields=["record", "property", "aspect"], name="claim_record_point"),
            models.Index(fields=["document", "property", "aspect"], name="claim_document_point"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(record__isnull=False, document__isnull=True)
                | Q(record__isnull=True, document__isnull=False),
                name="claim_one_subject",
                violation_error_message="A claim is about one record or one document.",
            ),
            models.CheckConstraint(condition=~Q(value_text=""), name="claim_value_shown"),
            models.CheckConstraint(condition=~Q(passage=""), name="claim_passage_quoted"),
            models.CheckConstraint(
                condition=Q(property__in=ClaimProperty.values), name="claim_property_valid"
            ),
            models.CheckConstraint(
                condition=Q(certainty__in=Certainty.values), name="claim_certainty_valid"
            ),
            models.CheckConstraint(
                condition=Q(preferred=False) | ~Q(preferred_reason=""),
                name="claim_preference_explained",
                violation_error_message="Say why this is the preferred reading.",
            ),
            models.UniqueConstraint(
                fields=["record", "property", "aspect", "source", "passage"],
                condition=Q(record__isnull=False),
                name="claim_unique_about_record",
                violation_error_message="This source already makes this claim with these words.",
            ),
            models.UniqueConstraint(
                fields=["document", "property", "aspect", "source", "passage"],
                condition=Q(document__isnull=False),
                name="claim_unique_about_document",
                violation_error_message="This source already makes this claim with these words.",
            ),
            models.UniqueConstraint(
                fields=["record", "property", "aspect"],
                condition=Q(preferred=True, record__isnull=False),
                name="claim_one_preferred_about_record",
                violation_error_message="Another claim is already the preferred reading.",
            ),
            models.UniqueConstraint(
                fields=["document", "property", "aspect"],
                condition=Q(preferred=True, document__isnull=False),
                name="claim_one_preferred_about_document",
                violation_error_message="Another claim is already the preferred reading.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.point_label} {self.value_text} (per {self.source})"

    def get_absolute_url(self) -> str:
        return f"{self.subject.get_absolute_url()}#claims"

    def natural_key(self) -> tuple:
        return (
            self.record.slug if self.record_id else "",
            self.document.slug if self.document_id else "",
            self.property,
            self.aspect,
            self.source.slug,
            self.passage,
        )

    natural_key.dependencies = ["sources.document", "sources.entity"]

    @builtins.property
    def subject(self):
        return self.record if self.record_id else self.document

    @builtins.property
    def point_label(self) -> str:
        """What the point is about, for headings: 'Date', 'Size of the Iranian force'."""
        words = self.aspect or self.get_property_display()
        return words[:1].upper() + words[1:]

    @builtins.property
    def edtf_bounds(self) -> dates.Bounds:
        return dates.bounds(self.value_edtf) if self.value_edtf else dates.Bounds(None, None)

    def review_subject(self):
        """What a change to this claim is reviewed as (``sources.curation.review``): a
        claim about something public is a change to what the public sees."""
        return self.subject

    def clean(self) -> None:
        """Refuse what the database cannot see: a passage that is not in the source's
        text, a date that is no EDTF, a value record of the wrong kind."""
        super().clean()
        errors: dict[str, str] = {}
        if (self.record_id is None) == (self.document_id is None):
            errors["record"] = "Choose the record or the document the claim is about (one)."
        if self.source_id is not None and self.passage:
            text = (
                type(self)
                ._meta.get_field("source")
                .related_model.objects.filter(pk=self.source_id)
                .values_list("transcription", flat=True)
                .first()
            )
            if not passage_occurs(self.passage, text or ""):
                errors["passage"] = (
                    "These words are not in the source's text: copy them exactly from it."
                )
        if self.property == ClaimProperty.DATE and not self.value_edtf:
            errors["value_edtf"] = "A date claim gives its date in EDTF (1945-12, 1945-11-21)."
        if self.property == ClaimProperty.NUMBER and self.value_number is None:
            errors["value_number"] = "A number claim gives its number (800)."
        allowed = VALUE_RECORD_KINDS.get(self.property)
        if self.value_record_id is not None and allowed is not None:
            kind = (
                type(self)
                ._meta.get_field("value_record")
                .related_model.objects.filter(pk=self.value_record_id)
                .values_list("kind", flat=True)
                .first()
            )
            if kind not in allowed:
                errors["value_record"] = (
                    f"A {self.get_property_display()} claim names a "
                    f"{' or '.join(allowed)}, not a {kind}."
                )
        if self.preferred and not (self.preferred_reason or "").strip():
            errors["preferred_reason"] = "Say why this is the preferred reading."
        if errors:
            raise ValidationError(errors)
