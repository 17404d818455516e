"""Connection benchmark: p50/p95 of the shortest-chain search at archive scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_paths_bench \\
        python manage.py bench_paths --settings=archive.settings.bench

Runs on the search benchmark's synthetic archive (``bench_search``, built first with
``--build-only`` when the database is empty; 100,000 documents and about a million
mentions by default) and adds, once, what that archive lacks for a graph: authors and
recipients for a fifth of the documents, events with participants, places and the
documents that report them, places inside provinces, organizations inside others, and
one record named by 50,000 documents (the hub a search must not expand). Then it times
``sources.graph.connect`` (the search, its evidence and its nodes) and the whole
``/connections/`` page for a fixed mix of pairs, and prints p50/p95 per kind.

``--compare`` also times the alternative the design weighed: one recursive CTE walking
up to four steps from one end (with a statement timeout, as it may not finish).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from sources.graph import connect
from sources.graph import paths as graph_paths
from sources.graph.nodes import load_nodes
from sources.models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    Entity,
    EntityKind,
    EventParticipant,
    EventPlace,
    Mention,
    Organization,
    Person,
    Place,
    everything_changed,
)
from sources.search.index import count_records

SEARCH_MARKER = "bench_search_marker"
MARKER = "bench_paths_marker"
HUB_SLUG = "bench-hub-everywhere"
HUB_DOCUMENTS = 50_000


def percentile(values: list[float], pct: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser) -> None:
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--pairs", type=int, default=20, help="Pairs per kind.")
        parser.add_argument("--seed", type=int, default=1946)
        parser.add_argument("--compare", action="store_true", help="Also time a recursive CTE.")
        parser.add_argument(
            "--hub",
            type=int,
            default=graph_paths.HUB_DOCUMENTS,
            help="Documents above which a record is a hub (default: the archive's).",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_paths runs on PostgreSQL only (a bench_search database).")
        tables = set(connection.introspection.table_names())
        if SEARCH_MARKER not in tables:
            self.stdout.write("Building the search benchmark's archive first…")
            call_command("bench_search", documents=options["documents"], build_only=True)
        self.rng = random.Random(options["seed"])
        graph_paths.HUB_DOCUMENTS = options["hub"]
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (built timestamptz)")
            cursor.execute(f"SELECT count(*) FROM {MARKER}")
            built = cursor.fetchone()[0]
        if not built:
            self.add_links()
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {MARKER} VALUES (now())")
        self.report_graph()
        load = os.getloadavg()[0]
        self.measure(options["pairs"])
        self.stdout.write(
            f"Load average (1 min) before and after: {load:.1f}, {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores: figures on a busy machine are slower."
        )
        if options["compare"]:
            self.compare(min(options["pairs"], 8))

    # --- Data ------------------------------------------------------------------------------

    def add_links(self) -> None:
        rng = self.rng
        started = time.perf_counter()
        people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        organizations = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        places = list(Place.objects.order_by("pk").values_list("pk", flat=True))
        events = list(Entity.objects.filter(kind=EntityKind.EVENT).values_list("pk", flat=True))
        documents = list(Document.objects.published().order_by("pk").values_list("pk", flat=True))
        agents = people + organizations
        weights = [1 / (rank + 10) for rank in range(len(agents))]
        rows = []
        for pk in rng.sample(documents, len(documents) // 5):
            for role in rng.sample(["author", "recipient", "copy_recipient"], rng.randint(1, 2)):
                rows.append(
                    DocumentAgent(
                        document_id=pk,
                        entity_id=rng.choices(agents, weights)[0],
                        role=role,
                        certainty=rng.choices(["certain", "probable"], [9, 1])[0],
                    )
                )
        DocumentAgent.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        links = [
            DocumentEvent(
                document_id=pk,
                event_id=rng.choice(events),
                role=rng.choice(["record", "reports", "describes", "mentions"]),
            )
            for pk in rng.sample(documents, len(documents) // 10)
        ]
        DocumentEvent.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
        participants, event_places = [], []
        for event in events:
            for entity in rng.sample(agents, rng.randint(3, 8)):
                participants.append(
                    EventParticipant(event_id=event, entity_id=entity, role="participant")
                )
            for place in rng.sample(places, rng.randint(1, 3)):
                event_places.append(EventPlace(event_id=event, place_id=place))
        EventParticipant.objects.bulk_create(participants, ignore_conflicts=True)
        EventPlace.objects.bulk_create(event_places, ignore_conflicts=True)
        provinces = places[:20]
        for place in places[20:]:
            Place.objects.filter(pk=place).update(located_in_id=rng.choice(provinces))
        for organization in organizations[30:]:
            if rng.random() < 0.3:
                Organization.objects.filter(pk=organization).update(
                    parent_id=rng.choice(organizations[:30])
                )
        # The hub: one country named by 50,000 published documents.
        now = timezone.now()
        hub = Place.objects.create(
            name="Everywhere", slug=HUB_SLUG, place_kind="country",
            coordinates_note="A benchmark's hub.", created=now, modified=now,
        )  # fmt: skip
        named = rng.sample(documents, min(HUB_DOCUMENTS, len(documents)))
        Mention.objects.bulk_create(
            [
                Mention(document_id=pk, entity_id=hub.pk, start=0, end=10, text="Everywhere")
                for pk in named
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        count_records(Entity.objects.values_list("pk", flat=True))
        everything_changed()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"Graph links added in {time.perf_counter() - started:.0f} s")

    def report_graph(self) -> None:
        counts = {
            "documents (published)": Document.objects.published().count(),
            "records": Entity.objects.count(),
            "mentions": Mention.objects.count(),
            "authors/recipients": DocumentAgent.objects.count(),
            "documents' events": DocumentEvent.objects.count(),
            "participants": EventParticipant.objects.count(),
            "event places": EventPlace.objects.count(),
            "places inside places": Place.objects.filter(located_in__isnull=False).count(),
        }
        self.stdout.write(", ".join(f"{n:,} {name}" for name, n in counts.items()))

    # --- Measures ----------------------------------------------------------------------------

    def pairs(self, per_kind: int) -> dict[str, list[tuple[int, int]]]:
        rng = random.Random(self.rng.random())
        people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        places = list(Place.objects.order_by("pk").values_list("pk", flat=True))
        events = list(Entity.objects.filter(kind=EntityKind.EVENT).values_list("pk", flat=True))
        documents = list(
            Document.objects.published().order_by("pk").values_list("pk", flat=True)[:100_000]
        )
        hub = Entity.objects.get(slug=HUB_SLUG).pk
        # The least-named people: their chains are long searches; and one person no
        # source names (no chain at all: the search runs until a side is exhausted).
        rarely = list(
            Entity.objects.filter(kind=EntityKind.PERSON, record_count__isnull=False)
            .order_by("record_count__documents", "pk")
            .values_list("pk", flat=True)[:per_kind]
        )
        now = timezone.now()
        alone, _ = Person.objects.get_or_create(
            slug="bench-nobody-names", defaults={"name": "Nobody Names", "created": now}
        )

        def pick(items, n=per_kind):
            return [rng.choice(items) for _ in range(n)]

        return {
            "person – person": list(zip(pick(people), pick(people), strict=True)),
            "person – place": list(zip(pick(people), pick(places), strict=True)),
            "document – person": [
                (-d, p) for d, p in zip(pick(documents), pick(people), strict=True)
            ],
            "document – document": [
                (-a, -b) for a, b in zip(pick(documents), pick(documents), strict=True)
            ],
            "event – document": [
                (e, -d) for e, d in zip(pick(events), pick(documents), strict=True)
            ],
            "hub – person": [(hub, p) for p in pick(people)],
            "least named – place": list(zip(pick(rarely), pick(places), strict=True)),
            "no chain: unnamed – person": [(alone.pk, p) for p in pick(people)],
        }

    def measure(self, per_kind: int) -> None:
        settings.DEBUG = False
        settings.PUBLIC_PAGE_CACHE = False
        connection.force_debug_cursor = False
        mix = self.pairs(per_kind)
        nodes = load_nodes({n for pairs in mix.values() for pair in pairs for n in pair})
        client = Client(HTTP_HOST="localhost")
        self.stdout.write(
            f"\nConnections (≤{graph_paths.MAX_LENGTH} steps, ≤{graph_paths.MAX_PATHS} paths, "
            f"hubs above {graph_paths.HUB_DOCUMENTS} documents), {per_kind} pairs per kind; "
            "search = connect(), page = /connections/ through Django, cache off:"
        )
        self.stdout.write(
            f"  {'kind':22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
            f"{'page p50':>9} {'page p95':>9}  found  bounded  lengths"
        )
        every, pages = [], []
        for kind, pairs in mix.items():
            timings, page_timings, found, bounded, lengths = [], [], 0, 0, []
            for a, b in pairs:
                if a not in nodes or b not in nodes or a == b:
                    continue
                started = time.perf_counter()
                result = connect(nodes[a], nodes[b])
                timings.append((time.perf_counter() - started) * 1000)
                found += result.found
                bounded += result.bounded
                if result.paths:
                    lengths.append(result.paths[0].length)
                url = "/connections/?" + urlencode(
                    {"from": nodes[a].identifier, "to": nodes[b].identifier}
                )
                started = time.perf_counter()
                response = client.get(url)
                page_timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            every += timings
            pages += page_timings
            shortest = f"{min(lengths)}–{max(lengths)}" if lengths else "–"
            self.stdout.write(
                f"  {kind:22} {percentile(timings, 50):8.1f} {percentile(timings, 95):8.1f} "
                f"{max(timings):8.1f} {percentile(page_timings, 50):9.1f} "
                f"{percentile(page_timings, 95):9.1f}  {found:>3}/{len(timings):<3} {bounded:>5}"
                f"    {shortest}"
            )
        p95 = percentile(every, 95)
        self.stdout.write(
            f"  {'all':22} {percentile(every, 50):8.1f} {p95:8.1f} {max(every):8.1f} "
            f"{percentile(pages, 50):9.1f} {percentile(pages, 95):9.1f}   "
            f"({'meets' if p95 <= 200 else 'misses'} the 200 ms p95 goal)"
        )

    def compare(self, per_kind: int) -> None:
        """One recursive CTE from one end, up to four steps, over the same links."""
        mix = self.pairs(per_kind)
        union = graph_paths._links_union()
        sql = f"""
            WITH RECURSIVE links(a, b) AS (
                SELECT -l.document_id, l.record FROM ({union}) l
                JOIN sources_document d ON d.id = l.document_id WHERE d.status = 'published'
                UNION ALL
                SELECT l.record, -l.document_id FROM ({union}) l
                JOIN sources_document d ON d.id = l.document_id WHERE d.status = 'published'
            ), walk(node, depth, path) AS (
                SELECT %s::bigint, 0, ARRAY[%s::bigint]
                UNION ALL
                SELECT l.b, w.depth + 1, w.path || l.b::bigint FROM walk w
                JOIN links l ON l.a = w.node
                WHERE w.depth < 4 AND NOT l.b = ANY(w.path) AND w.node <> %s
            )
            SELECT path FROM walk WHERE node = %s ORDER BY depth LIMIT 5
        """
        self.stdout.write("\nRecursive CTE (documents' links only, 3 s statement timeout):")
        for kind in ("person – person", "document – document", "hub – person"):
            timings, timeouts = [], 0
            for a, b in mix[kind][:per_kind]:
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = 3000")
                    started = time.perf_counter()
                    try:
                        cursor.execute(sql, [a, a, b, b])
                        cursor.fetchall()
                    except Exception:
                        timeouts += 1
                    finally:
                        timings.append((time.perf_counter() - started) * 1000)
                        cursor.execute("SET statement_timeout = 0")
            self.stdout.write(
                f"  {kind:22} p50 {percentile(timings, 50):8.1f} ms, "
                f"{timeouts}/{len(timings)} stopped at 3 s"
            )
