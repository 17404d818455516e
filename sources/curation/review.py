"""Review of changes to what the public sees.

Who may do what: a Curator's edit to a published document, and a record (person,
place, organization, event) a Curator creates or changes, is stored as a
``PendingChange`` instead of being written; an Editor (the
``sources.approve_pendingchange`` permission) sees it with a field-by-field diff and
approves it (the values are written to the live row, recorded in its history with
the Editor as the one who made the change and the Curator named in the reason) or
rejects it. Editors' own edits go live at once.

Why a pending revision beside the live row rather than a draft copy of the row: the
public tables only ever hold what is public (a proposed record does not exist there,
so no page, list, count, suggestion or search index has to learn to hide it), slugs
and constraints stay unique without copies, and approving is one ordinary save that
the signals, the search index and the history already handle.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from ..models import (
    ChangeAction,
    Document,
    Entity,
    PendingChange,
    PublicationStatus,
    ReviewStatus,
)

REVIEW_PERMISSION = "sources.approve_pendingchange"


def may_review(user) -> bool:
    """Editors approve; their own edits need no approval."""
    return user.has_perm(REVIEW_PERMISSION)


def reviewed_as(obj: models.Model | None) -> models.Model | None:
    """For a row reviewed as part of what it is about (a claim about a record: its
    ``review_subject()``), that subject; otherwise None."""
    subject = getattr(obj, "review_subject", None)
    return subject() if callable(subject) else None


def is_public(obj: models.Model | None) -> bool:
    """Whether readers can see this row now: a published document, or any record
    (records in the live tables are public; proposed ones are not there yet), or a
    row reviewed as part of one of those (a claim about a public record)."""
    if obj is None:
        return False
    subject = reviewed_as(obj)
    if subject is not None:
        return is_public(subject)
    if obj.pk is None:
        return False
    if isinstance(obj, Document):
        return obj.status == PublicationStatus.PUBLISHED
    return isinstance(obj, Entity)


def reviewed_on_create(model: type[models.Model]) -> bool:
    """New records wait for review; new documents start as drafts, never public."""
    return issubclass(model, Entity)


def needs_review(user, obj: models.Model | None, *, adding: bool) -> bool:
    if may_review(user):
        return False
    if adding:
        return reviewed_on_create(type(obj)) or is_public(reviewed_as(obj))
    return is_public(obj)


def proposable_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a proposal may carry: concrete, editable, not the key. The
    publication fields are not editable, so no proposal can publish or unpublish."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not getattr(f, "parent_link", False)
    ]


def to_json(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return value


def _field_value(obj: models.Model, field: models.Field) -> Any:
    return to_json(getattr(obj, field.attname))


def _from_json(field: models.Field, value: Any) -> Any:
    return None if value is None else field.to_python(value)


def _same(live: Any, proposed: Any) -> bool:
    """Equal as a form would keep them: forms strip text and browsers send CRLF, so a
    form saved unchanged proposes nothing."""
    if isinstance(live, str) and isinstance(proposed, str):
        return live.replace("\r\n", "\n").strip() == proposed.replace("\r\n", "\n").strip()
    return live == proposed


def propose(user, obj: models.Model, field_names: list[str] | None = None) -> PendingChange:
    """Store ``obj``'s values as a change waiting for review, leaving the live row as
    it is. For a change, only the fields that differ from the live row are kept."""
    model = type(obj)
    fields = [f for f in proposable_fields(model) if field_names is None or f.name in field_names]
    proposed = {f.name: _field_value(obj, f) for f in fields}
    if obj.pk is None:
        return PendingChange.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_repr=str(obj)[:500],
            action=ChangeAction.CREATE,
            data=proposed,
            proposed_by=user,
        )
    live = model._default_manager.get(pk=obj.pk)
    base = {f.name: _field_value(live, f) for f in fields}
    changed = {name: value for name, value in proposed.items() if not _same(base[name], value)}
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=obj.pk,
        object_repr=str(live)[:500],
        action=ChangeAction.CHANGE,
        data=changed,
        base={name: base[name] for name in changed},
        proposed_by=user,
    )


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    live: str
    proposed: str
    changed_since: bool  # the live value is no longer what the Curator saw


def _display(field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"(missing #{value})"
    return str(value)


def diff(change: PendingChange) -> list[DiffRow]:
    """Field by field: the live value now, the proposed value, and whether the live
    value moved since the proposal was made."""
    model = change.model
    live = None
    if change.object_id is not None:
        live = model._default_manager.filter(pk=change.object_id).first()
    rows = []
    for name, value in change.data.items():
        field = model._meta.get_field(name)
        now = _field_value(live, field) if live is not None else None
        rows.append(
            DiffRow(
                field=name,
                label=str(field.verbose_name),
                live=_display(field, now) if live is not None else "(new record)",
                proposed=_display(field, value),
                changed_since=live is not None and name in change.base and change.base[name] != now,
            )
        )
    return rows


def _decide(user, change: PendingChange, status: str, note: str) -> None:
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.decision_note = note[:500]
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def approve(user, change: PendingChange) -> models.Model:
    """Write the proposed values to the live row (or create the record), checked as a
    form would check them; recorded in history with the Editor and the proposer."""
    if not may_review(user):
        raise PermissionDenied("Only an Editor approves changes.")
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ReviewStatus.OPEN:
        raise ValidationError(f"This change was already {change.get_status_display()}.")
    model = change.model
    if change.action == ChangeAction.CREATE:
        obj = model()
    else:
        obj = model._default_manager.select_for_update().filter(pk=change.object_id).first()
        if obj is None:
            raise ValidationError("The row this change was proposed for no longer exists.")
    for name, value in change.data.items():
        field = model._meta.get_field(name)
        setattr(obj, field.attname, _from_json(field, value))
    # Checked as the admin form checks it: the proposed fields, the rest left to save()
    # (a record's kind, derived dates).
    obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in change.data])
    obj._history_user = user
    proposer = change.proposed_by.get_username()
    obj._change_reason = f"Approved by {user.get_username()}; proposed by {proposer}"
    obj.save()
    _decide(user, change, ReviewStatus.APPROVED, "")
    if change.action == ChangeAction.CREATE:
        change.object_id = obj.pk
        change.save(update_fields=["object_id"])
    return obj


@transaction.atomic
def reject(user, change: PendingChange, note: str = "") -> None:
    if not may_review(user):
        raise PermissionDenied("Only an Editor rejects changes.")
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ReviewStatus.OPEN:
        raise ValidationError(f"This change was already {change.get_status_display()}.")
    _decide(user, change, ReviewStatus.REJECTED, note)
