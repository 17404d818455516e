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


CHOICES_IN_VIEW = 5  # per facet; the others are listed under "more"


@register.simple_tag
def facet_choices(facet) -> str:
    """A facet's choices as list items, each a link with its count (built in Python:
    the document filters have a hundred links, too many for template loops to be cheap).
    Every value is escaped by format_html. The first few (and any chosen) are in view,
    the rest folded under "N more", so a long facet does not push the page down."""
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
    # The first choices (and every chosen one) in view; the rest behind "more".
    pairs = list(zip(items, facet.choices, strict=True))
    shown = [item for i, (item, c) in enumerate(pairs) if c.selected or i < CHOICES_IN_VIEW]
    rest = [item for i, (item, c) in enumerate(pairs) if not (c.selected or i < CHOICES_IN_VIEW)]
    html = format_html("<ul>{}</ul>", mark_safe("".join(shown)))
    if rest:
        html += format_html(
            '<details class="more"><summary>{} more</summary><ul>{}</ul></details>',
            len(rest),
            mark_safe("".join(rest)),
        )
    return mark_safe(html)  # each item built by format_html
