"""Document filters (django-filter), shared by the document list and the search results.

Every value comes from the URL (GET), so a filtered page can be shared. An invalid value
never breaks the page: the filter is left out and the page says why (``problems``).
Their counts are in ``sources.search.facets``.
"""

from __future__ import annotations

import datetime as dt
import functools
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from ..models import (
    Document,
    DocumentAgent,
    DocumentEvent,
    DocumentType,
    Entity,
    EntityKind,
    Language,
    Mention,
    Repository,
    SourceKind,
)
from ..text import calendars, dates

ENTITY_FILTERS = {
    "person": EntityKind.PERSON,
    "place": EntityKind.PLACE,
    "organization": EntityKind.ORGANIZATION,
    "event": EntityKind.EVENT,
}
ENTITY_CHOICES_SHOWN = 15
MAX_PARAM_LENGTH = 200


class PartialDateField(forms.CharField):
    """A day, a month or a year: 1945-11-21, 1945-11, 1945 (any EDTF date works), or
    the same in Solar Hijri (15 Tir 1324, Tir 1324, 1324/4/15, ۱۳۲۴): its Gregorian days."""

    def __init__(self, *args, bound: str = "earliest", **kwargs):
        self.bound = bound
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        day = _day(value, self.bound)
        if not isinstance(day, dt.date):
            # A Solar Hijri date ("Tir 1324", "1324/4/15", "۱۵ تیر ۱۳۲۴"): its Gregorian days.
            try:
                day = getattr(calendars.parse_solar(value), self.bound)
            except calendars.SolarDateError as exc:
                if exc.specific:  # "31 Mehr 1324": say what is wrong with it
                    raise ValidationError(str(exc), code="invalid_date") from exc
                raise ValidationError(
                    "“%(value)s” is not a date this filter understands: write a year (1945), "
                    "a month (1945-11) or a day (1945-11-21), or %(solar)s.",
                    code="invalid_date",
                    params={"value": value, "solar": calendars.HELP},
                ) from exc
        return day


@functools.lru_cache(maxsize=2048)
def _day(value: str, bound: str) -> dt.date | None:
    """The first or last day of a partial date, or None when it is none. Cached: the
    date grammar (EDTF, pyparsing) took ~10 ms a filter, on every filtered page."""
    try:
        day = getattr(dates.bounds(value), bound)
    except (ValidationError, ValueError, OverflowError, TypeError, AttributeError):
        return None
    return day if isinstance(day, dt.date) else None


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


def touching(entity_id: int) -> Q:
    """Documents that mention the record, or name it as author, recipient, translator…,
    or record, report, describe or mention it as an event (a curated link).

    One ``IN`` over the union of the three links, not three ``EXISTS`` joined by OR:
    the database reads the record's links by their indexes and then only those
    documents (a semi-join), where ORed ``EXISTS`` tested every document of the
    archive (0.6 s at 100,000 documents; now milliseconds)."""
    ways = ((Mention, "entity"), (DocumentAgent, "entity"), (DocumentEvent, "event"))
    links = " UNION ".join(
        f"SELECT document_id FROM {model._meta.db_table} WHERE {field}_id = %s"
        for model, field in ways
    )
    return Q(pk__in=RawSQL(links, [int(entity_id)] * 3))


def _entity_filter(kind: str, label: str) -> django_filters.ModelMultipleChoiceFilter:
    """One or more records of ``kind`` (``?person=a&person=b``); how several combine is
    the ``match`` filter's choice (all of them by default)."""
    return django_filters.ModelMultipleChoiceFilter(
        label=label,
        queryset=Entity.objects.of_kind(kind).only("pk", "slug", "name", "kind"),
        to_field_name="slug",
        method="filter_records",
        error_messages={"invalid_choice": f"There is no {kind} record “%(value)s”."},
    )


MATCH_CHOICES = [("all", "all of them"), ("any", "any of them")]


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

    match = django_filters.ChoiceFilter(
        label="Documents naming", choices=MATCH_CHOICES, method="filter_nothing"
    )

    class Meta:
        model = Document
        fields: list[str] = []

    @property
    def match_mode(self) -> str:
        """'all' (documents touching every record chosen) or 'any'."""
        if not self.is_bound:
            return "all"
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data.get("match") or "all"

    def filter_records(self, queryset, name, value):
        """Documents that touch the records chosen (mention them, or name them as
        author, recipient, translator…, or link them as events): every one of them,
        or any, as ``match`` says."""
        entities = list(value or [])
        if not entities:
            return queryset
        if self.match_mode == "any":
            condition = touching(entities[0].pk)
            for entity in entities[1:]:
                condition |= touching(entity.pk)
            return queryset.filter(condition)
        for entity in entities:
            queryset = queryset.filter(touching(entity.pk))
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset  # ``match`` only says how the record filters combine

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(clean_params(data), *args, **kwargs)

    _form_class: type | None = None

    def get_form_class(self):
        """The form class, made once per process (django-filter makes a new class,
        and a field per filter, for every request). Its fields hold no request's data:
        choices are fixed, and each form copies its fields (a fresh queryset each)."""
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @cached_property
    def values(self) -> dict:
        """The filters that apply (valid and given), by name (read a dozen times per
        page: worked out once)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form
        values = {
            k: v
            for k, v in self.form.cleaned_data.items()
            if k != "match" and v is not None and v != "" and not (k in ENTITY_FILTERS and _none(v))
        }
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


def _none(value) -> bool:
    """No record chosen: an empty ``.none()`` queryset is known empty without compiling
    a query (asking its truth did, for each record filter on every list)."""
    if isinstance(value, QuerySet) and value._result_cache is None and value.query.is_empty():
        return True
    return not value


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
