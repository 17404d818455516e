"""What the API says about each kind of thing. Field names follow the models; every
object carries ``url`` (its page) and ``api_url`` (its address here), both absolute
from ``settings.SITE_URL`` and both built from its current slug."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    Entity,
    Event,
    Mention,
    NameVariant,
    Organization,
    Person,
    Place,
    PlaceContainment,
    WorkCited,
)
from ...text.calendars import solar_hijri_of
from .. import pages


def absolute(path: str) -> str:
    """``path`` on the archive's public address (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def api_url(kind: str, slug: str) -> str:
    """The API address of a document (``kind`` "document") or a record."""
    return absolute(reverse(f"api:{kind}-detail", kwargs={"slug": slug}))


class RecordRefSerializer(serializers.Serializer):
    """A record named from elsewhere: enough to show it and follow it."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, entity: Entity) -> str:
        return absolute(entity.get_absolute_url())

    def get_api_url(self, entity: Entity) -> str:
        return api_url(entity.kind, entity.slug)


class DocumentRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, document: Document) -> str:
        return absolute(document.get_absolute_url())

    def get_api_url(self, document: Document) -> str:
        return api_url("document", document.slug)


class SolarHijriSerializer(serializers.Serializer):
    """A date in the Solar Hijri calendar (issue 15), at the precision the EDTF carries."""

    text = serializers.CharField(
        help_text="In Latin transliteration: '15 Tir 1324', 'Tir–Mordad 1324' (a Gregorian "
        "month spans two Persian months), '1323–1324' (a Gregorian year)."
    )
    persian = serializers.CharField(help_text="The same in Persian script and digits.")
    days = serializers.CharField(
        help_text="The Solar Hijri days when the date is coarser than a day "
        "('10 Tir – 9 Mordad 1324'); empty for a day."
    )


class SolarHijriMixin(serializers.Serializer):
    date_solar_hijri = serializers.SerializerMethodField(
        help_text="The date in the Solar Hijri calendar where the document (or the archive) "
        "shows it; null when it does not, or when the date is unknown."
    )

    @extend_schema_field(SolarHijriSerializer(allow_null=True))
    def get_date_solar_hijri(self, obj) -> dict | None:
        found = solar_hijri_of(getattr(obj, "record", obj))
        if found is None:
            return None
        return {"text": found.latin, "persian": found.persian, "days": found.exact}


class LinksMixin(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="The public page.")
    api_url = serializers.SerializerMethodField(help_text="This object in the API.")

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())

    def get_api_url(self, obj) -> str:
        return api_url(getattr(obj, "kind", "document") or "document", obj.slug)


class DocumentSerializer(LinksMixin, SolarHijriMixin, serializers.ModelSerializer):
    """A document in a list: what a line of the document list shows, and its archive."""

    date_display = serializers.CharField(help_text="The date as readers see it.")
    repository = serializers.SerializerMethodField(help_text="The holding archive.")

    class Meta:
        model = Document
        fields = [
            "slug", "url", "api_url", "title", "date_edtf", "date_display", "date_earliest",
            "date_latest", "coverage_edtf", "document_type", "source_kind", "language",
            "summary", "repository", "archival_reference", "date_solar_hijri",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "nullable": True})
    def get_repository(self, document: Document) -> str | None:
        return str(document.repository) if document.repository_id else None


class AgentSerializer(serializers.ModelSerializer):
    entity = RecordRefSerializer()

    class Meta:
        model = DocumentAgent
        fields = ["role", "order", "certainty", "note", "entity"]


class WorkCitedSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkCited
        fields = ["number", "text"]


class DocumentMentionSerializer(serializers.ModelSerializer):
    entity = RecordRefSerializer()

    class Meta:
        model = Mention
        fields = ["start", "end", "text", "role", "certainty", "note", "entity"]


class DocumentEventSerializer(serializers.ModelSerializer):
    """An event the document records (curated, unlike mentions: the document may tell
    of it without naming it), with how it does."""

    event = RecordRefSerializer()

    class Meta:
        model = DocumentEvent
        fields = ["event", "role", "certainty", "note"]


class EventDocumentSerializer(serializers.ModelSerializer):
    """A published document that records the event, with how it does."""

    document = DocumentRefSerializer()

    class Meta:
        model = DocumentEvent
        fields = ["document", "role", "certainty", "note"]


class DocumentTextSerializer(serializers.Serializer):
    """A further text of a document (issue 14): its original or another translation,
    with the mentions in it (offsets in this text)."""

    language = serializers.CharField()
    kind = serializers.CharField(help_text="original or translation")
    translator = serializers.CharField()
    source = serializers.CharField(source="source_note", help_text="Where this text comes from.")
    text = serializers.CharField()
    mentions = serializers.SerializerMethodField()

    @extend_schema_field(DocumentMentionSerializer(many=True))
    def get_mentions(self, text) -> list:
        mentions = self.context.get("text_mentions", {}).get(text.pk, [])
        return DocumentMentionSerializer(mentions, many=True).data


class PageSerializer(serializers.Serializer):
    """One page image whose derivatives are ready (issue 14)."""

    label = serializers.CharField(help_text="As the page is cited: 'l. 4', 'p. 2'.")
    description = serializers.CharField(help_text="What the image shows; may be empty.")
    width = serializers.IntegerField(help_text="Of the full image, in pixels.")
    height = serializers.IntegerField(help_text="Of the full image, in pixels.")
    iiif_image = serializers.SerializerMethodField(
        help_text="The IIIF Image API 3 service id (level 0); its info.json is under it."
    )
    image_url = serializers.SerializerMethodField(help_text="A web-sized JPEG of the page.")
    thumbnail_url = serializers.SerializerMethodField(help_text="A small JPEG of the page.")

    def get_iiif_image(self, image) -> str:
        return pages.service_url(image)

    def get_image_url(self, image) -> str:
        return pages.web_url(image)

    def get_thumbnail_url(self, image) -> str:
        return pages.thumbnail_url(image)


class ScansSerializer(serializers.Serializer):
    """A document's page images: its IIIF Presentation 3 manifest and each page."""

    iiif_manifest = serializers.URLField(help_text="The IIIF Presentation 3 manifest.")
    pages = PageSerializer(many=True)


class DocumentDetailSerializer(DocumentSerializer):
    """A whole document: its metadata, text, agents, works cited and mentions; its
    further texts (originals, translations) with theirs."""

    origin = RecordRefSerializer(allow_null=True)
    destination = RecordRefSerializer(allow_null=True)
    agents = AgentSerializer(source="agent_links", many=True)
    works_cited = WorkCitedSerializer(many=True)
    events = DocumentEventSerializer(
        source="event_links",
        many=True,
        help_text="The events the document records, reports, describes or mentions.",
    )
    mentions = serializers.SerializerMethodField(help_text="The mentions of the transcription.")
    texts = serializers.SerializerMethodField()
    scans = serializers.SerializerMethodField(
        help_text="The page images (issue 14), or null when none is ready to show."
    )

    @extend_schema_field(ScansSerializer(allow_null=True))
    def get_scans(self, document: Document) -> dict | None:
        images = pages.ready_pages(document)
        if not images:
            return None
        found = {"iiif_manifest": pages.manifest_url(document), "pages": images}
        return ScansSerializer(found).data

    @extend_schema_field(DocumentMentionSerializer(many=True))
    def get_mentions(self, document: Document) -> list:
        primary = [m for m in document.mentions.all() if m.document_text_id is None]
        return DocumentMentionSerializer(primary, many=True).data

    @extend_schema_field(DocumentTextSerializer(many=True))
    def get_texts(self, document: Document) -> list:
        if not getattr(document, "has_further_texts", True):
            return []  # known from the document's own query: none to load
        by_text: dict[int, list] = {}
        for mention in document.mentions.all():
            if mention.document_text_id is not None:
                by_text.setdefault(mention.document_text_id, []).append(mention)
        texts = document.texts.all()
        return DocumentTextSerializer(texts, many=True, context={"text_mentions": by_text}).data

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "original_title", "transcription", "editorial_notes", "original_language",
            "publisher", "source_url", "rights", "acknowledgement", "origin", "destination",
            "agents", "works_cited", "events", "mentions", "texts", "scans", "published_at",
            "modified",
        ]  # fmt: skip


PERIOD_FIELDS = [
    "period_start", "period_end", "period_start_uncertain", "period_end_uncertain",
    "period_reference",
]  # fmt: skip


class PeriodSerializer(serializers.Serializer):
    """When a name or a larger place held: EDTF bounds as curated (empty when not
    known), each with whether it is uncertain, and the reference they come from."""

    period_start = serializers.CharField(help_text="EDTF; empty when not known.")
    period_end = serializers.CharField(help_text="EDTF; empty when it still holds.")
    period_start_uncertain = serializers.BooleanField(source="start_uncertain")
    period_end_uncertain = serializers.BooleanField(source="end_uncertain")
    period_reference = serializers.CharField()


class VariantSerializer(PeriodSerializer, serializers.ModelSerializer):
    status = serializers.ListField(
        child=serializers.CharField(),
        help_text="official or local (as curated), historical, transliteration.",
    )

    class Meta:
        model = NameVariant
        fields = ["name", "language", "script", "variant_kind", "source", "usage", "status",
                  *PERIOD_FIELDS]  # fmt: skip


class ContainmentSerializer(PeriodSerializer, serializers.ModelSerializer):
    container = RecordRefSerializer()

    class Meta:
        model = PlaceContainment
        fields = ["container", *PERIOD_FIELDS, "note"]


ENTITY_FIELDS = [
    "slug", "url", "api_url", "kind", "name", "sort_name", "description", "certainty",
    "identification_note", "wikidata", "date_edtf", "date_display", "date_earliest",
    "date_latest", "document_count", "variants", "date_solar_hijri",
]  # fmt: skip


class EntitySerializer(LinksMixin, SolarHijriMixin, serializers.ModelSerializer):
    date_display = serializers.CharField()
    document_count = serializers.IntegerField(
        read_only=True, help_text="Published documents that mention it."
    )
    variants = VariantSerializer(many=True, help_text="Other names the sources use.")

    class Meta:
        model = Entity
        fields = ENTITY_FIELDS


class PersonSerializer(EntitySerializer):
    class Meta:
        model = Person
        fields = [*ENTITY_FIELDS, "roles"]


class PlaceSerializer(EntitySerializer):
    located_in = RecordRefSerializer(allow_null=True, help_text="The larger place today.")
    containments = ContainmentSerializer(
        many=True, help_text="Larger places by period (past ones, and since when today's)."
    )

    class Meta:
        model = Place
        fields = [
            *ENTITY_FIELDS, "place_kind", "latitude", "longitude", "coordinates_note",
            "geonames_id", "located_in", "containments",
        ]  # fmt: skip


class OrganizationSerializer(EntitySerializer):
    parent = RecordRefSerializer(allow_null=True)

    class Meta:
        model = Organization
        fields = [*ENTITY_FIELDS, "org_kind", "parent"]


class EventSerializer(EntitySerializer):
    part_of = RecordRefSerializer(allow_null=True)

    class Meta:
        model = Event
        fields = [*ENTITY_FIELDS, "event_kind", "part_of"]


class EventDetailSerializer(EventSerializer):
    """An event alone: also the published documents that record it (strongest first)."""

    documents = EventDocumentSerializer(
        source="document_links",
        many=True,
        help_text="Published documents that are its record, report, describe or mention it.",
    )

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "documents"]


KIND_SERIALIZERS = {
    "person": PersonSerializer,
    "place": PlaceSerializer,
    "organization": OrganizationSerializer,
    "event": EventSerializer,
}
# A record's own address: the same, with what only one record at a time can carry.
DETAIL_SERIALIZERS = {**KIND_SERIALIZERS, "event": EventDetailSerializer}


class MentionSerializer(serializers.ModelSerializer):
    """A mention: words in a published document that name a record."""

    document = DocumentRefSerializer()
    entity = RecordRefSerializer()
    url = serializers.SerializerMethodField(help_text="The words on the document's page.")

    in_text = serializers.SerializerMethodField(
        help_text="The further text the words are in (language and kind), or null for the "
        "document's transcription."
    )

    class Meta:
        model = Mention
        fields = [
            "document", "entity", "start", "end", "text", "in_text", "role", "certainty", "url",
        ]  # fmt: skip

    @extend_schema_field({"type": "object", "nullable": True})
    def get_in_text(self, mention: Mention) -> dict | None:
        text = mention.document_text
        return None if text is None else {"language": text.language, "kind": text.kind}

    def get_url(self, mention: Mention) -> str:
        return absolute(mention.get_absolute_url())


class TimelineEntrySerializer(SolarHijriMixin, serializers.Serializer):
    """A document or an event at its place in time."""

    kind = serializers.ChoiceField(choices=["document", "event"])
    precision = serializers.CharField(help_text="day, month or year; empty when undated.")
    date_edtf = serializers.CharField(source="record.date_edtf")
    date_display = serializers.CharField(source="record.date_display")
    earliest = serializers.DateField(allow_null=True)
    latest = serializers.DateField(allow_null=True)
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_title(self, entry) -> str:
        return str(entry.record)

    def get_url(self, entry) -> str:
        return absolute(entry.record.get_absolute_url())

    def get_api_url(self, entry) -> str:
        kind = "document" if entry.kind == "document" else entry.record.kind
        return api_url(kind, entry.record.slug)
