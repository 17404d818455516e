"""Load the curated corpus fixture: insert what is missing, or reset to it on request."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.curation.checks import CORPUS_FIXTURE
from sources.curation.corpus import LoadRefused, load, plan

SHOWN = 30


class Command(BaseCommand):
    help = (
        "Load the curated corpus (fixtures/corpus.json) by natural keys. Inserts only the "
        "objects the archive lacks and changes nothing that exists, so curators' edits and "
        "a withdrawn document's status stay (make run calls it every time). --reset "
        "overwrites existing corpus objects with the fixture after listing what it will "
        "change and asking (or with --yes); every overwritten row gets a history row. "
        "Checked before and after, in one transaction: if a check fails nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("fixture", nargs="?", default=str(CORPUS_FIXTURE))
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite the corpus's documents and records with the fixture's version "
            "(curators' edits to them are lost; records they created stay).",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before --reset overwrites."
        )

    def handle(self, *args, fixture: str, reset: bool, yes: bool, **options) -> None:
        path = Path(fixture)
        if reset and not self.confirm_reset(path, yes):
            raise CommandError("Reset cancelled; nothing was written.")
        try:
            done = load(path, reset=reset)
        except LoadRefused as refusal:
            for problem in refusal.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(str(refusal)) from refusal
        kept = len(done.existing) - (len(done.changes) if reset else 0)
        if reset:
            summary = (
                f"Reset to {path.name}: {len(done.changes)} object(s) overwritten, "
                f"{len(done.missing) + len(done.curated)} inserted, {kept} already as in "
                "the fixture."
            )
        elif done.missing:
            summary = (
                f"Loaded {path.name}: {len(done.missing)} missing object(s) inserted; "
                f"{kept} already in the archive left as they are."
            )
        else:
            summary = (
                f"Nothing to load: all {kept} objects of {path.name} are already in the "
                "archive (left as they are; load_corpus --reset overwrites them)."
            )
        if done.changes and not reset:
            summary += (
                f" {len(done.changes)} of them differ from the fixture (curators' edits, kept)."
            )
        if done.curated and not reset:
            summary += (
                f" {len(done.curated)} mention(s), variant(s) or link(s) of existing documents "
                "and records are not in the archive (curators moved or removed them); left out."
            )
        self.stdout.write(self.style.SUCCESS(summary))

    def confirm_reset(self, path: Path, yes: bool) -> bool:
        try:
            todo = plan(path)
        except Exception as exc:  # a fixture that cannot be read is reported by load()
            raise CommandError(f"{path.name} could not be read: {exc}") from exc
        if todo.changes:
            self.stdout.write(
                f"load_corpus --reset will overwrite {len(todo.changes)} object(s) with "
                f"{path.name} (the archive's current values are lost; history keeps them):"
            )
            for change in todo.changes[:SHOWN]:
                self.stdout.write(f"  - {change}")
            if len(todo.changes) > SHOWN:
                self.stdout.write(f"  … and {len(todo.changes) - SHOWN} more")
        else:
            self.stdout.write("Nothing in the archive differs from the fixture.")
        if todo.missing or todo.curated:
            self.stdout.write(
                f"It will insert {len(todo.missing) + len(todo.curated)} missing object(s)."
            )
        if yes or not (todo.changes or todo.missing or todo.curated):
            return True
        if not sys.stdin.isatty():
            raise CommandError(
                "load_corpus --reset overwrites curators' work: run it in a terminal to "
                "confirm, or add --yes. Nothing was written."
            )
        answer = input("Overwrite? Type 'yes' to continue: ")
        return answer.strip().lower() == "yes"
