"""Solar Hijri beside the Gregorian date on the reading pages (issue 15).

``{{ document|solar_hijri }}`` (or a record, or ``|solar_hijri:"coverage_edtf"``) gives
' <span class="solar-hijri">(15 Tir 1324 SH · ۱۵ تیر ۱۳۲۴)</span>' when the object's
setting shows Solar Hijri and the date is known, and nothing otherwise. Everything is
built with ``format_html``, so the data is escaped.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sources.text.calendars import SolarText, solar_hijri_of

register = template.Library()


def render(found: SolarText | None) -> SafeString | str:
    if found is None:
        return ""
    title = f"Solar Hijri: {found.exact}" if found.exact else "Solar Hijri"
    return format_html(
        ' <span class="solar-hijri" title="{}">({} SH · '
        '<span lang="fa" dir="rtl">{}</span>)</span>',
        title,
        found.latin,
        found.persian,
    )


@register.filter
def solar_hijri(obj, field: str = "date_edtf") -> SafeString | str:
    """The object's date in Solar Hijri, as an inline note after its Gregorian date."""
    return render(solar_hijri_of(obj, field))


@register.filter
def solar_hijri_text(obj, field: str = "date_edtf") -> str:
    """The same as plain text ('15 Tir 1324 SH'), for citations and attributes."""
    found = solar_hijri_of(obj, field)
    return f"{found.latin} SH" if found else ""


@register.filter
def document_solar_hijri(document) -> SafeString | str:
    """Beside ``document_date``: the date, or for an undated document its period."""
    field = "date_edtf" if getattr(document, "date_edtf", "") else "coverage_edtf"
    return render(solar_hijri_of(document, field))
