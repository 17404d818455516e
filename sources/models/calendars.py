"""Which calendars a date is shown in: Gregorian always, Solar Hijri beside it where
the context is Iranian.

The setting is per document (``Document.calendar``), falling back to the archive's
default (``settings.ARCHIVE_SOLAR_HIJRI``, on for this archive, whose sources are
Iranian, Soviet Azerbaijani and American about Iranian Azerbaijan). Records (people,
events…) follow the archive's default. The conversion itself is
``sources.text.calendars``.
"""

from __future__ import annotations

from django.db import models

from ..text import calendars


class Calendar(models.TextChoices):
    DEFAULT = "", "as the archive's default"
    SOLAR_HIJRI = calendars.SOLAR_HIJRI, "Gregorian with Solar Hijri"
    GREGORIAN = calendars.GREGORIAN, "Gregorian only"


def calendar_field() -> models.CharField:
    return models.CharField(
        "calendars shown",
        max_length=12,
        choices=Calendar,
        blank=True,
        default="",
        help_text="Whether readers see the Solar Hijri date beside the Gregorian one "
        "(15 Tir 1324 beside 6 July 1945). Empty: the archive's default.",
    )


shows_solar_hijri = calendars.shows_solar_hijri
solar_hijri_of = calendars.solar_hijri_of
