"""Search engines: one interface (``Engine``), one implementation per database.
``engine()`` picks one by ``connection.vendor``; text is folded in Python
(``sources.text``) before either sees it."""

from django.db import connection

from .base import CONFIG, Engine, InIds, RankedDocuments, document_parts, document_rows
from .postgres import PostgresEngine
from .python import PythonEngine


def engine() -> Engine:
    return PostgresEngine() if connection.vendor == "postgresql" else PythonEngine()


__all__ = [
    "CONFIG",
    "Engine",
    "InIds",
    "PostgresEngine",
    "PythonEngine",
    "RankedDocuments",
    "document_parts",
    "document_rows",
    "engine",
]
