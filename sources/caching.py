"""What a cached public page depends on, and which changes make it stale.

Pages are cached by ``archive.middleware.PublicPageCacheMiddleware`` together with the
*change tokens* (``sources.models.ChangeToken``) of what they showed. A change bumps only
the tokens it touches (``sources.signals``), so an edit to one document makes stale its
page, the pages of the records it names, and the lists and searches, while every other
record's and document's page stays cached. Drafts, history rows and proposals bump
nothing.

The tokens, by key:

- ``doc:<id>``, ``rec:<id>``, ``repo:<id>``: one document, record or holding archive
  itself (its title, text, name, address…). A page depends on every one of these it
  *loaded* while rendering (collected from ``post_init``, see ``shown``), so nothing it
  shows can be forgotten in a list of dependencies written by hand.
- ``named:<id>``: which published documents name a record (a mention or an agent added,
  moved or removed; a document naming it published, withdrawn, deleted or moved in
  time). The record's page depends on it (its list of sources, the records named with
  it), and so does the page of every document naming it (related documents). Editing a
  document's title or text does not bump it: the pages listing that document loaded it,
  so they depend on its own ``doc:`` key already.
- ``lists``: every list, search, the home page, timeline and map. Any public change
  bumps it, so it is also the safe dependency of a page that showed too much to list.
- ``order``: the reading order (previous/next on a document page): publication,
  withdrawal, deletion or a change of date.
- ``places``: where places are (the "nearby" lists of place pages).
- ``site``: everything; bumped by whole-archive operations (``load_corpus``,
  ``rebuild_search``, ``import_archive``).

This module imports nothing from the archive: the paging rule and the views below it
may mark a page as not to be stored.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

LISTS = "lists"
ORDER = "order"
PLACES = "places"
SITE = "site"
# A page that loaded more records than this depends on ``lists`` instead (any public
# change bumps it): one short token query per cached page, whatever it showed.
MAX_DEPENDENCIES = 300


def document_key(pk: int) -> str:
    return f"doc:{pk}"


def record_key(pk: int) -> str:
    return f"rec:{pk}"


def named_key(pk: int) -> str:
    return f"named:{pk}"


def repository_key(pk: int) -> str:
    return f"repo:{pk}"


@dataclass
class PageDependencies:
    """What the page being rendered has shown, and whether it may be stored."""

    keys: set[str] = field(default_factory=set)
    not_stored: str = ""  # why not, if it may not

    def final(self, declared: tuple[str, ...]) -> frozenset[str]:
        keys = {SITE, *declared}
        if LISTS not in keys:
            keys |= self.keys
        if len(keys) > MAX_DEPENDENCIES:
            keys = {SITE, LISTS}
        return frozenset(keys)


_current: ContextVar[PageDependencies | None] = ContextVar("page_dependencies", default=None)


def start() -> PageDependencies:
    """Collect the dependencies of the page rendered from now on (in this context)."""
    deps = PageDependencies()
    _current.set(deps)
    return deps


def stop() -> None:
    _current.set(None)


def shown(key: str) -> None:
    """The page being rendered (if one is being collected) shows ``key``'s object."""
    deps = _current.get()
    if deps is not None:
        deps.keys.add(key)


def do_not_store(why: str) -> None:
    """Answer the page, but do not keep it: it is not a canonical page (a bad page
    number, a sort or filter that cannot be used, a search that finds nothing), and
    a flood of such addresses must not evict the archive's pages."""
    deps = _current.get()
    if deps is not None and not deps.not_stored:
        deps.not_stored = why
