"""Import new sources as drafts from text files with a YAML header (see docs/importing.md)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.curation.importer import ImportFailed, import_sources


class Command(BaseCommand):
    help = (
        "Create draft documents from .md/.txt files (or folders of them) with a YAML "
        "header. Every file is validated first; if any fails, nothing is written and "
        "every problem is listed with its file and line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")

    def handle(self, *args, paths: list[str], **options) -> None:
        def progress(number, total, document, proposed) -> None:
            self.stdout.write(
                f"[{number}/{total}] {document.slug}: draft created, {proposed} mention(s) proposed"
            )

        try:
            created = import_sources(paths, progress=progress)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(str(failure)) from failure
        except ValidationError as error:  # a rule only the model knows; nothing is kept
            raise CommandError(f"Nothing was imported: {'; '.join(error.messages)}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Imported {len(created)} draft document(s) for review.")
        )
