"""Place names and containment in their time (issue 15, part 4).

A name variant (``NameVariant``) and a place's historical "lies in"
(``PlaceContainment``) share one way of saying when something held: a start and an
end, each an EDTF date that may carry its own doubt ("192X?" = some year of the 1920s,
uncertain), derived calendar bounds for filtering, and the reference the period comes
from. ``Place.located_in`` stays today's container; ``PlaceContainment`` adds the
past ones (and, when known, since when today's holds), so a reader of a 1945 telegram
sees the province of 1945 beside today's.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..text import dates
from .mixins import edtf_field

# EDTF marks of doubt: ? uncertain, ~ approximate, % both; X an unspecified digit.
_DOUBT = re.compile(r"[?~%X]")


# One EDTF date of a period: a year, month or day, digits possibly unspecified (X), and
# a mark of doubt at the end.
_BOUND = re.compile(r"^(?P<year>\d{2}(?:\d|X)(?:\d|X))(?P<rest>(?:-\d{2}){0,2})(?P<q>[?~%]?)$")


def bound_text(value: str) -> str:
    """One bound for readers: '1979', '1920s?' (192X?), 'c. 1930', 'June 2010'."""
    if not value or value == "..":
        return ""
    match = _BOUND.match(value)
    if match and "X" in match.group("year"):
        year = match.group("year")
        digits = year.rstrip("X")
        if "X" in digits:  # 1X4X: not a decade or century, say it as written
            return value
        text = digits + "0" * (4 - len(digits)) + "s"
        return text + ("?" if match.group("q") in ("?", "%") else "")
    return dates.humanize(value)


def period_text(row: PeriodModel) -> str:
    """'1920s?–1979', 'until 2010', 'since 2010', or '' when no period is known."""
    start, end = bound_text(row.period_start), bound_text(row.period_end)
    if start and end:
        return f"{start}–{end}"
    if end:
        return f"until {end}"
    if start:
        return f"since {start}"
    return ""


class NameUsage(models.TextChoices):
    """Who used a name, beside what kind of form it is (``VariantKind``): "historical"
    and "transliteration" are not repeated here, they follow from the period and the
    kind (``NameVariant.status``)."""

    OFFICIAL = "official", "official name"
    LOCAL = "local", "local name"


class PeriodModel(models.Model):
    """When something held, as written in EDTF, with derived indexed bounds.

    An empty start means the archive does not know when it began (not "always"); an
    empty end means it still holds, or the archive does not know it ended. The bounds
    are set in a pre_save signal (``sources.signals``) so ``loaddata`` rows get them.
    """

    period_start = edtf_field(
        "from (EDTF)",
        "The first year (or day) it held, in EDTF; mark doubt as EDTF does: 1925? "
        "(uncertain), 192X? (some year of the 1920s, uncertain). Empty if not known.",
    )
    period_end = edtf_field(
        "until (EDTF)",
        "The last year (or day) it held, in EDTF (1979, 1979?). Empty if it still holds.",
    )
    period_reference = models.CharField(
        "reference for the period",
        max_length=500,
        blank=True,
        help_text="Where the dates come from, named for readers: a corpus text or a "
        "standard reference (and where references disagree).",
    )
    period_start_date = models.DateField(null=True, blank=True, editable=False, db_index=True)
    period_end_date = models.DateField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start="", period_end="") | ~Q(period_reference=""),
                name="%(app_label)s_%(class)s_period_referenced",
                violation_error_message="Name the reference for the period.",
            ),
            models.CheckConstraint(
                condition=Q(period_start_date__isnull=True)
                | Q(period_end_date__isnull=True)
                | Q(period_start_date__lte=models.F("period_end_date")),
                name="%(app_label)s_%(class)s_period_order",
                violation_error_message="A period cannot end before it starts.",
            ),
        ]

    def set_period_bounds(self) -> None:
        self.period_start_date = dates.bounds(self.period_start).earliest
        self.period_end_date = dates.bounds(self.period_end).latest

    @property
    def has_period(self) -> bool:
        return bool(self.period_start or self.period_end)

    @property
    def start_uncertain(self) -> bool:
        return bool(_DOUBT.search(self.period_start))

    @property
    def end_uncertain(self) -> bool:
        return bool(_DOUBT.search(self.period_end))

    def holds_during(self, earliest: dt.date, latest: dt.date) -> bool:
        """Whether the period is known to cover some day of earliest…latest.

        An unknown start is not "always": a period known only to end in 2010 says
        nothing of 1945, so it holds at no date before its end that the archive could
        vouch for. It still holds for dates after an open-ended start.
        """
        if not self.period_start:
            return False
        start = self.period_start_date
        end = self.period_end_date
        return (start is None or start <= latest) and (end is None or end >= earliest)

    @property
    def period_display(self) -> str:
        return period_text(self)

    def ended_before(self, day: dt.date) -> bool:
        return self.period_end_date is not None and self.period_end_date < day


class PlaceContainmentQuerySet(models.QuerySet):
    def get_by_natural_key(self, place_slug: str, container_slug: str, period_start: str):
        return self.get(
            place__slug=place_slug, container__slug=container_slug, period_start=period_start
        )


class PlaceContainment(PeriodModel):
    """A larger place a place lay in for a period (Karaj in Tehran Province until 2010).

    Kept beside ``Place.located_in`` (today's container, which every list, map and
    export already reads) rather than replacing it: the present stays one column and
    one join, and only the pages that speak of a date read the periods.
    """

    place = models.ForeignKey(
        "sources.Place", on_delete=models.CASCADE, related_name="containments"
    )
    # CASCADE on both ends: the row is a link between two records (its history keeps
    # it); deleting a record is an Editor's act already, and refusing it for a past
    # period would make every tool that empties the archive learn this table.
    container = models.ForeignKey(
        "sources.Place",
        on_delete=models.CASCADE,
        related_name="contained_in_period",
        help_text="The larger place it lay in during the period.",
    )
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="What readers should know: what is uncertain, what came before.",
    )

    objects = PlaceContainmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["period_start_date", "period_end_date"])

    class Meta:
        ordering = ["place", "period_start_date", "container"]
        verbose_name = "place's larger place in a period"
        verbose_name_plural = "larger places in periods"
        constraints = [
            *PeriodModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["place", "container", "period_start"], name="placecontainment_unique"
            ),
            models.CheckConstraint(
                condition=~Q(place=models.F("container")), name="placecontainment_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} in {self.container}"

    def get_absolute_url(self) -> str:
        return self.place.get_absolute_url()

    def natural_key(self) -> tuple:
        return (*self.place.natural_key(), *self.container.natural_key(), self.period_start)

    natural_key.dependencies = ["sources.place"]
