"""Restore an export_archive backup into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from sources.curation.backup import RestoreRefused, import_archive


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_archive into an empty, freshly migrated "
        "database. Refuses to write into a database that already holds data; the restore "
        "is one transaction and is checked before it is kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", help="The JSON file written by export_archive.")

    def handle(self, *args, backup: str, **options) -> None:
        try:
            import_archive(backup)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        except Exception as error:  # loaddata reports bad files as many exception types
            raise CommandError(
                f"The backup could not be restored; nothing was written: {error}"
            ) from error
        self.stdout.write(self.style.SUCCESS("Archive restored."))
