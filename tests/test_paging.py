"""The one paging rule: every list gives a page whatever ?page= says."""

import pytest
from django.core.paginator import Paginator

from sources.paging import safe_page


@pytest.mark.parametrize(
    ("raw", "number", "has_notice"),
    [
        (None, 1, False),
        ("", 1, False),
        ("2", 2, False),
        ("last", 3, False),
        ("abc", 1, True),
        ("0", 1, True),
        ("-4", 1, True),
        ("99", 3, True),
        ("1.5", 1, True),
        ("%00", 1, True),
    ],
)
def test_safe_page_never_raises(raw, number, has_notice):
    page, notice = safe_page(Paginator(list(range(25)), 10), raw)
    assert page.number == number
    assert bool(notice) == has_notice


@pytest.mark.parametrize("raw", ["003", " 2 ", "+2"])
def test_page_numbers_written_another_way_need_no_notice(raw):
    page, notice = safe_page(Paginator(list(range(25)), 10), raw)
    assert page.number == int(raw)
    assert notice == ""
