"""Template helpers of the search box."""

from django import template

from sources.search import clean_query

register = template.Library()


@register.filter
def search_text(value) -> str:
    """A query as the search reads it: control characters gone, at most 200 characters."""
    return clean_query(value if isinstance(value, str) else "")[0]
