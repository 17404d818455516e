"""Rebuild the search index and the kept counts from the records."""

from django.core.management.base import BaseCommand
from django.db import transaction

from sources.models import everything_changed
from sources.search import index


class Command(BaseCommand):
    help = (
        "Index every document for search and recount every record's published documents. "
        "Run it after migrating a database that already holds documents, or after writing "
        "rows in bulk without signals. Safe to run at any time: it only rewrites derived "
        "data, in one transaction."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            documents, records = index.rebuild()
            everything_changed()  # pages and counts computed before are stale
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {documents} documents; counted {records} records.")
        )
