"""Checks that keep the curated corpus trustworthy.

Run by ``manage.py check_corpus`` and after every ``load_corpus`` (which rolls back when
a check fails), and by the test suite. Each check returns readable problems rather than
raising, so a curator sees every problem at once.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from ..claims.checks import claim_problems
from ..models import (
    AGENT_KINDS,
    Document,
    DocumentAgent,
    Entity,
    Event,
    EventParticipant,
    Mention,
    NameVariant,
    Place,
    PlaceKind,
    PublicationStatus,
)
from ..text import fold, on_word_boundaries
from .inflection import is_declined_form

CORPUS_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "corpus.json"
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_mentions(documents=None) -> list[Problem]:
    problems: list[Problem] = []
    documents = (
        (documents if documents is not None else Document.objects.all())
        .only("slug", "transcription", "language")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.select_related("entity").order_by("start", "end"),
            ),
            "texts",  # each mention is checked against the text it is in (issue 14)
        )
    )
    names_by_entity: dict[int, set[str]] = defaultdict(set)
    written_by_entity: dict[int, list[str]] = defaultdict(list)  # as written, for stemming
    for entity_id, folded, name in NameVariant.objects.values_list("entity_id", "folded", "name"):
        names_by_entity[entity_id].add(folded)
        written_by_entity[entity_id].append(name)
    for document in documents:
        texts = {None: document.transcription} | {t.pk: t.text for t in document.texts.all()}
        labels = {t.pk: f" of the {t.language} {t.kind}" for t in document.texts.all()}
        languages = {None: document.language} | {t.pk: t.language for t in document.texts.all()}
        last: dict[int | None, Mention] = {}
        for mention in document.mentions.all():
            text = texts.get(mention.document_text_id, "")
            label = labels.get(mention.document_text_id, "")
            where = f"document {document.slug}, mention {mention.text!r} at {mention.start}{label}"
            previous = last.get(mention.document_text_id)
            found = text[mention.start : mention.end]
            if found != mention.text:
                problems.append(
                    Problem(where, f"the text at {mention.start}–{mention.end} reads {found!r}")
                )
                continue
            if not on_word_boundaries(text, mention.start, mention.end):
                problems.append(Problem(where, "does not start and end on word boundaries"))
            known = names_by_entity[mention.entity_id] | {fold(mention.entity.name)}
            if (
                fold(mention.text) not in known
                and not mention.note
                # A declined form of a known name ("Тебризе" of "Тебриз") in a language
                # the archive stems: no variant or note needed for each case.
                and not is_declined_form(
                    mention.text,
                    [mention.entity.name, *written_by_entity[mention.entity_id]],
                    languages.get(mention.document_text_id, ""),
                )
            ):
                problems.append(
                    Problem(
                        where,
                        f"{mention.text!r} is not a name or variant of {mention.entity.slug}: "
                        "add it as a name variant (so searches for it find the record) or, "
                        "for a descriptive reference such as 'the rallies', say in the "
                        "mention's note what it refers to",
                    )
                )
            if previous is not None and mention.start < previous.end:
                problems.append(
                    Problem(where, f"overlaps the mention {previous.text!r} at {previous.start}")
                )
            last[mention.document_text_id] = mention
    return problems


CITATION_FIELDS = ["title", "document_type", "source_kind", "language", "rights"]


def check_documents(documents=None) -> list[Problem]:
    problems: list[Problem] = []
    documents = documents if documents is not None else Document.objects.all()
    for document in documents.filter(status=PublicationStatus.PUBLISHED):
        problems.extend(published_document_problems(document))
    return problems


def published_document_problems(document: Document) -> list[Problem]:
    """What a published document must have to be cited (and to be restored from a
    backup): checked on the document as it is, whatever its status now, so Publish can
    refuse before the document goes public."""
    problems: list[Problem] = []
    where = f"document {document.slug}"
    for field in CITATION_FIELDS:
        if not getattr(document, field):
            problems.append(Problem(where, f"published without {field.replace('_', ' ')}"))
    if not (document.date_edtf or document.coverage_edtf):
        problems.append(Problem(where, "published with neither a date nor a period covered"))
    if not (document.archival_reference or document.publisher or document.source_url):
        problems.append(Problem(where, "published without an archival reference, publisher or URL"))
    if document.repository_id and not document.archival_reference:
        problems.append(Problem(where, "has a holding archive but no archival reference"))
    if not document.transcription.strip():
        problems.append(Problem(where, "published without a transcription"))
    return problems


def check_agents(links=None) -> list[Problem]:
    problems: list[Problem] = []
    links = links if links is not None else DocumentAgent.objects.all()
    for link in links.select_related("entity", "document"):
        if link.entity.kind not in AGENT_KINDS:
            problems.append(
                Problem(
                    f"document {link.document.slug}",
                    f"{link.get_role_display()} {link.entity.slug} is a {link.entity.kind}, "
                    "not a person or organization",
                )
            )
    return problems


def check_records() -> list[Problem]:
    problems: list[Problem] = []
    for place in Place.objects.filter(latitude__isnull=True, coordinates_note=""):
        problems.append(Problem(f"place {place.slug}", "has no coordinates and no reason why"))
    problems.extend(check_agents())
    states = set(Place.objects.filter(place_kind=PlaceKind.COUNTRY).values_list("pk", flat=True))
    for link in EventParticipant.objects.select_related("entity", "event"):
        # People and bodies take part in events; so do states, as actors.
        if link.entity.kind not in AGENT_KINDS and link.entity_id not in states:
            problems.append(
                Problem(
                    f"event {link.event.slug}",
                    f"participant {link.entity.slug} is a {link.entity.kind}, not a person, "
                    "organization or state",
                )
            )
    for event in Event.objects.filter(document_links__isnull=True, unsourced_note=""):
        problems.append(
            Problem(f"event {event.slug}", "no document is linked to it and no reason why")
        )
    for slug, kind, wikidata in Entity.objects.exclude(wikidata="").values_list(
        "slug", "kind", "wikidata"
    ):
        if not WIKIDATA_ID.match(wikidata):
            problems.append(Problem(f"{kind} {slug}", f"Wikidata ID {wikidata!r} is not Q123"))
    for slug, geonames in Place.objects.exclude(geonames_id="").values_list("slug", "geonames_id"):
        if not GEONAMES_ID.match(geonames):
            problems.append(Problem(f"place {slug}", f"GeoNames ID {geonames!r} is not a number"))
    for variant in NameVariant.objects.select_related("entity"):
        if variant.folded == fold(variant.entity.name):
            problems.append(
                Problem(
                    f"{variant.entity.kind} {variant.entity.slug}",
                    f"variant {variant.name!r} repeats the preferred name",
                )
            )
    return problems


def check_database(document_slugs: list[str] | None = None) -> list[Problem]:
    """Check the records, and the documents named (all documents when None)."""
    documents = Document.objects.all()
    if document_slugs is not None:
        documents = documents.filter(slug__in=document_slugs)
    return [
        *check_documents(documents),
        *check_records(),
        *check_mentions(documents),
        *check_claims(),
    ]


def check_claims() -> list[Problem]:
    """Every claim's quoted passage is in its source's text (``sources.claims.checks``)."""
    return [Problem(where, message) for where, message in claim_problems()]


def fixture_document_slugs(path: Path) -> list[str]:
    objects = json.loads(path.read_text(encoding="utf-8"))
    return [o["fields"]["slug"] for o in objects if o.get("model") == "sources.document"]


def claim_key(fields: dict) -> dict:
    """A claim's natural key (``Claim.natural_key``)."""
    names = ("record", "document", "property", "aspect", "source", "passage")
    return {name: fields.get(name) for name in names}


def check_fixture_file(path: Path) -> list[Problem]:
    """Problems that loaddata would hide: an object listed twice under one natural key
    is silently merged, and a JSON error would only surface half-way through."""
    try:
        objects = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [Problem(str(path), f"cannot be read as JSON: {exc}")]
    if not isinstance(objects, list):
        return [Problem(str(path), "must be a JSON list of objects")]
    keys: Counter = Counter()
    problems = []
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or "model" not in obj or "fields" not in obj:
            problems.append(Problem(f"{path.name} item {index}", "needs 'model' and 'fields'"))
            continue
        if "pk" in obj:
            problems.append(
                Problem(f"{path.name} item {index}", "uses a numeric id; use natural keys")
            )
        fields = obj["fields"]
        key = fields.get("slug") or fields.get("entity_ptr") or {
            k: fields.get(k) for k in ("document", "entity", "event", "place", "start", "role",
                                       "name", "number", "container", "period_start")
            if k in fields
        }  # fmt: skip
        if obj["model"] == "sources.claim":
            key = claim_key(fields)
        keys[(obj["model"], json.dumps(key, sort_keys=True, ensure_ascii=False))] += 1
    for (model, key), count in keys.items():
        if count > 1:
            problems.append(Problem(path.name, f"{model} {key} is listed {count} times"))
    return problems
