"""Search benchmark: a synthetic archive in PostgreSQL, then latencies of real pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench \\
        python manage.py bench_search --documents 100000

Builds (once; kept for later runs of the same size) a synthetic corpus — documents with
text, people, places, organizations and events with spelling variants (Azerbaijani
letters, "gh" spellings, Cyrillic), and about ten mentions per document — with COPY,
indexes it with the same code the archive uses, then requests a fixed mix of pages
through Django (search by a name, by a variant spelling, by a phrase, with two filters,
a near miss, suggestions, the document list with its counts, filtered and not) and
prints p50/p95 latencies and the sizes of the search indexes.

It only runs on PostgreSQL, and only on a database that is empty or that it made
itself (it leaves a ``bench_search_marker`` table): never on the archive's own data.
"""

from __future__ import annotations

import csv
import io
import logging
import random
import statistics
import time
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, models
from django.test import Client
from django.utils import timezone

from sources.models import (
    Document,
    DocumentRecords,
    DocumentType,
    Entity,
    EntityKind,
    Event,
    FacetCount,
    Mention,
    MentionProposal,
    NameVariant,
    Organization,
    Person,
    Place,
    RecordCount,
    Repository,
    everything_changed,
)
from sources.search import engine
from sources.search.index import count_all_facets, count_all_records, keep_document_records
from sources.text import fold

MARKER = "bench_search_marker"
TABLES_TO_CLEAR = [Mention, NameVariant, Document, Person, Place, Organization, Event, Entity]

SYLLABLES = (  # noqa: SIM905
    "ba ga ri ro va ka na ta ma za sa la da pa ha ja ya ko mo no so to zo "
    "li mi ni si ti vi be de ke le me ne re se te ve bu du ku lu mu nu ru su tu "
    "far sha che kha gha zar dan mir bek han rov lov mov kov dze shvi"
).split()
SURNAME_ENDINGS = ["ov", "ev", "zade", "i", "yan", "li", "ski", "adze"]
PLACE_ENDINGS = ["abad", "shahr", "kend", "qala", "dezh", "an", "ar", "bulaq"]
CYRILLIC = str.maketrans(
    {
        "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и",
        "y": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
        "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "j": "дж", "q": "к", "x": "х",
        "c": "ц", "w": "в",
    }
)  # fmt: skip
COMMON = (  # noqa: SIM905
    "the of and to in a was that for on as with by from at his which were this be had "
    "government army party troops report city village province rally elections "
    "assembly national democratic committee soviet iranian local people region border "
    "station police gendarmes partisans decision order letter telegram meeting "
    "congress autonomy movement support withdrawal oil concession minister commander"
).split()


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def _variants(rng: random.Random, name: str, surname: str) -> list[tuple[str, str]]:
    """(variant, script) spellings a source or a reader might use."""
    found = []
    azeri = surname.replace("a", "ə", 1).replace("i", "ı", 1).replace("g", "ğ", 1)
    azeri = azeri.replace("sh", "ş", 1).replace("ch", "ç", 1)
    if azeri != surname:
        found.append((name.replace(surname, azeri), "Latn"))
    if "g" in surname and rng.random() < 0.6:
        found.append((surname.replace("g", "gh", 1), "Latn"))
    if rng.random() < 0.4:
        found.append((surname.lower().translate(CYRILLIC).capitalize(), "Cyrl"))
    if name != surname:
        found.append((surname, "Latn"))
    return found[: rng.randint(1, 3)]


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser) -> None:
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--people", type=int, default=3_000)
        parser.add_argument("--places", type=int, default=2_000)
        parser.add_argument("--organizations", type=int, default=300)
        parser.add_argument("--events", type=int, default=200)
        parser.add_argument(
            "--mentions", type=int, default=10, help="Mentions per document, on average."
        )
        parser.add_argument("--words", type=int, default=200, help="Words per document.")
        parser.add_argument("--repeat", type=int, default=30, help="Requests per query kind.")
        parser.add_argument("--seed", type=int, default=1945)
        parser.add_argument(
            "--rebuild", action="store_true", help="Rebuild the data even if it is there."
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Also time the curators' admin pages (lists, searches, change forms).",
        )
        parser.add_argument(
            "--admin-only",
            action="store_true",
            help="Time the admin pages only, not the public search.",
        )
        parser.add_argument(
            "--build-only",
            action="store_true",
            help="Build (or reuse) the data and stop: the realistic benchmark's archive.",
        )

    # --- Safety ---------------------------------------------------------------------

    def check_database(self) -> bool:
        """True when the benchmark's data must be (re)built. Refuses anything but an
        empty PostgreSQL database or one this command made."""
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_search runs on PostgreSQL only: set DATABASE_URL to a separate, "
                "empty database (e.g. postgres://postgres@127.0.0.1:5432/archive_bench)."
            )
        tables = set(connection.introspection.table_names())
        if MARKER in tables:
            return True
        if Document._meta.db_table in tables:
            with connection.cursor() as cursor:
                for model in (Document, Entity, Repository):
                    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {model._meta.db_table})")
                    if cursor.fetchone()[0]:
                        raise CommandError(
                            f"The database {connection.settings_dict['NAME']!r} has data "
                            "that bench_search did not make. It only runs on an empty "
                            "database or one it made: give another one with DATABASE_URL."
                        )
        elif tables - {"django_migrations"}:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']!r} has other tables; "
                "bench_search wants an empty database of its own."
            )
        return True

    def ensure_database(self) -> None:
        """Create the database named by DATABASE_URL if it does not exist yet."""
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            params = connection.settings_dict
            if connection.vendor != "postgresql" or "does not exist" not in str(exc):
                raise
            import psycopg2
            from psycopg2 import sql

            admin = psycopg2.connect(
                dbname="postgres",
                user=params["USER"] or None,
                password=params["PASSWORD"] or None,
                host=params["HOST"] or None,
                port=params["PORT"] or None,
            )
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
            admin.close()
            self.stdout.write(f"Created the database {params['NAME']!r}.")

    def handle(self, *args, **options) -> None:
        self.options = options
        self.rng = random.Random(options["seed"])
        self.ensure_database()
        self.check_database()
        logging.getLogger("archive.requests").setLevel(logging.WARNING)
        call_command("migrate", verbosity=0, interactive=False)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (built timestamptz, size text)")
            # How long the build took (load, index, vacuum), for the growth curve.
            cursor.execute(f"ALTER TABLE {MARKER} ADD COLUMN IF NOT EXISTS timing text")
            cursor.execute(f"SELECT size FROM {MARKER}")
            row = cursor.fetchone()
        size = (
            f"{options['documents']}d/{options['people']}p/{options['places']}l/"
            f"{options['organizations']}o/{options['events']}e/{options['mentions']}m/"
            f"{options['words']}w/{options['seed']}"
        )
        if options["rebuild"] or not row or row[0] != size:
            timing = self.build()
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {MARKER}")
                cursor.execute(f"INSERT INTO {MARKER} VALUES (now(), %s, %s)", [size, timing])
        else:
            self.stdout.write(f"Reusing the benchmark data ({size}); --rebuild to make it anew.")
        self.report_sizes()
        if options["build_only"]:
            return
        if not options["admin_only"]:
            self.measure()
        if options["admin"] or options["admin_only"]:
            self.measure_admin()

    # --- Data -------------------------------------------------------------------------

    def copy(self, model: type[models.Model], rows: Iterable[dict], ids: bool = True) -> int:
        """COPY rows (dicts by attname) into the model's table, in batches; missing
        fields take their defaults; without ``ids`` the database numbers the rows."""
        fields = [
            f
            for f in model._meta.local_concrete_fields
            if ids or not (f.primary_key and isinstance(f, models.AutoField))
        ]
        defaults = {}
        for field in fields:
            if field.has_default():
                defaults[field.attname] = field.get_default()
            elif field.null:
                defaults[field.attname] = None
            elif isinstance(field, models.CharField | models.TextField):
                defaults[field.attname] = ""
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        total = 0

        def flush(buffer: io.StringIO) -> None:
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {model._meta.db_table} ({columns}) FROM STDIN "
                    "WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            values = []
            for field in fields:
                value = row.get(field.attname, defaults.get(field.attname))
                if value is None:
                    value = "\\N"
                elif isinstance(value, bool):
                    value = "t" if value else "f"
                values.append(value)
            writer.writerow(values)
            total += 1
            if total % 20_000 == 0:
                flush(buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer)
        flush(buffer)
        return total

    def build(self) -> str:
        """Make the data; returns how long each step took, as the report prints it."""
        o, rng = self.options, self.rng
        started = time.perf_counter()
        with connection.cursor() as cursor:
            tables = ", ".join(m._meta.db_table for m in TABLES_TO_CLEAR)
            cursor.execute(f"TRUNCATE {tables}, {Repository._meta.db_table} CASCADE")
        now = timezone.now()
        repositories = []
        for n in range(6):
            repositories.append(
                {"id": n + 1, "name": f"Archive {n + 1}", "slug": f"archive-{n + 1}",
                 "abbreviation": f"A{n + 1}", "created": now, "modified": now}
            )  # fmt: skip
        self.copy(Repository, repositories)

        # Records: people, places, organizations, events, with variants.
        entities, kinds, variants = [], {}, []
        names_of: dict[int, list[str]] = {}
        specific: dict[type, list[dict]] = {Person: [], Place: [], Organization: [], Event: []}
        next_id = 1
        plan = [
            (Person, EntityKind.PERSON, o["people"]),
            (Place, EntityKind.PLACE, o["places"]),
            (Organization, EntityKind.ORGANIZATION, o["organizations"]),
            (Event, EntityKind.EVENT, o["events"]),
        ]
        for model, kind, count in plan:
            for _ in range(count):
                pk = next_id
                next_id += 1
                if kind == EntityKind.PERSON:
                    surname = _word(rng, 2).capitalize() + rng.choice(SURNAME_ENDINGS)
                    name = f"{_word(rng, 2).capitalize()} {surname}"
                    extra = {"roles": ""}
                elif kind == EntityKind.PLACE:
                    surname = name = _word(rng, 2).capitalize() + rng.choice(PLACE_ENDINGS)
                    extra = {"place_kind": rng.choice(["city", "town", "village"]),
                             "latitude": round(rng.uniform(35, 40), 6),
                             "longitude": round(rng.uniform(44, 50), 6)}  # fmt: skip
                elif kind == EntityKind.ORGANIZATION:
                    surname = _word(rng, 2).capitalize()
                    name = f"{surname} {rng.choice(['Party', 'Committee', 'Society'])}"
                    extra = {"org_kind": "other"}
                else:
                    surname = _word(rng, 2).capitalize()
                    name = f"Battle of {surname}"
                    extra = {"event_kind": "military_action"}
                own_variants = _variants(rng, name, surname)
                names_of[pk] = [name, *(v for v, _ in own_variants)]
                search_names = "\n".join(sorted({fold(n) for n in names_of[pk]} - {""}))
                entities.append(
                    {"id": pk, "kind": kind, "name": name, "slug": f"{kind}-{pk}",
                     "sort_name": name, "search_names": search_names,
                     "created": now, "modified": now}
                )  # fmt: skip
                specific[model].append({"entity_ptr_id": pk, **extra})
                kinds[pk] = kind
                for variant, script in own_variants:
                    variants.append(
                        {"entity_id": pk, "name": variant, "folded": fold(variant),
                         "script": script, "variant_kind": "spelling"}
                    )  # fmt: skip
        self.copy(Entity, entities)
        for model, rows in specific.items():
            self.copy(model, rows)
        self.copy(NameVariant, variants, ids=False)
        self.stdout.write(f"{len(entities)} records, {len(variants)} variants")

        # Documents with mentions; records mentioned with a Zipf-like popularity.
        ids = list(names_of)
        weights = [1 / (rank + 10) for rank in range(len(ids))]
        rng.shuffle(ids)
        vocabulary = COMMON + [_word(rng, rng.randint(2, 3)) for _ in range(6000)]
        word_weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
        mentions: list[dict] = []
        start_day = date(1941, 1, 1)

        def documents() -> Iterator[dict]:
            for pk in range(1, o["documents"] + 1):
                chosen = rng.choices(ids, weights, k=max(1, int(rng.gauss(o["mentions"], 3))))
                words = rng.choices(vocabulary, word_weights, k=o["words"])
                slots = sorted(rng.sample(range(len(words)), min(len(chosen), len(words))))
                pieces, cursor, slot_at = [], 0, dict(zip(slots, chosen, strict=False))
                for i, word in enumerate(words):
                    if i:
                        pieces.append(". " if i % 17 == 0 else " ")
                        cursor += len(pieces[-1])
                    entity_id = slot_at.get(i)
                    if entity_id is not None:
                        said = rng.choice(names_of[entity_id])
                        pieces.append(said + " ")
                        mentions.append(
                            {"document_id": pk, "entity_id": entity_id, "start": cursor,
                             "end": cursor + len(said), "text": said}
                        )  # fmt: skip
                        cursor += len(said) + 1
                    pieces.append(word)
                    cursor += len(word)
                text = "".join(pieces) + "."
                day = start_day + timedelta(days=rng.randrange(3650))
                precision = rng.random()
                edtf = (
                    day.isoformat()
                    if precision < 0.7
                    else day.isoformat()[:7]
                    if precision < 0.9
                    else str(day.year)
                )
                earliest = (
                    day if precision < 0.7 else day.replace(day=1) if precision < 0.9
                    else date(day.year, 1, 1)
                )  # fmt: skip
                latest = (
                    day if precision < 0.7
                    else (day.replace(day=28) + timedelta(days=4)).replace(day=1)
                    - timedelta(days=1) if precision < 0.9
                    else date(day.year, 12, 31)
                )  # fmt: skip
                published = rng.random() < 0.95
                first = names_of[chosen[0]][0]
                yield {
                    "id": pk, "slug": f"bench-{pk}",
                    "title": f"{rng.choice(['Report', 'Telegram', 'Letter', 'Decree'])} on "
                    f"{first} and {' '.join(rng.choices(vocabulary[:400], k=3))}",
                    "summary": " ".join(rng.choices(vocabulary, word_weights, k=30)),
                    "transcription": text,
                    "document_type": rng.choice(DocumentType.values),
                    "source_kind": "primary" if rng.random() < 0.7 else "secondary",
                    "language": rng.choices(["en", "ru", "az", "fa"], [80, 10, 5, 5])[0],
                    "repository_id": rng.choice([None, 1, 2, 3, 4, 5, 6]),
                    "date_edtf": edtf, "date_earliest": earliest, "date_latest": latest,
                    "status": "published" if published else "draft",
                    "published_at": now if published else None,
                    "created": now, "modified": now,
                }  # fmt: skip

        count = self.copy(Document, documents())
        self.copy(Mention, mentions, ids=False)
        self.stdout.write(f"{count} documents, {len(mentions)} mentions")
        with connection.cursor() as cursor:
            for model in (Repository, Entity, NameVariant, Document, Mention):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        loaded = time.perf_counter()
        self.stdout.write(f"Loaded in {loaded - started:.0f} s; indexing…")
        engine().index_documents(range(1, count + 1), batch_size=1000)
        # What rebuild() does after a COPY: the kept rows and counts the search reads.
        keep_document_records(range(1, count + 1))
        count_all_records()
        count_all_facets()
        # The archive changed: pages and kept counts computed before are stale.
        everything_changed()
        indexed = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        vacuumed = time.perf_counter()
        self.stdout.write(
            f"Indexed in {indexed - loaded:.0f} s, vacuumed in {vacuumed - indexed:.0f} s"
        )
        return (
            f"{vacuumed - started:.0f} s (load {loaded - started:.0f} s, index "
            f"{indexed - loaded:.0f} s, vacuum {vacuumed - indexed:.0f} s)"
        )

    # --- Measures ------------------------------------------------------------------------

    def report_sizes(self) -> None:
        """What the archive holds, how long it took to build and what its tables and
        indexes weigh: the figures of the growth curve (10,000, 100,000, 1,000,000
        documents), one line of which (``growth:``) sums them up."""
        models_ = (Document, Mention, Entity, NameVariant, DocumentRecords, FacetCount, RecordCount)
        tables = [m._meta.db_table for m in models_]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT built, timing FROM {MARKER}")
            built = cursor.fetchone() or (None, None)
            cursor.execute(
                """SELECT t.relname, i.relname, pg_relation_size(i.oid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relname = ANY(%s) ORDER BY t.relname, i.relname""",
                [tables],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT relname, pg_relation_size(oid), pg_total_relation_size(oid) "
                "FROM pg_class WHERE relname = ANY(%s) ORDER BY relname",
                [tables],
            )
            sizes = cursor.fetchall()
            cursor.execute(
                "SELECT pg_database_size(current_database()), "
                f"(SELECT count(*) FROM {tables[0]}), (SELECT count(*) FROM {tables[1]}), "
                f"(SELECT count(*) FROM {tables[2]})"
            )
            database, documents, mentions, records = cursor.fetchone()
        mib = 2**20
        self.stdout.write(f"\n{documents} documents, {mentions} mentions, {records} records")
        when = f"{built[0]:%Y-%m-%d %H:%M}" if built[0] else "earlier"
        self.stdout.write(f"Built {when}, in {built[1] or 'a time not recorded then'}")
        self.stdout.write("Tables (pg_relation_size; with TOAST and indexes):")
        for name, size, total in sizes:
            self.stdout.write(f"  {name:42} {size / mib:9.1f} MiB {total / mib:9.1f} MiB")
        self.stdout.write("Indexes (pg_relation_size):")
        for table, name, size in indexes:
            self.stdout.write(f"  {name:42} {size / mib:9.1f} MiB  on {table}")
        self.stdout.write(f"Database: {database / mib:.0f} MiB")
        search_index = sum(size for _, name, size in indexes if "search_vector" in name)
        every_index = sum(size for *_, size in indexes)
        self.stdout.write(
            f"growth: documents={documents} mentions={mentions} "
            f"build={(built[1] or '?').split(' (')[0].replace(' ', '')} "
            f"database={database / mib:.0f}MiB indexes={every_index / mib:.0f}MiB "
            f"search_vector_index={search_index / mib:.1f}MiB"
        )

    def sample(self) -> dict[str, list[str]]:
        """The fixed mix of pages, each kind with a few different values."""
        rng = random.Random(self.options["seed"] + 1)
        people = list(
            Entity.objects.filter(kind=EntityKind.PERSON).order_by("pk").values_list("pk", "name")
        )
        places = list(
            Entity.objects.filter(kind=EntityKind.PLACE).order_by("pk").values_list("pk", "slug")
        )
        people_sample = rng.sample(people, min(20, len(people)))
        variants = list(
            NameVariant.objects.filter(entity_id__in=[pk for pk, _ in people_sample])
            .exclude(script="Cyrl")
            .values_list("name", flat=True)
        )
        # Phrases of two words of a text: their commonest words are very common, the
        # worst case for a phrase (every document with both words is read).
        phrases = []
        for pk in rng.sample(range(1, Document.objects.count() + 1), 10):
            words = Document.objects.get(pk=pk).transcription.replace(".", "").split()
            at = rng.randrange(0, max(1, len(words) - 3))
            phrases.append('"' + " ".join(words[at : at + 2]) + '"')
        mix = {
            "name": [f"/search/?{urlencode({'q': name.split()[-1]})}" for _, name in people_sample],
            "variant spelling": [f"/search/?{urlencode({'q': v})}" for v in variants[:20]],
            "phrase (full name)": [
                f"/search/?{urlencode({'q': chr(34) + name + chr(34)})}"
                for _, name in people_sample[:10]
            ],
            "phrase (text words)": [f"/search/?{urlencode({'q': p})}" for p in phrases],
            "name + two filters": [
                "/search/?"
                + urlencode(
                    {
                        "q": name.split()[-1],
                        "source_kind": "primary",
                        "date_from": "1943",
                        "date_to": "1946",
                    }
                )
                for _, name in people_sample[:10]
            ],
            "near miss": [
                f"/search/?{urlencode({'q': name.split()[-1][:-1] + 'x'})}"
                for _, name in people_sample[:10]
            ],
            "suggest": [
                f"/search/suggest/?{urlencode({'q': name.split()[-1][:4]})}"
                for _, name in people_sample[:10]
            ],
            "list with counts": ["/documents/", "/documents/?page=7", "/documents/?sort=title"],
            "list, two filters": [
                "/documents/?" + urlencode({"place": slug, "document_type": "telegram"})
                for _, slug in rng.sample(places, min(10, len(places)))
            ]
            + ["/documents/?" + urlencode({"source_kind": "primary", "date_from": "1945-11"})],
        }
        return mix

    def measure(self) -> None:
        settings.DEBUG = False
        # Every request renders its page: the page cache (sources/caching.py) would serve
        # repeated addresses from memory and measure nothing of search.
        settings.PUBLIC_PAGE_CACHE = False
        connection.force_debug_cursor = False
        client = Client(HTTP_HOST="localhost")
        mix = self.sample()
        repeat = self.options["repeat"]
        self.stdout.write(
            f"\nLatency of whole pages through Django, page cache off, over {repeat} requests "
            "per kind (after one warm-up each):"
        )
        self.stdout.write(f"  {'kind':22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        groups: dict[str, list[float]] = {"search": [], "list": []}
        for kind, urls in mix.items():
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            timings = []
            for i in range(repeat):
                url = urls[i % len(urls)]
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            groups["list" if kind.startswith("list") else "search"].extend(timings)
            self.stdout.write(
                f"  {kind:22} {percentile(timings, 50):8.1f} {percentile(timings, 95):8.1f} "
                f"{max(timings):8.1f}"
            )
        for group, timings in groups.items():
            goal = 50 if group == "search" else 100
            p95 = percentile(timings, 95)
            verdict = "meets" if p95 < goal else "misses"
            self.stdout.write(
                f"  {'all ' + group:22} {percentile(timings, 50):8.1f} {p95:8.1f} "
                f"{max(timings):8.1f}   ({verdict} the {goal} ms p95 goal)"
            )

    # --- The admin --------------------------------------------------------------------

    def ensure_admin_data(self) -> None:
        """What curators work through and the public build leaves out: proposed
        mentions (about one a document, four in five open) and mentions flagged for
        review (one in a hundred). Made once, by this command, in its own database."""
        table = MentionProposal._meta.db_table
        mention = Mention._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                return
            cursor.execute(
                f"""INSERT INTO {table}
                    (document_id, entity_id, start, "end", text, matched_name, status, created)
                SELECT document_id, entity_id, start, "end", text, lower(text),
                    CASE WHEN id % 50 = 0 THEN 'rejected' ELSE 'open' END, now()
                FROM {mention} WHERE id % 10 = 0"""
            )
            cursor.execute(f"UPDATE {mention} SET needs_review = true WHERE id % 100 = 0")
            cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"ANALYZE {mention}")
        self.stdout.write("Made proposed mentions and review flags for the admin pages.")

    def admin_sample(self) -> dict[str, list[str]]:
        rng = random.Random(self.options["seed"] + 2)
        people = list(Person.objects.order_by("pk").values_list("pk", "name"))
        chosen = rng.sample(people, min(10, len(people)))
        surnames = [name.split()[-1] for _, name in chosen]
        variants = list(
            NameVariant.objects.filter(entity_id__in=[pk for pk, _ in chosen])
            .exclude(script="Cyrl")
            .values_list("name", flat=True)[:10]
        )
        first = list(Document.objects.order_by("pk").values_list("pk", flat=True)[:1000])
        documents = rng.sample(first, min(5, len(first)))
        mentions = list(
            Mention.objects.filter(document_id__in=documents).values_list("pk", flat=True)
        )
        places = list(Place.objects.order_by("pk").values_list("pk", flat=True)[:200])
        a = "/admin/sources"
        q = urlencode
        return {
            "document list": [f"{a}/document/", f"{a}/document/?p=40", f"{a}/document/?o=-1"],
            "document list, 2 filters": [
                f"{a}/document/?status__exact=draft&document_type__exact=telegram",
                f"{a}/document/?source_kind__exact=primary&language__exact=en",
            ],
            "document date drill-down": [
                f"{a}/document/?date_earliest__year=1945",
                f"{a}/document/?date_earliest__year=1945&date_earliest__month=11",
            ],
            "document search": [f"{a}/document/?{q({'q': s})}" for s in surnames[:5]]
            + [f"{a}/document/?{q({'q': 'telegram'})}"],
            "document change form": [f"{a}/document/{pk}/change/" for pk in documents],
            "document autocomplete": [
                f"/admin/autocomplete/?{q({'app_label': 'sources', 'model_name': 'mention', 'field_name': 'document', 'term': s})}"  # noqa: E501
                for s in surnames[:5]
            ],
            "person list": [f"{a}/person/", f"{a}/person/?p=20", f"{a}/person/?o=-4"],
            "person search": [f"{a}/person/?{q({'q': s})}" for s in surnames]
            + [f"{a}/person/?{q({'q': v})}" for v in variants[:5]],
            "person change form": [f"{a}/person/{pk}/change/" for pk, _ in chosen[:5]],
            "place change form": [f"{a}/place/{pk}/change/" for pk in rng.sample(places, 5)],
            "record list (all)": [f"{a}/entity/", f"{a}/entity/?kind__exact=place"],
            "mention list": [f"{a}/mention/", f"{a}/mention/?p=500"],
            "mention list, filtered": [
                f"{a}/mention/?needs_review__exact=1",
                f"{a}/mention/?entity__kind=place&document__status__exact=published",
            ],
            "mention search": [f"{a}/mention/?{q({'q': s})}" for s in surnames[:5]],
            "mention change form": [f"{a}/mention/{pk}/change/" for pk in mentions[:5]],
            "proposal list": [f"{a}/mentionproposal/", f"{a}/mentionproposal/?status__exact=open"],
            "name variant list": [f"{a}/namevariant/", f"{a}/namevariant/?{q({'q': surnames[0]})}"],
            "holding archives": [f"{a}/repository/"],
        }

    def measure_admin(self) -> None:
        from django.contrib.auth import get_user_model

        self.ensure_admin_data()
        settings.DEBUG = False
        connection.force_debug_cursor = False
        user, _ = get_user_model().objects.get_or_create(
            username="bench-curator", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        mix = self.admin_sample()
        repeat = max(5, self.options["repeat"] // 3)
        self.stdout.write(
            f"\nAdmin pages through Django, as a curator, over {repeat} requests per kind "
            "(after one warm-up each):"
        )
        self.stdout.write(f"  {'page':26} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        everything: list[float] = []
        for kind, urls in mix.items():
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            timings = []
            for i in range(repeat):
                url = urls[i % len(urls)]
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            everything.extend(timings)
            p95 = percentile(timings, 95)
            flag = "" if p95 <= 300 else "   (misses 300 ms)"
            self.stdout.write(
                f"  {kind:26} {percentile(timings, 50):8.1f} {p95:8.1f} {max(timings):8.1f}{flag}"
            )
        p95 = percentile(everything, 95)
        verdict = "meets" if p95 <= 300 else "misses"
        self.stdout.write(
            f"  {'all admin pages':26} {percentile(everything, 50):8.1f} {p95:8.1f} "
            f"{max(everything):8.1f}   ({verdict} the 300 ms p95 goal)"
        )


def percentile(values: list[float], pct: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]
