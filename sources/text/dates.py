"""Historical dates in EDTF (Library of Congress Extended Date/Time Format).

Sources give dates as "6 July 1945", "April 17-21, 1946" or "late 1944". We keep the
EDTF string as the record of what is known, derive earliest/latest calendar bounds for
filtering and sorting, and render only the precision the EDTF carries, so a month is
never shown as a day.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
SEASONS = {"21": "spring", "22": "summer", "23": "autumn", "24": "winter"}
OPEN = {"..", ""}


@dataclass(frozen=True)
class Bounds:
    earliest: dt.date | None
    latest: dt.date | None


def _to_date(value) -> dt.date | None:
    """EDTF bounds are struct_time, or +/-inf for open interval ends."""
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return None
    return struct_time_to_date(value)


def parse(value: str):
    """Parse EDTF or raise ValidationError with a message a curator can act on."""
    try:
        return parse_edtf(value.strip())
    except (EDTFParseException, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            "%(value)s is not a valid EDTF date. Examples: 1945-07-06, 1946-04, "
            "1946-04-17/1946-04-21, 1944-10~ (approximate), 1945? (uncertain), 1896/1956.",
            code="invalid_edtf",
            params={"value": value},
        ) from exc


def validate_edtf(value: str) -> None:
    if value:
        parse(value)


def bounds(value: str) -> Bounds:
    """Earliest and latest calendar days an EDTF value allows (strict, no fuzz)."""
    if not value:
        return Bounds(None, None)
    parsed = parse(value)
    return Bounds(_to_date(parsed.lower_strict()), _to_date(parsed.upper_strict()))


_PART = re.compile(r"^(?P<year>-?\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?(?P<q>[?~%]?)$")


def _format_part(part: str) -> tuple[str, tuple[str, str, str]]:
    """Render one EDTF date; also return (day, month, year) so ranges can share parts."""
    match = _PART.match(part)
    if not match:
        return part, ("", "", part)
    year, month, day, qualifier = match.group("year", "month", "day", "q")
    if month in SEASONS:
        text = f"{SEASONS[month]} {year}"
        parts = ("", SEASONS[month], year)
    else:
        month_name = MONTHS[int(month) - 1] if month else ""
        text = " ".join(p for p in (str(int(day)) if day else "", month_name, year) if p)
        parts = (str(int(day)) if day else "", month_name, year)
    if qualifier in ("~", "%"):
        text = f"c. {text}"
    if qualifier in ("?", "%"):
        text = f"{text}?"
    return text, parts


def humanize(value: str) -> str:
    """'1946-04-17/1946-04-21' -> '17–21 April 1946'; '1944-10~' -> 'c. October 1944'."""
    if not value:
        return ""
    if "/" not in value:
        return _format_part(value)[0]
    start, end = value.split("/", 1)
    if start in OPEN and end in OPEN:
        return "date unknown"
    if start in OPEN:
        return f"until {_format_part(end)[0]}"
    if end in OPEN:
        return f"from {_format_part(start)[0]}"
    start_text, (sd, sm, sy) = _format_part(start)
    end_text, (ed, em, ey) = _format_part(end)
    plain = not re.search(r"[?~%]", value)
    if plain and sy == ey and sm == em and sd and ed:
        return f"{sd}–{ed} {sm} {sy}"
    if plain and sy == ey and sm and em and not sd and not ed:
        return f"{sm}–{em} {sy}"
    if plain and sy == ey and sd and ed:
        return f"{sd} {sm} – {ed} {em} {sy}"
    if plain and not sm and not em:
        return f"{sy}–{ey}"
    return f"{start_text} – {end_text}"
