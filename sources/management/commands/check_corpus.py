"""Check the corpus in the database: mentions, citations, places, links."""

from django.core.management.base import BaseCommand, CommandError

from sources.curation.checks import check_database


class Command(BaseCommand):
    help = (
        "Check the archive's data: each mention's words stand in its document at the "
        "recorded position, published documents have their citation fields, places have "
        "coordinates or a reason. Prints every problem; exits non-zero if there is one. "
        "Changes nothing."
    )

    def handle(self, *args, **options) -> None:
        problems = check_database()
        for problem in problems:
            self.stderr.write(f"- {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the corpus.")
        self.stdout.write(self.style.SUCCESS("The corpus checks out: no problems found."))
