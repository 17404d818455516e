"""The parts of every public page that hardly change: the site header (name, sections,
search box), the style sheets and the footer.

Rendered by the template engine once per process (and per section for the header, whose
link to the current section carries ``aria-current``), then reused: a page's frame costs
a dictionary look-up and one escaped value (the search box's query) instead of some
twenty ``{% url %}``/``{% static %}`` tags and filters on every request. The snippets
stay templates (``sources/snippets/site_nav.html``, ``search_form.html``,
``site_footer.html``), so the markup is edited where it always was; the URLconf and the
static files manifest stay the only sources of addresses (the cache is keyed by the
script prefix the addresses depend on).
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .search_tags import search_text

register = template.Library()

# The sections of the site navigation, by the path their pages start with.
SECTIONS = ("/documents/", "/people/", "/places/", "/organizations/", "/events/", "/timeline/")
SECTIONS = (*SECTIONS, "/map/")
# A query no cleaning changes and no escaping touches: where the reader's query goes.
_QUERY_MARK = "query0mark0for0the0search0box"

_rendered: dict[tuple[str, ...], str] = {}


def _once(key: tuple[str, ...], build) -> str:
    """``build()`` the first time ``key`` is asked for in this process."""
    try:
        return _rendered[key]
    except KeyError:
        _rendered[key] = value = build()
        return value


def _forget(**kwargs) -> None:
    """A test changed a setting (the URLconf, the static files storage): build anew."""
    _rendered.clear()


setting_changed.connect(_forget, dispatch_uid="site_tags_forget")


def section_of(path: str) -> str:
    """The navigation's view of a path: "/" (home), a section's own path, or ""."""
    if path == "/":
        return "/"
    for section in SECTIONS:
        if path.startswith(section):
            return section
    return ""


def _nav(section: str) -> str:
    return get_template("sources/snippets/site_nav.html").render({"path": section})


def _search_form() -> tuple[str, str]:
    """The search box before and after the query it shows."""
    html = get_template("sources/snippets/search_form.html").render(
        {"request": _QueryOnly({"q": _QUERY_MARK})}
    )
    before, after = html.split(_QUERY_MARK)
    return before, after


class _QueryOnly:
    """Stands for the request in the search box's template: only ``GET`` is read."""

    def __init__(self, params: dict[str, str]):
        self.GET = params


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """The site name, the sections (the current one marked) and the search box."""
    request = context.get("request")
    path = getattr(request, "path", "")
    query = request.GET.get("q", "") if request is not None else ""
    prefix = get_script_prefix()
    section = section_of(path)
    nav = _once(("nav", prefix, section), lambda: _nav(section))
    before, after = _once(("search", prefix), _search_form)
    return mark_safe(  # rendered templates and an escaped value
        f"{nav[6:]}      {before}{conditional_escape(search_text(query))}{after}"
    )


@register.simple_tag
def site_styles() -> SafeString:
    """The two style sheets (their hashed addresses, looked up once)."""
    return mark_safe(  # built by format_html
        _once(
            ("styles", get_script_prefix()),
            lambda: format_html(
                '<link rel="stylesheet" href="{}">\n    <link rel="stylesheet" href="{}">',
                static("css/archive.css"),
                static("css/search.css"),
            ),
        )
    )


@register.simple_tag
def site_footer() -> SafeString:
    """The footer's words and links."""
    return mark_safe(  # a rendered template
        _once(
            ("footer", get_script_prefix()),
            lambda: get_template("sources/snippets/site_footer.html").render({}).strip("\n")[4:],
        )
    )


@register.simple_tag
def page_url(name: str) -> str:
    """``{% url name %}`` for a page without arguments, reversed once per process."""
    return _once(("url", get_script_prefix(), name), lambda: reverse(name))
