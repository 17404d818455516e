"""Helper: the data a browser would post from an admin change form as served."""

from __future__ import annotations

from tests.html import find_all


def change_form_data(response) -> dict[str, str | list[str]]:
    """Every input, select and textarea of the change form with its served value."""
    html = response.content.decode()
    data: dict[str, list[str]] = {}
    for node in find_all(html, "input"):
        name = node.attrs.get("name")
        kind = node.attrs.get("type", "text")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in node.attrs:
            continue
        default = "on" if kind in ("checkbox", "radio") else ""
        data.setdefault(name, []).append(node.attrs.get("value", default))
    for node in find_all(html, "textarea"):
        name = node.attrs.get("name")
        if name:
            data.setdefault(name, []).append(
                "".join(c for c in node.children if isinstance(c, str)).lstrip("\n")
            )
    for node in find_all(html, "select"):
        name = node.attrs.get("name")
        if not name:
            continue
        chosen = [
            o.attrs.get("value", "") for o in find_all(node, "option") if "selected" in o.attrs
        ]
        data[name] = chosen if "multiple" in node.attrs else (chosen[:1] or [""])
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
