"""Documents (the sources themselves), their archival context (the repository, shown to
readers as the holding archive), the people and bodies who wrote, received, obtained or
translated them, and their works cited. The mentions that tie their text to the
archive's records are in ``mentions``."""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .calendars import calendar_field
from .choices import (
    AGENT_BY,
    AGENT_KINDS,
    AGENT_VERBS,
    AgentRole,
    Certainty,
    DocumentEventRole,
    DocumentType,
    Language,
    PublicationStatus,
    SourceKind,
)
from .entities import Entity, Event, Place, PreparedLink, prefetch_present
from .mentions import Mention
from .mixins import (
    DatedModel,
    SlugQuerySet,
    TimeStampedModel,
    detail_url,
    edtf_field,
)


class Repository(TimeStampedModel):
    """An archive or library that holds originals (GAPPOD AzR, RGASPI)."""

    name = models.CharField(max_length=255, help_text="Full name in English.")
    slug = models.SlugField(max_length=120, unique=True)
    abbreviation = models.CharField(
        max_length=50, blank=True, help_text="As used in archival references: 'RGASPI'."
    )
    location = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="repositories"
    )
    description = models.TextField(blank=True)

    objects = SlugQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "holding archive"
        verbose_name_plural = "holding archives"

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('sources:document-list')}?repository={self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


# What says whether and since when the public sees a document. Only the workflow
# (``sources.curation.workflow``) changes these; any other write of a different value to
# an existing row is refused, so no route (a history revert, a form, a bulk update, a
# shell) can publish or unpublish by accident or without the publish permission.
PUBLICATION_FIELDS = ("status", "published_at", "published_by_id")
_publication_writes: ContextVar[bool] = ContextVar("publication_writes", default=False)


class PublicationChangeRefused(PermissionDenied):
    """A write tried to change a document's publication state outside the workflow."""


@contextlib.contextmanager
def publication_change() -> Iterator[None]:
    """Allow writes of the publication fields inside this block: the workflow's own
    door (and tests that set up a state directly)."""
    token = _publication_writes.set(True)
    try:
        yield
    finally:
        _publication_writes.reset(token)


class DocumentQuerySet(SlugQuerySet):
    def update(self, **kwargs) -> int:
        names = {"status", "published_at", "published_by", "published_by_id"}
        if names & kwargs.keys() and not _publication_writes.get():
            raise PublicationChangeRefused(
                "A document's publication state changes only through the workflow."
            )
        return super().update(**kwargs)

    def published(self) -> DocumentQuerySet:
        """What the public may see: published documents only."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def with_citation(self) -> DocumentQuerySet:
        """Everything a document page or citation needs, in a fixed number of queries."""
        return self.select_related("repository", "origin", "destination").prefetch_related(
            Prefetch(
                "agent_links",
                queryset=DocumentAgent.objects.select_related("entity").order_by("role", "order"),
            ),
            "works_cited",
            Prefetch(
                "event_links",
                queryset=DocumentEvent.objects.select_related("event").order_by(
                    F("event__date_earliest").asc(nulls_last=True), "event__sort_name"
                ),
            ),
        )

    def for_page(self) -> DocumentQuerySet:
        """A document page's own row, with its holding archive (and the archive's
        place) and its places of origin and destination, in one query; never its
        search columns. What it links to is loaded after it by ``load_page_links``."""
        return self.select_related("repository__location", "origin", "destination").defer(
            *SEARCH_FIELDS
        )

    def with_mentions(self) -> DocumentQuerySet:
        return self.prefetch_related(
            Prefetch("mentions", queryset=Mention.objects.select_related("entity"))
        )

    def with_scans_flag(self) -> DocumentQuerySet:
        """``has_scans``: whether the document has page images ready to show (issue 14),
        in the same query, so a page without scans asks nothing more."""
        from .scans import DerivativeState, PageImage

        ready = PageImage.objects.filter(
            document=models.OuterRef("pk"), derivatives=DerivativeState.READY
        )
        return self.annotate(has_scans=models.Exists(ready))

    def with_further_texts_flag(self) -> DocumentQuerySet:
        """Annotate ``has_further_texts`` (issue 14) in the same query, so a page loads
        a document's further texts only when it has some."""
        from .texts import DocumentText

        return self.annotate(
            has_further_texts=models.Exists(
                DocumentText.objects.filter(document_id=models.OuterRef("pk"))
            )
        )

    def in_date_order(self) -> DocumentQuerySet:
        return self.order_by(F("date_earliest").asc(nulls_last=True), "title")

    def for_lists(self) -> DocumentQuerySet:
        """Only the columns a line in a list shows (title, dates, type), so lists and
        related-document panels never load transcriptions."""
        return self.only(*LIST_FIELDS)

    def in_reading_order(self) -> DocumentQuerySet:
        """Time order for reading on: by date, then by the period covered (an undated
        interview about 1946 sits with 1946), undated last; title and id break ties so
        previous/next never skip or repeat a document."""
        return self.order_by(*READING_ORDER)

    def neighbours(self, document: Document) -> tuple[Document | None, Document | None]:
        """The documents just before and just after ``document`` in reading order.

        Keyset queries (no list of every document is loaded), each bounded by the
        document's own date so that PostgreSQL starts its ordered index scan
        (``document_reading_order``) at the document instead of at either end of the
        archive: the cost does not grow with the size of the archive. Only the columns
        a link shows are read.
        """
        key = [(field, getattr(document, field)) for field in READING_KEY]
        date = document.date_earliest
        lines = self.only(*NEIGHBOUR_FIELDS)  # what a link shows
        backwards = (
            F("date_earliest").desc(nulls_first=True),
            F("coverage_earliest").desc(nulls_first=True),
            "-title",
            "-pk",
        )
        earlier_rows = lines.filter(_keyset(key, before=True)).order_by(*backwards)
        later_rows = lines.filter(_keyset(key, before=False)).order_by(*READING_ORDER)
        if date is None:
            # Undated documents come last: earlier is an undated one before it, or else
            # the last dated document; later is only ever undated.
            earlier = earlier_rows.filter(date_earliest__isnull=True).first()
            if earlier is None:
                earlier = earlier_rows.filter(date_earliest__isnull=False).first()
            later = later_rows.filter(date_earliest__isnull=True).first()
        else:
            earlier = earlier_rows.filter(date_earliest__lte=date).first()
            later = later_rows.filter(date_earliest__gte=date).first()
            if later is None:  # the last dated document: the first undated one follows
                later = later_rows.filter(date_earliest__isnull=True).first()
        return earlier, later

    def sharing_records_with(self, document: Document) -> DocumentQuerySet:
        """Other documents that mention any record ``document`` mentions, best first.

        ``shared_count`` is the number of distinct shared records; the join that filters
        is the join that counts, so only shared records are counted.
        """
        own = Mention.objects.filter(document=document).values("entity_id")
        return (
            self.exclude(pk=document.pk)
            .filter(mentions__entity_id__in=own)
            .annotate(shared_count=Count("mentions__entity", distinct=True))
            .order_by("-shared_count", *READING_ORDER)
        )

    def mentioning(self, entity) -> DocumentQuerySet:
        """Documents that mention ``entity``, once each, in reading order."""
        mentions = Mention.objects.filter(entity=entity).values("document_id")
        return self.filter(pk__in=mentions).in_reading_order()


# What a document page shows of the rows that link to a document, by the name of the
# link (``load_page_links``). Mentions carry their records; the records' own pages
# hold the rest.
# What a document page (and its citations and linked data) shows of a record it links
# to: a name and an address, how it sorts, its authority link; an event its dates.
LINKED_RECORD_FIELDS = ("kind", "name", "slug", "sort_name", "wikidata")
LINKED_EVENT_FIELDS = (*LINKED_RECORD_FIELDS, "date_edtf", "date_written", "date_earliest")


def _linked(relation: str, fields: tuple[str, ...], *own: str) -> tuple[str, ...]:
    """``only()`` for link rows (``own`` fields) with the record at ``relation``: fewer
    columns make the query cheaper to build as well as to read."""
    return (*own, relation, *(f"{relation}__{name}" for name in fields))


# Each link's query is compiled once per process (sources.prepared).
PAGE_LINKS = (
    PreparedLink(
        "agent_links",
        lambda pk: (
            DocumentAgent.objects.filter(document_id=pk)
            .select_related("entity")
            .only(
                *_linked("entity", LINKED_RECORD_FIELDS, "document", "role", "order"),
                "certainty",
                "note",
            )
            .order_by("role", "order")
        ),
    ),
    PreparedLink("works_cited", lambda pk: WorkCited.objects.filter(document_id=pk)),
    PreparedLink(
        "event_links",
        lambda pk: (
            DocumentEvent.objects.filter(document_id=pk)
            .select_related("event")
            .only(*_linked("event", LINKED_EVENT_FIELDS, "document", "role", "certainty", "note"))
            .order_by(F("event__date_earliest").asc(nulls_last=True), "event__sort_name")
        ),
    ),
    PreparedLink(
        "mentions",
        lambda pk: (
            Mention.objects.filter(document_id=pk)
            .select_related("entity")
            .only(
                *_linked("entity", LINKED_RECORD_FIELDS, "document", "document_text", "start"),
                *("end", "text", "role", "certainty", "note", "needs_review"),
            )
        ),
    ),
)


def load_page_links(document: Document) -> None:
    """Load what a document page shows besides the document's own row: its agents,
    works cited, events and mentions (prefetched, as ``with_citation()`` and
    ``with_mentions()`` would), and set ``has_scans``, ``has_further_texts`` and
    ``has_claims``.

    One plain query first asks which of these the document has at all, so a link it
    has none of costs no query (most documents have no works cited, scans, further
    texts or claims). That query is written in SQL: on an uncached page, building and
    compiling a queryset costs several times what the database does for it."""
    from .claims import Claim
    from .scans import DerivativeState, PageImage
    from .texts import DocumentText

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    present = prefetch_present(
        document,
        PAGE_LINKS,
        {
            "has_scans": (
                f"SELECT 1 FROM {table(PageImage)} WHERE document_id = %s AND derivatives = %s",
                [DerivativeState.READY],
            ),
            "has_further_texts": (
                f"SELECT 1 FROM {table(DocumentText)} WHERE document_id = %s",
                [],
            ),
            "has_claims": (f"SELECT 1 FROM {table(Claim)} WHERE document_id = %s", []),
        },
    )
    document.has_scans = present["has_scans"]
    document.has_further_texts = present["has_further_texts"]
    document.has_claims = present["has_claims"]


# The search index's own columns (sources.search.index keeps them): no page shows them,
# and a document's tsvector is as large as its text, so pages never load them.
SEARCH_FIELDS = ("search_vector", "search_terms")

LIST_FIELDS = (
    "title", "slug", "date_edtf", "date_written", "date_earliest", "date_latest",
    "coverage_edtf", "coverage_earliest", "document_type", "source_kind", "summary",
    "calendar",
)  # fmt: skip

# A previous/next link: the title and address, and the fields that place it in time.
NEIGHBOUR_FIELDS = ("title", "slug", "date_earliest", "coverage_earliest")

# Reading order: fields compared in turn; the two dates may be empty (sorted last).
READING_KEY = ("date_earliest", "coverage_earliest", "title", "pk")
READING_ORDER = (
    F("date_earliest").asc(nulls_last=True),
    F("coverage_earliest").asc(nulls_last=True),
    "title",
    "pk",
)


# PostgreSQL keeps a document's search vector in one tsvector, at most 1 MB; a text of
# distinct words makes a vector about 1.1 times its own size, so 800 kB of text (with the
# title and the records' names beside it) always fits. That is some 130,000 words: a
# longer source is split into parts.
MAX_TEXT_BYTES = 800_000


def text_too_long(size: int) -> str:
    return (
        f"the text is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,} bytes (PostgreSQL's "
        "search index holds at most 1 MB per document): split it into parts"
    )


def is_web_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL, the only kind rendered as a link."""
    scheme, _, rest = (value or "").strip().partition(":")
    return scheme.lower() in {"http", "https"} and rest.startswith("//") and len(rest) > 2


def published_neighbours(document: Document) -> tuple[Document | None, Document | None]:
    """``Document.objects.published().neighbours(document)`` for the document page:
    the same two keyset queries (index order, so the cost does not grow with the
    archive), written in SQL from the same reading key, because building and
    compiling the two querysets costs several times what the database does for them
    on every uncached view. The rows hold only what the links show (``NEIGHBOUR_FIELDS``)."""
    from .entities import from_database

    q = connection.ops.quote_name
    fields = [
        f for f in Document._meta.concrete_fields if f.primary_key or f.name in NEIGHBOUR_FIELDS
    ]
    key = [(field, getattr(document, field)) for field in READING_KEY]
    date, coverage = q("date_earliest"), q("coverage_earliest")
    orders = {
        True: f"{date} DESC NULLS FIRST, {coverage} DESC NULLS FIRST, {q('title')} DESC, id DESC",
        False: f"{date} ASC NULLS LAST, {coverage} ASC NULLS LAST, {q('title')} ASC, id ASC",
    }
    found: list[Document | None] = []
    for before in (True, False):
        condition, params = _keyset_sql(key, before=before)
        row = None
        # Bounded by the document's own date, so the ordered index scan starts at the
        # document, not at either end of the archive (``_date_bounds``).
        for bound, bound_params in _date_bounds(document.date_earliest, before=before):
            sql = (
                f"SELECT {', '.join(q(f.column) for f in fields)} "
                f"FROM {q(Document._meta.db_table)} WHERE {q('status')} = %s "
                f"AND ({condition}) AND {bound} ORDER BY {orders[before]} LIMIT 1"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [PublicationStatus.PUBLISHED, *params, *bound_params])
                row = cursor.fetchone()
            if row is not None:
                break
        found.append(
            None
            if row is None
            else Document.from_db(
                connection.alias, [f.attname for f in fields], from_database(fields, row)
            )
        )
    return found[0], found[1]


def _date_bounds(date, *, before: bool) -> list[tuple[str, list]]:
    """The ranges to try, in turn, for the neighbour before/after a document dated
    ``date`` (undated documents come last): each is one range of the reading-order
    index, where the keyset's alternatives alone (joined by OR) made PostgreSQL scan
    the index from either end of the archive (0.2 s a query at 100,000 documents)."""
    q = connection.ops.quote_name
    column = q("date_earliest")
    if date is None:
        if before:  # an undated one before it, or else the last dated document
            return [(f"{column} IS NULL", []), (f"{column} IS NOT NULL", [])]
        return [(f"{column} IS NULL", [])]
    value = connection.ops.adapt_datefield_value(date)
    if before:
        return [(f"{column} <= %s", [value])]
    return [(f"{column} >= %s", [value]), (f"{column} IS NULL", [])]


def _keyset_sql(key: list[tuple[str, object]], *, before: bool) -> tuple[str, list]:
    """``_keyset`` as SQL (for ``published_neighbours``): the same alternatives, term
    for term."""
    q = connection.ops.quote_name
    alternatives: list[tuple[str, list]] = []
    equal: list[str] = []
    equal_params: list = []
    for field, value in key:
        column = "id" if field == "pk" else q(field)
        if value is None:
            beyond = (f"{column} IS NOT NULL", []) if before else None
            same, same_params = f"{column} IS NULL", []
        else:
            if field in ("date_earliest", "coverage_earliest"):
                value = connection.ops.adapt_datefield_value(value)
            beyond = (f"{column} {'<' if before else '>'} %s", [value])
            if not before and field in ("date_earliest", "coverage_earliest"):
                beyond = (f"({beyond[0]} OR {column} IS NULL)", beyond[1])
            same, same_params = f"{column} = %s", [value]
        if beyond is not None:
            alternatives.append((" AND ".join([*equal, beyond[0]]), [*equal_params, *beyond[1]]))
        equal.append(same)
        equal_params += same_params
    if not alternatives:
        return "1 = 0", []
    return (
        " OR ".join(f"({sql})" for sql, _ in alternatives),
        [param for _, params in alternatives for param in params],
    )


def _keyset(key: list[tuple[str, object]], *, before: bool) -> Q:
    """Rows strictly before/after ``key`` in READING_ORDER, where empty sorts last.

    Lexicographic: (a1 < b1) or (a1 = b1 and a2 < b2)…, with NULL handled explicitly
    because SQL comparisons with NULL are never true.
    """
    alternatives: list[Q] = []
    equal = Q()
    for field, value in key:
        if value is None:
            # Nothing sorts after an empty date; everything dated sorts before it.
            beyond = Q(**{f"{field}__isnull": False}) if before else None
            same = Q(**{f"{field}__isnull": True})
        else:
            lookup = "lt" if before else "gt"
            beyond = Q(**{f"{field}__{lookup}": value})
            if not before and field in ("date_earliest", "coverage_earliest"):
                beyond |= Q(**{f"{field}__isnull": True})
            same = Q(**{field: value})
        if beyond is not None:
            alternatives.append(equal & beyond)
        equal &= same
    if not alternatives:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, alternatives)


class Document(TimeStampedModel, DatedModel):
    """One source, with the archival context a citation needs."""

    EDTF_FIELDS = {
        **DatedModel.EDTF_FIELDS,
        "coverage_edtf": ("coverage_earliest", "coverage_latest"),
    }

    title = models.CharField(max_length=500)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The document's permanent address (/documents/<slug>/); changing it "
        "keeps the old address redirecting.",
    )
    original_title = models.CharField(
        max_length=500, blank=True, help_text="The title in the original language, if any."
    )
    coverage_edtf = edtf_field(
        "period covered (EDTF)",
        "The period the source is about, in EDTF (1946-04-17/1946-04-21). For a primary "
        "source usually its own date; for an article or interview the events it treats.",
    )
    coverage_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    coverage_latest = models.DateField(null=True, blank=True, editable=False)
    calendar = calendar_field()
    document_type = models.CharField(max_length=24, choices=DocumentType, db_index=True)
    source_kind = models.CharField(
        "primary or secondary",
        max_length=10,
        choices=SourceKind,
        db_index=True,
        help_text="Primary: created at the time by participants. Secondary: written "
        "later about the events.",
    )
    summary = models.TextField(blank=True, help_text="Two to four sentences for lists and search.")
    transcription = models.TextField(
        blank=True,
        help_text="The document's text alone, as in the source. No page furniture of the "
        "site it came from; annotations go in the editorial notes. Editing it may move "
        "the mentions: run the corpus check.",
    )
    editorial_notes = models.TextField(
        blank=True,
        help_text="Notes on the physical document and the text: handwritten annotations, "
        "stamps, illegible passages, what was left out.",
    )
    original_language = models.CharField(max_length=8, choices=Language, blank=True)
    language = models.CharField(
        "language of this text", max_length=8, choices=Language, db_index=True
    )
    repository = models.ForeignKey(
        Repository,
        verbose_name="holding archive",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    archival_reference = models.CharField(
        max_length=255,
        blank=True,
        help_text="Fond, opis, delo, listy as the archive cites them: "
        "'RGASPI, f. 558, op. 11, d. 99, ll. 0007-0008'.",
    )
    publisher = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who published the text we reproduce (a digital archive, a newspaper).",
    )
    source_url = models.URLField(
        "source URL", max_length=500, blank=True, help_text="Where the text was taken from."
    )
    rights = models.TextField("rights statement", blank=True)
    acknowledgement = models.CharField(
        max_length=500, blank=True, help_text="Funders or contributors the publisher credits."
    )
    origin = models.ForeignKey(
        Place,
        verbose_name="place of origin",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents_sent",
    )
    destination = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents_received",
    )
    agents = models.ManyToManyField(
        Entity, through="DocumentAgent", related_name="documents_as_agent", blank=True
    )
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published documents are visible to the public.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The editor who last published the document.",
    )
    # The search index (sources/search/), kept up to date by signals: on PostgreSQL a
    # weighted tsvector (GIN index made by migration 0006_search, PostgreSQL only), on
    # SQLite the same vector as text for the Python engine.
    # Derived, so left out of fixtures and backups (serialize=False): rebuilt on load.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)
    search_terms = models.TextField(blank=True, default="", editable=False, serialize=False)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["modified", "search_vector", "search_terms"])

    class Meta(DatedModel.Meta):
        ordering = ["date_earliest", "title"]
        verbose_name = "document"
        verbose_name_plural = "documents"
        permissions = [("publish_document", "Can publish and withdraw documents")]
        indexes = [
            models.Index(fields=["status", "date_earliest"], name="document_status_date"),
            models.Index(fields=["status", "title"], name="document_status_title"),
            # Everything the document filters count, for index-only scans.
            models.Index(
                fields=[
                    "status",
                    "document_type",
                    "source_kind",
                    "language",
                    "repository",
                    "date_earliest",
                    "date_latest",
                    "id",
                ],
                name="document_facets",
            ),
        ]
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(coverage_earliest__isnull=True)
                | Q(coverage_latest__isnull=True)
                | Q(coverage_earliest__lte=F("coverage_latest")),
                name="document_coverage_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=PublicationStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="document_published_has_date",
                violation_error_message="A published document records when it was published.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values), name="document_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("sources:document-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored text, so an edit can carry the mentions along.
        instance._stored_transcription = instance.__dict__.get("transcription")
        if all(name in instance.__dict__ for name in PUBLICATION_FIELDS):
            instance._stored_publication = instance.publication_state()
        return instance

    def publication_state(self) -> tuple:
        return tuple(getattr(self, name) for name in PUBLICATION_FIELDS)

    def check_publication_unchanged(self) -> None:
        """Refuse a save that would change the publication state of an existing row
        outside the workflow. Instances not read from the database (a history
        version being reverted) are compared with the stored row: one query."""
        if self.pk is None or _publication_writes.get():
            return
        stored = getattr(self, "_stored_publication", None)
        if stored is None:
            row = type(self).objects.filter(pk=self.pk).values_list(*PUBLICATION_FIELDS).first()
            if row is None:
                return  # a new row with a chosen id: its first state is free
            stored = tuple(row)
        if stored != self.publication_state():
            raise PublicationChangeRefused(
                f"“{self}” keeps its publication state: only the workflow (Publish, "
                "Withdraw, Submit, Return to draft) changes it."
            )

    def save(self, *args, **kwargs) -> None:
        self.check_publication_unchanged()
        old_text = getattr(self, "_stored_transcription", None)
        super().save(*args, **kwargs)
        if old_text is not None and old_text != self.transcription:
            # Every path that edits a text (admin, import, shell) keeps mentions honest.
            self.mentions.primary().follow_edit(old_text, self.transcription)
            self.page_breaks.all().follow_edit(old_text, self.transcription)
        self._stored_transcription = self.transcription
        self._stored_publication = self.publication_state()

    def clean(self) -> None:
        """A text too long for the search index is a form error, not a failed save."""
        super().clean()
        size = len((self.transcription or "").encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            raise ValidationError({"transcription": text_too_long(size)})

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def source_link(self) -> str:
        """The source URL when it may be a link (http or https), else "".

        The admin and importer refuse other schemes, but a value can still arrive
        through the ORM, a fixture or a restore: a ``javascript:`` or ``data:`` URL
        must then be shown as text, never followed."""
        return self.source_url if is_web_url(self.source_url) else ""

    def set_date_bounds(self) -> None:
        """Derive the bounds; a document without a date of its own is placed by the
        period it covers (date_earliest/date_latest are for sorting and filtering only;
        what readers see still says "undated"), so an encyclopedia article about April
        1946 sorts, filters and counts under April 1946, not after everything dated."""
        super().set_date_bounds()
        if not self.date_edtf:
            self.date_earliest, self.date_latest = self.coverage_earliest, self.coverage_latest

    @property
    def placing_edtf(self) -> str:
        """The EDTF that places the document in time: its date, else its period."""
        return self.date_edtf or self.coverage_edtf


class DocumentAgentQuerySet(models.QuerySet):
    def get_by_natural_key(self, document_slug: str, entity_slug: str, role: str):
        return self.get(document__slug=document_slug, entity__slug=entity_slug, role=role)


class DocumentAgent(models.Model):
    """Who wrote, received, obtained or translated a document, with certainty."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="agent_links")
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="document_roles",
        limit_choices_to={"kind__in": AGENT_KINDS},
        help_text="A person or organization (places and events cannot write or receive).",
    )
    role = models.CharField(max_length=16, choices=AgentRole)
    order = models.PositiveSmallIntegerField(default=0, help_text="Order within the role.")
    certainty = models.CharField(max_length=10, choices=Certainty, default=Certainty.CERTAIN)
    note = models.CharField(max_length=500, blank=True)

    objects = DocumentAgentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "role", "order"]
        verbose_name = "author, recipient or contributor"
        verbose_name_plural = "authors, recipients and contributors"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "entity", "role"], name="documentagent_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.get_role_display()} of {self.document}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()

    def clean(self) -> None:
        """Refuse a place or an event as author, recipient or contributor (the admin's
        picker offers only people and organizations; this catches every other path)."""
        super().clean()
        if self.entity_id is not None:
            kind = Entity.objects.filter(pk=self.entity_id).values_list("kind", flat=True).first()
            if kind not in AGENT_KINDS:
                raise ValidationError(
                    {
                        "entity": f"An author, recipient or contributor is a person or an "
                        f"organization, not a {kind}."
                    }
                )

    def natural_key(self) -> tuple:
        return (*self.document.natural_key(), *self.entity.natural_key(), self.role)

    natural_key.dependencies = ["sources.document", "sources.entity"]

    @property
    def verb(self) -> str:
        """What the record did, for its page: 'wrote', 'received', 'translated'."""
        return AGENT_VERBS.get(self.role, self.get_role_display())

    @property
    def by_phrase(self) -> str:
        """What the document is to the record: 'written by', 'received by'."""
        return AGENT_BY.get(self.role, self.get_role_display())


class WorkCitedQuerySet(models.QuerySet):
    def get_by_natural_key(self, document_slug: str, number: int):
        return self.get(document__slug=document_slug, number=number)


class WorkCited(models.Model):
    """A numbered reference of a secondary source ("[3]" in the text)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="works_cited")
    number = models.PositiveSmallIntegerField(help_text="The number used in the text: [3].")
    text = models.TextField(help_text="The reference as the source gives it.")

    objects = WorkCitedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "number"]
        verbose_name = "work cited"
        verbose_name_plural = "works cited"
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="workcited_unique"),
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#ref-{self.number}"

    def natural_key(self) -> tuple:
        return (*self.document.natural_key(), self.number)

    natural_key.dependencies = ["sources.document"]


class DocumentEventQuerySet(models.QuerySet):
    def get_by_natural_key(self, document_slug: str, event_slug: str, role: str):
        return self.get(document__slug=document_slug, event__slug=event_slug, role=role)

    def strongest_first(self) -> DocumentEventQuerySet:
        """Records of an event first, then reports, descriptions and mentions."""
        order = models.Case(
            *(
                models.When(role=role, then=models.Value(i))
                for i, role in enumerate(DocumentEventRole.values)
            ),
            default=models.Value(len(DocumentEventRole.values)),
        )
        return self.annotate(role_order=order).order_by("role_order")


class DocumentEvent(models.Model):
    """A document's stated relation to an event: the decree *is the record of* the
    decision of 6 July 1945, the telegram *reports* the halt at Qazvin. Curated, unlike
    mentions (which only say where a name stands in the text), so an event can have a
    source that never names it in so many words."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="event_links")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="document_links")
    role = models.CharField(
        max_length=10,
        choices=DocumentEventRole,
        default=DocumentEventRole.MENTIONS,
        help_text="'is the record of': the document is the event (a decree, a letter). "
        "'reports': written at the time by someone who learnt of it. 'describes': tells "
        "it at some length, usually later. 'mentions': names it in passing.",
    )
    certainty = models.CharField(max_length=10, choices=Certainty, default=Certainty.CERTAIN)
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="For readers: where in the text, or what is uncertain about the link.",
    )

    objects = DocumentEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "event__date_earliest", "event__sort_name"]
        verbose_name = "event in a document"
        verbose_name_plural = "events in documents"
        constraints = [
            models.UniqueConstraint(fields=["document", "event"], name="documentevent_unique"),
            models.CheckConstraint(
                condition=Q(role__in=DocumentEventRole.values), name="documentevent_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.get_role_display()} {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    def natural_key(self) -> tuple:
        return (*self.document.natural_key(), *self.event.natural_key(), self.role)

    natural_key.dependencies = ["sources.document", "sources.event"]
