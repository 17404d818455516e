"""Reading served pages as HTML, not as strings.

Pages are parsed into elements (Python's HTML parser, text kept exactly as written, so
"matched “<b>Baghirov</b>”" reads as a reader sees it), found by tag and attribute, and
compared as HTML with Django's own comparison (the one behind ``assertInHTML``), so
tests do not depend on attribute order, quoting or the templates' indentation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.test.html import parse_html

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Node:
    name: str | None
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def __str__(self) -> str:
        inner = "".join(
            escape(c, quote=False) if isinstance(c, str) else str(c) for c in self.children
        )
        if self.name is None:
            return inner
        attrs = "".join(f' {k}="{escape(v)}"' for k, v in self.attrs.items())
        if self.name in VOID:
            return f"<{self.name}{attrs}>"
        return f"<{self.name}{attrs}>{inner}</{self.name}>"


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node(None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].name == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def tree(html: str | Node) -> Node:
    if isinstance(html, Node):
        return html
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def walk(root: Node) -> Iterator[Node]:
    for child in root.children:
        if isinstance(child, Node):
            yield child
            yield from walk(child)


def _matches(node: Node, name: str | None, attrs: dict[str, str]) -> bool:
    if name is not None and node.name != name:
        return False
    for key, wanted in attrs.items():
        key = key.rstrip("_").replace("_", "-")
        if key not in node.attrs:
            return False
        if key == "class":
            if not set(wanted.split()) <= set(node.attrs[key].split()):
                return False
        elif node.attrs[key] != wanted:
            return False
    return True


def find_all(root: str | Node, name: str | None = None, **attrs: str) -> list[Node]:
    """Every element in ``root`` with that tag (any tag when None) and attributes
    (``aria_labelledby="x"`` is ``aria-labelledby="x"``, ``for_`` is ``for``; ``class_``
    matches when the element has all the classes named)."""
    return [node for node in walk(tree(root)) if _matches(node, name, attrs)]


def find(root: str | Node, name: str | None = None, **attrs: str) -> Node:
    found = find_all(root, name, **attrs)
    assert found, f"no <{name or '*'}> with {attrs}"
    return found[0]


def section(html: str | Node, heading_id: str) -> Node:
    """The <section> labelled by the heading with id ``heading_id``."""
    return find(html, "section", aria_labelledby=heading_id)


def text(element: str | Node) -> str:
    """The text a reader sees: entities decoded, no scripts or styles, whitespace folded."""
    parts: list[str] = []

    def collect(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.name not in ("script", "style", "template"):
                collect(child)

    collect(tree(element))
    return " ".join("".join(parts).split())


def hrefs(element: str | Node) -> list[str]:
    """The addresses of the links in the element, in order."""
    return [a.attrs["href"] for a in find_all(element, "a") if a.attrs.get("href")]


def attribute(element: Node, name: str) -> str | None:
    return element.attrs.get(name)


def contains(element: str | Node, needle: str) -> bool:
    """Whether ``needle`` (an HTML fragment) stands in the element, compared as HTML."""
    return parse_html(needle) in parse_html(str(tree(element)))


# Script types a browser never executes: data blocks (json_script, schema.org JSON-LD).
DATA_BLOCK_TYPES = ("application/json", "application/ld+json")


def inline_code(element: str | Node) -> list[Node]:
    """The <script> elements a browser would run from the page itself: every script that
    has no ``src`` and is not a data block. A data block counts as data only if it is
    declared as JSON and its content really parses as JSON (so a forged block fails)."""
    return [
        script
        for script in find_all(element, "script")
        if not script.attrs.get("src")
        and not (script.attrs.get("type") in DATA_BLOCK_TYPES and is_json(script))
    ]


def is_json(script: Node) -> bool:
    body = "".join(child for child in script.children if isinstance(child, str))
    try:
        json.loads(body)
    except ValueError:
        return False
    return True
