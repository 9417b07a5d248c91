"""Assignment of items to reviewers (automatic and by hand), revocation and conflicts (C5)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.authz import acting_user
from twinning.core.services import log_activity
from twinning.review.assignment import ItemSpec, plan_assignments
from twinning.review.conflicts import conflict_reason, reviewer_specs
from twinning.review.models import (
    Assignment,
    DeclaredConflict,
    Reviewer,
    ReviewItem,
    Round,
    results_changed,
)
from twinning.review.services.rounds import _require_manager

CONFLICT_MESSAGES = {
    "community": gettext_lazy("This reviewer comes from the item's community or a sister city."),
    "member": gettext_lazy("This reviewer belongs to the item's member organisation."),
    "user": gettext_lazy("This reviewer is the item's author or closely linked to it."),
    "declared": gettext_lazy("This reviewer declared a conflict with this item."),
}


@dataclass
class AssignmentSummary:
    created: int
    loads: dict[int, int] = field(default_factory=dict)  # reviewer id -> live assignments
    short: list[ReviewItem] = field(default_factory=list)  # items with fewer than k reviews

    @property
    def spread(self) -> int:
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0


@transaction.atomic
def assign_reviews(*, round: Round, by: Any) -> AssignmentSummary:
    """Give every item of the round `reviews_per_item` reviews from its active pool, never to a
    conflicted reviewer, loads balanced (see twinning.review.assignment). Existing live
    assignments stay. Items that cannot get enough unconflicted reviewers are returned in
    `short` (and get those they can). Raises ValidationError once the round is closed."""
    _require_manager(by, round)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.state in {Round.State.CLOSED, Round.State.DECIDED}:
        raise ValidationError(_("This round is closed: its assignments can no longer change."))
    reviewers = list(round.reviewers.active())
    specs = reviewer_specs(reviewers)
    # Plain rows, not model instances: 10,000 items cost half a second as instances.
    items = [
        ItemSpec(id=pk, keys=frozenset(keys or ()))
        for pk, keys in ReviewItem.objects.filter(round=round).values_list("pk", "conflict_keys")
    ]
    existing = list(
        Assignment.objects.live().filter(item__round=round).values_list("item_id", "reviewer_id")
    )
    plan = plan_assignments(items, list(specs.values()), round.reviews_per_item, existing)
    _insert_assignments(plan.pairs)
    if plan.pairs:
        results_changed(round.pk)
    short = list(ReviewItem.objects.filter(pk__in=plan.short).order_by("group", "code"))
    summary = AssignmentSummary(created=len(plan.pairs), loads=plan.loads, short=short)
    log_activity(
        round,
        "review.assignments.made",
        by=by,
        data={"created": summary.created, "short": len(short), "spread": summary.spread},
    )
    return summary


def _insert_assignments(pairs: list[tuple[int, int]]) -> None:
    """Insert new (item, reviewer) assignments in bulk. One executemany of plain rows: for
    30,000 rows Django's bulk_create spends seconds building model instances and
    per-value preparation (bench/review.py)."""
    if not pairs:
        return
    meta = Assignment._meta
    columns = ["item_id", "reviewer_id", "created_at", "comment_to_staff", "comment_to_entrant"]
    columns.append("version")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({quoted}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 5000):
            cursor.executemany(
                sql, [(i, r, now, "", "", 0) for i, r in pairs[start : start + 5000]]
            )


def _conflict_error(item: ReviewItem, reviewer: Reviewer) -> None:
    reason = conflict_reason(item, reviewer)
    if reason:
        raise ValidationError(str(CONFLICT_MESSAGES.get(reason, CONFLICT_MESSAGES["declared"])))


@transaction.atomic
def assign_by_hand(*, item: ReviewItem, reviewer: Reviewer, by: Any) -> Assignment:
    """Give one item to one reviewer of its round; ValidationError when conflicted."""
    _require_manager(by, item.round_id)
    if reviewer.round_id != item.round_id or not reviewer.active:
        raise ValidationError(_("Choose an active reviewer of this round."))
    _conflict_error(item, reviewer)
    assignment, created = Assignment.objects.get_or_create(item=item, reviewer=reviewer)
    if not created:
        if assignment.revoked_at is None:
            raise ValidationError(_("This reviewer already has this item."))
        assignment.revoked_at = None
        assignment.version += 1
        assignment.save(update_fields=["revoked_at", "version"])
    results_changed(item.round_id)
    log_activity(assignment, "review.assignment.made", by=by, data={"item": item.code})
    return assignment


@transaction.atomic
def reassign(*, assignment: Assignment, reviewer: Reviewer, by: Any) -> Assignment:
    """Move an unsubmitted assignment to another reviewer of the round. Raises
    ValidationError when the new reviewer is conflicted or the review is already in."""
    _require_manager(by, assignment.item.round_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.submitted_at is not None:
        raise ValidationError(_("This review is already submitted; it cannot move."))
    new = assign_by_hand(item=assignment.item, reviewer=reviewer, by=by)
    if assignment.revoked_at is None:
        revoke_assignment(assignment=assignment, by=by)
    return new


@transaction.atomic
def revoke_assignment(*, assignment: Assignment, by: Any) -> Assignment:
    """Take an item away from its reviewer: from the next request they cannot reach it (C5)."""
    _require_manager(by, assignment.item.round_id)
    updated = Assignment.objects.filter(pk=assignment.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), version=F("version") + 1
    )
    assignment.refresh_from_db()
    if updated:
        results_changed(assignment.item.round_id)
        log_activity(assignment, "review.assignment.revoked", by=by)
    return assignment


@transaction.atomic
def declare_conflict(
    *,
    reviewer: Reviewer,
    item: ReviewItem | None = None,
    key: str = "",
    note: str = "",
    by: Any,
) -> DeclaredConflict:
    """Record a conflict the registry cannot know (with an item, or a key such as
    "community:12"); the reviewer's unsubmitted assignments it touches are revoked at once."""
    _require_manager(by, reviewer.round_id)
    if item is not None and item.round_id != reviewer.round_id:
        raise ValidationError(_("This item is not in the reviewer's round."))
    conflict = DeclaredConflict(
        reviewer=reviewer,
        item=item,
        key=key.strip(),
        note=note,
        declared_by=acting_user(by),
    )
    conflict.full_clean()
    conflict.save()
    touched = reviewer.assignments.filter(revoked_at__isnull=True, submitted_at__isnull=True)
    if item is not None:
        touched = touched.filter(item=item)
    else:
        touched = touched.filter(
            item_id__in=[
                pk
                for pk, keys in ReviewItem.objects.filter(round=reviewer.round_id).values_list(
                    "pk", "conflict_keys"
                )
                if conflict.key in (keys or ())
            ]
        )
    revoked = touched.update(revoked_at=timezone.now(), version=F("version") + 1)
    if revoked:
        results_changed(reviewer.round_id)
    log_activity(
        conflict,
        "review.conflict.declared",
        by=by,
        data={"reviewer": reviewer.pk, "item": item.code if item else "", "revoked": revoked},
    )
    return conflict
