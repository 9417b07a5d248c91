"""A reviewer's scores against the round's rubric: drafts and submission."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed
from twinning.core.services import log_activity
from twinning.review.models import Assignment, Round, Score, results_changed


def _clean_scores(round: Round, scores: Mapping[int, Any], *, submit: bool) -> dict[int, Decimal]:
    criteria = {c.pk: c for c in round.criteria.all()}
    cleaned: dict[int, Decimal] = {}
    errors: list[str] = []
    for criterion_id, raw in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors.append(_("A score was given for a criterion of another round."))
            continue
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value != value.quantize(Decimal("0.01")):
            errors.append(_("%(name)s: give a number.") % {"name": criterion.name})
        elif not criterion.min_score <= value <= criterion.max_score:
            errors.append(
                _("%(name)s: give a score from %(low)s to %(high)s.")
                % {"name": criterion.name, "low": criterion.min_score, "high": criterion.max_score}
            )
        else:
            cleaned[criterion.pk] = value
    if submit:
        missing = [c.name for pk, c in criteria.items() if pk not in cleaned]
        if missing:
            errors.append(
                _("Score every criterion before submitting (missing: %(names)s).")
                % {"names": ", ".join(missing)}
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_scores(
    *,
    assignment: Assignment,
    scores: Mapping[int, int | Decimal | None],
    comment_to_staff: str = "",
    comment_to_entrant: str = "",
    submit: bool,
    version: int,
    by: Any,
) -> Assignment:
    """Save the reviewer's scores (criterion id -> value) as a draft, or submit them (final).

    Optimistic: `version` is the one the form was built from; when the assignment changed
    since (another tab, a double submit), nothing is saved and ValidationError(code="stale")
    says so. Raises NotAllowed for anyone but the assigned reviewer or a revoked assignment,
    and ValidationError when the round no longer accepts scores or a value is out of range."""
    round = assignment.item.round
    if assignment.reviewer.user_id != getattr(by, "pk", None):
        raise NotAllowed
    if not round.accepts_scores():
        raise ValidationError(_("This round is closed: scores can no longer be changed."))
    cleaned = _clean_scores(round, scores, submit=submit)
    # Lock the row, then compare versions: of two concurrent saves from the same version, the
    # second waits for the first and then finds the version moved on (PostgreSQL; on SQLite the
    # IMMEDIATE transaction already serialises writers).
    current = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("reviewer")
        .get(pk=assignment.pk)
    )
    if current.revoked_at is not None or not current.reviewer.active:
        raise NotAllowed
    if current.submitted_at is not None:
        raise ValidationError(
            _("These scores are already submitted and can no longer change."), code="submitted"
        )
    if current.version != version:
        raise ValidationError(
            _(
                "These scores were changed elsewhere (another tab or device) since you opened "
                "the page. Nothing was saved: reload to see the current scores."
            ),
            code="stale",
        )
    Assignment.objects.filter(pk=assignment.pk).update(
        version=F("version") + 1,
        comment_to_staff=comment_to_staff.strip(),
        comment_to_entrant=comment_to_entrant.strip(),
        submitted_at=timezone.now() if submit else None,
    )
    rows = [Score(assignment=assignment, criterion_id=c, value=v) for c, v in cleaned.items()]
    Score.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["assignment", "criterion"],
        update_fields=["value"],
    )
    Score.objects.filter(assignment=assignment).exclude(criterion_id__in=list(cleaned)).delete()
    if submit:  # drafts count nowhere in the ranking or the progress
        results_changed(round.pk)
    assignment.refresh_from_db()
    log_activity(
        assignment,
        "review.scores.submitted" if submit else "review.scores.saved",
        by=by,
        data={"version": assignment.version, "item": assignment.item.code},
    )
    return assignment
