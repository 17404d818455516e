"""Load the curated corpus fixture, validated, in one transaction."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sources.curation.checks import (
    CORPUS_FIXTURE,
    check_database,
    check_fixture_file,
    fixture_document_slugs,
)
from sources.models import everything_changed


class Command(BaseCommand):
    help = (
        "Load the curated corpus (fixtures/corpus.json) by natural keys. The file is "
        "checked first, then loaded and checked again inside one transaction: if any "
        "check fails nothing is written. Loading twice changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("fixture", nargs="?", default=str(CORPUS_FIXTURE))

    def handle(self, *args, fixture: str, **options) -> None:
        path = Path(fixture)
        problems = check_fixture_file(path)
        if not problems:
            try:
                with transaction.atomic():
                    call_command("loaddata", str(path), verbosity=0)
                    everything_changed()
                    problems = check_database(fixture_document_slugs(path))
                    if problems:
                        transaction.set_rollback(True)
            except Exception as exc:  # loaddata wraps every database error it meets
                raise CommandError(
                    f"{path.name} could not be loaded, nothing was written: {exc}"
                ) from exc
        for problem in problems:
            self.stderr.write(f"- {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s); nothing was written.")
        self.stdout.write(self.style.SUCCESS(f"Loaded {path.name}; the corpus checks out."))
