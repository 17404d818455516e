"""The search page, name suggestions, and the filtered document list.

Any input gives a page: a query is cleaned and capped (``search.clean_query``), filter
values that cannot be used are left out with a message, a page number out of range
shows the nearest page with a message. Only published documents are found or counted.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F
from django.http import JsonResponse
from django.views import View
from django.views.generic import TemplateView

from .filters import DocumentFilter, clean_params, facets
from .models import Document
from .search import MAX_QUERY_LENGTH, Search, suggest

SORTS = {
    "relevance": "relevance",
    "date": "date, oldest first",
    "-date": "date, newest first",
    "title": "title",
}


def paginate(request, items, per_page: int, notices: list[str]):
    """The requested page of ``items``; a bad page number gives the nearest page and
    a notice, never an error."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    raw = (request.GET.get("page") or "1").strip()
    try:
        number = int(raw)
    except ValueError:
        notices.append(f"“{raw[:20]}” is not a page number; this is page 1.")
        number = 1
    if number < 1:
        notices.append("Pages are numbered from 1; this is page 1.")
        number = 1
    elif number > paginator.num_pages:
        notices.append(
            f"There {'is' if paginator.num_pages == 1 else 'are'} only "
            f"{paginator.num_pages} page{'' if paginator.num_pages == 1 else 's'}; "
            "this is the last."
        )
        number = paginator.num_pages
    return paginator, paginator.page(number)


def in_order(queryset, sort: str, filtered: bool = True):
    date = F("date_earliest")
    if sort == "title":
        return queryset.order_by("title", "pk")
    if sort == "-date":
        return queryset.order_by(date.desc(nulls_last=True), "title", "pk")
    return queryset.order_by(date.asc(nulls_last=True), "title", "pk")


def with_params(params, **changes) -> str:
    """This page's query string with some parameters changed (None removes one)."""
    query = params.copy()
    if "page" not in changes:
        query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    return "?" + query.urlencode()


def hidden_params(params, *leave_out: str) -> list[tuple[str, str]]:
    """(name, value) of the parameters a form must carry along to keep the others."""
    return [
        (key, value)
        for key in params
        if key not in leave_out
        for value in params.getlist(key)
        if value
    ]


def active_filters(filterset: DocumentFilter, counted, params) -> list[tuple[str, str, str]]:
    """(label, value, URL without it) for each filter in use."""
    found = [(f.label, f.selected_label, f.clear_url) for f in counted if f.selected_label]
    if not any(f.name == "year" and f.selected_label for f in counted):
        for name in ("date_from", "date_to"):
            value = filterset.values.get(name)
            if value:
                query = params.copy()
                query.pop(name, None)
                query.pop("page", None)
                label = filterset.filters[name].label
                found.append((label, params.get(name, ""), "?" + query.urlencode()))
    return found


class DocumentResults(TemplateView):
    """Filters, counts, order and pages shared by the document list and the search."""

    paginate_by = 20
    default_sort = "date"
    sorts = ("date", "-date", "title")

    def sort(self, notices: list[str]) -> str:
        sort = self.request.GET.get("sort") or self.default_sort
        if sort not in self.sorts:
            notices.append(f"Results cannot be sorted by “{sort[:20]}”; they are sorted by date.")
            sort = self.default_sort if self.default_sort in self.sorts else "date"
        return sort

    def results_context(self, base, order, notices: list[str], everything=False) -> dict:
        """``base``: the published documents that may be shown (those the search
        matches; ``everything`` when that is all of them); ``order(queryset, sort)``
        puts the filtered ones in order."""
        params = clean_params(self.request.GET)
        filterset = DocumentFilter(self.request.GET, queryset=base)
        notices.extend(filterset.problems)
        sort = self.sort(notices)
        counted = facets(filterset, base, params, everything=everything)
        filtered = filterset.apply(base).select_related("repository")
        ordered = Counted(order(filtered, sort, bool(filterset.values)), counted.total)
        paginator, page = paginate(self.request, ordered, self.paginate_by, notices)
        return {
            "sort_links": [
                (key, SORTS[key], with_params(params, sort=key), key == sort) for key in self.sorts
            ],
            "previous_url": with_params(params, page=page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": with_params(params, page=page.next_page_number())
            if page.has_next()
            else "",
            "date_form_params": hidden_params(params, "date_from", "date_to", "page"),
            "query_form_params": hidden_params(params, "q", "page"),
            "filterset": filterset,
            "facets": counted.facets,
            "active_filters": active_filters(filterset, counted.facets, params),
            "paginator": paginator,
            "page_obj": page,
            "is_paginated": paginator.num_pages > 1,
            "sort": sort,
            "sort_choices": [(key, SORTS[key]) for key in self.sorts],
            "params": params,
            "notices": notices,
        }


class Counted:
    """Documents whose number is already known (the counts give it): the paginator
    asks ``count()`` and slices, without another COUNT query."""

    def __init__(self, items, total: int):
        self.items, self.total = items, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.items[index]


class DocumentListView(DocumentResults):
    """/documents/: every published document, filtered, with counts; ``?sort=`` and
    ``?page=`` as on every list."""

    template_name = "sources/document_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notices: list[str] = []
        context.update(
            self.results_context(Document.objects.published(), in_order, notices, everything=True)
        )
        context["documents"] = context["page_obj"].object_list
        return context


class SearchView(DocumentResults):
    """/search/?q=: matching records first, then documents by relevance, each saying
    why it matched; the document filters and their counts apply to the results."""

    template_name = "sources/search.html"
    default_sort = "relevance"
    sorts = ("relevance", "date", "-date", "title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notices: list[str] = []
        search = Search(self.request.GET.get("q"))
        if search.shortened:
            notices.append(f"Searches are limited to {MAX_QUERY_LENGTH} characters; yours was cut.")
        if search.only_common_words:
            notices.append("Your search has only very common words (“the”, “of”…); add a name.")
        base = search.matching(Document.objects.published())

        def order(queryset, sort, filtered):
            if sort == "relevance":
                return search.ranked(queryset, filtered)
            return in_order(queryset, sort)

        context.update(self.results_context(base, order, notices))
        page = context["page_obj"]
        context.update(
            search=search,
            query_text=search.text,
            entities=search.entities,
            results=search.explain(page.object_list) if search else [],
        )
        return context


class SuggestView(View):
    """/search/suggest/?q=: names as the reader types, as JSON."""

    def get(self, request):
        return JsonResponse(suggest(request.GET.get("q")), safe=False)
