"""Search engines: one interface (``Engine``), one implementation per database.
``engine()`` picks one by ``connection.vendor``; text is folded in Python
(``sources.text``) before either sees it."""

from django.db import connection

from .base import CONFIG, RANK_LIMIT, Engine, InIds, RankedDocuments, document_parts, document_rows
from .postgres import PostgresEngine
from .python import PythonEngine


def engine(bounded: bool = False) -> Engine:
    """The engine of this database; ``bounded`` (the search page) does not rank
    more than ``RANK_LIMIT`` matches."""
    return PostgresEngine(bounded) if connection.vendor == "postgresql" else PythonEngine(bounded)


__all__ = [
    "CONFIG",
    "RANK_LIMIT",
    "Engine",
    "InIds",
    "PostgresEngine",
    "PythonEngine",
    "RankedDocuments",
    "document_parts",
    "document_rows",
    "engine",
]
