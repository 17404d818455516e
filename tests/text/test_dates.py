import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sources.text import dates


@pytest.mark.parametrize(
    ("edtf", "shown", "earliest", "latest"),
    [
        ("1945-07-06", "6 July 1945", dt.date(1945, 7, 6), dt.date(1945, 7, 6)),
        ("1946-04-17/1946-04-21", "17–21 April 1946", dt.date(1946, 4, 17), dt.date(1946, 4, 21)),
        ("1946-12", "December 1946", dt.date(1946, 12, 1), dt.date(1946, 12, 31)),
        ("1944-10~", "c. October 1944", dt.date(1944, 10, 1), dt.date(1944, 10, 31)),
        ("1945?", "1945?", dt.date(1945, 1, 1), dt.date(1945, 12, 31)),
        ("1896/1956", "1896–1956", dt.date(1896, 1, 1), dt.date(1956, 12, 31)),
        ("1944-23", "autumn 1944", dt.date(1944, 9, 1), dt.date(1944, 11, 30)),
        ("1946-03/1946-05", "March–May 1946", dt.date(1946, 3, 1), dt.date(1946, 5, 31)),
        ("1945/..", "from 1945", dt.date(1945, 1, 1), None),
        ("1945-09-03/1946-12", "3 September 1945 – December 1946", dt.date(1945, 9, 3),
         dt.date(1946, 12, 31)),
    ],
)  # fmt: skip
def test_edtf_bounds_and_display_keep_only_what_is_known(edtf, shown, earliest, latest):
    assert dates.humanize(edtf) == shown
    assert dates.bounds(edtf) == dates.Bounds(earliest, latest)


@pytest.mark.parametrize("bad", ["6 July 1945", "1945-13-01", "1945-02-30x", "<script>", "19"])
def test_invalid_edtf_is_a_validation_error_not_a_crash(bad):
    with pytest.raises(ValidationError) as error:
        dates.validate_edtf(bad)
    assert "not a valid EDTF date" in str(error.value)


def test_empty_date_has_no_bounds():
    assert dates.bounds("") == dates.Bounds(None, None)
    assert dates.humanize("") == ""
