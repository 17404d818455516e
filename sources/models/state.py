"""Archive-wide state shared by every app server."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


def new_token() -> str:
    return uuid.uuid4().hex


class ArchiveVersionQuerySet(models.QuerySet):
    def current(self) -> ArchiveVersion:
        """The one row (made on first use): one indexed read per request."""
        state = self.filter(pk=1).first()
        if state is None:
            state, _ = self.get_or_create(pk=1)
        return state

    def bump(self) -> None:
        """A change the public can see: every page cached under the old token is stale."""
        if not self.filter(pk=1).update(token=new_token(), changed_at=timezone.now()):
            self.get_or_create(pk=1)


class ArchiveVersion(models.Model):
    """A single row: a token that changes whenever the public archive changes, and when.

    A random token rather than a counter: a rolled-back change must never bring back a
    version number that pages were already cached under.
    """

    token = models.CharField(max_length=32, default=new_token)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ArchiveVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "archive version"
        verbose_name_plural = "archive version"

    def __str__(self) -> str:
        return f"archive version {self.token[:8]} ({self.changed_at:%Y-%m-%d %H:%M})"
