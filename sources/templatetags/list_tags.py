"""The rows of the public lists, built in Python (issue 13: fast when nothing is cached).

A list page shows a hundred rows; in the template language each costs some thirty
variable look-ups, filters and ``{% if %}`` tags, which made the rows most of an
uncached list's time. These tags write the same markup with ``format_html``/``escape``
(every value from the data is escaped, as the templates did), and the templates that
used the row snippets keep their structure around them.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .calendar_tags import document_solar_hijri, solar_hijri
from .reading_tags import document_date

register = template.Library()


def _e(value) -> str:
    return conditional_escape(value)


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def place_in_year(place) -> str:
    """``sources/snippets/place_in_year.html``: a place's name (and larger place) as of
    the chosen year."""
    name_then = getattr(place, "name_then", "")
    label = f"{_e(name_then)} (today {_e(place.name)})" if name_then else _e(place.name)
    html = f'<a href="{_e(place.get_absolute_url())}">{label}</a>'
    container = getattr(place, "container_then", None)
    if container:
        html += f' <span class="meta">then in {_e(container.name)}'
        if place.located_in:
            html += f", today in {_e(place.located_in.name)}"
        html += "</span>"
    return html + "\n"


@register.simple_tag
def entity_items(records, kind: str) -> SafeString:
    """The ``<li>`` of each record of a people/places/organizations/events list."""
    parts: list[str] = []
    for entity in records:
        if kind == "place":
            link = place_in_year(entity)
        else:
            link = f'<a href="{_e(entity.get_absolute_url())}">{_e(entity.name)}</a>'
        count = getattr(entity, "document_count", 0)
        meta = ""
        if kind in ("event", "person"):
            shown = entity.date_display
            if shown:
                meta = f"{_e(shown)}{solar_hijri(entity)}{' · ' if count else ''}"
        elif kind == "organization":
            meta = f"{_e(entity.get_org_kind_display())}{' · ' if count else ''}"
        if count:
            meta += f"named in {count} document{_plural(count)}"
        parts.append(
            f'\n          <li>{link}\n            <span class="meta">{meta}</span></li>\n        '
        )
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag
def document_lines(documents) -> SafeString:
    """``sources/snippets/document_line.html`` inside ``<li>``, for each document."""
    return mark_safe(  # every value escaped
        "".join(f"<li>{document_line(document)}</li>" for document in documents)
    )


def document_line(document) -> str:
    """``sources/snippets/document_line.html``: a document's title, date and type."""
    return (
        f'<a href="{_e(document.get_absolute_url())}">{_e(document.title)}</a>\n'
        f'<span class="meta">{_e(document_date(document))}{document_solar_hijri(document)}'
        f" · {_e(document.get_document_type_display())}, "
        f"{_e(document.get_source_kind_display())}</span>\n"
    )
