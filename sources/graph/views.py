"""/connections/?from=…&to=…: the shortest chains between two records or sources.

Thin: ``nodes.resolve`` reads the two values, ``paths.connect`` finds the chains. A value
that names nothing, or several things, is answered on the page (never a 500), with a
"did you mean" list from the name search; a name that resolves to one node is
redirected to the page's permanent address (its identifiers), so pages are cached and
cited by one address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from .. import caching
from .nodes import Resolution, resolve
from .paths import MAX_LENGTH, MAX_PATHS, connect


def connection_url(origin: str, target: str = "") -> str:
    query = {"from": origin, **({"to": target} if target else {})}
    return f"{reverse('sources:connections')}?{urlencode(query)}"


class ConnectionView(TemplateView):
    template_name = "sources/connections.html"
    cache_params = ("from", "to")
    # A chain may pass any link of the archive: every public change makes it stale.
    cache_depends_on = (caching.LISTS,)

    def get(self, request, *args, **kwargs):
        self.origin = resolve(request.GET.get("from"))
        self.target = resolve(request.GET.get("to"))
        if self.origin.node and self.target.node:
            wanted = (self.origin.node.identifier, self.target.node.identifier)
            if (self.origin.text, self.target.text) != wanted:
                return HttpResponseRedirect(connection_url(*wanted))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        origin, target = self.origin, self.target
        messages = [r.message for r in (origin, target) if r.message]
        connection = None
        if origin.node and target.node:
            if origin.node.key == target.node.key:
                messages.append("Choose two different records or sources to connect.")
            else:
                connection = connect(origin.node, target.node)
        elif (origin.text or target.text) and not messages:
            messages.append("Choose both ends: what to connect, and to what.")
        if messages:
            caching.do_not_store("not a connection page")
        context.update(
            origin=origin,
            target=target,
            pickers=[
                _picker("from", "From", origin, "a person, place, organization, event or source"),
                _picker("to", "To", target, "what to connect it to"),
            ],
            messages=messages,
            connection=connection,
            max_length=MAX_LENGTH,
            max_paths=MAX_PATHS,
        )
        return context


def _picker(name: str, label: str, resolution: Resolution, hint: str) -> dict[str, Any]:
    """One of the two fields: its value (the identifier once known, else what was
    typed), and the choices offered when what was typed matched several."""
    node = resolution.node
    return {
        "name": name,
        "id": f"connect-{name}",
        "label": label,
        "hint": hint,
        "value": node.identifier if node else resolution.text,
        "node": node,
        "candidates": resolution.candidates,
        "other": "to" if name == "from" else "from",
    }
