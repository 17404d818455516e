"""The Solar Hijri calendar (Iran's civil calendar since 1925) beside the EDTF dates.

Iranian sources and readers date the Azerbaijan crisis in Solar Hijri: the decree of
6 July 1945 is 15 Tir 1324. The archive keeps every date in EDTF (Gregorian, see
``dates``); this module converts an EDTF value *at the precision it carries* and reads
Solar Hijri dates typed by readers or curators back into Gregorian days. A Gregorian
month straddles two Persian months and a Gregorian year two Persian years, so those are
shown as ranges rather than pretending to a precision the source does not give.

The day arithmetic is ``jdatetime``'s (the 33-year arithmetic rule, which agrees with
Iran's official calendar for the whole twentieth century). Pure: no database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

import jdatetime
from django.conf import settings

from . import dates

MONTHS = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]  # fmt: skip
MONTHS_FA = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]  # fmt: skip
# Other spellings readers type (Latin transliterations vary; "Amordad" is the older
# official form of Mordad). Keys are folded: lower case, without spaces or dashes.
_MONTH_ALIASES = {
    **{name.lower(): i for i, name in enumerate(MONTHS, 1)},
    **{name: i for i, name in enumerate(MONTHS_FA, 1)},
    "ordibehesht": 2, "ordibahesht": 2, "khurdad": 3, "khordād": 3, "amordad": 5,
    "murdad": 5, "mordād": 5, "amordād": 5, "shahrewar": 6, "mihr": 7,
    "ābān": 8, "adhar": 9, "āzar": 9, "dei": 10,
    "isfand": 12, "esfend": 12, "امرداد": 5,
}  # fmt: skip
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Arabic letters typed for their Persian look-alikes.
_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "\u200c": " "})
# What may follow a Solar Hijri year to say which calendar it is in.
_ERA_WORD = r"(?:SH|S\.H\.|AP|A\.P\.|HS|ه\.?\s?ش\.?|هجری\s+شمسی|ش)"
_ERA = rf"(?:\s*{_ERA_WORD})?"
# The years this archive can mean: its documents date from the 1890s to today.
MIN_YEAR, MAX_YEAR = 1200, 1500


def persian_digits(text: str) -> str:
    return str(text).translate(_PERSIAN_DIGITS)


def to_solar(day: dt.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=day)


def month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


# The per-document setting's values (``sources.models.calendars.Calendar``).
SOLAR_HIJRI, GREGORIAN = "solar_hijri", "gregorian"


def shows_solar_hijri(obj: object = None) -> bool:
    """Whether ``obj`` (a document with its ``calendar`` setting, a record, or None for
    the archive) shows Solar Hijri: its own choice, else ``settings.ARCHIVE_SOLAR_HIJRI``."""
    choice = getattr(obj, "calendar", "") or ""
    if choice == SOLAR_HIJRI:
        return True
    if choice == GREGORIAN:
        return False
    return bool(getattr(settings, "ARCHIVE_SOLAR_HIJRI", True))


def solar_hijri_of(obj: object, field: str = "date_edtf") -> SolarText | None:
    """``obj``'s date (or another EDTF field) in Solar Hijri where its setting says so."""
    if obj is None or not shows_solar_hijri(obj):
        return None
    return solar_hijri(getattr(obj, field, "") or "")


# --- EDTF → Solar Hijri -------------------------------------------------------------


@dataclass(frozen=True)
class SolarText:
    """One date in Solar Hijri: ``latin`` ("Tir–Mordad 1324"), ``persian`` (the same in
    Persian script and digits) and ``exact`` (the day range, when ``latin`` is coarser
    than days: "10 Tir – 9 Mordad 1324"; empty otherwise)."""

    latin: str
    persian: str
    exact: str = ""

    def __str__(self) -> str:
        return self.latin


def _day(day: jdatetime.date, with_year: bool = True) -> tuple[str, str]:
    latin = f"{day.day} {MONTHS[day.month - 1]}"
    persian = f"{persian_digits(day.day)} {MONTHS_FA[day.month - 1]}"
    if with_year:
        latin, persian = f"{latin} {day.year}", f"{persian} {persian_digits(day.year)}"
    return latin, persian


def _day_range(first: jdatetime.date, last: jdatetime.date) -> tuple[str, str]:
    """'10 Tir – 9 Mordad 1324' (the year once when both ends share it)."""
    if first == last:
        return _day(first)
    same_year = first.year == last.year
    if same_year and first.month == last.month:
        return (
            f"{first.day}–{last.day} {MONTHS[first.month - 1]} {first.year}",
            f"{persian_digits(first.day)}–{persian_digits(last.day)} "
            f"{MONTHS_FA[first.month - 1]} {persian_digits(first.year)}",
        )
    start = _day(first, with_year=not same_year)
    end = _day(last)
    return f"{start[0]} – {end[0]}", f"{start[1]} – {end[1]}"


def _month_range(first: jdatetime.date, last: jdatetime.date) -> tuple[str, str]:
    """'Tir–Mordad 1324', or 'Esfand 1323 – Farvardin 1324' across a new year."""
    m1, m2 = first.month - 1, last.month - 1
    if first.year == last.year:
        if m1 == m2:
            return f"{MONTHS[m1]} {first.year}", f"{MONTHS_FA[m1]} {persian_digits(first.year)}"
        return (
            f"{MONTHS[m1]}–{MONTHS[m2]} {first.year}",
            f"{MONTHS_FA[m1]}–{MONTHS_FA[m2]} {persian_digits(first.year)}",
        )
    return (
        f"{MONTHS[m1]} {first.year} – {MONTHS[m2]} {last.year}",
        f"{MONTHS_FA[m1]} {persian_digits(first.year)} – "
        f"{MONTHS_FA[m2]} {persian_digits(last.year)}",
    )


def _year_range(first: jdatetime.date, last: jdatetime.date) -> tuple[str, str]:
    if first.year == last.year:
        return str(first.year), persian_digits(first.year)
    return f"{first.year}–{last.year}", f"{persian_digits(first.year)}–{persian_digits(last.year)}"


def _span(earliest: dt.date, latest: dt.date, precision: str) -> SolarText | None:
    """Gregorian days ``earliest``..``latest`` at ``precision`` (day, month or year);
    None outside the calendar (before 1 Farvardin 1, or beyond jdatetime's years)."""
    try:
        first, last = to_solar(earliest), to_solar(latest)
    except (ValueError, OverflowError):
        return None
    if first.year < 1:
        return None
    exact = _day_range(first, last)
    if precision == "day":
        return SolarText(*exact)
    shown = _month_range(first, last) if precision == "month" else _year_range(first, last)
    return SolarText(shown[0], shown[1], exact[0])


def _qualify(text: SolarText, qualifier: str) -> SolarText:
    """The EDTF qualifier kept: '~' approximate (c.), '?' uncertain, '%' both."""
    latin, persian = text.latin, text.persian
    if qualifier in ("~", "%"):
        latin, persian = f"c. {latin}", f"حدود {persian}"
    if qualifier in ("?", "%"):
        latin, persian = f"{latin}?", f"{persian}؟"
    return SolarText(latin, persian, text.exact)


_ORDER = {"day": 0, "month": 1, "year": 2}


def _precision(part: str) -> tuple[str, str]:
    """(day, month or year; the qualifier) of one EDTF date. A season or unspecified
    digits (194X) are shown as the months they allow."""
    match = dates._PART.match(part)
    if match and match.group("month") not in dates.SEASONS:
        precision = "day" if match.group("day") else "month" if match.group("month") else "year"
        return precision, match.group("q")
    return "month", ""


def _plain_bounds(part: str) -> dates.Bounds | None:
    """The days of a plain year, month or day (qualified or not), without the EDTF
    parser: it costs milliseconds a call, and a list page shows dozens of dates."""
    match = dates._PART.match(part)
    if not match or match.group("year").startswith("-"):
        return None
    year, month, day = match.group("year", "month", "day")
    try:
        if day:
            found = dt.date(int(year), int(month), int(day))
            return dates.Bounds(found, found)
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return dates.Bounds(
                dt.date(int(year), int(month), 1), dt.date(int(year), int(month), last)
            )
        return dates.Bounds(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
    except ValueError:  # a season (1946-21), day 31 of a 30-day month, year 0000
        return None


def _bounds(value: str) -> dates.Bounds | None:
    parts = value.split("/")
    plain = [_plain_bounds(part) for part in parts]
    if all(plain):
        return dates.Bounds(plain[0].earliest, plain[-1].latest)
    try:
        found = dates.bounds(value)
    except Exception:
        return None
    if found.earliest is None or found.latest is None:
        return None
    return found


def _part(part: str) -> SolarText | None:
    """One EDTF date (no interval) in Solar Hijri, or None when nothing is known."""
    found = _bounds(part)
    if found is None:
        return None
    precision, qualifier = _precision(part)
    span = _span(found.earliest, found.latest, precision)
    return _qualify(span, qualifier) if span else None


@functools.lru_cache(maxsize=4096)
def solar_hijri(value: str) -> SolarText | None:
    """An EDTF value in Solar Hijri at the precision it carries; None when the date is
    unknown (or not EDTF), so nothing is shown rather than a guess."""
    value = (value or "").strip()
    if not value:
        return None
    if "/" not in value:
        return _part(value)
    start, end = value.split("/", 1)
    if start not in dates.OPEN and end not in dates.OPEN:
        (p1, q1), (p2, q2) = _precision(start), _precision(end)
        found = _bounds(value)
        if found is None:
            return None
        if not q1 and not q2:  # one span: '28 Farvardin – 1 Ordibehesht 1325'
            coarser = p1 if _ORDER[p1] >= _ORDER[p2] else p2
            return _span(found.earliest, found.latest, coarser)
        first, last = _part(start), _part(end)
        if first and last:
            days = _span(found.earliest, found.latest, "day")
            return SolarText(
                f"{first.latin} – {last.latin}",
                f"{first.persian} – {last.persian}",
                days.latin if days else "",
            )
        return None
    first = None if start in dates.OPEN else _part(start)
    last = None if end in dates.OPEN else _part(end)
    if first:
        return SolarText(f"from {first.latin}", f"از {first.persian}", first.exact)
    if last:
        return SolarText(f"until {last.latin}", f"تا {last.persian}", last.exact)
    return None


# --- Solar Hijri typed → Gregorian days ---------------------------------------------


class SolarDateError(ValueError):
    """A Solar Hijri date that cannot be read; the message says what to write.
    ``specific``: the text was a Solar Hijri date, wrong in a way the message names
    (no such month, day or year), rather than not a Solar Hijri date at all."""

    def __init__(self, message: str, specific: bool = True):
        super().__init__(message)
        self.specific = specific


@dataclass(frozen=True)
class SolarDate:
    """A Solar Hijri year, month or day as typed ('Tir 1324' is year 1324, month 4)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first(self) -> jdatetime.date:
        return jdatetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> jdatetime.date:
        if self.day:
            return self.first
        month = self.month or 12
        return jdatetime.date(self.year, month, month_length(self.year, month))

    @property
    def earliest(self) -> dt.date:
        return self.first.togregorian()

    @property
    def latest(self) -> dt.date:
        return self.last.togregorian()

    @property
    def edtf(self) -> str:
        """The Gregorian EDTF the archive stores: a day, or the interval of days."""
        if self.day:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}/{self.latest.isoformat()}"

    def __str__(self) -> str:
        latin, _ = (
            _day(self.first)
            if self.day
            else _month_range(self.first, self.first)
            if self.month
            else (str(self.year), "")
        )
        return latin


def normalize(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII, Arabic look-alike letters as Persian,
    one space between words."""
    text = str(text or "").translate(_DIGITS).translate(_LETTERS)
    return " ".join(text.split())


def _month(name: str) -> int | None:
    key = name.lower().replace("-", "").replace(" ", "")
    return _MONTH_ALIASES.get(key) or _MONTH_ALIASES.get(name)


_MONTH_WORD = r"[^\W\d_]+"
_NUMERIC = re.compile(rf"^(?P<y>\d{{4}})/(?P<m>\d{{1,2}})(?:/(?P<d>\d{{1,2}}))?{_ERA}$", re.I)
_NAMED = re.compile(rf"^(?:(?P<d>\d{{1,2}})\s+)?(?P<name>{_MONTH_WORD})\s+(?P<y>\d{{4}}){_ERA}$")
_YEAR = re.compile(rf"^(?P<y>\d{{4}}){_ERA}$")
_YEAR_WITH_ERA = re.compile(rf"^(?P<y>\d{{4}})\s*{_ERA_WORD}$", re.I)

HELP = "write a Solar Hijri date as “Tir 1324”, “15 Tir 1324”, “1324/4/15” or “۱۵ تیر ۱۳۲۴”"


def _checked(year: int, month: int | None, day: int | None, typed: str) -> SolarDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise SolarDateError(f"“{typed}”: the year {year} is outside {MIN_YEAR}–{MAX_YEAR} SH.")
    if month is not None and not 1 <= month <= 12:
        raise SolarDateError(f"“{typed}”: there is no month {month}; Solar Hijri has 12.")
    if day is not None and not 1 <= day <= month_length(year, month or 1):
        raise SolarDateError(
            f"“{typed}”: {MONTHS[(month or 1) - 1]} {year} has "
            f"{month_length(year, month or 1)} days."
        )
    return SolarDate(year, month, day)


def parse_solar(text: str, bare_year: bool | None = None) -> SolarDate:
    """'Tir 1324', '15 Tir 1324', '1324/4/15', '۱۳۲۴/۴/۱۵', 'تیر ۱۳۲۴', '1324 SH'.

    A bare four-digit year is Solar Hijri only when typed in Persian digits (or when
    ``bare_year`` says so): '1945' stays a Gregorian year for the EDTF reader.
    """
    typed = str(text or "").strip()
    value = normalize(typed)
    if bare_year is None:
        bare_year = value != typed.strip() and bool(_YEAR.match(value))
    if not value:
        raise SolarDateError(f"No date given: {HELP}.", specific=False)
    if match := _NUMERIC.match(value):
        day = match.group("d")
        return _checked(int(match["y"]), int(match["m"]), int(day) if day else None, typed)
    if match := _NAMED.match(value):
        month = _month(match["name"])
        if month is None:
            raise SolarDateError(
                f"“{typed}”: “{match['name']}” is not a Solar Hijri month ({', '.join(MONTHS)})."
            )
        day = match.group("d")
        return _checked(int(match["y"]), month, int(day) if day else None, typed)
    if (bare_year and (match := _YEAR.match(value))) or (match := _YEAR_WITH_ERA.match(value)):
        return _checked(int(match["y"]), None, None, typed)
    raise SolarDateError(f"“{typed}” is not a date this archive reads: {HELP}.", specific=False)


_FIND = re.compile(
    rf"(?:(?<!\w)(?:\d{{1,2}}\s+)?{_MONTH_WORD}\s+\d{{4}}(?!\w)|(?<![\w/])\d{{4}}/\d{{1,2}}(?:/\d{{1,2}})?(?![\w/]))"
)


def find_solar(text: str) -> tuple[SolarDate, str, str] | None:
    """The first Solar Hijri date in a search ('decree تیر ۱۳۲۴'): the date, the words
    it was written as, and the rest of the text without them. Only a real month name
    or a year/month/day counts, so 'July 1945' or 'Tabriz 1945' is left alone."""
    value = normalize(text)
    position = 0
    while match := _FIND.search(value, position):
        position = match.start() + 1  # "Bagirov 1324/4/15": try again from the next word
        try:
            found = parse_solar(match.group(0), bare_year=False)
        except SolarDateError:
            continue
        rest = " ".join((value[: match.start()] + " " + value[match.end() :]).split())
        return found, match.group(0), rest
    return None
