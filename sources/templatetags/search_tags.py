"""Template helpers of the search box."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sources.search.query import clean_query

register = template.Library()


@register.filter
def search_text(value) -> str:
    """A query as the search reads it: control characters gone, at most 200 characters."""
    return clean_query(value if isinstance(value, str) else "")[0]


@register.simple_tag
def facet_choices(facet) -> str:
    """A facet's choices as list items, each a link with its count (built in Python:
    the document filters have a hundred links, too many for template loops to be cheap).
    Every value is escaped by format_html."""
    items = []
    for choice in facet.choices:
        documents = f"{choice.count} document{'' if choice.count == 1 else 's'}"
        if choice.selected:
            link = format_html(
                '<a href="{}" class="selected" aria-current="true" '
                'aria-label="{}, {}, selected: remove">{}</a>',
                choice.url,
                choice.label,
                documents,
                choice.label,
            )
        else:
            link = format_html(
                '<a href="{}" aria-label="{}, {}">{}</a>',
                choice.url,
                choice.label,
                documents,
                choice.label,
            )
        items.append(
            format_html(
                '<li>{} <span class="count" aria-hidden="true">{}</span></li>', link, choice.count
            )
        )
    return mark_safe("".join(items))  # each item built by format_html
