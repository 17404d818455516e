"""Every signal receiver of the archive, in one place, each with an explicit sender.

``connect()`` is called once from ``SourcesConfig.ready()``. What the receivers keep
true, whatever writes the row (the admin, the importer, ``loaddata``, a shell):

- derived fields: EDTF date bounds, folded variant names, a record's search names;
- old addresses: a changed slug keeps redirecting (``SlugRedirect``);
- the search index and the kept counts (``sources.search.index``);
- the page cache's change tokens (``sources.caching``): a change bumps the tokens of
  what it touches (a document, the records it names, the lists), so only the pages
  showing it go stale; a change the public can see also replaces the archive version
  (the kept counts are keyed on it). Drafts, history rows, mention proposals, kept
  counts and the tokens themselves are not public and bump nothing.
- what a page being rendered loads (``post_init`` of documents, records, holding
  archives) is what the page depends on.

Order matters in one place: a record's search names are refreshed before the documents
naming it are re-indexed, so both happen in the same receiver.

Fixture loads (``raw`` saves) skip what a load does once at its end: ``load_corpus`` and
``import_archive`` bump the version and the index flushes when the load commits.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)

from . import caching
from .models import (
    ArchiveVersion,
    ChangeToken,
    Claim,
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentText,
    Entity,
    EntityKind,
    Event,
    EventParticipant,
    EventPlace,
    Mention,
    NameVariant,
    Organization,
    PageBreak,
    PageImage,
    Person,
    Place,
    PlaceContainment,
    PublicationStatus,
    Repository,
    WorkCited,
)
from .models.redirects import remember_document_slug, remember_entity_slug
from .search import index
from .text import fold

# Saving a Person sends pre_save/post_save with sender=Person only (never Entity), so a
# receiver for records is connected to each kind and to Entity itself.
RECORD_MODELS = (Entity, Person, Place, Organization, Event)
DATED_MODELS = (Document, *RECORD_MODELS)
# Many-to-many fields whose .add()/.remove() send m2m_changed (their through models).
PUBLIC_LINKS = (Document.agents.through, Event.places.through, Event.participants.through)


# --- Derived fields ---------------------------------------------------------------------


def set_date_bounds(sender, instance, **kwargs) -> None:
    instance.set_date_bounds()


def set_period_bounds(sender, instance, **kwargs) -> None:
    instance.set_period_bounds()


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


def document_text_changed(sender, instance: DocumentText, raw: bool = False, **kwargs) -> None:
    """A further text (issue 14): its document's index, page and the lists."""
    index.text_changed(instance, raw)
    if not raw and _published(instance.document_id):
        changed({caching.document_key(instance.document_id), caching.LISTS})


LINK_FIELDS = {DocumentAgent: "entity", DocumentEvent: "event"}


def link_saving(sender, instance, raw: bool = False, **kwargs) -> None:
    index.link_saving(instance, LINK_FIELDS[sender], raw)


def link_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    index.link_changed(instance, LINK_FIELDS[sender], raw)


# --- Page cache tokens and the archive version -----------------------------------------
# Each change bumps the tokens of what it touches (``sources.caching``); a change the
# public can see also replaces the archive version (the kept counts are keyed on it).
# Drafts (a document neither published before nor after the change, and everything
# attached to it) bump nothing.

ORDER_FIELDS = ("status", "date_earliest", "coverage_earliest")


def changed(keys) -> None:
    """Bump ``keys`` now, and once more when the transaction commits: a page rendered
    from the data before the commit but stored after the first bump would otherwise
    keep the new tokens (the middleware keeps no page whose tokens changed while it
    was being rendered, and the second bump is after the data is visible)."""
    keys = set(keys)
    if not keys:
        return
    ChangeToken.objects.bump(keys)
    if caching.LISTS in keys or caching.SITE in keys:
        ArchiveVersion.objects.bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: ChangeToken.objects.bump(keys))


def _named_records(document_id: int) -> set[int]:
    """The records a document's page and the records' pages link both ways."""
    named = set(Mention.objects.filter(document_id=document_id).values_list("entity_id", flat=True))
    named.update(
        DocumentAgent.objects.filter(document_id=document_id).values_list("entity_id", flat=True)
    )
    named.update(
        DocumentEvent.objects.filter(document_id=document_id).values_list("event_id", flat=True)
    )
    return named


def _published(document_id: int) -> bool:
    return Document.objects.filter(pk=document_id, status=PublicationStatus.PUBLISHED).exists()


def document_before(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    if not raw and instance.pk:
        instance._cache_before = (
            Document.objects.filter(pk=instance.pk).values(*ORDER_FIELDS).first()
        )


def document_changed(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_cache_before", None)
    instance._cache_before = None
    was_public = before is not None and before["status"] == PublicationStatus.PUBLISHED
    if not (was_public or instance.is_published):
        return  # a draft: nothing public changed
    keys = {caching.document_key(instance.pk), caching.LISTS}
    if before is None or any(before[name] != getattr(instance, name) for name in ORDER_FIELDS):
        # Published, withdrawn or moved in time: previous/next, and where it is listed
        # among the sources of the records it names.
        keys.add(caching.ORDER)
        keys.update(caching.named_key(pk) for pk in _named_records(instance.pk))
    changed(keys)


def document_deleting_tokens(sender, instance: Document, **kwargs) -> None:
    instance._cache_records = _named_records(instance.pk) if instance.is_published else None


def document_deleted_tokens(sender, instance: Document, **kwargs) -> None:
    records = getattr(instance, "_cache_records", None)
    if records is not None:
        keys = {caching.document_key(instance.pk), caching.LISTS, caching.ORDER}
        changed(keys | {caching.named_key(pk) for pk in records})


# The column of each document link that names a record (the same fields as the index's).
LINKED_RECORD = {Mention: "entity_id", **{m: f"{f}_id" for m, f in LINK_FIELDS.items()}}


def link_before(sender, instance, raw: bool = False, **kwargs) -> None:
    """A mention, agent or event link moved to another record makes the old record's
    page stale."""
    if not raw and instance.pk:
        field = LINKED_RECORD[sender]
        instance._cache_old_entity = (
            sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()
        )


def document_link_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A mention, agent, event link or work cited: its document's page, the lists, and the pages
    listing the documents naming each record it names (before and after: a record's
    page counts the records named with it)."""
    if raw or not _published(instance.document_id):
        return
    keys = {caching.document_key(instance.document_id), caching.LISTS}
    if sender is not WorkCited:
        named = _named_records(instance.document_id)
        named.update(
            pk
            for pk in (
                getattr(instance, LINKED_RECORD[sender]),
                getattr(instance, "_cache_old_entity", None),
            )
            if pk is not None
        )
        keys.update(caching.named_key(pk) for pk in named)
    changed(keys)


def record_changed(sender, instance: Entity, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    keys = {caching.record_key(instance.pk), caching.LISTS}
    if instance.kind == EntityKind.PLACE:
        keys.add(caching.PLACES)
    changed(keys)


def record_link_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A name variant, an event's place or participant: the records on both ends."""
    if raw:
        return
    ends = ("entity_id", "event_id", "place_id", "container_id")
    keys = {caching.record_key(getattr(instance, end)) for end in ends if hasattr(instance, end)}
    changed(keys | {caching.LISTS})


def repository_changed(sender, instance: Repository, raw: bool = False, **kwargs) -> None:
    if not raw:
        changed({caching.repository_key(instance.pk), caching.LISTS})


def public_links_changed(sender, instance, action: str, pk_set=None, **kwargs) -> None:
    """``.add()``/``.remove()`` on documents' agents, events' places and participants."""
    if not action.startswith("post_"):
        return
    if action == "post_clear":  # which rows went is not said: everything may show them
        changed({caching.SITE})
        return
    own = (
        caching.document_key(instance.pk)
        if isinstance(instance, Document)
        else caching.record_key(instance.pk)
    )
    if isinstance(instance, Document) and not instance.is_published:
        return
    reverse_agents = sender is Document.agents.through and not isinstance(instance, Document)
    if isinstance(instance, Document):
        others = {caching.named_key(pk) for pk in pk_set or ()}
    elif reverse_agents:
        own = caching.named_key(instance.pk)
        others = {caching.document_key(pk) for pk in pk_set or ()}
    else:
        others = {caching.record_key(pk) for pk in pk_set or ()}
    changed({own, caching.LISTS, *others})


CLAIM_ENDS = ("record_id", "document_id", "source_id")


def claim_before(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    """A claim moved to another subject or source makes the old subject's page stale."""
    if not raw and instance.pk:
        instance._cache_old_ends = (
            Claim.objects.filter(pk=instance.pk).values_list(*CLAIM_ENDS).first()
        )


def claim_changed(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    """A claim: the page of the record or document it is about (before and after), and
    the lists (``/disagreements/``); nothing when no published document makes it."""
    if raw:
        return
    ends = [tuple(getattr(instance, end) for end in CLAIM_ENDS)]
    old = getattr(instance, "_cache_old_ends", None)
    instance._cache_old_ends = None
    if old is not None:
        ends.append(old)
    if not any(_published(source_id) for *_, source_id in ends if source_id is not None):
        return
    keys = {caching.LISTS}
    for record_id, document_id, _ in ends:
        if record_id is not None:
            keys.add(caching.record_key(record_id))
        if document_id is not None:
            keys.add(caching.document_key(document_id))
    changed(keys)


def scan_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A page image or page break of a published document: its page (the viewer, the
    breaks in the text) and its manifest."""
    if raw or not _published(instance.document_id):
        return
    changed({caching.document_key(instance.document_id)})


def scan_files_gone(sender, instance: PageImage, **kwargs) -> None:
    """A deleted page image's files go once the deletion is committed (a rolled-back
    delete keeps them)."""
    from .scans.derivatives import remove

    transaction.on_commit(lambda: remove(instance))


def document_shown(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        caching.shown(caching.document_key(instance.pk))


def record_shown(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        caching.shown(caching.record_key(instance.pk))


def repository_shown(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        caching.shown(caching.repository_key(instance.pk))


def connect() -> None:
    """Connect every receiver (idempotent: each has a dispatch_uid)."""

    def on(signal, receiver, sender, name: str) -> None:
        signal.connect(receiver, sender=sender, dispatch_uid=f"sources.{name}.{sender.__name__}")

    for model in DATED_MODELS:
        on(pre_save, set_date_bounds, model, "date_bounds")
    on(pre_save, fold_variant, NameVariant, "fold_variant")
    for model in (NameVariant, PlaceContainment):
        on(pre_save, set_period_bounds, model, "period_bounds")
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
    on(post_save, document_text_changed, DocumentText, "index")
    on(post_delete, document_text_changed, DocumentText, "index_deleted")
    for model in LINK_FIELDS:
        on(pre_save, link_saving, model, "index_saving")
        on(post_save, link_changed, model, "index")
        on(post_delete, link_changed, model, "index_deleted")

    on(pre_save, document_before, Document, "cache_tokens_before")
    on(post_save, document_changed, Document, "cache_tokens")
    on(pre_delete, document_deleting_tokens, Document, "cache_tokens_deleting")
    on(post_delete, document_deleted_tokens, Document, "cache_tokens_deleted")
    for model in LINKED_RECORD:
        on(pre_save, link_before, model, "cache_tokens_before")
    for model in (Mention, DocumentAgent, DocumentEvent, WorkCited):
        on(post_save, document_link_changed, model, "cache_tokens")
        on(post_delete, document_link_changed, model, "cache_tokens_deleted")
    for model in RECORD_MODELS:
        on(post_save, record_changed, model, "cache_tokens")
        on(post_delete, record_changed, model, "cache_tokens_deleted")
    for model in (NameVariant, EventPlace, EventParticipant, PlaceContainment):
        on(post_save, record_link_changed, model, "cache_tokens")
        on(post_delete, record_link_changed, model, "cache_tokens_deleted")
    on(pre_save, claim_before, Claim, "cache_tokens_before")
    on(post_save, claim_changed, Claim, "cache_tokens")
    on(post_delete, claim_changed, Claim, "cache_tokens_deleted")
    on(post_save, repository_changed, Repository, "cache_tokens")
    on(post_delete, repository_changed, Repository, "cache_tokens_deleted")
    for through in PUBLIC_LINKS:
        on(m2m_changed, public_links_changed, through, "cache_tokens_links")
    for model in (PageImage, PageBreak):
        on(post_save, scan_changed, model, "cache_tokens")
        on(post_delete, scan_changed, model, "cache_tokens_deleted")
    on(post_delete, scan_files_gone, PageImage, "scan_files")
    # What a page being rendered loads is what it depends on (sources.caching).
    on(post_init, document_shown, Document, "cache_shown")
    for model in RECORD_MODELS:
        on(post_init, record_shown, model, "cache_shown")
    on(post_init, repository_shown, Repository, "cache_shown")
