"""Forwarding items on to the next round (a local round's best to the national one)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.services import log_activity
from twinning.review.models import Decision, ReviewItem, Round
from twinning.review.services.decisions import _record_decision
from twinning.review.services.items import _add_items
from twinning.review.services.rounds import _require_manager


@transaction.atomic
def forward_items(*, items: Iterable[ReviewItem], to_round: Round, by: Any) -> list[ReviewItem]:
    """Send items on to the next round (a local round's best to the national one), keeping
    their provenance, at most `forward_limit` per group in all. Each forwarded item gets an
    "advanced" decision. Raises NotAllowed when `by` may not manage the items' round, and
    ValidationError when the target is not the round's next one, or past the limit."""
    items = list(items)
    sources = {item.round_id for item in items}
    for round_id in sorted(sources):
        _require_manager(by, round_id)
    if not items:
        return []
    if len(sources) != 1:
        raise ValidationError(_("Forward items of one round at a time."))
    source = Round.objects.select_for_update().get(pk=sources.pop())
    if source.next_round_id != to_round.pk:
        raise ValidationError(_("This round does not send its items on to that round."))
    if ReviewItem.objects.filter(round=to_round, forwarded_from__in=items).exists():
        raise ValidationError(_("Some of these items are already in the next round."))
    if source.forward_limit is not None:
        already: dict[str, int] = {}
        for group in ReviewItem.objects.filter(
            forwarded_from__round=source, round=to_round
        ).values_list("group", flat=True):
            already[group] = already.get(group, 0) + 1
        adding: dict[str, int] = {}
        for item in items:
            adding[item.group] = adding.get(item.group, 0) + 1
        for group, count in adding.items():
            if already.get(group, 0) + count > source.forward_limit:
                raise ValidationError(
                    _("At most %(limit)s items per group may go on (%(group)s has %(count)s).")
                    % {
                        "limit": source.forward_limit,
                        "group": group or _("no group"),
                        "count": already.get(group, 0) + count,
                    }
                )
    objects = {item.pk: item.content_object for item in items}
    if any(obj is None for obj in objects.values()):
        raise ValidationError(_("An item's work no longer exists."))
    groups = {item.pk: item.group for item in items}
    by_object = {objects[item.pk].pk: item for item in items}
    # The manager of the source round forwards into the next round, which they may not manage
    # (a committee's best go on to the national round): checked above, on the source.
    forwarded = _add_items(
        round=to_round,
        objects=list(objects.values()),
        group_of=lambda obj: groups[by_object[obj.pk].pk],
        forwarded_from=by_object,
        by=by,
    )
    for item in items:
        _record_decision(item=item, outcome=Decision.Outcome.ADVANCED, by=by)
    log_activity(
        source,
        "review.items.forwarded",
        by=by,
        data={"to": to_round.pk, "codes": [item.code for item in items]},
    )
    return forwarded


@transaction.atomic
def advance_top(*, round: Round, n: int, to_round: Round, by: Any) -> list[ReviewItem]:
    """Forward the top `n` items of each group, by normalised score (ties broken by weighted
    total, then raw mean), to `to_round`; items without submitted reviews never advance."""
    from twinning.review.queries import ranking

    _require_manager(by, round)
    if n < 1:
        raise ValidationError(_("Advance at least one item per group."))
    chosen: list[ReviewItem] = []
    per_group: dict[str, int] = {}
    for row in ranking(round):
        if row.normalised is None or per_group.get(row.group, 0) >= n:
            continue
        per_group[row.group] = per_group.get(row.group, 0) + 1
        chosen.append(row.item)
    return forward_items(items=chosen, to_round=to_round, by=by)
