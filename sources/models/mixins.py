"""Small abstract building blocks shared by the archive's models."""

from __future__ import annotations

import functools

from django.db import models
from django.urls import get_script_prefix, reverse

from ..text import dates


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def edtf_field(verbose_name: str, help_text: str) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=100,
        blank=True,
        validators=[dates.validate_edtf],
        help_text=help_text,
    )


class DatedModel(models.Model):
    """A date kept as written in EDTF, with derived, indexed calendar bounds.

    The bounds are derived in a pre_save signal (``sources.signals``) rather than in
    save() so that they are also right for rows written by ``loaddata`` (which bypasses
    save()).
    """

    # EDTF field -> (earliest field, latest field); subclasses may add more pairs.
    EDTF_FIELDS = {"date_edtf": ("date_earliest", "date_latest")}

    date_edtf = edtf_field(
        "date (EDTF)",
        "What is known of the date, in EDTF: 1945-07-06 (a day), 1946-04 (a month), "
        "1946-04-17/1946-04-21 (a range), 1944-10~ (approximate), 1945? (uncertain), "
        "1896/1956 (life dates). Leave empty when unknown.",
    )
    date_written = models.CharField(
        "date as written",
        max_length=100,
        blank=True,
        help_text="Optional wording shown to readers instead of the generated one, "
        "e.g. 'late 1944' or 'end of November 1945'.",
    )
    date_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    date_latest = models.DateField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_earliest__isnull=True)
                | models.Q(date_latest__isnull=True)
                | models.Q(date_earliest__lte=models.F("date_latest")),
                name="%(app_label)s_%(class)s_date_order",
                violation_error_message="The end of a date range cannot come before its start.",
            )
        ]

    @property
    def date_display(self) -> str:
        return self.date_written or dates.humanize(self.date_edtf)

    def set_date_bounds(self) -> None:
        for edtf_name, (earliest_name, latest_name) in self.EDTF_FIELDS.items():
            found = dates.bounds(getattr(self, edtf_name))
            setattr(self, earliest_name, found.earliest)
            setattr(self, latest_name, found.latest)


class SlugQuerySet(models.QuerySet):
    """Fixtures and backups refer to records by slug, never by numeric id, so records
    a curator adds later can never collide with the corpus."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


_SLUG_MARK = "slug-placeholder-0"


@functools.lru_cache(maxsize=64)
def _detail_pattern(url_name: str, script_prefix: str) -> str:
    return reverse(url_name, kwargs={"slug": _SLUG_MARK})


def detail_url(url_name: str, slug: str) -> str:
    """reverse() for a slug detail page, resolved once per URL name.

    A document page links every record it names; reversing each link costs more than
    the page's queries together. The URLconf stays the only source of addresses: the
    pattern comes from reverse(), keyed by the script prefix it depends on.
    """
    return _detail_pattern(url_name, get_script_prefix()).replace(_SLUG_MARK, slug)
