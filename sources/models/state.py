"""Archive-wide state shared by every app server."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


def new_token() -> str:
    return uuid.uuid4().hex


class ArchiveVersion(models.Model):
    """A single row: a token that changes whenever the public archive changes, and when.

    A random token rather than a counter: a rolled-back change must never bring back a
    version number that pages were already cached under.
    """

    token = models.CharField(max_length=32, default=new_token)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "archive version"
        verbose_name_plural = "archive version"

    def __str__(self) -> str:
        return f"archive version {self.token[:8]} ({self.changed_at:%Y-%m-%d %H:%M})"
