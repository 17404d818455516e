"""Document filters (django-filter) and their counts.

One ``DocumentFilter`` serves the document list and the search results. Every value
comes from the URL (GET), so a filtered page can be shared. An invalid value never
breaks the page: the filter is left out and the page says why (``problems``).

``facets`` counts, for each choice of each filter, how many published documents that
choice would give with the other filters (and the search) as they are: one aggregate
query per filter, never one per choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from . import dates
from .models import (
    Document,
    DocumentType,
    Entity,
    EntityKind,
    Language,
    Mention,
    Repository,
    SourceKind,
)

ENTITY_FILTERS = {
    "person": EntityKind.PERSON,
    "place": EntityKind.PLACE,
    "organization": EntityKind.ORGANIZATION,
    "event": EntityKind.EVENT,
}
ENTITY_CHOICES_SHOWN = 15
MAX_PARAM_LENGTH = 200
MAX_YEARS = 40


class PartialDateField(forms.CharField):
    """A day, a month or a year: 1945-11-21, 1945-11, 1945 (any EDTF date works)."""

    def __init__(self, *args, bound: str = "earliest", **kwargs):
        self.bound = bound
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            found = dates.bounds(value)
            day = getattr(found, self.bound)
        except (ValidationError, ValueError, OverflowError, TypeError, AttributeError):
            day = None
        if not isinstance(day, dt.date):
            raise ValidationError(
                "“%(value)s” is not a date this filter understands: write a year (1945), "
                "a month (1945-11) or a day (1945-11-21).",
                code="invalid_date",
                params={"value": value},
            )
        return day


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


def _mentioning(queryset, name, value):
    if value is None:
        return queryset
    return queryset.filter(
        Exists(Mention.objects.filter(document=OuterRef("pk"), entity_id=value.pk))
    )


def _entity_filter(kind: str, label: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Entity.objects.of_kind(kind).only("pk", "slug", "name", "kind"),
        to_field_name="slug",
        method=_mentioning,
        error_messages={"invalid_choice": f"There is no {kind} record “%(value)s”."},
    )


class DocumentFilter(django_filters.FilterSet):
    document_type = django_filters.ChoiceFilter(label="Type", choices=DocumentType.choices)
    source_kind = django_filters.ChoiceFilter(
        label="Primary or secondary", choices=SourceKind.choices
    )
    date_from = PartialDateFilter(
        label="From", field_name="date_latest", lookup_expr="gte", bound="earliest"
    )
    date_to = PartialDateFilter(
        label="To", field_name="date_earliest", lookup_expr="lte", bound="latest"
    )
    person = _entity_filter(EntityKind.PERSON, "Person")
    place = _entity_filter(EntityKind.PLACE, "Place")
    organization = _entity_filter(EntityKind.ORGANIZATION, "Organization")
    event = _entity_filter(EntityKind.EVENT, "Event")
    language = django_filters.ChoiceFilter(label="Language", choices=Language.choices)
    repository = django_filters.ModelChoiceFilter(
        label="Holding archive",
        queryset=Repository.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": "There is no holding archive “%(value)s”."},
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(clean_params(data), *args, **kwargs)

    @property
    def values(self) -> dict:
        """The filters that apply (valid and given), by name."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form
        values = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        start, end = values.get("date_from"), values.get("date_to")
        if start and end and start > end:
            values.pop("date_from"), values.pop("date_to")
        return values

    @property
    def problems(self) -> list[str]:
        """What the page tells the reader about values it could not use."""
        if not self.is_bound:
            return []
        found = []
        for name, errors in self.form.errors.items():
            label = self.filters[name].label if name in self.filters else name
            for error in errors:
                found.append(f"{label}: {error} This filter was left out.")
        start = self.form.cleaned_data.get("date_from")
        end = self.form.cleaned_data.get("date_to")
        if start and end and start > end:
            found.append("The “from” date comes after the “to” date; the dates were left out.")
        return found

    def apply(self, queryset, leave_out: tuple[str, ...] = ()):
        """``queryset`` with every valid filter but those named in ``leave_out``."""
        for name, value in self.values.items():
            if name not in leave_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def clean_params(data):
    """The GET parameters without NUL or control characters and at a sane length, so
    a hostile URL reaches the forms as a plain invalid value."""
    if data is None:
        return None
    cleaned = QueryDict(mutable=True)
    for key in data:
        for value in data.getlist(key)[:5]:
            value = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
            cleaned.appendlist(key, value[:MAX_PARAM_LENGTH])
    return cleaned


# --- Counts -------------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # this page with this choice (or without it, when selected)


@dataclass
class Facet:
    name: str
    label: str
    choices: list[Choice]
    selected_label: str = ""
    clear_url: str = ""


def _url(params: QueryDict, **changes) -> str:
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    return "?" + query.urlencode() if query else "?"


def facets(filterset: DocumentFilter, base, params: QueryDict) -> list[Facet]:
    """Counts for each filter's choices over ``base`` (the published documents the
    search matches): each filter counted with the others applied, not itself."""
    params = clean_params(params) or QueryDict()
    values = filterset.values
    result = []

    def column(name: str, choices, field: str | None = None) -> None:
        field = field or name
        queryset = filterset.apply(base, leave_out=(name,)).order_by()
        counts = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
        selected = values.get(name)
        selected_value = getattr(selected, "slug", selected)
        result.append(
            _facet(name, filterset.filters[name].label, choices, counts, selected_value, params)
        )

    column("document_type", DocumentType.choices)
    column("source_kind", SourceKind.choices)
    column("language", Language.choices)
    column(
        "repository",
        [(slug, str(name)) for slug, name in _repository_labels()],
        field="repository__slug",
    )
    for name, kind in ENTITY_FILTERS.items():
        queryset = filterset.apply(base, leave_out=(name,)).order_by().values("pk")
        rows = (
            Mention.objects.filter(document__in=queryset, entity__kind=kind)
            .values("entity__slug", "entity__name")
            .annotate(n=Count("document_id", distinct=True))
            .order_by("-n", "entity__sort_name", "entity__slug")[:ENTITY_CHOICES_SHOWN]
        )
        counts = {row["entity__slug"]: row["n"] for row in rows}
        labels = [(row["entity__slug"], row["entity__name"]) for row in rows]
        selected = values.get(name)
        if selected is not None and selected.slug not in counts:
            labels.append((selected.slug, selected.name))
            counts[selected.slug] = queryset.filter(
                Exists(Mention.objects.filter(document=OuterRef("pk"), entity_id=selected.pk))
            ).count()
        result.append(
            _facet(
                name,
                filterset.filters[name].label,
                labels,
                counts,
                getattr(selected, "slug", None),
                params,
                keep_order=True,
            )
        )
    result.append(_years(filterset, base, params))
    return result


def _repository_labels():
    return Repository.objects.order_by("name").values_list("slug", "name")


def _facet(name, label, choices, counts, selected, params, keep_order=False) -> Facet:
    items = []
    selected_label = ""
    for value, choice_label in choices:
        count = counts.get(value, 0)
        is_selected = value == selected
        if is_selected:
            selected_label = str(choice_label)
        if count or is_selected:
            url = _url(params, **{name: None if is_selected else value})
            items.append(Choice(value, str(choice_label), count, is_selected, url))
    if not keep_order:
        items.sort(key=lambda c: (-c.count, c.label))
    return Facet(name, label, items, selected_label, _url(params, **{name: None}))


def _years(filterset: DocumentFilter, base, params: QueryDict) -> Facet:
    """How many documents each year would give, as the date filters find them (a
    document dated across years counts in each). Years in which some document starts
    or ends are offered; decades when there are more than MAX_YEARS of them."""
    queryset = filterset.apply(base, leave_out=("date_from", "date_to")).order_by()
    pairs = (
        queryset.filter(date_earliest__isnull=False, date_latest__isnull=False)
        .annotate(first=ExtractYear("date_earliest"), last=ExtractYear("date_latest"))
        .values_list("first", "last")
        .distinct()
    )
    years = sorted({year for pair in pairs for year in pair})
    step = 10 if len(years) > MAX_YEARS else 1
    buckets = sorted({year - year % step for year in years})
    counts = {}
    if buckets:
        counts = queryset.aggregate(
            **{
                f"y{start}": Count(
                    "pk",
                    filter=Q(date_earliest__lte=dt.date(start + step - 1, 12, 31))
                    & Q(date_latest__gte=dt.date(start, 1, 1)),
                )
                for start in buckets
            }
        )
    values = filterset.values
    date_from, date_to = params.get("date_from", ""), params.get("date_to", "")
    choices = []
    for start in buckets:
        first, last = str(start), str(start + step - 1)
        label = first if step == 1 else f"{first}s"
        is_selected = bool(values.get("date_from")) and (date_from, date_to) == (first, last)
        count = counts.get(f"y{start}", 0)
        if count or is_selected:
            url = _url(
                params,
                date_from=None if is_selected else first,
                date_to=None if is_selected else last,
            )
            choices.append(Choice(first, label, count, is_selected, url))
    selected = next((c.label for c in choices if c.selected), "")
    return Facet("year", "Year", choices, selected, _url(params, date_from=None, date_to=None))
