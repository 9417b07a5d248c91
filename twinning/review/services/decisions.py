"""Outcomes recorded for items (the latest decision is the current one)."""

from typing import Any

from django.db import transaction

from twinning.core.authz import acting_user
from twinning.core.services import log_activity
from twinning.review.models import Decision, ReviewItem
from twinning.review.services.rounds import _require_manager


@transaction.atomic
def record_decision(
    *, item: ReviewItem, outcome: str, place: int | None = None, note: str = "", by: Any
) -> Decision:
    """Record an outcome for an item (the latest decision is the current one)."""
    _require_manager(by, item.round_id)
    return _record_decision(item=item, outcome=outcome, place=place, note=note, by=by)


def _record_decision(
    *, item: ReviewItem, outcome: str, place: int | None = None, note: str = "", by: Any
) -> Decision:
    decision = Decision(
        item=item,
        outcome=outcome,
        place=place,
        note=note,
        decided_by=acting_user(by),
    )
    decision.full_clean()
    decision.save()
    log_activity(
        item,
        "review.decision.recorded",
        by=by,
        data={"outcome": outcome, "place": place, "code": item.code},
    )
    return decision
