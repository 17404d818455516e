"""Loading the curated corpus fixture without undoing curators' work.

``make run`` calls ``load_corpus`` every time, so a plain load must never overwrite:
it inserts the fixture's objects that the archive lacks (all of them into an empty
archive) and leaves every existing row as it is, a Curator's edits and a withdrawn
document's status included. Only ``load_corpus --reset`` overwrites, after listing what
it will change; each row it inserts or overwrites gets a history row saying so.

Objects are matched by natural key (slugs, and for links the slugs they join), the same
identity ``loaddata`` uses.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.db import models, transaction

from ..models import Document, Entity, Repository, everything_changed
from .checks import Problem, check_database, check_fixture_file, fixture_document_slugs

INSERTED_REASON = "Inserted by load_corpus from {name}"
RESET_REASON = "Reset to {name} by load_corpus --reset"


@dataclass
class Change:
    """One fixture object the archive already holds, and how the archive differs."""

    label: str
    fields: list[str]

    def __str__(self) -> str:
        return f"{self.label}: {', '.join(self.fields)}"


@dataclass
class Plan:
    """What loading a fixture would do: objects to insert, existing ones that differ."""

    missing: list[dict] = field(default_factory=list)
    # Missing links (mentions, variants, agents…) of a document or record that exists:
    # part of what a curator edited (a moved mention, a deleted variant), so a plain load
    # leaves them out; a reset puts them back.
    curated: list[dict] = field(default_factory=list)
    existing: list[dict] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rows: dict[type[models.Model], set] = field(default_factory=dict)  # overwritten pks


class LoadRefused(Exception):
    def __init__(self, problems: list[Problem | str]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was written.")
        self.problems = problems


def _label(instance: models.Model, raw: dict) -> str:
    key = raw["fields"].get("slug") or raw["fields"].get("entity_ptr")
    if key is None:
        key = str(instance)
    elif isinstance(key, list):
        key = key[0]
    kind = getattr(instance, "kind", "") or instance._meta.verbose_name
    return f"{kind} {key}"


def archive_is_empty() -> bool:
    return not (Document.objects.exists() or Entity.objects.exists() or Repository.objects.exists())


def _existing_instance(raw: dict) -> models.Model | None:
    """The fixture object as an unsaved instance carrying the id of the row it matches,
    or None when it names a row the archive lacks (then it cannot exist either)."""
    try:
        (item,) = serializers.deserialize("json", json.dumps([raw]))
    except (serializers.base.DeserializationError, ObjectDoesNotExist):
        return None
    return item.object


OWNERS = {"document": Document, "event": Entity, "entity": Entity, "record": Entity}


def _owner_exists(raw: dict) -> bool:
    """Whether the object is a link belonging to a document or record the archive
    already holds (its first natural-key owner: document, else event, else record)."""
    for name, model in OWNERS.items():
        key = raw["fields"].get(name)
        if isinstance(key, list) and key:
            return model._default_manager.filter(slug=key[0]).exists()
    return False


def plan(path: Path) -> Plan:
    """Sort the fixture's objects into missing and existing, and for existing ones list
    the fields whose stored value differs from the fixture (what a reset would undo)."""
    objects = json.loads(path.read_text(encoding="utf-8"))
    result = Plan()
    if archive_is_empty():  # a fresh archive: everything is missing, nothing to match
        result.missing = objects
        return result
    for raw in objects:
        instance = _existing_instance(raw)
        model = type(instance) if instance is not None else None
        stored = (
            model._default_manager.filter(pk=instance.pk).first()
            if instance is not None and instance.pk is not None
            else None
        )
        if stored is None:
            (result.curated if _owner_exists(raw) else result.missing).append(raw)
            continue
        result.existing.append(raw)
        differing = []
        for name in raw["fields"]:
            model_field = model._meta.get_field(name)
            if (
                model_field.many_to_many
                or model_field.primary_key
                or getattr(model_field, "auto_now", False)  # a timestamp, not content
            ):
                continue
            if model_field.value_from_object(instance) != model_field.value_from_object(stored):
                differing.append(model_field.verbose_name)
        if differing:
            result.changes.append(Change(_label(instance, raw), differing))
            result.rows.setdefault(model, set()).add(instance.pk)
    return result


def _loaddata(objects: list[dict]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump(objects, handle, ensure_ascii=False)
        handle.flush()
        call_command("loaddata", handle.name, verbosity=0)


def _record_history(rows: dict[type[models.Model], set], reason: str, update: bool) -> None:
    """Raw (fixture) saves write no history: say in each row's history what happened."""
    for model, pks in rows.items():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name or not pks:
            continue
        instances = list(model._default_manager.filter(pk__in=pks))
        getattr(model, manager_name).bulk_history_create(
            instances, update=update, default_change_reason=reason
        )


def _pks(objects: list[dict]) -> dict[type[models.Model], set]:
    rows: dict[type[models.Model], set] = {}
    for item in serializers.deserialize("json", json.dumps(objects)):
        rows.setdefault(type(item.object), set()).add(item.object.pk)
    return rows


def load(path: Path, *, reset: bool = False) -> Plan:
    """Insert the fixture's missing objects (``reset``: and overwrite the existing ones),
    in one transaction, checked before and after; raise ``LoadRefused`` otherwise."""
    problems: list[Problem | str] = list(check_fixture_file(path))
    if problems:
        raise LoadRefused(problems)
    try:
        with transaction.atomic():
            todo = plan(path)
            inserted = todo.missing + todo.curated if reset else todo.missing
            if inserted or (reset and todo.changes):
                _loaddata(todo.existing + inserted if reset else inserted)
                everything_changed()
                _record_history(_pks(inserted), INSERTED_REASON.format(name=path.name), False)
                if reset:
                    _record_history(todo.rows, RESET_REASON.format(name=path.name), True)
                problems = list(check_database(fixture_document_slugs(path)))
                if problems:
                    raise LoadRefused(problems)
    except LoadRefused:
        raise
    except Exception as exc:  # loaddata wraps every database error it meets
        raise LoadRefused([f"{path.name} could not be loaded: {exc}"]) from exc
    return todo
