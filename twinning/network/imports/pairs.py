"""Pairs: each row's two communities as a partnership (new, already present or a duplicate),
and the new ones created in bulk with their first status-history entry."""

from django.db.models import Max

from twinning.core.dates import association_today
from twinning.network.imports.outcomes import DUPLICATE, SELF_PAIR, Outcome, Side
from twinning.network.imports.places import _ident
from twinning.network.imports.writing import insert_rows
from twinning.network.models import (
    Partnership,
    PartnershipStatusChange,
)


def _pair(
    sides: dict[int, tuple[Side, Side]],
    community_of: dict[tuple, int],
    codes: set[str],
    raw: dict[int, list[str]],
    outcomes: dict[int, Outcome],
    *,
    source: str,
) -> list[Partnership]:
    """The partnerships to create; every other row gets its outcome (self-pair, duplicate of
    an earlier line, already present)."""
    pairs_present = set(
        Partnership.objects.filter(community_a__country__in=codes).values_list(
            "community_a_id", "community_b_id"
        )
    )
    first_line: dict[tuple[int, int], int] = {}
    partnerships = []
    today = association_today()
    for line in sorted(sides):
        one, other = (community_of[_ident(s)] for s in sides[line])
        if one == other:
            outcomes[line] = Outcome(line, "rejected", SELF_PAIR, raw[line], SELF_PAIR)
            continue
        pair = (min(one, other), max(one, other))
        if pair in first_line:
            detail = f"duplicate of line {first_line[pair]}"
            outcomes[line] = Outcome(line, "rejected", detail, raw[line], DUPLICATE)
            continue
        first_line[pair] = line
        if pair in pairs_present:
            outcomes[line] = Outcome(line, "already_present", "", raw[line])
            continue
        notes = "; ".join(s.note for s in sides[line] if s.note)
        outcomes[line] = Outcome(line, "created", notes, raw[line])
        partnerships.append(
            Partnership(
                community_a_id=pair[0],
                community_b_id=pair[1],
                kind=Partnership.Kind.SISTER_CITY,
                status=Partnership.Status.ACTIVE,
                status_changed_on=today,
                source=source,
                source_reference=f"line {line}",
            )
        )
    return partnerships


def _create_partnerships(partnerships: list[Partnership]) -> None:
    """The partnerships, and the first entry of each one's status history."""
    before = Partnership.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_rows(Partnership, partnerships)
    ids = {
        (a, b): pk
        for pk, a, b in Partnership.objects.filter(pk__gt=before).values_list(
            "pk", "community_a_id", "community_b_id"
        )
    }
    insert_rows(
        PartnershipStatusChange,
        [
            PartnershipStatusChange(
                partnership_id=ids[(p.community_a_id, p.community_b_id)],
                status=p.status,
                changed_on=p.status_changed_on,
                note="imported",
            )
            for p in partnerships
        ],
    )
