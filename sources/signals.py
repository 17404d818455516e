"""Every signal receiver of the archive, in one place, each with an explicit sender.

``connect()`` is called once from ``SourcesConfig.ready()``. What the receivers keep
true, whatever writes the row (the admin, the importer, ``loaddata``, a shell):

- derived fields: EDTF date bounds, folded variant names, a record's search names;
- old addresses: a changed slug keeps redirecting (``SlugRedirect``);
- the search index and the kept counts (``sources.search.index``);
- the archive version: replaced by a change the public can see, so cached pages go
  stale. History rows, mention proposals, kept counts and the version row itself are
  not public and never replace it.

Order matters in one place: a record's search names are refreshed before the documents
naming it are re-indexed, so both happen in the same receiver.

Fixture loads (``raw`` saves) skip what a load does once at its end: ``load_corpus`` and
``import_archive`` bump the version and the index flushes when the load commits.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import (
    ArchiveVersion,
    Document,
    DocumentAgent,
    DocumentEvent,
    Entity,
    Event,
    EventParticipant,
    EventPlace,
    Mention,
    NameVariant,
    Organization,
    Person,
    Place,
    Repository,
    SlugRedirect,
    WorkCited,
)
from .models.redirects import remember_document_slug, remember_entity_slug
from .search import index
from .text import fold

# Saving a Person sends pre_save/post_save with sender=Person only (never Entity), so a
# receiver for records is connected to each kind and to Entity itself.
RECORD_MODELS = (Entity, Person, Place, Organization, Event)
DATED_MODELS = (Document, *RECORD_MODELS)
# What a reader can see: a change to any of these replaces the archive version.
PUBLIC_MODELS = (
    Document,
    DocumentAgent,
    DocumentEvent,
    WorkCited,
    Mention,
    *RECORD_MODELS,
    NameVariant,
    EventPlace,
    EventParticipant,
    Repository,
    SlugRedirect,
)
# Many-to-many fields whose .add()/.remove() send m2m_changed (their through models).
PUBLIC_LINKS = (Document.agents.through, Event.places.through, Event.participants.through)


# --- Derived fields ---------------------------------------------------------------------


def set_date_bounds(sender, instance, **kwargs) -> None:
    instance.set_date_bounds()


def fold_variant(sender, instance: NameVariant, **kwargs) -> None:
    instance.folded = fold(instance.name)


def record_saved(sender, instance: Entity, raw: bool = False, **kwargs) -> None:
    if instance.refresh_search_names():
        index.names_changed(instance.pk, raw)


def variant_changed(sender, instance: NameVariant, raw: bool = False, **kwargs) -> None:
    if Entity(pk=instance.entity_id).refresh_search_names():
        index.names_changed(instance.entity_id, raw)


# --- Old addresses ------------------------------------------------------------------------


def document_slug(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    # Fixture loads (raw) identify rows by slug: a changed slug there is a new row.
    if not raw:
        remember_document_slug(instance)


def record_slug(sender, instance: Entity, raw: bool = False, **kwargs) -> None:
    if not raw:
        remember_entity_slug(instance)


# --- Search index -------------------------------------------------------------------------


def document_saved(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    index.document_saved(instance, raw)


def document_deleting(sender, instance: Document, **kwargs) -> None:
    index.document_deleting(instance)


def document_deleted(sender, instance: Document, **kwargs) -> None:
    index.document_deleted(instance)


def mention_saving(sender, instance: Mention, raw: bool = False, **kwargs) -> None:
    index.mention_saving(instance, raw)


def mention_changed(sender, instance: Mention, raw: bool = False, **kwargs) -> None:
    index.mention_changed(instance, raw)


LINK_FIELDS = {DocumentAgent: "entity", DocumentEvent: "event"}


def link_saving(sender, instance, raw: bool = False, **kwargs) -> None:
    index.link_saving(instance, LINK_FIELDS[sender], raw)


def link_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    index.link_changed(instance, LINK_FIELDS[sender], raw)


# --- Archive version ----------------------------------------------------------------------


def public_change(sender, raw: bool = False, **kwargs) -> None:
    if not raw:
        ArchiveVersion.objects.bump()


def public_links_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        ArchiveVersion.objects.bump()


def connect() -> None:
    """Connect every receiver (idempotent: each has a dispatch_uid)."""

    def on(signal, receiver, sender, name: str) -> None:
        signal.connect(receiver, sender=sender, dispatch_uid=f"sources.{name}.{sender.__name__}")

    for model in DATED_MODELS:
        on(pre_save, set_date_bounds, model, "date_bounds")
    on(pre_save, fold_variant, NameVariant, "fold_variant")
    on(pre_save, document_slug, Document, "slug_redirect")
    for model in RECORD_MODELS:
        on(pre_save, record_slug, model, "slug_redirect")
        on(post_save, record_saved, model, "search_names")
    on(post_save, variant_changed, NameVariant, "search_names")
    on(post_delete, variant_changed, NameVariant, "search_names_gone")

    on(post_save, document_saved, Document, "index")
    on(pre_delete, document_deleting, Document, "index_deleting")
    on(post_delete, document_deleted, Document, "index_deleted")
    on(pre_save, mention_saving, Mention, "index_saving")
    on(post_save, mention_changed, Mention, "index")
    on(post_delete, mention_changed, Mention, "index_deleted")
    for model in LINK_FIELDS:
        on(pre_save, link_saving, model, "index_saving")
        on(post_save, link_changed, model, "index")
        on(post_delete, link_changed, model, "index_deleted")

    for model in PUBLIC_MODELS:
        on(post_save, public_change, model, "archive_version")
        on(post_delete, public_change, model, "archive_version_deleted")
    for through in PUBLIC_LINKS:
        on(m2m_changed, public_links_changed, through, "archive_version_links")
