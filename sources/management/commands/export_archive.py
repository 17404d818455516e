"""Write the whole archive (records, mentions, history, curators) as JSON."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.curation.backup import BackupUnverified, export_archive, verify_backup


class Command(BaseCommand):
    help = (
        "Export the whole archive as JSON with natural keys: documents, records, variants, "
        "mentions, proposals, every record's history, groups and staff users (with their "
        "password hashes: keep backups private). Restore with import_archive. --verify "
        "restores the backup into a scratch database and compares it with the archive."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", nargs="?", help="File to write (default: standard output).")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Restore the written backup into a scratch database (migrated from "
            "nothing), export it again and fail unless both are identical.",
        )

    def handle(self, *args, output: str | None = None, verify: bool = False, **options) -> None:
        data = export_archive()
        if output:
            Path(output).write_text(data, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Archive written to {output}."))
        else:
            self.stdout.write(data, ending="")
        if verify:
            with tempfile.TemporaryDirectory() as workdir:
                path = Path(output) if output else Path(workdir) / "archive.json"
                if not output:
                    path.write_text(data, encoding="utf-8")
                try:
                    rows = verify_backup(path)
                except BackupUnverified as failure:
                    raise CommandError(
                        f"The backup does NOT restore as it should: {failure}"
                    ) from failure
            self.stderr.write(
                self.style.SUCCESS(
                    f"Verified: the backup restores into an empty database and exports "
                    f"again identically ({rows} rows)."
                )
            )
