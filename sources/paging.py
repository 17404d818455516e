"""The one paging rule of every list: a page whatever ``?page=`` says.

A malformed or out-of-range page number is a reader's typo, not an error: the reader
gets the nearest sensible page (Django's ``Paginator.get_page``) and a notice saying
why. Reading lists, record pages and search results all page through ``paginate``.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from . import caching

MAX_PAGE_PARAM = 20  # characters of ?page= worth reading (and echoing in a notice)


def page_param(request) -> str:
    return (request.GET.get("page") or "").strip()[:MAX_PAGE_PARAM]


def safe_page(paginator: Paginator, raw: str | None) -> tuple[Page, str]:
    """The page ``raw`` asks for, or the nearest one with a notice saying why."""
    raw = (raw or "").strip()
    if raw == "last":
        return paginator.page(paginator.num_pages), ""
    page = paginator.get_page(raw or 1)
    if not raw or str(page.number) == raw:
        return page, ""
    try:
        number = int(raw)
    except ValueError:
        return page, f"“{raw}” is not a page number; showing page {page.number}."
    if number < 1:
        page = paginator.page(1)
    elif number == page.number:  # "007", "+3": the page it names
        return page, ""
    return page, f"There is no page {raw}; showing page {page.number}."


def paginate(request, items, per_page: int, **options) -> tuple[Paginator, Page, str]:
    """(paginator, page, notice) for ``items`` at the page the request asks for."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True, **options)
    page, notice = safe_page(paginator, page_param(request))
    if notice:  # not a page of the list: answered, never kept by the page cache
        caching.do_not_store(notice)
    return paginator, page, notice
