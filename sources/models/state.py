"""Archive-wide state shared by every app server."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models
from django.utils import timezone

from ..caching import SITE


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
        """A change the public can see: the kept counts computed before are stale."""
        if not self.filter(pk=1).update(token=new_token(), changed_at=timezone.now()):
            self.get_or_create(pk=1)


def everything_changed() -> None:
    """A whole-archive operation (a load, a restore, a re-index): the kept counts and
    every cached page are stale."""
    ArchiveVersion.objects.bump()
    ChangeToken.objects.bump([SITE])


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


class ChangeTokenQuerySet(models.QuerySet):
    def current(self, keys) -> dict[str, tuple[str, datetime]]:
        """{key: (token, changed_at)} of ``keys`` that ever changed (one query); a key
        with no row has never changed since the tokens were made."""
        return {
            key: (token, changed_at)
            for key, token, changed_at in self.filter(key__in=list(keys)).values_list(
                "key", "token", "changed_at"
            )
        }

    def bump(self, keys) -> None:
        """``keys`` changed: every page cached with their old tokens is stale (one
        upsert, whatever the number of keys)."""
        keys = sorted(set(keys))
        if not keys:
            return
        token, now = new_token(), timezone.now()
        self.bulk_create(
            [ChangeToken(key=key, token=token, changed_at=now) for key in keys],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["token", "changed_at"],
        )


class ChangeToken(models.Model):
    """The version of one thing a public page can show (a document, a record, the
    lists; see ``sources.caching``). Replaced when that thing changes; pages are cached
    with the tokens of what they showed and are stale once one of them is replaced.

    Random tokens, as for the archive version: a rolled-back change never brings back
    a token pages were cached under. Not a curators' page: no admin, no address.
    """

    key = models.CharField(max_length=64, primary_key=True)
    token = models.CharField(max_length=32, default=new_token)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ChangeTokenQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = "change token"
        verbose_name_plural = "change tokens"

    def __str__(self) -> str:
        return f"{self.key} {self.token[:8]} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
