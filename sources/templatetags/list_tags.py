"""The rows of the public lists, built in Python (issue 13: fast when nothing is cached).

A list page shows a hundred rows; in the template language each costs some thirty
variable look-ups, filters and ``{% if %}`` tags, which made the rows most of an
uncached list's time. These tags write the same markup with ``format_html``/``escape``
(every value from the data is escaped, as the templates did), and the templates that
used the row snippets keep their structure around them.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import capfirst, truncatewords
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .calendar_tags import document_solar_hijri, solar_hijri
from .reading_tags import document_date, hedged

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
def entity_groups(groups, kind: str) -> SafeString:
    """Each group of a list (a letter, a kind of place, a year): its heading and rows."""
    return mark_safe(  # every value escaped
        "".join(
            f'\n    <section class="entity-group" aria-labelledby="{_e(anchor)}">\n'
            f'      <h2 id="{_e(anchor)}">{_e(heading)}</h2>\n      <ul class="entity-list">\n'
            f"        {entity_items(records, kind)}\n      </ul>\n    </section>\n  "
            for heading, anchor, records in groups
        )
    )


@register.simple_tag
def jump_links(groups) -> SafeString:
    """A link to each group of the page."""
    return mark_safe(  # every value escaped
        "".join(
            f'<li><a href="#{_e(anchor)}">{_e(heading)}</a></li>' for heading, anchor, _ in groups
        )
    )


@register.simple_tag
def document_lines(documents) -> SafeString:
    """``sources/snippets/document_line.html`` inside ``<li>``, for each document (the
    home page's first documents)."""
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


@register.simple_tag
def timeline_entries(entries) -> SafeString:
    """The ``<li>`` of each timeline entry: its date, whether a
    document or an event, its link, and for an event the published sources that record
    or tell it (``TimelineSource``, loaded by the timeline in one query)."""
    return mark_safe("".join(timeline_entry(entry) for entry in entries))  # escaped below


def timeline_entry(entry) -> str:
    record = entry.record
    if entry.is_document:
        date = f"{_e(capfirst(document_date(record)))}{document_solar_hijri(record)}"
        kind, title = "Document", record.title
    else:
        date = f"{_e(record.date_display or 'Date unknown')}{solar_hijri(record)}"
        kind, title = "Event", record.name
    html = (
        f'<li class="entry entry-{_e(entry.kind)}">\n'
        f'  <span class="entry-date">{date}</span>\n'
        f'  <span class="entry-kind">{kind}</span>\n'
        f'  <a href="{_e(record.get_absolute_url())}">{_e(title)}</a>\n  '
    )
    if not entry.is_document:
        links = getattr(record, "timeline_sources", None)
        if links is None:  # an event not loaded by the timeline view: its links
            links = [_ModelSource(link) for link in record.document_links.all()]
        if links:
            html += '<span class="entry-sources">({})</span>'.format(
                "; ".join(
                    f"{_e(hedged(link.role_label, link.certainty))}: "
                    f'<a href="{_e(link.get_absolute_url())}">'
                    f"{_e(truncatewords(link.title, 6))}</a>"
                    for link in links
                )
            )
    return html + "\n</li>\n"


class _ModelSource:
    """A ``DocumentEvent`` seen as a ``TimelineSource``."""

    def __init__(self, link):
        self.role_label = link.get_role_display()
        self.certainty = link.certainty
        self.title = link.document.title
        self.get_absolute_url = link.document.get_absolute_url


@register.simple_tag
def document_item(document) -> SafeString:
    """A result's date, type and archive."""
    return mark_safe(document_meta(document))  # every value escaped


@register.simple_tag
def document_items(documents) -> SafeString:
    """The document list's rows: each title, then its date, type and archive."""
    return mark_safe(  # every value escaped
        "".join(
            f'\n          <li>\n            <a href="{_e(document.get_absolute_url())}">'
            f"{_e(document.title)}</a>\n            {document_meta(document)}"
            "\n          </li>\n        "
            for document in documents
        )
    )


def document_meta(document) -> str:
    """A document's date, type and holding archive, under its title in a list."""
    html = (
        f'<p class="meta">\n  <span class="date">{_e(document.date_display or "undated")}'
        f"{solar_hijri(document)}</span> ·\n"
        f'  <span class="type">{_e(document.get_document_type_display())}, '
        f"{_e(document.get_source_kind_display())}</span>"
    )
    repository = document.repository
    if repository:
        html += (
            ' ·\n    <span class="repository">'
            f"{_e(repository.abbreviation or repository.name)}</span>"
        )
    return html + "\n</p>\n"


@register.simple_tag
def trail_steps(trail) -> SafeString:
    """The home page's trail: each source with the records it shares with the one
    before (the first six named, then how many more)."""
    return mark_safe("".join(_trail_step(step) for step in trail))  # escaped below


def _trail_step(step) -> str:
    document = step.document
    summary = ""
    if document.summary:
        summary = f"<p>{_e(truncatewords(document.summary, 45))}</p>"
    link = ""
    if step.previous:
        shared = step.shared_with_previous
        if shared:
            more = len(shared) - 6
            shown = shared[:6]
            names = ""
            for i, record in enumerate(shown):
                first, last = i == 0, i == len(shown) - 1
                if last and not first and more <= 0:
                    names += " and "
                elif not first:
                    names += ", "
                names += f'<a href="{_e(record.get_absolute_url())}">{_e(record.name)}</a>'
            if more > 0:
                names += f" and {more} more"
            words = f"The {_e(step.noun)} shares {names} with the {_e(step.previous_noun)}."
        else:
            words = (
                f"The {_e(step.noun)} names none of the records in the {_e(step.previous_noun)}."
            )
        link = f'\n              <p class="trail-link">{words}</p>\n            '
    return (
        f'\n          <li>\n            <h3><a href="{_e(document.get_absolute_url())}">'
        f"{_e(document.title)}</a></h3>\n"
        f'            <p class="meta">{_e(document_date(document))}'
        f"{document_solar_hijri(document)} · {_e(document.get_document_type_display())}, "
        f"{_e(document.get_source_kind_display())}</p>\n"
        f"            {summary}\n            {link}\n          </li>\n        "
    )


@register.simple_tag
def search_results(results) -> SafeString:
    """The search's document results: title, date and type, the passage, and why each
    matched (the records it names, in what role, in which words)."""
    return mark_safe("".join(_search_result(hit) for hit in results))  # escaped below


def _search_result(hit) -> str:
    document = hit.document
    if hit.headline:
        passage = f'<p class="passage">{_e(hit.headline)}</p>'
    elif document.summary:
        passage = f'<p class="passage">{_e(truncatewords(document.summary, 40))}</p>'
    else:
        passage = ""
    roles = "".join(
        f'\n                    <p class="why">{_e(capfirst(hedged(r.phrase, r.certainty)))} '
        f'<a href="{_e(r.entity.get_absolute_url())}">{_e(r.entity.name)}</a></p>'
        "\n                  "
        for r in hit.roles
    )
    mentions = "".join(
        f'\n                    <p class="why">Mentions '
        f'<a href="{_e(r.entity.get_absolute_url())}">{_e(r.entity.name)}</a>'
        + (" as " + ", ".join(f"“{_e(words)}”" for words in r.words) if r.as_written else "")
        + "</p>\n                  "
        for r in hit.mentions
    )
    return (
        "\n                <li>\n                  "
        f'<h3><a href="{_e(document.get_absolute_url())}">{_e(document.title)}</a></h3>'
        f"\n                  {document_meta(document)}"
        f"\n                  {passage}\n                  {roles}\n                  {mentions}"
        "\n                </li>\n              "
    )
