"""Field types of the app's own (imported by migrations: no app logic here)."""

from __future__ import annotations

import json

from django.db import models


class RecordIds(models.Field):
    """A list of record ids in one column: ``integer[]`` on PostgreSQL (unnested by
    the facets' counts), a JSON array as text elsewhere (read by ``json_each``)."""

    description = "record ids"

    def db_type(self, connection) -> str:
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        ids = sorted({int(pk) for pk in value})
        return ids if connection.vendor == "postgresql" else json.dumps(ids)
