"""Writes of the review engine (C4, C5): rounds and their rubric, items, the reviewer pool and
its invitations, assignment (automatic and by hand), conflicts, scores, forwarding and
decisions. Every service is atomic, keyword-only, and leaves an audit entry."""

import datetime
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.authz import NotAllowed, acting_user, require
from twinning.core.services import log_activity
from twinning.outbox.services import queue_email
from twinning.review.assignment import ItemSpec, plan_assignments
from twinning.review.conflicts import conflict_reason, reviewer_specs
from twinning.review.interface import reviewable_models
from twinning.review.models import (
    ROUND_TRANSITIONS,
    Assignment,
    Criterion,
    Decision,
    DeclaredConflict,
    Invitation,
    Reviewer,
    ReviewItem,
    Round,
    Score,
    results_changed,
)

INVITATION_DAYS = 7

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


def can_manage_round(user: Any, round: Round) -> bool:
    return Round.objects.managed_by(user).filter(pk=round.pk).exists()


def _require_manager(by: Any, round: Round | int) -> None:
    """NotAllowed unless `by` manages the round: verified staff, the owning member's committee
    admins for a local round, or SYSTEM (ACC-2: every service checks its actor first)."""
    if not isinstance(round, Round):
        round = Round.objects.get(pk=round)
    require(by, "review.manage_round", round)


# --- Rounds ---------------------------------------------------------------------------------


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


# --- The pool -------------------------------------------------------------------------------


@transaction.atomic
def add_reviewer(
    *, round: Round, user: Any, community: Any = None, member: Any = None, by: Any
) -> Reviewer:
    """Put a user in the round's pool (or back in it, active, with the attachments given)."""
    _require_manager(by, round)
    return _add_reviewer(round=round, user=user, community=community, member=member, by=by)


def _add_reviewer(*, round: Round, user: Any, community: Any, member: Any, by: Any) -> Reviewer:
    """`add_reviewer` once allowed (by a manager, or by an accepted invitation)."""
    reviewer, created = Reviewer.objects.get_or_create(
        round=round, user=user, defaults={"community": community, "member": member}
    )
    if not created:
        reviewer.active = True
        reviewer.community = community or reviewer.community
        reviewer.member = member or reviewer.member
        reviewer.save(update_fields=["active", "community", "member", "updated_at"])
    log_activity(reviewer, "review.reviewer.added", by=by, data={"round": round.pk})
    return reviewer


@transaction.atomic
def deactivate_reviewer(*, reviewer: Reviewer, by: Any) -> Reviewer:
    """Take a reviewer out of the pool: their unsubmitted assignments are revoked at once."""
    _require_manager(by, reviewer.round_id)
    reviewer.active = False
    reviewer.save(update_fields=["active", "updated_at"])
    revoked = reviewer.assignments.filter(revoked_at__isnull=True, submitted_at__isnull=True)
    count = revoked.update(revoked_at=timezone.now(), version=F("version") + 1)
    if count:
        results_changed(reviewer.round_id)
    log_activity(reviewer, "review.reviewer.deactivated", by=by, data={"revoked": count})
    return reviewer


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_reviewer(
    *, round: Round, email: str, community: Any = None, member: Any = None, by: Any
) -> tuple[Invitation, str]:
    """Invite someone by e-mail to the round's pool: a single-use token of 256 random bits,
    valid 7 days (AUTH-11), e-mailed through the outbox. Returns the invitation and the token."""
    _require_manager(by, round)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        round=round,
        email=email.strip().lower(),
        token_hash=_token_hash(token),
        community=community,
        member=member,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        invited_by=acting_user(by),
    )
    invitation.full_clean()
    invitation.save()
    queue_email(
        to=invitation.email,
        template="review.reviewer_invitation",
        context={
            "round_name": round.name,
            "invite_url": reverse("review:invitation_open", args=[token]),
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        },
        by=by,
        related=invitation,
    )
    log_activity(invitation, "review.invitation.sent", by=by, data={"round": round.pk})
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The unused, unexpired invitation for this token, or None (used, expired or unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("round")
        .filter(
            token_hash=_token_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )


def invitation_problem(token: str) -> str:
    """Why a token finds no invitation to accept, in one word for the page that explains it:
    "used", "expired" or "unknown"."""
    if not token or len(token) > 100:
        return "unknown"
    invitation = Invitation.objects.filter(token_hash=_token_hash(token)).first()
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    return "expired"


@transaction.atomic
def accept_invitation(*, token: str, by: Any) -> Reviewer:
    """Bind the invitation to the signed-in user, once. Raises NotAllowed when the token is
    unknown, used or expired (whoever asks)."""
    invitation = find_invitation(token)
    if invitation is None or not getattr(by, "is_authenticated", False):
        raise NotAllowed
    # The row lock makes a replay racing the first use find it used.
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=by
    )
    if not updated:
        raise NotAllowed
    reviewer = _add_reviewer(
        round=invitation.round,
        user=by,
        community=invitation.community,
        member=invitation.member,
        by=by,
    )
    log_activity(invitation, "review.invitation.accepted", by=by)
    return reviewer


# --- Assignment -----------------------------------------------------------------------------


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


# --- Scores ---------------------------------------------------------------------------------


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


# --- Outcomes -------------------------------------------------------------------------------


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
