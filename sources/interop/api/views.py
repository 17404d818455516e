"""The API's views: lists page by page (``?page=``, ``?page_size=``), details by slug.

Lists answer in a fixed number of queries whatever the page size. Old slugs answer 301
with the record's current API address, as the pages do with theirs.
"""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import (
    Document,
    DocumentEvent,
    DocumentType,
    Entity,
    EntityKind,
    Event,
    Language,
    Mention,
    PlaceContainment,
    PublicationStatus,
    SlugRedirect,
    SourceKind,
)
from ...models.documents import LIST_FIELDS
from ...models.entities import KIND_PATHS
from ...reading.timeline import build_timeline
from ...reading.views import KIND_MODELS
from ...search.filters import DocumentFilter, clean_params
from ...search.query import MAX_QUERY_LENGTH
from ...search.searching import Search
from ...search.views import in_order
from . import serializers as api

MAX_PAGE_SIZE = 100


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong, in words.")
    problems = serializers.ListField(child=serializers.CharField(), required=False)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A value the API cannot use."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests from this client."),
}
DETAIL_ERRORS = {
    301: OpenApiResponse(description="An old slug: Location is the current address."),
    404: OpenApiResponse(ErrorSerializer, description="No such published object."),
    429: ERRORS[429],
}


def bad_request(problems: list[str]) -> ValidationError:
    error = ValidationError({"detail": " ".join(problems), "problems": problems})
    return error


class ApiPagination(PageNumberPagination):
    """Numbered pages; a page number or size that cannot be used is a 400 that says why
    (a program asking for page 0 has a bug it should hear about)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise bad_request([f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."])
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise bad_request(["page must be a whole number from 1."])
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        number = int(raw)
        if number > max(paginator.num_pages, 1):
            raise bad_request([f"There is no page {number}; the last is {paginator.num_pages}."])
        self.page = paginator.page(number)
        self.request = request
        return list(self.page)


PAGE_PARAMS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description=f"Items per page, 1–{MAX_PAGE_SIZE}."
    ),
]


class PublicDetailView(APIView):
    """One object by slug; an old slug answers 301 with the current API address."""

    redirect_kind = ""

    def get_object(self, slug: str):
        raise NotImplementedError

    def is_public(self, target) -> bool:
        return True

    def detail_response(self, request, slug: str, serializer_class):
        found = self.get_object(slug)
        if found is None:
            target = SlugRedirect.objects.target_for(self.redirect_kind, slug)
            if target is not None and self.is_public(target):
                name = "document" if isinstance(target, Document) else target.kind
                url = reverse(f"api:{name}-detail", kwargs={"slug": target.slug})
                return HttpResponsePermanentRedirect(url)
            raise NotFound(f"There is no published {self.redirect_kind} “{slug[:80]}”.")
        return Response(serializer_class(found, context={"request": request}).data)


class ApiRootView(APIView):
    """Where each list is."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="The addresses of the lists, the schema and the documentation.",
    )
    def get(self, request):
        names = ["document", *EntityKind.values]
        links = {
            KIND_PATHS.get(name, "documents"): api.absolute(reverse(f"api:{name}-list"))
            for name in names
        }
        links["mentions"] = api.absolute(reverse("api:mention-list"))
        links["timeline"] = api.absolute(reverse("api:timeline"))
        links["claims"] = api.absolute(reverse("api:claim-list"))
        links["disagreements"] = api.absolute(reverse("api:disagreement-list"))
        links["schema"] = api.absolute(reverse("api:schema"))
        links["docs"] = api.absolute(reverse("api:docs"))
        return Response(links)


DOCUMENT_PARAMS = [
    OpenApiParameter(
        "q", str, description=f"Search, as on /search/ (up to {MAX_QUERY_LENGTH} characters)."
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=["relevance", "date", "-date", "title"],
        description="relevance (only with q; its default), date (the default), -date, title.",
    ),
    OpenApiParameter("document_type", str, enum=DocumentType.values),
    OpenApiParameter("source_kind", str, enum=SourceKind.values),
    OpenApiParameter("language", str, enum=Language.values),
    OpenApiParameter("date_from", str, description="A year, month or day: 1945, 1945-11."),
    OpenApiParameter("date_to", str, description="A year, month or day: 1946-05-09."),
    OpenApiParameter("person", str, description="A person's slug: documents naming them."),
    OpenApiParameter("place", str, description="A place's slug."),
    OpenApiParameter("organization", str, description="An organization's slug."),
    OpenApiParameter("event", str, description="An event's slug."),
    OpenApiParameter("repository", str, description="A holding archive's slug."),
    *PAGE_PARAMS,
]
SORTS = ("relevance", "date", "-date", "title")


class DocumentListView(generics.ListAPIView):
    """Published documents, with the document list's filters and the search's ``q``."""

    serializer_class = api.DocumentSerializer
    pagination_class = ApiPagination

    @extend_schema(parameters=DOCUMENT_PARAMS, responses={200: api.DocumentSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        problems: list[str] = []
        text = params.get("q")
        base = Document.objects.published()
        search = None
        if text is not None:
            search = Search(text)
            if search.shortened:
                problems.append(f"q is limited to {MAX_QUERY_LENGTH} characters.")
            base = search.matching(base)
        sort = params.get("sort") or ("relevance" if search else "date")
        if sort not in SORTS or (sort == "relevance" and not search):
            problems.append(
                "sort must be date, -date or title (or relevance, with q), "
                f"not “{clean_params(params).get('sort', '')[:20]}”."
            )
        filterset = DocumentFilter(params, queryset=base)
        problems.extend(p.replace(" This filter was left out.", "") for p in filterset.problems)
        if problems:
            raise bad_request(problems)
        filtered = (
            filterset.apply(base)
            .select_related("repository")
            .only(*LIST_FIELDS, "language", "repository", "archival_reference")
        )
        if sort == "relevance":
            return search.ranked(filtered, bool(filterset.values))
        return in_order(filtered, sort)


class DocumentDetailView(PublicDetailView):
    redirect_kind = "document"
    # What the document page shows, so what makes that page stale (its ``doc:`` key, the
    # records it loads) makes this answer stale too.
    cache_depends_on = ()

    def get_object(self, slug: str):
        return (
            Document.objects.published()
            .with_citation()
            .with_mentions()
            .with_further_texts_flag()
            .with_scans_flag()
            .filter(slug=slug)
            .first()
        )

    def is_public(self, target) -> bool:
        return target.is_published

    @extend_schema(responses={200: api.DocumentDetailSerializer, **DETAIL_ERRORS})
    def get(self, request, slug: str):
        return self.detail_response(request, slug, api.DocumentDetailSerializer)


def entity_queryset(kind: str):
    """A kind's records with everything their serializer shows, in a fixed number of
    queries: counts annotated, variants prefetched, the linked record joined."""
    records = KIND_MODELS[kind].objects.with_document_counts().prefetch_related("variants")
    link = {"place": "located_in", "organization": "parent", "event": "part_of"}.get(kind)
    if link:
        records = records.select_related(link)
    if kind == EntityKind.PLACE:
        containments = Prefetch(
            "containments", queryset=PlaceContainment.objects.select_related("container")
        )
        return records.prefetch_related(containments).in_kind_order()
    if kind == EntityKind.EVENT:
        return records.in_date_order()
    return records.order_by("sort_name", "pk")


class EntityListView(generics.ListAPIView):
    """One kind of record, in the order of its list page."""

    kind: str = ""
    pagination_class = ApiPagination

    def get_serializer_class(self):
        return api.KIND_SERIALIZERS[self.kind]

    def get_queryset(self):
        return entity_queryset(self.kind)


def published_document_links() -> Prefetch:
    """An event's links to published documents only (a draft's never leave), strongest
    first, as on the event's page."""
    return Prefetch(
        "document_links",
        queryset=DocumentEvent.objects.filter(document__status=PublicationStatus.PUBLISHED)
        .select_related("document")
        .only("event_id", "role", "certainty", "note", "document__slug", "document__title")
        .strongest_first()
        .order_by("role_order", F("document__date_earliest").asc(nulls_last=True), "pk"),
    )


class EntityDetailView(PublicDetailView):
    kind: str = ""

    @property
    def redirect_kind(self) -> str:
        return self.kind

    def get_serializer_class(self):
        return api.DETAIL_SERIALIZERS[self.kind]

    def get_object(self, slug: str):
        records = entity_queryset(self.kind)
        if self.kind == EntityKind.EVENT:
            records = records.prefetch_related(published_document_links())
        return records.filter(slug=slug).first()

    def get(self, request, slug: str):
        return self.detail_response(request, slug, self.get_serializer_class())


def entity_views(kind: str) -> tuple[type[EntityListView], type[EntityDetailView]]:
    """The list and detail views of one kind, each documented with its own serializer
    (one class per kind, so the OpenAPI schema names each answer exactly)."""
    serializer = api.KIND_SERIALIZERS[kind]
    detail_serializer = api.DETAIL_SERIALIZERS[kind]

    # New functions each time: extend_schema marks the function it decorates.
    @extend_schema(parameters=PAGE_PARAMS, responses={200: serializer, **ERRORS})
    def get_list(self, request, *args, **kwargs):
        return EntityListView.get(self, request, *args, **kwargs)

    @extend_schema(responses={200: detail_serializer, **DETAIL_ERRORS})
    def get_detail(self, request, slug: str):
        return EntityDetailView.get(self, request, slug)

    name = kind.title()
    list_view = type(f"{name}ListView", (EntityListView,), {"kind": kind, "get": get_list})
    detail_view = type(f"{name}DetailView", (EntityDetailView,), {"kind": kind, "get": get_detail})
    return list_view, detail_view


class MentionListView(generics.ListAPIView):
    """Mentions in published documents, by document then position."""

    serializer_class = api.MentionSerializer
    pagination_class = ApiPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("document", str, description="A published document's slug."),
            OpenApiParameter("entity", str, description="A record's slug."),
            *PAGE_PARAMS,
        ],
        responses={200: api.MentionSerializer, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = clean_params(self.request.query_params)
        mentions = (
            Mention.objects.published()
            .select_related("document", "entity", "document_text")
            .only(
                "start",
                "end",
                "text",
                "role",
                "certainty",
                "document_text__language",  # which text (issue 14), not the text itself
                "document_text__kind",
                "document__slug",
                "document__title",
                "entity__slug",
                "entity__name",
                "entity__kind",
            )
            .order_by(
                F("document__date_earliest").asc(nulls_last=True),
                "document__title",
                "document_id",
                "start",
                "pk",
            )
        )
        problems = []
        if "document" in params:
            slug = params["document"]
            document = Document.objects.published().filter(slug=slug).values("pk").first()
            if document is None:
                problems.append(f"There is no published document “{slug[:80]}”.")
            else:
                mentions = mentions.filter(document_id=document["pk"])
        if "entity" in params:
            slug = params["entity"]
            entity = Entity.objects.filter(slug=slug).values("pk").first()
            if entity is None:
                problems.append(f"There is no record “{slug[:80]}”.")
            else:
                mentions = mentions.filter(entity_id=entity["pk"])
        if problems:
            raise bad_request(problems)
        return mentions


class TimelineView(generics.ListAPIView):
    """Published documents and events in time order, as on /timeline/: dated ones by
    their start, at the precision known, then the undated."""

    serializer_class = api.TimelineEntrySerializer
    pagination_class = ApiPagination

    @extend_schema(parameters=PAGE_PARAMS, responses={200: api.TimelineEntrySerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        fields = ("date_edtf", "date_written", "date_earliest", "date_latest", "slug")
        documents = Document.objects.published().for_lists()
        events = Event.objects.only("name", "kind", "event_kind", *fields)
        timeline = build_timeline(documents, events)
        entries = []
        for year in timeline.years:
            for month in year.months:
                entries.extend(month.entries)
            entries.extend(year.month_unknown)
        entries.extend(timeline.undated)
        return entries


class ApiDocsView(TemplateView):
    """Swagger UI on the schema, from our own static files (no CDN, no inline script)."""

    template_name = "interop/api_docs.html"


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 a program can read."""
    raise NotFound("There is nothing at this address; see /api/v1/ for the lists.")
