"""Template helpers of the search box."""

from django import template
from django.utils.html import conditional_escape
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
    Every value is escaped (``conditional_escape``, as ``format_html`` would; plain
    f-strings because ``format_html`` per link was most of this tag's time). The first
    few (and any chosen) are in view, the rest folded under "N more", so a long facet
    does not push the page down."""
    shown: list[str] = []
    rest: list[str] = []
    for i, choice in enumerate(facet.choices):
        count = choice.count
        url, label = conditional_escape(choice.url), conditional_escape(choice.label)
        documents = f"{count} document{'' if count == 1 else 's'}"
        if choice.selected:
            link = (
                f'<a href="{url}" class="selected" aria-current="true" '
                f'aria-label="{label}, {documents}, selected: remove">{label}</a>'
            )
        else:
            link = f'<a href="{url}" aria-label="{label}, {documents}">{label}</a>'
        item = f'<li>{link} <span class="count" aria-hidden="true">{count}</span></li>'
        # The first choices (and every chosen one) in view; the rest behind "more".
        (shown if choice.selected or i < CHOICES_IN_VIEW else rest).append(item)
    html = f"<ul>{''.join(shown)}</ul>"
    if rest:
        html += (
            f'<details class="more"><summary>{len(rest)} more</summary>'
            f"<ul>{''.join(rest)}</ul></details>"
        )
    return mark_safe(html)  # every value escaped above


@register.simple_tag
def facet_sections(facets) -> str:
    """Each facet with choices (or a note saying why it has none): its heading, note and
    choices, as the filter column shows them."""
    parts = []
    for facet in facets:
        if not (facet.choices or facet.note):
            continue
        name, label = conditional_escape(facet.name), conditional_escape(facet.label)
        note = f'<p class="facet-note">{conditional_escape(facet.note)}</p>' if facet.note else ""
        choices = facet_choices(facet) if facet.choices else ""
        parts.append(
            f'\n      <section class="facet" aria-labelledby="facet-{name}">\n'
            f'        <h3 id="facet-{name}">{label}</h3>\n'
            f"        {note}\n        {choices}\n      </section>\n    "
        )
    return mark_safe("".join(parts))  # every value escaped above
