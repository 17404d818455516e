"""The search page, name suggestions, and the filtered document list.

Any input gives a page: a query is cleaned and capped (``search.query.clean_query``), filter
values that cannot be used are left out with a message, a page number out of range
shows the nearest page with a message. Only published documents are found or counted.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import JsonResponse
from django.views import View
from django.views.generic import TemplateView

from .. import caching, prepared
from ..models import Document, Repository
from ..models.documents import LIST_FIELDS, SEARCH_FIELDS
from ..paging import paginate
from ..text import calendars
from .facets import broad_facets, facets, query_string
from .filters import ENTITY_FILTERS, MATCH_CHOICES, DocumentFilter, clean_params
from .query import MAX_QUERY_LENGTH, clean_query
from .searching import DocumentHit, Search, suggest

SORTS = {
    "relevance": "by relevance",
    "date": "in date order",
    "-date": "newest first",
    "title": "by title",
}
SORT_NOTICES = {"relevance": "the most relevant first", "date": "documents in date order"}


def in_order(queryset, sort: str, filtered: bool = True):
    if sort == "title":
        return queryset.order_by("title", "pk")
    if sort == "-date":
        return queryset.order_by(
            F("date_earliest").desc(nulls_last=True),
            F("coverage_earliest").desc(nulls_last=True),
            "title",
            "pk",
        )
    return queryset.in_reading_order()  # by date, as on every reading page


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
                label = filterset.filters[name].label
                found.append((label, params.get(name, ""), query_string(params, **{name: None})))
    return found


def match_choices(filterset: DocumentFilter, params) -> list[tuple[str, str, bool]]:
    """(label, URL, current) for "all of them" / "any of them", shown once two or more
    records are chosen, so how they combine is visible and can be changed."""
    chosen = sum(len(filterset.values.get(name) or []) for name in ENTITY_FILTERS)
    if chosen < 2:
        return []
    current = filterset.match_mode
    return [
        (label, query_string(params, match=None if value == "all" else value), value == current)
        for value, label in MATCH_CHOICES
    ]


class DocumentResults(TemplateView):
    """Filters, counts, order and pages shared by the document list and the search."""

    paginate_by = 20
    default_sort = "date"
    sorts = ("date", "-date", "title")
    # The page cache's canonical addresses (archive/middleware.py): the filters, the
    # order and the page; anything else is answered but not kept.
    cache_params = (*DocumentFilter.base_filters, "sort", "page")

    def sort(self, notices: list[str]) -> str:
        sort = self.request.GET.get("sort") or self.default_sort
        if sort not in self.sorts:
            notices.append(
                f"“{clean_query(sort)[0][:20]}” is not a way to sort; "
                f"showing {SORT_NOTICES[self.default_sort]}."
            )
            sort = self.default_sort
        return sort

    def results_context(
        self, base, order, notices: list[str], everything=False, broad=None, matches=None
    ) -> dict:
        """``base``: the published documents that may be shown (those the search
        matches; ``everything`` when that is all of them); ``order(queryset, sort)``
        puts the filtered ones in order. ``broad``: a search with too many matches to
        rank or count: (estimated matches, rank limit); an estimated total, no counts
        by filter."""
        params = clean_params(self.request.GET)
        filterset = DocumentFilter(self.request.GET, queryset=base)
        notices.extend(filterset.problems)
        sort = self.sort(notices)
        if broad:
            counted = broad_facets(filterset, base, params, *broad)
        else:
            counted = facets(filterset, base, params, everything=everything, matches=matches)
        # A result shows its text's passage, never the search index's own columns (a
        # document's tsvector is as large as its text).
        filtered = filterset.apply(base).select_related("repository").defer(*SEARCH_FIELDS)
        ordered = order(filtered, sort, bool(filterset.values))
        if filterset.values and isinstance(ordered, QuerySet):
            # Filters pass over rows: find the page's ids in the index first. (With
            # none, the order's index yields the page's rows at once.)
            ordered = IdsFirst(ordered)
        ordered = Counted(ordered, counted.total)
        paginator, page, notice = paginate(self.request, ordered, self.paginate_by)
        if notice:
            notices.append(notice)
        if notices:  # something in the address could not be used: not a canonical page
            caching.do_not_store(notices[0])
        return {
            "sorts": {key: SORTS[key] for key in self.sorts},
            "date_form_params": hidden_params(params, "date_from", "date_to", "page"),
            "query_form_params": hidden_params(params, "q", "page"),
            "filterset": filterset,
            "facets": counted.facets,
            "active_filters": active_filters(filterset, counted.facets, params),
            "match_choices": match_choices(filterset, params),
            "paginator": paginator,
            "page_obj": page,
            "is_paginated": paginator.num_pages > 1,
            "sort": sort,
            "params": params,
            "notices": notices,
        }


class IdsFirst:
    """Documents in the order of ``queryset``, a page at a time: the page's ids first
    (for the list, an index-only scan of ``document_reading_order``, which carries
    what the filters test), then only those rows. Ordering whole rows read the wide
    table (transcriptions inline) for every document the filters passed over."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        if not ids:
            return []
        rows = _BY_IDS.rows(ids)
        by_id = {document.pk: document for document in with_repositories(rows, RESULT_FIELDS)}
        return [by_id[pk] for pk in ids if pk in by_id]


# A page of documents with their holding archives (``select_related("repository")``),
# as rows of the document's columns then the archive's, their SQL compiled once per
# process (``sources.prepared``): the documents for_lists() loads on the list, every
# column but the search index's for a page of filtered or searched documents.
_REPOSITORY_NAMES = [f"repository__{name}" for name in prepared.field_names(Repository)]
_LIST_NAMES = prepared.field_names(Document, LIST_FIELDS)
# A result's columns: all but the search index's own (a document's tsvector is as large
# as its text and no result reads it; the engines' passages read the transcription).
RESULT_FIELDS = tuple(name for name in prepared.field_names(Document) if name not in SEARCH_FIELDS)
_BY_IDS = prepared.PreparedQuery(
    lambda ids: (
        Document.objects.filter(pk__in=ids)
        .order_by()
        .values_list(*prepared.field_names(Document, RESULT_FIELDS), *_REPOSITORY_NAMES)
    )
)
_LIST_PAGES = {
    sort: prepared.PreparedQuery(
        lambda start, stop, sort=sort: in_order(Document.objects.published(), sort).values_list(
            *_LIST_NAMES, *_REPOSITORY_NAMES
        )[start:stop]
    )
    for sort in ("date", "-date", "title")
}


def with_repositories(rows, only=None) -> list[Document]:
    """Documents from rows of their fields (``field_names(Document, only)``) followed by
    their archive's (all ``None`` for a document without one)."""
    width = len(prepared.field_names(Document, only))
    documents = prepared.instances(Document, [row[:width] for row in rows], only=only)
    cache = Document._meta.get_field("repository")
    for document, row in zip(documents, rows, strict=True):
        repository = None
        if row[width] is not None:
            repository = prepared.instances(Repository, [row[width:]])[0]
        cache.set_cached_value(document, repository)
    return documents


class ListPage:
    """Every published document in the list's order, a page at a time, with the
    columns a list line shows: the unfiltered document list, its SQL compiled once."""

    def __init__(self, sort: str):
        self.query = _LIST_PAGES[sort]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = self.query.rows(prepared.Literal(start), prepared.Literal(stop))
        return with_repositories(rows, only=LIST_FIELDS)


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

        def order(queryset, sort: str, filtered: bool):
            # Nothing filtered: every published document, a page with its SQL prepared.
            return in_order(queryset, sort) if filtered else ListPage(sort)

        context.update(
            self.results_context(Document.objects.published(), order, notices, everything=True)
        )
        context["documents"] = context["page_obj"].object_list
        return context


class SearchView(DocumentResults):
    """/search/?q=: matching records first, then documents by relevance, each saying
    why it matched; the document filters and their counts apply to the results."""

    template_name = "sources/search.html"
    default_sort = "relevance"
    sorts = ("relevance", "date", "-date", "title")
    cache_params = ("q", *DocumentResults.cache_params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notices: list[str] = []
        typed = self.request.GET.get("q") or ""
        # A Solar Hijri date in the search ("تیر ۱۳۲۴", "decree 1324/4/15") dates it.
        solar = calendars.find_solar(clean_query(typed)[0])
        search = Search(solar[2] if solar else typed, bounded=True)
        if search.shortened:
            notices.append(f"Searches are limited to {MAX_QUERY_LENGTH} characters; yours was cut.")
        if search.only_common_words:
            notices.append("Your search has only very common words (“the”, “of”…); add a name.")
        published = Document.objects.published()
        if solar:
            found, written, _ = solar
            published = published.filter(
                date_latest__gte=found.earliest, date_earliest__lte=found.latest
            )
            notices.append(
                f"“{written}” was read as the Solar Hijri date {found} "
                f"({found.earliest:%-d %B %Y} – {found.latest:%-d %B %Y}): "
                "documents dated then are shown."
            )
        base = search.matching(published) if (search or not solar) else published

        def order(queryset, sort, filtered):
            if sort == "relevance" and not search:
                return in_order(queryset, "date")
            if sort == "relevance":  # a Solar Hijri date narrows like a filter
                return search.ranked(queryset, filtered or bool(solar))
            return in_order(queryset, sort)

        broad = search.broad
        # The search's matches are the documents of ``base`` (no Solar Hijri date
        # narrowing them): the facets count their records from these ids.
        matches = list(search.engine.scores(search.query)) if search and not solar else None
        context.update(
            self.results_context(
                base,
                order,
                notices,
                broad=(broad, search.engine.rank_limit) if broad else None,
                matches=matches,
            )
        )
        context["broad_notice"] = (
            f"More than {search.engine.rank_limit:,} documents match, too many to rank by "
            "relevance: they are listed in date order, and their number is an estimate. Add a word "
            "or a filter to rank them."
            if broad
            else ""
        )
        page = context["page_obj"]
        if typed != search.text or (typed and not page.paginator.count):
            # Not as typed once cleaned, or nothing found: answered, never kept (a
            # flood of unique junk searches must not evict the archive's pages).
            caching.do_not_store("not a canonical search")
        context.update(
            search=search,
            query_text=clean_query(typed)[0] if solar else search.text,
            entities=search.entities,
            results=search.explain(page.object_list)
            if search
            else [DocumentHit(document) for document in page.object_list]
            if solar
            else [],
        )
        return context


class SuggestView(View):
    """/search/suggest/?q=: names as the reader types, as JSON."""

    cache_params = ("q",)

    def get(self, request):
        return JsonResponse(suggest(request.GET.get("q")), safe=False)
