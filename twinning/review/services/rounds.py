"""Rounds and their rubric: creating, changing state, rescheduling; who manages a round."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.authz import require
from twinning.core.services import log_activity
from twinning.review.models import ROUND_TRANSITIONS, Criterion, Round
from twinning.review.registry import reviewable_models

DEFAULT_CRITERIA = (
    {
        "name": gettext_lazy("Originality"),
        "help_text": gettext_lazy("How fresh and personal the idea is."),
    },
    {
        "name": gettext_lazy("Composition or craft"),
        "help_text": gettext_lazy("How well the work is made with its medium."),
    },
    {
        "name": gettext_lazy("Interpretation of the theme"),
        "help_text": gettext_lazy("How thoughtfully the work answers the year's theme."),
    },
)


def can_manage_round(user: Any, round: Round) -> bool:
    return Round.objects.managed_by(user).filter(pk=round.pk).exists()


def _require_manager(by: Any, round: Round | int) -> None:
    """NotAllowed unless `by` manages the round: verified staff, the owning member's committee
    admins for a local round, or SYSTEM (ACC-2: every service checks its actor first)."""
    if not isinstance(round, Round):
        round = Round.objects.get(pk=round)
    require(by, "review.manage_round", round)


@transaction.atomic
def create_round(
    *,
    name: str,
    model: type[models.Model],
    owner_member: Any = None,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    reviews_per_item: int = 3,
    criteria: Iterable[Mapping[str, Any]] | None = None,
    blind: bool = True,
    forward_limit: int | None = None,
    next_round: Round | None = None,
    judges_see_other_scores: bool = True,
    by: Any,
) -> Round:
    """A round in draft with its rubric (default: originality, craft, interpretation of the
    theme, weight 1, scores 1-10). Raises ValidationError for a model that is not Reviewable
    or for bad dates or criteria. Raises NotAllowed unless `by` is verified staff (or, for a
    member's local round, one of its committee admins)."""
    require(by, "review.create_round", owner_member)
    if model._meta.label_lower not in reviewable_models():
        raise ValidationError(_("%(model)s cannot be reviewed.") % {"model": model.__name__})
    round = Round(
        name=name.strip(),
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        owner_member=owner_member,
        opens_at=opens_at,
        closes_at=closes_at,
        reviews_per_item=reviews_per_item,
        blind=blind,
        judges_see_other_scores=judges_see_other_scores,
        forward_limit=forward_limit,
        next_round=next_round,
    )
    round.full_clean()
    round.save()
    for order, spec in enumerate(criteria or DEFAULT_CRITERIA):
        criterion = Criterion(
            round=round,
            name=str(spec["name"]),
            help_text=str(spec.get("help_text", "")),
            weight=Decimal(str(spec.get("weight", 1))),
            min_score=spec.get("min_score", 1),
            max_score=spec.get("max_score", 10),
            order=order,
        )
        criterion.full_clean()
        criterion.save()
    log_activity(round, "review.round.created", by=by, data={"name": round.name})
    return round


@transaction.atomic
def change_round_state(*, round: Round, state: str, by: Any) -> Round:
    """Move a round along ROUND_TRANSITIONS: open a draft, close an open round, reopen or
    decide a closed one. Asking for the state it is in changes nothing. Raises NotAllowed
    unless `by` manages the round, ValidationError for a move the table does not allow."""
    _require_manager(by, round)
    if state not in Round.State.values:
        raise ValidationError({"state": _("Choose a state from the list.")})
    # The state as stored, locked: two managers moving the round at once take turns.
    old = Round.objects.select_for_update().values_list("state", flat=True).get(pk=round.pk)
    round.state = old
    if state == old:
        return round
    if state not in ROUND_TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            {
                "state": _("A round that is “%(from)s” cannot become “%(to)s”.")
                % {"from": Round.State(old).label, "to": Round.State(state).label}
            }
        )
    round.state = state
    round.full_clean()
    round.save(update_fields=["state", "updated_at"])
    log_activity(round, "review.round.state_changed", by=by, data={"from": old, "to": state})
    return round


@transaction.atomic
def reschedule_round(*, round: Round, opens_at: Any, closes_at: Any, by: Any) -> Round:
    """Move a round's window (a program whose deadline moved, say), audited."""
    _require_manager(by, round)
    old = (round.opens_at.isoformat(), round.closes_at.isoformat())
    round.opens_at, round.closes_at = opens_at, closes_at
    round.full_clean()
    round.save(update_fields=["opens_at", "closes_at", "updated_at"])
    log_activity(
        round,
        "review.round.rescheduled",
        by=by,
        data={"from": old, "to": (opens_at.isoformat(), closes_at.isoformat())},
    )
    return round
