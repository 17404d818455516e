"""Public pages. Thin views: the querysets (``published()``, ``with_citation()``…)
hold the query logic so the admin and the pages share it."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView, ListView, TemplateView

from .models import KIND_PATHS, Document, Entity, EntityKind, Mention, PublicationStatus
from .search_views import DocumentListView  # noqa: F401 - the list lives with its filters


class HomeView(TemplateView):
    template_name = "sources/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = Document.objects.published().in_date_order()
        context["counts"] = {
            KIND_PATHS[kind]: Entity.objects.of_kind(kind).count() for kind in EntityKind.values
        }
        return context


class DocumentDetailView(DetailView):
    template_name = "sources/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return Document.objects.published().with_citation().with_mentions()


class EntityListView(ListView):
    template_name = "sources/entity_list.html"
    context_object_name = "entities"
    paginate_by = 100
    kind: str = ""

    def get_queryset(self):
        return Entity.objects.of_kind(self.kind).with_document_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["kind_plural"] = KIND_PATHS[self.kind]
        return context


class EntityDetailView(DetailView):
    template_name = "sources/entity_detail.html"
    context_object_name = "entity"
    kind: str = ""

    def get_queryset(self):
        return Entity.objects.of_kind(self.kind).prefetch_related(
            "variants",
            Prefetch(
                "mentions",
                queryset=Mention.objects.filter(document__status=PublicationStatus.PUBLISHED)
                .select_related("document")
                .order_by("document__date_earliest", "start"),
                to_attr="published_mentions",
            ),
        )

    def get_object(self, queryset=None):
        entity = super().get_object(queryset)
        if entity.kind != self.kind:
            raise Http404
        return entity
