"""Old addresses keep working: archives are cited, so a slug that changes must keep
redirecting from its old value.

A ``SlugRedirect`` row is written automatically (from a pre_save signal in
``sources.signals``, so admin edits, scripts and shell sessions are all covered)
whenever a document's or a record's slug changes. It points at the object itself, not
at the new slug, so a slug changed twice still redirects from both old values in one hop.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .choices import RedirectKind
from .documents import Document
from .entities import Entity


class SlugRedirectQuerySet(models.QuerySet):
    def target_for(self, kind: str, old_slug: str) -> Document | Entity | None:
        """The object an old slug of this kind now belongs to, in one query."""
        found = (
            self.filter(kind=kind, old_slug=old_slug).select_related("document", "entity").first()
        )
        if found is None:
            return None
        return found.document if found.document_id else found.entity


class SlugRedirect(models.Model):
    kind = models.CharField(max_length=12, choices=RedirectKind)
    old_slug = models.SlugField(max_length=120)
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="old_slugs"
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, null=True, blank=True, related_name="old_slugs"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "old_slug"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slugredirect_unique"),
            models.CheckConstraint(
                condition=Q(document__isnull=False, entity__isnull=True)
                | Q(document__isnull=True, entity__isnull=False),
                name="slugredirect_one_target",
                violation_error_message="An old address points at a document or a record.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RedirectKind.values), name="slugredirect_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.old_slug} → {self.document or self.entity}"


def _remember_old_slug(*, kind: str, old_slug: str | None, new_slug: str, **target) -> None:
    # An address now in use again by its own object must not redirect elsewhere.
    SlugRedirect.objects.filter(kind=kind, old_slug=new_slug).delete()
    if old_slug and old_slug != new_slug:
        SlugRedirect.objects.update_or_create(
            kind=kind, old_slug=old_slug, defaults={"document": None, "entity": None, **target}
        )


def remember_document_slug(instance: Document) -> None:
    """Before a document is saved: keep its old address if its slug is changing."""
    if instance.pk is None:
        return
    old = Document.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old != instance.slug:
        _remember_old_slug(
            kind=RedirectKind.DOCUMENT, old_slug=old, new_slug=instance.slug, document=instance
        )


def remember_entity_slug(instance: Entity) -> None:
    """Before a record is saved: keep its old address if its slug is changing."""
    if instance.pk is None:
        return
    old = Entity.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old != instance.slug and instance.kind:
        _remember_old_slug(
            kind=instance.kind, old_slug=old, new_slug=instance.slug, entity=instance
        )
