"""The items under review in a round (each a generic relation to a reviewable object, C3)."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.services import log_activity
from twinning.review.models import ReviewItem, Round, results_changed
from twinning.review.services.rounds import _require_manager


def _eligible_title(obj: Any) -> str:
    ok, reason = obj.review_eligibility()
    if not ok:
        raise ValidationError(
            _("“%(title)s” cannot be reviewed: %(reason)s")
            % {"title": obj.review_title(), "reason": reason}
        )
    return str(obj.review_title())[:300]


@transaction.atomic
def add_items(
    *,
    round: Round,
    objects: Iterable[Any],
    group_of: Callable[[Any], str] | None = None,
    by: Any,
    forwarded_from: Mapping[Any, ReviewItem] | None = None,
) -> list[ReviewItem]:
    """Put objects under review in `round`, each with a fresh random code and a snapshot of
    its title and conflict keys. Objects already in the round are returned as they are.
    Raises NotAllowed unless `by` manages the round, ValidationError when an object is of
    another kind or not eligible (nothing added)."""
    _require_manager(by, round)
    return _add_items(
        round=round, objects=objects, group_of=group_of, by=by, forwarded_from=forwarded_from
    )


def _add_items(
    *,
    round: Round,
    objects: Iterable[Any],
    group_of: Callable[[Any], str] | None,
    by: Any,
    forwarded_from: Mapping[Any, ReviewItem] | None,
) -> list[ReviewItem]:
    """`add_items` once the actor is checked (forwarding checks the source round's manager)."""
    model = round.content_type.model_class()
    objects = list(objects)
    existing = {
        item.object_id: item
        for item in ReviewItem.objects.filter(
            round=round, object_id__in=[str(o.pk) for o in objects]
        )
    }
    new, result = [], []
    for obj in objects:
        if model is None or not isinstance(obj, model):
            raise ValidationError(_("This round reviews another kind of item."))
        if str(obj.pk) in existing:
            result.append(existing[str(obj.pk)])
            continue
        item = ReviewItem(
            round=round,
            content_type=round.content_type,
            object_id=str(obj.pk),
            group=(group_of(obj) if group_of else "")[:100],
            conflict_keys=sorted(obj.conflict_keys()),
            title=_eligible_title(obj),
            forwarded_from=(forwarded_from or {}).get(obj.pk),
        )
        new.append(item)
        result.append(item)
    ReviewItem.objects.bulk_create(new, batch_size=1000)
    if new:
        results_changed(round.pk)
    log_activity(round, "review.items.added", by=by, data={"count": len(new)})
    return result
