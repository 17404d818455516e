"""Filters the reading pages need to say things plainly: language and script names
for name variants, EDTF dates in words, coordinates with their hemispheres."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language_info

from sources.text import dates
from sources.text import hedge as _hedge
from sources.text import hedged as _hedged

from . import calendar_tags

register = template.Library()

# ISO 15924 codes the archive uses; others are shown as their code.
SCRIPTS = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Arab": "Arabic",
    "Armn": "Armenian",
    "Geor": "Georgian",
    "Hebr": "Hebrew",
    "Syrc": "Syriac",
}
# Languages Django does not describe (or describes under another code).
LANGUAGES = {"ku": "Kurdish", "az": "Azerbaijani", "fa": "Persian", "und": "undetermined"}


@register.filter
def hedged(text: str, certainty: str) -> str:
    """'[probably] Mir Jafar Bagirov': the archive's one way of writing doubt."""
    return _hedged(str(text), certainty)


@register.filter
def hedge(certainty: str) -> str:
    """'[probably]' for a probable link, '' for a certain one (same rule as hedged)."""
    return _hedge(certainty)


@register.filter
def language_label(code: str) -> str:
    """'az' → 'Azerbaijani'; an unknown code is shown as given, never an error."""
    if not code:
        return ""
    if code in LANGUAGES:
        return LANGUAGES[code]
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


@register.filter
def script_label(code: str) -> str:
    return SCRIPTS.get(code, code or "")


@register.filter
def edtf(value: str) -> str:
    """An EDTF value in words, at the precision it carries ('December 1946')."""
    return dates.humanize(value or "")


@register.filter
def latitude(value: Decimal | float | None) -> str:
    return _degrees(value, "N", "S")


@register.filter
def longitude(value: Decimal | float | None) -> str:
    return _degrees(value, "E", "W")


def _degrees(value, positive: str, negative: str) -> str:
    if value is None:
        return ""
    number = float(value)
    return f"{abs(number):.4f}° {positive if number >= 0 else negative}"


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """For marking the current section in the site navigation."""
    return str(value or "").startswith(prefix)


@register.filter
def document_date(document) -> str:
    """A document's date as known; an undated one says what period it covers, so an
    encyclopedia article about April 1946 does not look timeless."""
    if document.date_display:
        return document.date_display
    coverage = dates.humanize(getattr(document, "coverage_edtf", "") or "")
    return f"undated (about {coverage})" if coverage else "undated"


# Solar Hijri beside the Gregorian dates (issue 15), loaded with the other reading filters.
register.filter("solar_hijri", calendar_tags.solar_hijri)
register.filter("solar_hijri_text", calendar_tags.solar_hijri_text)
register.filter("document_solar_hijri", calendar_tags.document_solar_hijri)
