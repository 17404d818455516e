"""Write the whole archive (records, mentions, history, curators) as JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand

from sources.curation.backup import export_archive


class Command(BaseCommand):
    help = (
        "Export the whole archive as JSON with natural keys: documents, records, variants, "
        "mentions, proposals, every record's history, groups and staff users (with their "
        "password hashes: keep backups private). Restore with import_archive."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", nargs="?", help="File to write (default: standard output).")

    def handle(self, *args, output: str | None = None, **options) -> None:
        data = export_archive()
        if output:
            Path(output).write_text(data, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Archive written to {output}."))
        else:
            self.stdout.write(data, ending="")
