"""Lists: a page whatever ``?page=`` says, and A–Z headings."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

from ..text import fold


def safe_page(paginator: Paginator, raw: str | None) -> tuple[Page, str]:
    """The page ``?page=`` asks for, or the nearest sensible one with a notice saying
    why: a malformed or out-of-range page number is a reader's typo, not an error."""
    if raw in (None, ""):
        return paginator.page(1), ""
    try:
        return paginator.page(raw), ""
    except PageNotAnInteger:
        if raw == "last":
            return paginator.page(paginator.num_pages), ""
        return paginator.page(1), f"“{raw}” is not a page number; showing page 1."
    except EmptyPage:
        last = paginator.num_pages
        number = 1 if _is_below_one(raw) else last
        return paginator.page(number), f"There is no page {raw}; showing page {number}."


def _is_below_one(raw: str) -> bool:
    try:
        return int(raw) < 1
    except (TypeError, ValueError):
        return True


def initial_letter(name: str) -> str:
    """The A–Z heading a name files under ('Ələkbər' under E); '#' for non-letters."""
    folded = fold(name)
    first = folded[:1].upper()
    return first if first.isalpha() else "#"
