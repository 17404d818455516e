"""The CSL-JSON record's parts that need no database: EDTF dates as CSL date-parts, and
names as family/given or literal."""

from __future__ import annotations

import pytest

from sources.interop.csl import csl_date, csl_name
from sources.models import Organization, Person


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        ("", None),
        ("1945-07-06", {"date-parts": [[1945, 7, 6]]}),
        ("1946-12", {"date-parts": [[1946, 12]]}),
        ("1946", {"date-parts": [[1946]]}),
        ("1946-04-17/1946-04-21", {"date-parts": [[1946, 4, 17], [1946, 4, 21]]}),
        ("1945-11/1945-11-20", {"date-parts": [[1945, 11], [1945, 11, 20]]}),
        ("1944-10~", {"date-parts": [[1944, 10]], "circa": True}),
        ("1945?", {"date-parts": [[1945]], "circa": True}),
        ("1946-21", {"date-parts": [[1946]]}),  # a season: the year is what CSL can say
        ("1945/1945", {"date-parts": [[1945]]}),
        ("../1946", None),  # open ranges are left out rather than guessed
        ("not a date", None),
    ],
)
def test_edtf_as_csl_dates(edtf, expected):
    assert csl_date(edtf) == expected


def test_names_split_only_when_the_sort_name_says_how():
    assert csl_name(
        Person(kind="person", name="Mir Jafar Bagirov", sort_name="Bagirov, Mir Jafar")
    ) == {
        "family": "Bagirov",
        "given": "Mir Jafar",
    }
    assert csl_name(Person(kind="person", name="Pishevari", sort_name="Pishevari")) == {
        "literal": "Pishevari"
    }
    assert csl_name(Person(kind="person", name="A, B, C", sort_name="A, B, C")) == {
        "literal": "A, B, C"
    }
    politburo = Organization(
        kind="organization", name="Politburo of the CC VKP(b)", sort_name="Politburo, the"
    )
    assert csl_name(politburo) == {"literal": "Politburo of the CC VKP(b)"}
