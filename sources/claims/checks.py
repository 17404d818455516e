"""The corpus check of claims (run by ``check_corpus`` and after ``load_corpus``):
every quoted passage is in its source's text, every claim has its structured value
where one applies, and each point has at most one preferred reading with a reason.
The model's ``clean`` says the same to a curator in the admin; this says it for rows
that arrived by fixture, restore or shell."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..models import Claim


def claim_problems(claims=None) -> list[tuple[str, str]]:
    """(where, what is wrong) for each claim that breaks a rule; one query for the
    claims and their sources' texts, one per claim naming a value record."""
    claims = claims if claims is not None else Claim.objects.all()
    problems: list[tuple[str, str]] = []
    rows = claims.select_related("record", "document", "source").order_by("pk")
    for claim in rows:
        subject = claim.record.slug if claim.record_id else claim.document.slug
        point = f"{claim.property}, {claim.aspect}" if claim.aspect else claim.property
        where = f"claim about {subject} ({point}) by {claim.source.slug}"
        try:
            claim.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    problems.append((where, f"{field}: {message}"))
    return problems
