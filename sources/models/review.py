"""Changes waiting for an Editor: what a Curator proposed for something the public sees.

A ``PendingChange`` sits beside the live row and holds the proposed field values
(JSON), who proposed them and when. The live row is untouched until an Editor
approves (``sources.curation.review.approve``), so the published version stays public
meanwhile, and a new record a Curator proposes does not exist in the public tables at
all: no public page, list, count, suggestion or search has to learn to hide it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ChangeAction(models.TextChoices):
    CREATE = "create", "new record"
    CHANGE = "change", "change"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "waiting for review"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"


class PendingChangeQuerySet(models.QuerySet):
    def open(self) -> PendingChangeQuerySet:
        return self.filter(status=ReviewStatus.OPEN)


class PendingChange(models.Model):
    """Proposed values for one document or record, waiting for an Editor's decision."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, help_text="The kind of row this change is for."
    )
    object_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The live row changed; for a new record, set when approved.",
    )
    object_repr = models.CharField(
        "for", max_length=500, help_text="The document or record, as named when proposed."
    )
    action = models.CharField(max_length=10, choices=ChangeAction)
    data = models.JSONField(help_text="The proposed values, by field name.")
    base = models.JSONField(
        default=dict, blank=True, help_text="The live values of those fields when proposed."
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus, default=ReviewStatus.OPEN, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = "change waiting for review"
        verbose_name_plural = "changes waiting for review"
        permissions = [("approve_pendingchange", "Can approve or reject curators' changes")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action=ChangeAction.CHANGE) | Q(object_id__isnull=False),
                name="pendingchange_target",
                violation_error_message="A change names the row it changes.",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.OPEN, decided_at__isnull=True)
                | (~Q(status=ReviewStatus.OPEN) & Q(decided_at__isnull=False)),
                name="pendingchange_decision_dated",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="pendingchange_status_valid"
            ),
        ]

    def __str__(self) -> str:
        what = "New record" if self.action == ChangeAction.CREATE else "Change to"
        return f"{what} “{self.object_repr}” ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("admin:sources_pendingchange_change", args=[self.pk])

    @property
    def model(self) -> type[models.Model]:
        return self.content_type.model_class()
