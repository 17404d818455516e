"""Gregorian EDTF → Solar Hijri and Solar Hijri typed → Gregorian days, without a database.

Known equivalences, each from an authority:
- 21 March 1945 = 1 Farvardin 1324: Nowruz, the first day of the Solar Hijri year,
  fixed at the March equinox by Iran's calendar law of 1925 (11 Farvardin 1304).
- 6 July 1945 = 15 Tir 1324: the Politburo decree, as issue 15 gives it.
- 11 February 1979 = 22 Bahman 1357: the revolution's victory, Iran's national day.
- 21 March 1979 = 1 Farvardin 1358: Nowruz 1358.
- 12 December 1946 = 21 Azar 1325: the Iranian army's return to Tabriz, remembered in
  Iran by its Solar Hijri date (21 Azar).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sources.text import calendars
from sources.text.calendars import SolarDate, SolarDateError, parse_solar, solar_hijri

KNOWN = [
    (dt.date(1945, 3, 21), "1 Farvardin 1324", "۱ فروردین ۱۳۲۴"),
    (dt.date(1945, 7, 6), "15 Tir 1324", "۱۵ تیر ۱۳۲۴"),
    (dt.date(1979, 2, 11), "22 Bahman 1357", "۲۲ بهمن ۱۳۵۷"),
    (dt.date(1979, 3, 21), "1 Farvardin 1358", "۱ فروردین ۱۳۵۸"),
    (dt.date(1946, 12, 12), "21 Azar 1325", "۲۱ آذر ۱۳۲۵"),
]


@pytest.mark.parametrize(("day", "latin", "persian"), KNOWN)
def test_a_day_is_a_day(day, latin, persian):
    found = solar_hijri(day.isoformat())
    assert (found.latin, found.persian, found.exact) == (latin, persian, "")


@pytest.mark.parametrize(("day", "latin", "persian"), KNOWN)
def test_a_typed_day_reads_back_as_the_same_gregorian_day(day, latin, persian):
    assert parse_solar(latin).earliest == day
    assert parse_solar(persian).latest == day
    assert parse_solar(latin).edtf == day.isoformat()


def test_a_gregorian_month_spans_two_persian_months():
    found = solar_hijri("1945-07")
    assert found.latin == "Tir–Mordad 1324"
    assert found.persian == "تیر–مرداد ۱۳۲۴"
    assert found.exact == "10 Tir – 9 Mordad 1324"  # 1 and 31 July 1945


def test_a_month_across_the_persian_new_year_names_both_years():
    found = solar_hijri("1946-03")
    assert found.latin == "Esfand 1324 – Farvardin 1325"
    assert found.exact == "10 Esfand 1324 – 11 Farvardin 1325"  # 1 and 31 March 1946


def test_a_gregorian_year_spans_two_persian_years():
    found = solar_hijri("1945")
    assert found.latin == "1323–1324"
    assert found.persian == "۱۳۲۳–۱۳۲۴"
    assert found.exact == "11 Dey 1323 – 10 Dey 1324"


@pytest.mark.parametrize(
    ("edtf", "latin", "persian"),
    [
        ("1945-07-06~", "c. 15 Tir 1324", "حدود ۱۵ تیر ۱۳۲۴"),
        ("1945-07-06?", "15 Tir 1324?", "۱۵ تیر ۱۳۲۴؟"),
        ("1945-07%", "c. Tir–Mordad 1324?", "حدود تیر–مرداد ۱۳۲۴؟"),
        ("1945~", "c. 1323–1324", "حدود ۱۳۲۳–۱۳۲۴"),
    ],
)
def test_qualifiers_are_kept(edtf, latin, persian):
    found = solar_hijri(edtf)
    assert (found.latin, found.persian) == (latin, persian)


@pytest.mark.parametrize(
    ("edtf", "latin"),
    [
        ("1946-04-17/1946-04-21", "28 Farvardin – 1 Ordibehesht 1325"),
        ("1945-07-01/1945-07-06", "10–15 Tir 1324"),
        ("1944-09/1944-12", "Shahrivar–Dey 1323"),
        ("1896/1956", "1274–1335"),
        ("1892?/1947-06-11", "1270–1271? – 20 Khordad 1326"),
        ("../1945-07-06", "until 15 Tir 1324"),
        ("1941/..", "from 1319–1320"),
    ],
)
def test_intervals_convert_both_ends(edtf, latin):
    assert solar_hijri(edtf).latin == latin


def test_a_season_or_unspecified_digits_show_the_months_they_allow():
    assert solar_hijri("1946-21").latin == "Esfand 1324 – Khordad 1325"  # spring 1946
    assert solar_hijri("194X").latin == "Dey 1318 – Dey 1328"


@pytest.mark.parametrize(
    "unknown", ["", "../..", "/", "not a date", "1945-13", "0500", "-0100", "9999-12-31"]
)
def test_unknown_stays_unknown(unknown):
    assert solar_hijri(unknown) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Tir 1324", SolarDate(1324, 4)),
        ("tir 1324", SolarDate(1324, 4)),
        ("15 Tir 1324", SolarDate(1324, 4, 15)),
        ("1324/4/15", SolarDate(1324, 4, 15)),
        ("1324/04", SolarDate(1324, 4)),
        ("۱۳۲۴/۴/۱۵", SolarDate(1324, 4, 15)),
        ("١٣٢٤/٤/١٥", SolarDate(1324, 4, 15)),  # Arabic-Indic digits
        ("تیر ۱۳۲۴", SolarDate(1324, 4)),
        ("۱۵ تير ۱۳۲۴", SolarDate(1324, 4, 15)),  # Arabic yeh typed for Persian yeh
        ("Amordad 1324", SolarDate(1324, 5)),
        ("1324 SH", SolarDate(1324)),
        ("۱۳۲۴", SolarDate(1324)),
        ("۱۳۲۴ ه.ش", SolarDate(1324)),
    ],
)
def test_solar_hijri_as_readers_type_it(typed, expected):
    assert parse_solar(typed) == expected


def test_a_month_becomes_its_gregorian_days():
    tir = parse_solar("Tir 1324")
    assert (tir.earliest, tir.latest) == (dt.date(1945, 6, 22), dt.date(1945, 7, 22))
    assert tir.edtf == "1945-06-22/1945-07-22"
    year = parse_solar("1324 SH")
    assert (year.earliest, year.latest) == (dt.date(1945, 3, 21), dt.date(1946, 3, 20))


def test_esfand_has_thirty_days_only_in_a_leap_year():
    # 1325 is leap: the March equinox of 1947 fell after noon in Tehran, so Nowruz 1326
    # was 22 March 1947 and 21 March 1947 was 30 Esfand 1325.
    assert parse_solar("30 Esfand 1325").earliest == dt.date(1947, 3, 21)
    assert parse_solar("1 Farvardin 1326").earliest == dt.date(1947, 3, 22)
    with pytest.raises(SolarDateError, match="29 days"):
        parse_solar("30 Esfand 1324")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31 Mehr 1324", "Mehr 1324 has 30 days"),
        ("1324/13/1", "no month 13"),
        ("1324/0/1", "no month 0"),
        ("Foo 1324", "“Foo” is not a Solar Hijri month"),
        ("15 Tir 3024", "outside"),
        ("yesterday", "not a date this archive reads"),
        ("", "No date given"),
        ("1324", "not a date this archive reads"),  # ASCII digits: a Gregorian year
    ],
)
def test_a_date_that_cannot_be_read_says_why(typed, message):
    with pytest.raises(SolarDateError, match=message):
        parse_solar(typed)


def test_a_bare_year_in_ascii_digits_is_solar_only_when_asked():
    assert parse_solar("1324", bare_year=True) == SolarDate(1324)


def test_a_solar_hijri_date_is_found_among_search_words():
    found, written, rest = calendars.find_solar("decree تیر ۱۳۲۴ Bagirov")
    assert (found, written, rest) == (SolarDate(1324, 4), "تیر 1324", "decree Bagirov")
    assert calendars.find_solar("Bagirov 1324/4/15")[0] == SolarDate(1324, 4, 15)
    for plain in ("July 1945", "Tabriz 1945", "1945-11", "Bagirov", "1945/1946"):
        assert calendars.find_solar(plain) is None, plain


@pytest.mark.parametrize(
    "edtf",
    ["1945", "1945-02", "1944-02", "1945-07-06", "1945-07-06~", "1945-07?", "1946-03%",
     "1946-04-17/1946-04-21", "1944-09/1944-12", "1896/1956", "1892?/1947-06-11"],
)  # fmt: skip
def test_the_fast_reading_of_plain_dates_agrees_with_the_edtf_library(edtf):
    """Pages convert dozens of dates; plain ones skip the EDTF parser, to the same days."""
    from sources.text import dates

    assert calendars._bounds(edtf) == dates.bounds(edtf)
