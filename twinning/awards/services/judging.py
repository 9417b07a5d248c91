"""Judging a category on the review engine (through review/interface.py only): one round per
category, with the category's rubric, blind when the category says so, holding the counting
nominations; judges, assignment and scoring are the engine's pages. Staff then choose the
winners and honourable mentions from the normalised ranking."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.awards.models import Category, Cycle, Nomination
from twinning.core.authz import NotAllowed, require
from twinning.core.services import log_activity
from twinning.review.interface import (
    Decision,
    Outcome,
    ReviewItem,
    Round,
    RoundState,
    add_items,
    change_round_state,
    create_round,
    record_decision,
)

JUDGING_WEEKS = 6
DECIDABLE = (Outcome.WINNER, Outcome.HONOURABLE_MENTION, Outcome.NOT_SELECTED)


def _require_staff(by: Any) -> None:
    require(by, "awards.manage_awards")


@transaction.atomic
def open_judging(*, category: Category, by: Any) -> Round:
    """After the deadline: the category's round (created on first use, with its rubric and
    blind flag) receives every counting nomination not yet in it and opens. Running it again
    adds nominations confirmed since. Raises ValidationError before the deadline, after the
    announcement or when no nomination counts."""
    _require_staff(by)
    category = (
        Category.objects.select_for_update(of=("self",))
        .select_related("cycle", "round")
        .get(pk=category.pk)
    )
    cycle = category.cycle
    if not cycle.has_closed():
        raise ValidationError(_("Judging opens after the deadline for nominations."))
    if cycle.is_announced:
        raise ValidationError(_("The results are announced: judging is over."))
    nominations = list(
        Nomination.objects.counting()
        .filter(category=category)
        .select_related("category", "member", "community")
        .order_by("pk")
    )
    if not nominations:
        raise ValidationError(_("No nomination counts in this category: nothing to judge."))
    round = category.round
    if round is None:
        now = timezone.now().replace(microsecond=0)
        round = create_round(
            name=_("Awards %(year)s: %(category)s")
            % {"year": cycle.year, "category": category.name},
            model=Nomination,
            opens_at=now,
            closes_at=now + datetime.timedelta(weeks=JUDGING_WEEKS),
            criteria=category.criteria or None,
            blind=category.blind,
            by=by,
        )
        category.round = round
        category.save(update_fields=["round", "updated_at"])
    add_items(round=round, objects=nominations, by=by)
    if round.state == RoundState.DRAFT:
        change_round_state(round=round, state=RoundState.OPEN, by=by)
    log_activity(
        category,
        "awards.judging.opened",
        by=by,
        data={"round": round.pk, "items": len(nominations)},
    )
    return round


@transaction.atomic
def decide_nomination(
    *, category: Category, item: ReviewItem, outcome: str, note: str = "", by: Any
) -> Decision:
    """Staff's choice for a nomination of the category's round: winner, honourable mention or
    not selected. Only before the announcement."""
    _require_staff(by)
    category = Category.objects.select_related("cycle").get(pk=category.pk)
    Cycle.objects.select_for_update().get(pk=category.cycle_id)
    if category.round_id is None or item.round_id != category.round_id:
        raise NotAllowed("awards.manage_awards")
    if category.cycle.is_announced:
        raise ValidationError(_("The results are announced: decisions can no longer change."))
    if outcome not in DECIDABLE:
        raise ValidationError({"outcome": _("Choose winner, honourable mention or not selected.")})
    decision = record_decision(item=item, outcome=outcome, note=note.strip(), by=by)
    log_activity(
        category, "awards.nomination.decided", by=by, data={"item": item.code, "outcome": outcome}
    )
    return decision
