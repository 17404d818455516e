"""How well the mention finder reproduces the curated mentions of the corpus."""

from django.core.management.base import BaseCommand

from sources.curation.finder import NameIndex, find_mentions
from sources.models import Document, Mention


class Command(BaseCommand):
    help = (
        "For each document, compare the mentions the finder would propose with the "
        "curated ones: precision (proposals a curator kept) and recall of the mentions "
        "made by a name (those without a note; descriptive references such as 'the "
        "rallies' need a person's judgement)."
    )

    def handle(self, *args, **options) -> None:
        index = NameIndex.from_database()
        totals = {"proposed": 0, "agree": 0, "named": 0, "found": 0}
        for document in Document.objects.order_by("slug"):
            curated = set(
                Mention.objects.filter(document=document).values_list("entity_id", "start")
            )
            named = set(
                Mention.objects.filter(document=document, note="").values_list("entity_id", "start")
            )
            proposed = {
                (p.entity_id, p.start) for p in find_mentions(document.transcription, index)
            }
            row = {
                "proposed": len(proposed),
                "agree": len(proposed & curated),
                "named": len(named),
                "found": len(proposed & named),
            }
            for key, value in row.items():
                totals[key] += value
            self.stdout.write(self._line(document.slug, row))
        self.stdout.write(self._line("all documents", totals))

    @staticmethod
    def _line(label: str, row: dict[str, int]) -> str:
        precision = row["agree"] / row["proposed"] if row["proposed"] else 1.0
        recall = row["found"] / row["named"] if row["named"] else 1.0
        return (
            f"{label}: {row['proposed']} proposed, {row['agree']} curated ({precision:.0%} "
            f"precision); {row['found']}/{row['named']} named mentions found ({recall:.0%} recall)"
        )
