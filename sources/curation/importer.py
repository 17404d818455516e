"""Bulk import of new sources from text files with a YAML metadata header.

Everything is validated before anything is written: a batch with one bad file writes
nothing, and every problem is reported with its file and line, so a curator can fix the
whole batch in one pass. Imported documents are drafts, with the mentions the finder
proposes waiting for a curator's decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from ..models import (
    AgentRole,
    Calendar,
    Document,
    DocumentAgent,
    DocumentType,
    Entity,
    EntityKind,
    Language,
    PageImage,
    Place,
    PublicationStatus,
    Repository,
    SourceKind,
)
from ..models.documents import MAX_TEXT_BYTES, text_too_long
from ..text import calendars, dates
from ..texts import importing as texts_import
from .finder import NameIndex, refresh_proposals

# Header key → (Document field, required)
SCALARS = {
    "title": ("title", True),
    "slug": ("slug", False),
    "original_title": ("original_title", False),
    "date": ("date_edtf", False),
    "date_written": ("date_written", False),
    "coverage": ("coverage_edtf", False),
    "type": ("document_type", True),
    "source_kind": ("source_kind", True),
    "language": ("language", True),
    "original_language": ("original_language", False),
    "reference": ("archival_reference", False),
    "publisher": ("publisher", False),
    "source_url": ("source_url", False),
    "rights": ("rights", False),
    "acknowledgement": ("acknowledgement", False),
    "summary": ("summary", False),
    "editorial_notes": ("editorial_notes", False),
}
AGENT_KEYS = {
    "authors": AgentRole.AUTHOR,
    "recipients": AgentRole.RECIPIENT,
    "copy_recipients": AgentRole.COPY_RECIPIENT,
    "interviewers": AgentRole.INTERVIEWER,
    "interviewees": AgentRole.INTERVIEWEE,
    "obtained_by": AgentRole.OBTAINED_BY,
    "translators": AgentRole.TRANSLATOR,
}
PLACE_KEYS = {"origin": "origin", "destination": "destination"}
CHOICES = {
    "type": DocumentType.values,
    "source_kind": SourceKind.values,
    "language": Language.values,
    "original_language": Language.values,
}
HEADER_KEYS = {field_name: key for key, (field_name, _) in SCALARS.items()} | {
    "repository": "repository",
    **{field_name: key for key, field_name in PLACE_KEYS.items()},
    "transcription": "text",
}
# A Solar Hijri date ("15 Tir 1324", "1324/4/15", "تیر ۱۳۲۴"), stored as Gregorian EDTF
# in ``date_edtf``; and the document's calendar setting (issue 15).
SOLAR_DATE_KEY = "date_solar_hijri"
CALENDAR_KEY = "calendar"
KNOWN_KEYS = {
    *SCALARS, *AGENT_KEYS, *PLACE_KEYS, "repository", "images", texts_import.KEY, SOLAR_DATE_KEY,
    CALENDAR_KEY,
}  # fmt: skip
# Keys of earlier versions of the format, and what they are called now.
RENAMED_KEYS = {"archive": "repository"}
MAX_BYTES = 5_000_000


class HeaderLoader(yaml.SafeLoader):
    """YAML that reads every scalar as the text written, except an empty value (null):
    ``date: 1945-13-45`` stays text for the EDTF check to report (YAML's own date
    reading raised a bare ValueError), and ``title: 1.10`` or ``title: No`` keep the
    curator's characters instead of becoming a number or a boolean."""


HeaderLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class ImportProblem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class ParsedSource:
    path: Path
    fields: dict = field(default_factory=dict)
    agents: list[tuple[str, str, str]] = field(default_factory=list)  # (key, role, slug)
    places: dict[str, str] = field(default_factory=dict)
    repository: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # header key → line in the file
    images: list = field(default_factory=list)  # sources.scans.importing.ImportedScan
    texts: list = field(default_factory=list)  # further texts (sources.texts.importing)

    def problem(self, key: str | None, message: str) -> ImportProblem:
        return ImportProblem(self.path, self.lines.get(key) if key else None, message)


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")
        self.problems = problems


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in {".md", ".txt"}))
        else:
            files.append(path)
    return files


def _split(path: Path, problems: list[ImportProblem]) -> tuple[str, str, int, int] | None:
    """Return (header, body, line where the header starts, line where the text starts)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            problems.append(ImportProblem(path, None, f"larger than {MAX_BYTES} bytes"))
            return None
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(ImportProblem(path, None, "no such file"))
        return None
    except UnicodeDecodeError as error:
        problems.append(ImportProblem(path, None, f"not UTF-8 text ({error.reason})"))
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if "\x00" in text:
        problems.append(ImportProblem(path, None, "contains NUL bytes"))
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(ImportProblem(path, 1, "must start with a '---' line opening the header"))
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            header = "\n".join(lines[1 : number - 1])
            rest = "\n".join(lines[number:])
            body = rest.strip("\n")
            body_line = number + 1 + (len(rest) - len(rest.lstrip("\n")))
            return header, body, 2, body_line
    problems.append(ImportProblem(path, 1, "the header is never closed with a '---' line"))
    return None


def _as_text(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()  # YAML reads 1945-11-21 as a date; EDTF wants the text
    return "" if value is None else str(value)


def parse_file(path: Path, problems: list[ImportProblem]) -> ParsedSource | None:
    parts = _split(path, problems)
    if parts is None:
        return None
    header, body, offset, body_line = parts
    try:
        node = yaml.compose(header, Loader=HeaderLoader)
        data = yaml.load(header, Loader=HeaderLoader)  # HeaderLoader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + offset if mark else None
        problems.append(ImportProblem(path, line, f"the header is not valid YAML: {error}"))
        return None
    if not isinstance(data, dict) or node is None:
        problems.append(ImportProblem(path, offset, "the header must be 'key: value' lines"))
        return None
    lines = {k.value: k.start_mark.line + offset for k, _ in node.value}
    before = len(problems)

    def problem(key: str, message: str) -> None:
        problems.append(ImportProblem(path, lines.get(key, offset), message))

    source = ParsedSource(path, lines={**lines, "text": body_line})
    for key in data:
        if not isinstance(key, str):
            problem(str(key), f"the key {key!r} is not a name")
        elif key in RENAMED_KEYS:
            problem(key, f"{key!r} is now called {RENAMED_KEYS[key]!r}")
        elif key not in KNOWN_KEYS:
            problem(key, f"unknown key {key!r}; known keys: {', '.join(sorted(KNOWN_KEYS))}")
    for key, (field_name, required) in SCALARS.items():
        raw = data.get(key)
        if raw is not None and not isinstance(raw, str | dt.date):
            kind = "a list" if isinstance(raw, list) else "a mapping"
            problem(key, f"{key!r} must be text, not {kind} (quote it if it holds [ ] or :)")
            raw = None
        value = _as_text(raw).strip()
        if required and not value:
            problem(key, f"{key!r} is required")
        source.fields[field_name] = value
    for key, allowed in CHOICES.items():
        value = source.fields[SCALARS[key][0]]
        if value and value not in allowed:
            problem(key, f"{key} {value!r} is not one of: {', '.join(allowed)}")
    _solar_hijri_header(data, source, problem)
    for key in ("date", "coverage"):
        try:
            dates.validate_edtf(source.fields[SCALARS[key][0]])
        except ValidationError as error:
            problem(key, " ".join(error.messages))
    for key, role in AGENT_KEYS.items():
        value = data.get(key) or []
        slugs = [value] if isinstance(value, str) else value
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            problem(key, f"{key!r} must be a record slug or a list of slugs")
            continue
        source.agents.extend((key, role, slug) for slug in slugs)
    for key in [*PLACE_KEYS, "repository"]:
        if data.get(key) is not None and not isinstance(data[key], str):
            problem(key, f"{key!r} must be one slug, not a list or mapping")
    for key in PLACE_KEYS:
        if isinstance(data.get(key), str):
            source.places[key] = data[key]
    source.texts = texts_import.parse_texts(
        data.get(texts_import.KEY), path, lambda message: problem(texts_import.KEY, message)
    )
    repository = data.get("repository")
    source.repository = repository if isinstance(repository, str) and repository else None
    if not source.fields["slug"]:
        source.fields["slug"] = slugify(source.fields["title"])[:120]
    if len(source.fields["title"]) > 500:
        problem("title", "the title is longer than 500 characters")
    if not body.strip():
        problems.append(ImportProblem(path, None, "the text after the header is empty"))
    size = len(body.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        problems.append(ImportProblem(path, body_line, text_too_long(size)))
    source.fields["transcription"] = body
    if data.get("images") is not None and len(problems) == before:
        from ..scans.importing import parse_images  # the scans' own checks (docs/scans.md)

        source.images = parse_images(path, data["images"], body, lambda m: problem("images", m))
    return source if len(problems) == before else None


def _solar_hijri_header(data: dict, source: ParsedSource, problem) -> None:
    """``date_solar_hijri:`` becomes the Gregorian EDTF the archive keeps (a day, or the
    days of a Solar Hijri month or year); ``calendar:`` sets what readers see."""
    raw = data.get(SOLAR_DATE_KEY)
    if raw is not None:
        if not isinstance(raw, str):
            problem(SOLAR_DATE_KEY, f"{SOLAR_DATE_KEY!r} must be text, like '15 Tir 1324'")
        elif source.fields["date_edtf"]:
            problem(SOLAR_DATE_KEY, f"give 'date' or {SOLAR_DATE_KEY!r}, not both")
        else:
            try:
                found = calendars.parse_solar(raw, bare_year=True)
            except calendars.SolarDateError as error:
                problem(SOLAR_DATE_KEY, str(error))
            else:
                source.fields["date_edtf"] = found.edtf
    choice = data.get(CALENDAR_KEY)
    if choice is not None:
        allowed = [value for value in Calendar.values if value]
        if choice not in allowed:
            problem(CALENDAR_KEY, f"{CALENDAR_KEY} {choice!r} is not one of: {', '.join(allowed)}")
        else:
            source.fields["calendar"] = choice


def validate(sources: list[ParsedSource], problems: list[ImportProblem]) -> None:
    """Checks against the database and across the batch."""
    slugs = [s.fields["slug"] for s in sources]
    taken = set(Document.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    entity_kinds = dict(
        Entity.objects.filter(slug__in={a[2] for s in sources for a in s.agents}).values_list(
            "slug", "kind"
        )
    )
    places = set(
        Place.objects.filter(slug__in={p for s in sources for p in s.places.values()}).values_list(
            "slug", flat=True
        )
    )
    repositories = set(Repository.objects.values_list("slug", flat=True))
    seen: dict[str, Path] = {}
    for source in sources:
        slug = source.fields["slug"]
        slug_key = "slug" if "slug" in source.lines else "title"
        if slug in taken:
            problems.append(source.problem(slug_key, f"a document {slug!r} exists already"))
        if slug in seen:
            problems.append(source.problem(slug_key, f"slug {slug!r} is also used by {seen[slug]}"))
        seen.setdefault(slug, source.path)
        for key, _role, entity_slug in source.agents:
            kind = entity_kinds.get(entity_slug)
            if kind is None:
                problems.append(source.problem(key, f"{key}: no record {entity_slug!r}"))
            elif kind not in (EntityKind.PERSON, EntityKind.ORGANIZATION):
                problems.append(
                    source.problem(
                        key, f"{entity_slug!r} is a {kind}, not a person or organization"
                    )
                )
        for key, place_slug in source.places.items():
            if place_slug not in places:
                problems.append(source.problem(key, f"{key}: no place {place_slug!r}"))
        if source.repository and source.repository not in repositories:
            problems.append(
                source.problem(
                    "repository", f"no repository (holding archive) {source.repository!r}"
                )
            )


def import_sources(
    paths: Iterable[str | Path], progress: Callable[[int, int, Document, int], None] | None = None
) -> list[Document]:
    files = collect_files(paths)
    problems: list[ImportProblem] = []
    if not files:
        raise ImportFailed([ImportProblem(Path("."), None, "no .md or .txt files given")])
    parsed = []
    for path in files:
        found: list[ImportProblem] = []
        parsed.append((path, parse_file(path, found), found))
    # A further text's file (``texts:``) in a folder given is no source of its own.
    further = {spec.path.resolve() for _, source, _ in parsed if source for spec in source.texts}
    sources = []
    for path, source, found in parsed:
        if path.resolve() in further:
            continue
        problems.extend(found)
        if source is not None:
            sources.append(source)
    if not problems:
        validate(sources, problems)
    if problems:
        raise ImportFailed(problems)
    repositories = {r.slug: r for r in Repository.objects.all()}
    places = {
        p.slug: p
        for p in Place.objects.filter(slug__in={v for s in sources for v in s.places.values()})
    }
    entities = {
        e.slug: e for e in Entity.objects.filter(slug__in={a[2] for s in sources for a in s.agents})
    }
    # Every model rule, for every file, before anything is written: a problem names its
    # file and line, and no file is reported "created" in a batch that is rolled back.
    documents = []
    for source in sources:
        document = Document(**source.fields, status=PublicationStatus.DRAFT)
        document.repository = repositories.get(source.repository) if source.repository else None
        for key, slug in source.places.items():
            setattr(document, key, places[slug])
        try:
            document.full_clean()
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                key = HEADER_KEYS.get(field_name)
                label = key or field_name.replace("_", " ")
                problems.extend(source.problem(key, f"{label}: {m}") for m in messages)
        documents.append(document)
        for order, spec in enumerate(source.texts):
            try:
                spec.build(order).full_clean(exclude=["document"], validate_constraints=False)
            except ValidationError as error:
                problems.extend(
                    source.problem(texts_import.KEY, f"{spec.path.name}: {m}")
                    for m in error.messages
                )
    if problems:
        raise ImportFailed(problems)
    created = []
    reports = []
    index = NameIndex.from_database()
    from ..scans import derivatives, importing

    images = []
    try:
        with transaction.atomic():
            for number, (source, document) in enumerate(zip(sources, documents, strict=True), 1):
                document.save()
                for order, (_key, role, slug) in enumerate(source.agents):
                    DocumentAgent.objects.get_or_create(
                        document=document,
                        entity=entities[slug],
                        role=role,
                        defaults={"order": order},
                    )
                for order, spec in enumerate(source.texts):
                    text = spec.build(order)
                    text.document = document
                    text.save()
                images.extend(importing.store_imported(document, source.images))
                proposed = refresh_proposals(document, index)
                created.append(document)
                reports.append((number, len(sources), document, proposed))
    except BaseException:
        importing.discard(images)  # the rows were rolled back: so are their files
        raise
    if images:
        derivatives.make_all(PageImage.objects.filter(pk__in=[i.pk for i in images]))
    if progress:  # only once the whole batch is kept
        for report in reports:
            progress(*report)
    return created
