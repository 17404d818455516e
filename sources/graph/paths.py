"""The shortest chains between two nodes of the archive, with their evidence.

**The search.** Bidirectional breadth-first search over the archive's own link tables:
each step of either side is one SQL query (a ``UNION ALL`` of the links of the whole
frontier), and the side whose frontier is cheaper to expand goes next (a document has
about ten links; a record as many as the documents naming it, which the search's kept
counts, ``RecordCount``, say without counting). The two searches meet at a node both
reached; the radii add up to at most ``MAX_LENGTH``. Chosen by measurement over a
recursive CTE and a kept adjacency table (``docs/connections.md``): it needs no table
to keep current, so an edit or a publication is on the next request's path.

**Hubs.** A record named by more than ``HUB_DOCUMENTS`` published documents (a country,
a party in a large archive; 50,000 documents at worst) is never expanded to its
documents: that would read the whole archive in two steps. Its other links (events,
places, containment) are followed as usual, and its documents are only looked up
among those the *other* side has already reached (one indexed query, ``_bridges``),
and two hubs, one reached from each end, meet in the documents naming both (a join of
their links in document order, ``_shared_documents``).
So a chain through a hub is found whenever the hub's document is within reach of the
other end; every expansion also reads at most ``FRONTIER_ROWS`` links, and the result
says when that bound cut the search short (``Connection.bounded``).

**The answer.** Up to ``MAX_PATHS`` distinct simple chains, shortest first; among
equal lengths the most certain first, then those through the least-named records (a
chain through a village says more than one through Iran), then by their nodes'
identifiers, so the order never depends on the database's. Each step carries every
link between its two nodes (mentions with the words quoted, authors and recipients,
events' documents, participants, places, containment), in the direction read.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection

from ..models import (
    AGENT_BY,
    AGENT_VERBS,
    Certainty,
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentEventRole,
    EventParticipant,
    EventPlace,
    Mention,
    Organization,
    Place,
    PublicationStatus,
    RecordCount,
)
from ..text import hedged
from ..text.certainty import HEDGES
from .nodes import Node, load_nodes

MAX_LENGTH = 4
MAX_PATHS = 5
HUB_DOCUMENTS = 1000
FRONTIER_ROWS = 20_000
CANDIDATES = 40  # chains weighed (evidence read) before the best MAX_PATHS are kept
CHAINS_PER_MEETING = 20
CERTAINTY_RANK = {Certainty.CERTAIN: 0, Certainty.PROBABLE: 1, Certainty.UNCERTAIN: 2}


# --- SQL ----------------------------------------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(column: str, values: Iterable[int]) -> tuple[str, list]:
    """``column`` among ``values``: one parameter whatever their number (an array on
    PostgreSQL, a JSON list on SQLite), so a frontier of thousands stays one query."""
    values = sorted(set(values))
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(values)]


def _rows(parts: list[tuple[str, list]], limit: int | None = None) -> list[tuple]:
    if not parts:
        return []
    sql = " UNION ALL ".join(part for part, _ in parts)
    params = [p for _, ps in parts for p in ps]
    if limit is not None:
        sql = f"SELECT * FROM ({sql}) AS links LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The links between a document and a record: (model, record column).
DOCUMENT_LINKS = ((Mention, "entity_id"), (DocumentAgent, "entity_id"), (DocumentEvent, "event_id"))
# The links between two records: (model, one end, other end).
RECORD_LINKS = (
    (EventParticipant, "event_id", "entity_id"),
    (EventPlace, "event_id", "place_id"),
    (Place, "entity_ptr_id", "located_in_id"),
    (Organization, "entity_ptr_id", "parent_id"),
)


def _expansion_parts(
    documents: list[int],
    records: list[int],
    all_records: list[int],
    within: set[int] | None = None,
):
    """SQL parts giving (from, to) for every link of the frontier: ``documents`` (ids)
    to their records, ``records`` (not hubs) to their documents (drafts included:
    the caller drops them, ``_unpublished``, so the links are read from their indexes
    alone), and ``all_records`` to the records they are linked with; only to nodes
    ``within`` when given (the last step, which only has to meet the other side)."""
    parts = []
    far_documents = far_records = None
    if within is not None:
        far_documents = [-n for n in within if n < 0]
        far_records = [n for n in within if n > 0]

    def limit(column: str, allowed: list[int] | None) -> tuple[str, list]:
        if allowed is None:
            return "", []
        where, params = _in(column, allowed)
        return f" AND {where}", params

    if documents and far_records != []:
        for model, column in DOCUMENT_LINKS:
            where, params = _in("l.document_id", documents)
            extra, more = limit(f"l.{column}", far_records)
            parts.append(
                (
                    f"SELECT -l.document_id, l.{column} FROM {_table(model)} l "
                    f"WHERE {where}{extra}",
                    [*params, *more],
                )
            )
    if records and far_documents != []:
        for model, column in DOCUMENT_LINKS:
            where, params = _in(f"l.{column}", records)
            extra, more = limit("l.document_id", far_documents)
            parts.append(
                (
                    f"SELECT l.{column}, -l.document_id FROM {_table(model)} l "
                    f"WHERE {where}{extra}",
                    [*params, *more],
                )
            )
    if all_records and far_records != []:
        for model, one, other in RECORD_LINKS:
            for near, far in ((one, other), (other, one)):
                where, params = _in(f"l.{near}", all_records)
                extra, more = limit(f"l.{far}", far_records)
                parts.append(
                    (
                        f"SELECT l.{near}, l.{far} FROM {_table(model)} l "
                        f"WHERE {where}{extra} AND l.{far} IS NOT NULL",
                        [*params, *more],
                    )
                )
    return parts


def _bridges(pairs: list[tuple[list[int], list[int]]]) -> set[tuple[int, int]]:
    """(hub, -document) for links between the hubs and the documents of each pair:
    the hubs' documents looked up only among those already reached."""
    parts = []
    for hubs, documents in pairs:
        if not hubs or not documents:
            continue
        for model, column in DOCUMENT_LINKS:
            where_h, params_h = _in(f"l.{column}", hubs)
            where_d, params_d = _in("l.document_id", documents)
            parts.append(
                (
                    f"SELECT l.{column}, -l.document_id FROM {_table(model)} l "
                    f"WHERE {where_h} AND {where_d}",
                    [*params_h, *params_d],
                )
            )
    return {(hub, doc) for hub, doc in _rows(parts)}


def _links_union() -> str:
    """Every (document, record) link as one relation, for the hub-to-hub lookup."""
    return " UNION ALL ".join(
        f"SELECT document_id, {column} AS record FROM {_table(model)}"
        for model, column in DOCUMENT_LINKS
    )


def _shared_documents(one: list[int], other: list[int]) -> set[tuple[int, int, int]]:
    """(hub of ``one``, -document, hub of ``other``) for published documents linked to
    a hub of each list: two hubs meet in a source naming both, found by joining their
    links (a hash join of the two hubs' index entries) rather than listing either's.
    No ORDER BY: with one, PostgreSQL walks the whole link index in document order."""
    if not one or not other:
        return set()
    where_x, params_x = _in("x.record", one)
    where_y, params_y = _in("y.record", other)
    sql = (
        f"SELECT x.record, -x.document_id, y.record FROM ({_links_union()}) x "
        f"JOIN ({_links_union()}) y ON y.document_id = x.document_id "
        f"WHERE {where_x} AND {where_y} LIMIT {FRONTIER_ROWS + 1}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params_x, *params_y])
        return set(cursor.fetchall())


def _unpublished() -> set[int]:
    """The node keys of every document the public may not see (drafts, in review,
    withdrawn): one index-only read of the status index, so the link queries need
    not look each document up. An archive holds few of them beside its published
    sources (5,000 of 100,000 in the benchmark: a few milliseconds)."""
    hidden = [value for value in PublicationStatus.values if value != PublicationStatus.PUBLISHED]
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(hidden))
        cursor.execute(f"SELECT id FROM {_table(Document)} WHERE status IN ({marks})", hidden)
        return {-pk for (pk,) in cursor.fetchall()}


def _counts(records: Iterable[int], known: dict[int, int]) -> None:
    """How many published documents name each record (the kept counts), into ``known``."""
    missing = [pk for pk in records if pk > 0 and pk not in known]
    if not missing:
        return
    for pk in missing:
        known[pk] = 0
    where, params = _in("entity_id", missing)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entity_id, documents FROM {_table(RecordCount)} WHERE {where}", params
        )
        known.update(cursor.fetchall())


# --- The search ----------------------------------------------------------------------------


@dataclass
class _Side:
    root: int
    distance: dict[int, int] = field(default_factory=dict)
    parents: dict[int, list[int]] = field(default_factory=dict)
    frontier: set[int] = field(default_factory=set)
    radius: int = 0
    done: bool = False

    def __post_init__(self) -> None:
        self.distance[self.root] = 0
        self.frontier = {self.root}

    def cost(self, counts: dict[int, int]) -> int:
        return sum(
            12 if node < 0 else min(counts.get(node, 0), HUB_DOCUMENTS) + 4
            for node in self.frontier
        )

    def chains(self, node: int) -> Iterator[list[int]]:
        """Every shortest chain from the root to ``node`` (root first), in key order."""
        if node == self.root:
            yield [node]
            return
        for parent in sorted(self.parents.get(node, ())):
            for chain in self.chains(parent):
                yield [*chain, node]


class _Search:
    def __init__(self, origin: int, target: int, max_length: int = MAX_LENGTH) -> None:
        self.a, self.b = _Side(origin), _Side(target)
        self.max_length = max_length
        self.counts: dict[int, int] = {}
        self.bounded = False
        # Hub links to look up if needed: (length, kind, nodes on a's side, on b's side).
        self.pending: list[tuple[int, str, list[int], list[int]]] = []
        self.hidden = _unpublished()

    def is_hub(self, node: int) -> bool:
        return node > 0 and self.counts.get(node, 0) > HUB_DOCUMENTS

    def expand(self, side: _Side, other: _Side) -> set[int]:
        """One more level of ``side``; the last level the length allows only looks for
        the nodes the other side reached (fewer rows: only meetings)."""
        records = [n for n in side.frontier if n > 0]
        documents = [-n for n in side.frontier if n < 0]
        plain = [n for n in records if not self.is_hub(n)]
        room = self.max_length - side.radius - 1
        within = None
        if room <= other.radius:
            within = {n for n, d in other.distance.items() if d <= room}
        parts = _expansion_parts(documents, plain, records, within)
        rows = _rows(parts, FRONTIER_ROWS + 1)
        if len(rows) > FRONTIER_ROWS:
            self.bounded = True
            rows = rows[:FRONTIER_ROWS]
        level = side.radius + 1
        new: set[int] = set()
        for near, far in rows:
            if far in self.hidden:
                continue
            known = side.distance.get(far)
            if known is None:
                side.distance[far] = level
                side.parents[far] = [near]
                new.add(far)
            elif known == level and near not in side.parents[far]:
                side.parents[far].append(near)
        side.radius = level
        side.frontier = new
        if not new:
            side.done = True
        return new

    def find_bridges(self, side: _Side, other: _Side, new: set[int]) -> None:
        """Note the hub links that could join what ``side`` just reached (``new``) to
        what ``other`` reached: a hub's document already reached from the other end, or
        a document naming a hub of each side. Looked up later, and only if needed
        (``_meet_hubs``)."""
        level = side.radius
        on_a = side is self.a
        new_hubs = sorted(n for n in new if self.is_hub(n))
        new_documents = sorted(n for n in new if n < 0)
        by_distance: dict[int, tuple[list[int], list[int]]] = {}
        for node, d in other.distance.items():
            documents, hubs = by_distance.setdefault(d, ([], []))
            if node < 0:
                documents.append(node)
            elif self.is_hub(node):
                hubs.append(node)
        for d, (documents, hubs) in sorted(by_distance.items()):
            for mine, theirs, kind in (
                (new_hubs, documents, "bridge"),  # a hub here, its document there
                (new_documents, hubs, "bridge"),  # a document here, its hub there
                (new_hubs, hubs, "hubs"),  # a document naming both, between
            ):
                length = level + d + (2 if kind == "hubs" else 1)
                if mine and theirs and length <= self.max_length:
                    ends = (mine, sorted(theirs)) if on_a else (sorted(theirs), mine)
                    self.pending.append((length, kind, *ends))

    def _meet_hubs(self, up_to: int) -> None:
        """Look up the noted hub links that could give a chain of at most ``up_to``
        steps, shortest first, and only while fewer than MAX_PATHS chains that short are
        known: chains through a record named by thousands of sources are the least
        telling, and looking them up reads long lists."""
        while True:
            lengths = sorted({item[0] for item in self.pending if item[0] <= up_to})
            if not lengths:
                return
            length = lengths[0]
            if sum(1 for chain in self.chains() if len(chain) - 1 <= length) >= MAX_PATHS:
                return
            batch = [item for item in self.pending if item[0] == length]
            self.pending = [item for item in self.pending if item[0] != length]
            for _, kind, on_a, on_b in batch:
                if kind == "hubs":
                    found = _shared_documents(on_a, on_b)
                    if len(found) > FRONTIER_ROWS:
                        self.bounded = True
                    for mine, document, theirs in sorted(found)[:FRONTIER_ROWS]:
                        if document in self.hidden:
                            continue
                        self._reach(self.a, mine, document)
                        self._reach(self.b, theirs, document)
                    continue
                hubs_on_a = on_a[0] > 0
                hubs, documents = (on_a, on_b) if hubs_on_a else (on_b, on_a)
                for hub, document in sorted(_bridges([(hubs, [-n for n in documents])])):
                    self._reach(self.a if hubs_on_a else self.b, hub, document)

    @staticmethod
    def _reach(side: _Side, near: int, far: int) -> None:
        level = side.distance[near] + 1
        known = side.distance.get(far)
        if known is None:
            side.distance[far] = level
            side.parents[far] = [near]
        elif known == level and near not in side.parents.setdefault(far, []):
            side.parents[far].append(near)

    def meetings(self) -> list[tuple[int, int]]:
        """(length, node) where the two searches meet, the least-named nodes first."""
        found = [
            (d + self.b.distance[n], n)
            for n, d in self.a.distance.items()
            if n in self.b.distance and d + self.b.distance[n] <= self.max_length
        ]
        return sorted(found, key=lambda m: (m[0], self.counts.get(m[1], 0), m[1]))

    def chains(self) -> list[tuple[int, ...]]:
        """Distinct simple chains from the meetings, shortest first (at most CANDIDATES
        beyond those of the length that completes MAX_PATHS)."""
        found: dict[tuple[int, ...], None] = {}
        enough_at = None
        for length, meeting in self.meetings():
            if enough_at is not None and length > enough_at:
                break
            # Each side's chains to the meeting, a few of each (a node deep in a wide
            # search can have thousands).
            lefts = list(itertools.islice(self.a.chains(meeting), CHAINS_PER_MEETING))
            rights = list(itertools.islice(self.b.chains(meeting), CHAINS_PER_MEETING))
            combos = itertools.product(lefts, rights)
            for left, right in itertools.islice(combos, CHAINS_PER_MEETING):
                nodes = tuple(left) + tuple(reversed(right))[1:]
                if len(set(nodes)) == len(nodes):
                    found.setdefault(nodes, None)
            if enough_at is None and len(found) >= MAX_PATHS:
                enough_at = length
            if len(found) >= CANDIDATES:
                break
        return list(found)

    def complete_up_to(self) -> int:
        return self.a.radius + self.b.radius

    def run(self) -> list[tuple[int, ...]]:
        a, b = self.a, self.b
        if a.root == b.root:
            return []
        _counts([a.root, b.root], self.counts)
        self.find_bridges(a, b, {a.root})
        self.find_bridges(b, a, {b.root})
        while self.complete_up_to() < self.max_length and not (a.done or b.done):
            reach = self.complete_up_to()
            self._meet_hubs(reach)
            if sum(1 for chain in self.chains() if len(chain) - 1 <= reach) >= MAX_PATHS:
                break
            _counts([n for n in a.frontier | b.frontier if n > 0], self.counts)
            side, other = (a, b) if a.cost(self.counts) <= b.cost(self.counts) else (b, a)
            new = self.expand(side, other)
            _counts([n for n in new if n > 0], self.counts)
            self.find_bridges(side, other, new)
        self._meet_hubs(self.max_length)
        return self.chains()


# --- The evidence ----------------------------------------------------------------------------

# What an event is to a document that records, reports, describes or mentions it.
EVENT_IN = {
    DocumentEventRole.RECORD: "is recorded in",
    DocumentEventRole.REPORTS: "is reported in",
    DocumentEventRole.DESCRIBES: "is described in",
    DocumentEventRole.MENTIONS: "is mentioned in",
}
# Which link names a step when several join the same two nodes (the strongest first).
LINK_ORDER = ("agent", "event", "participant", "place", "contains", "parent", "mention")


@dataclass
class Link:
    """One piece of evidence for a step, read in the step's direction."""

    kind: str
    phrase: str  # "received", "names", "place of"
    certainty: str = Certainty.CERTAIN
    detail: str = ""  # a participant's role, a note
    words: list[str] = field(default_factory=list)  # a mention's quoted words

    @property
    def hedged(self) -> str:
        return hedged(self.phrase, self.certainty)


@dataclass
class Step:
    source: Node
    target: Node
    links: list[Link]

    @property
    def certainty(self) -> str:
        """As sure as the surest link: one certain link joins the two for certain."""
        return min((link.certainty for link in self.links), key=CERTAINTY_RANK.__getitem__)

    @property
    def link(self) -> Link:
        return self.links[0]

    @property
    def label(self) -> str:
        return hedged(self.link.phrase, self.certainty)

    @property
    def words(self) -> list[str]:
        return list(dict.fromkeys(w for link in self.links for w in link.words))


@dataclass
class Path:
    steps: list[Step]

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def nodes(self) -> list[Node]:
        return [self.steps[0].source, *(step.target for step in self.steps)]

    @property
    def certainty(self) -> str:
        """As sure as its least sure step: doubt travels along the chain."""
        return max((s.certainty for s in self.steps), key=CERTAINTY_RANK.__getitem__)

    @property
    def hedge(self) -> str:
        """'probably' or 'possibly' when a step is not certain, else ''."""
        return HEDGES.get(self.certainty, "")

    @property
    def sentence(self) -> str:
        """'Molotov — received → telegram of 21 November 1945 — names → Maragheh'."""
        text = self.steps[0].source.label
        for step in self.steps:
            text += f" — {step.label} → {step.target.label}"
        return text

    def sort_key(self) -> tuple:
        interior = sum(node.degree for node in self.nodes[1:-1])
        doubtful = sum(1 for s in self.steps if s.certainty != Certainty.CERTAIN)
        return (
            self.length,
            CERTAINTY_RANK[self.certainty],
            doubtful,
            interior,
            tuple(node.identifier for node in self.nodes),
        )


def _evidence(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[Link]]:
    """Every link of each (node, node) pair, read from the first to the second; a fixed
    number of queries (one per kind of link) whatever the number of pairs."""
    found: dict[tuple[int, int], list[Link]] = {}

    def add(near: int, far: int, link: Link) -> None:
        found.setdefault((near, far), []).append(link)

    wanted = pairs | {(b, a) for a, b in pairs}
    documents = {-n for pair in wanted for n in pair if n < 0}
    records = {n for pair in wanted for n in pair if n > 0}
    if documents and records:
        mentions = (
            Mention.objects.filter(document_id__in=documents, entity_id__in=records)
            .order_by("start")
            .values_list("document_id", "entity_id", "text", "certainty")
        )
        words: dict[tuple[int, int], dict[str, list]] = {}
        for doc, entity, text, certainty in mentions:
            if (-doc, entity) in wanted:
                seen = words.setdefault((-doc, entity), {})
                seen.setdefault(certainty, []).append(text)
        for (doc, entity), by_certainty in words.items():
            for certainty, texts in sorted(
                by_certainty.items(), key=lambda item: CERTAINTY_RANK[item[0]]
            ):
                unique = list(dict.fromkeys(texts))
                add(doc, entity, Link("mention", "names", certainty, words=unique))
                add(entity, doc, Link("mention", "is named in", certainty, words=unique))
        agents = DocumentAgent.objects.filter(
            document_id__in=documents, entity_id__in=records
        ).order_by("role", "order")
        for doc, entity, role, certainty in agents.values_list(
            "document_id", "entity_id", "role", "certainty"
        ):
            if (-doc, entity) in wanted:
                add(entity, -doc, Link("agent", AGENT_VERBS.get(role, role), certainty))
                add(-doc, entity, Link("agent", AGENT_BY.get(role, role), certainty))
        events = DocumentEvent.objects.filter(document_id__in=documents, event_id__in=records)
        for doc, event, role, certainty in events.values_list(
            "document_id", "event_id", "role", "certainty"
        ):
            if (-doc, event) in wanted:
                add(-doc, event, Link("event", DocumentEventRole(role).label, certainty))
                add(event, -doc, Link("event", EVENT_IN.get(role, role), certainty))
    if len(records) > 1:
        participants = EventParticipant.objects.filter(
            event_id__in=records, entity_id__in=records
        ).order_by("role")
        for event, entity, role, certainty in participants.values_list(
            "event_id", "entity_id", "role", "certainty"
        ):
            if (event, entity) in wanted:
                add(entity, event, Link("participant", "took part in", certainty, f"as {role}"))
                add(event, entity, Link("participant", "involved", certainty, f"as {role}"))
        places = EventPlace.objects.filter(event_id__in=records, place_id__in=records)
        for event, place in places.values_list("event_id", "place_id"):
            if (event, place) in wanted:
                add(place, event, Link("place", "place of"))
                add(event, place, Link("place", "took place in"))
        contained = Place.objects.filter(pk__in=records, located_in_id__in=records)
        for inner, outer in contained.values_list("pk", "located_in_id"):
            if (inner, outer) in wanted:
                add(inner, outer, Link("contains", "lies in"))
                add(outer, inner, Link("contains", "contains"))
        bodies = Organization.objects.filter(pk__in=records, parent_id__in=records)
        for inner, outer in bodies.values_list("pk", "parent_id"):
            if (inner, outer) in wanted:
                add(inner, outer, Link("parent", "is part of"))
                add(outer, inner, Link("parent", "includes"))
    for links in found.values():
        links.sort(key=lambda link: (LINK_ORDER.index(link.kind), CERTAINTY_RANK[link.certainty]))
    return found


# --- The answer ------------------------------------------------------------------------------


@dataclass
class Connection:
    origin: Node
    target: Node
    paths: list[Path]
    max_length: int = MAX_LENGTH
    bounded: bool = False  # a frontier bound cut the search short

    @property
    def found(self) -> bool:
        return bool(self.paths)


def connect(origin: Node, target: Node, max_length: int = MAX_LENGTH) -> Connection:
    """Up to MAX_PATHS chains of at most ``max_length`` steps from ``origin`` to
    ``target``, shortest and surest first."""
    search = _Search(origin.key, target.key, max_length)
    chains = search.run()
    pairs = {(u, v) for chain in chains for u, v in itertools.pairwise(chain)}
    evidence = _evidence(pairs)
    nodes = load_nodes({n for chain in chains for n in chain} - {origin.key, target.key})
    nodes[origin.key], nodes[target.key] = origin, target
    _counts([n for n in nodes if n > 0], search.counts)
    paths = []
    for chain in chains:
        steps = []
        for u, v in itertools.pairwise(chain):
            links = evidence.get((u, v))
            if not links or u not in nodes or v not in nodes:
                break  # a link or node gone since the search read it (or unpublished)
            source, target = _with_degree(nodes[u], search), _with_degree(nodes[v], search)
            steps.append(Step(source, target, links))
        else:
            paths.append(Path(steps))
    paths.sort(key=Path.sort_key)
    return Connection(origin, target, paths[:MAX_PATHS], max_length, search.bounded)


def _with_degree(node: Node, search: _Search) -> Node:
    if node.is_document:
        return node
    degree = search.counts.get(node.key, 0)
    if degree == node.degree:
        return node
    return Node(node.key, node.kind, node.slug, node.label, node.title, node.url, degree)


def path_keys(paths: Sequence[Path]) -> list[list[str]]:
    """The identifiers along each path (tests and the API compare these)."""
    return [[node.identifier for node in path.nodes] for path in paths]
