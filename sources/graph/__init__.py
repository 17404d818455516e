"""How is this connected to that? The archive as a graph (published documents and
records, joined by mentions, authors and recipients, events' documents, participants
and places, place containment and organizations' parents) and the shortest chains
between two of its nodes, each step with its evidence.

``nodes`` names a node by a stable public identifier (``person/vyacheslav-molotov``,
``document/<slug>``) and resolves what a reader typed; ``paths`` finds the chains;
``views`` is the page ``/connections/``.
"""

from .nodes import Node, Resolution, load_nodes, resolve
from .paths import Connection, Path, Step, connect

__all__ = [
    "Connection",
    "Node",
    "Path",
    "Resolution",
    "Step",
    "connect",
    "load_nodes",
    "resolve",
]
