"""How well the mention finder reproduces the curated mentions of the corpus."""

from django.core.management.base import BaseCommand

from sources.curation.finder import (
    NameIndex,
    dismissed_names,
    find_mentions,
    unknown_name_spans,
)
from sources.models import Document, Entity, Mention, NameVariant

# Candidates that are real names although the archive has no record for them yet,
# judged by reading the four texts (issue 11): a book (the Koran), the Soviet government
# line "VCh", and William O. Douglas's book "Strange Lands and Friendly People" (cut in
# two by its "and"). Any other candidate that overlaps no curated mention is counted as
# an ordinary word offered by mistake.
REAL_NAMES = frozenset({"Koran", "VCh", "Strange Lands", "Friendly People"})


class Command(BaseCommand):
    help = (
        "For each document, compare the mentions the finder would propose with the "
        "curated ones: precision (proposals a curator kept) and recall of the mentions "
        "made by a name (those without a note; descriptive references such as 'the "
        "rallies' need a person's judgement)."
    )

    def handle(self, *args, **options) -> None:
        self.unknown_names_precision()
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

    def unknown_names_precision(self) -> None:
        """How many of the "names not yet in the archive" are real names: with the
        archive as it is, and with each text's own records held out (as for a new
        source, where every name is still unknown)."""
        self.stdout.write("Names not yet in the archive (real names among those offered):")
        dismissed = dismissed_names()
        for label, held_out in (("the archive as it is", False), ("own records held out", True)):
            offered = right = 0
            for document in Document.objects.order_by("slug"):
                mentions = list(
                    Mention.objects.filter(document=document).values_list(
                        "entity_id", "start", "end"
                    )
                )
                own = {entity_id for entity_id, _, _ in mentions} if held_out else set()
                names = NameIndex.from_pairs(
                    [
                        *Entity.objects.exclude(pk__in=own).values_list("name", "pk"),
                        *NameVariant.objects.exclude(entity_id__in=own).values_list(
                            "name", "entity_id"
                        ),
                    ]
                )
                candidates = unknown_name_spans(document.transcription, names, dismissed)
                good = [
                    c
                    for c in candidates
                    if c.name in REAL_NAMES
                    or any(s < c.end and c.start < e for _, s, e in mentions)
                ]
                offered += len(candidates)
                right += len(good)
                wrong = [c.name for c in candidates if c not in good]
                self.stdout.write(
                    f"  {document.slug} ({label}): {len(good)}/{len(candidates)} real names"
                    + (f"; not names: {', '.join(wrong)}" if wrong else "")
                )
            share = right / offered if offered else 1.0
            self.stdout.write(
                f"  all documents ({label}): {right}/{offered} real names ({share:.0%} precision)"
            )
        self.stdout.write("")
        self.stdout.write("Proposed mentions (the finder against the curated mentions):")
        self.stdout.write("")
        self.stdout.write("Proposed mentions (the finder against the curated mentions):")

    @staticmethod
    def _line(label: str, row: dict[str, int]) -> str:
        precision = row["agree"] / row["proposed"] if row["proposed"] else 1.0
        recall = row["found"] / row["named"] if row["named"] else 1.0
        return (
            f"{label}: {row['proposed']} proposed, {row['agree']} curated ({precision:.0%} "
            f"precision); {row['found']}/{row['named']} named mentions found ({recall:.0%} recall)"
        )
