"""The review engine's tables: rounds with their rubric (criteria), the reviewer pool, the items
under review (a generic relation to the reviewed object, shown by a random code), assignments
of items to reviewers, scores, declared conflicts, invitations to the pool, and decisions."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.authz import is_verified_staff
from twinning.core.models import TimeStampedModel

# Crockford's base32 without I, L, O, U: easy to read aloud, no look-alikes.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 14  # 14 x 5 = 70 random bits (BLIND-3 asks for >= 64)


def new_item_code() -> str:
    """A random code for an item (BLIND-3): from `secrets`, never derived from ids or times."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RoundQuerySet(models.QuerySet["Round"]):
    def national(self) -> "RoundQuerySet":
        return self.filter(owner_member__isnull=True)

    def managed_by(self, user: Any) -> "RoundQuerySet":
        """Rounds this user may manage: all for verified staff, the local rounds of the members
        they administer for committee admins, none for anyone else (C12)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_verified_staff(user):
            return self.all()
        return self.filter(owner_member__admins=user)


class Round(TimeStampedModel):
    """One round of review of one kind of object: the association's own (owner_member None)
    or a member committee's local round, whose best items may be forwarded to `next_round`."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for review")
        CLOSED = "closed", _("Closed")
        DECIDED = "decided", _("Decided")

    name = models.CharField(_("name"), max_length=200)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("reviewed kind"), on_delete=models.PROTECT, related_name="+"
    )
    owner_member = models.ForeignKey(
        "network.Member",
        verbose_name=_("run by member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_rounds",
        help_text=_("Empty for the association's own round; a member for its local round."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    reviews_per_item = models.PositiveSmallIntegerField(_("reviews per item"), default=3)
    blind = models.BooleanField(_("blind review"), default=True)
    judges_see_other_scores = models.BooleanField(
        _("judges see other judges' scores after submitting their own"), default=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    next_round = models.ForeignKey(
        "self",
        verbose_name=_("next round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="previous_rounds",
    )
    forward_limit = models.PositiveIntegerField(
        _("most items per group forwarded"), null=True, blank=True
    )
    # A new random value whenever what the ranking and progress count changes (items,
    # assignments made or revoked, reviews submitted): their cache key (twinning.review.queries).
    # Random rather than a counter, so a rolled-back change never reuses a key.
    results_token = models.CharField(max_length=16, blank=True, default="", editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-opens_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="review_round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_item__gte=1, reviews_per_item__lte=20),
                name="review_round_reviews_per_item_range",
                violation_error_message=_("Each item needs between 1 and 20 reviews."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.owner_member_id is None

    def next_states(self) -> list[str]:
        """The states this round may move to now (ROUND_TRANSITIONS), in the list's order."""
        allowed = ROUND_TRANSITIONS.get(self.state, frozenset())
        return [value for value in self.State.values if value in allowed]

    def accepts_scores(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.OPEN and self.opens_at <= now < self.closes_at


# Which state a round may move to from each state; `change_round_state` refuses any other
# move. A draft opens; an open round closes; a closed round reopens (a deadline moved, a
# judge late) or is decided; a decided round is final.
ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    Round.State.DRAFT: frozenset({Round.State.OPEN}),
    Round.State.OPEN: frozenset({Round.State.CLOSED}),
    Round.State.CLOSED: frozenset({Round.State.OPEN, Round.State.DECIDED}),
    Round.State.DECIDED: frozenset(),
}


def results_changed(round_id: int) -> None:
    """Mark the round's ranking and progress as changed (inside the writer's transaction)."""
    Round.objects.filter(pk=round_id).update(results_token=secrets.token_hex(8))


class Criterion(models.Model):
    """One line of a round's rubric, with its weight and score range."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    help_text = models.CharField(_("guidance"), max_length=500, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    min_score = models.SmallIntegerField(_("lowest score"), default=1)
    max_score = models.SmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="review_criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(max_score__gt=models.F("min_score")),
                name="review_criterion_range",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="review_criterion_weight_positive",
                violation_error_message=_("A weight must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewerQuerySet(models.QuerySet["Reviewer"]):
    def active(self) -> "ReviewerQuerySet":
        return self.filter(active=True)


class Reviewer(TimeStampedModel):
    """A user in a round's pool, with the community and member they are attached to (their
    conflicts of interest are computed from these and the registry)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_roles"
    )
    community = models.ForeignKey(
        "network.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    member = models.ForeignKey(
        "network.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="review_reviewer_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.user)


class ReviewItem(TimeStampedModel):
    """One object under review in a round. Reviewers know it by `code` and `title` only."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id", for_concrete_model=False)
    group = models.CharField(_("group"), max_length=100, blank=True, db_index=True)
    code = models.CharField(_("code"), max_length=20, unique=True, default=new_item_code)
    conflict_keys = models.JSONField(_("conflict keys"), default=list, blank=True)
    title = models.CharField(_("title"), max_length=300)
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forwarded_to",
    )

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["round", "group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "content_type", "object_id"],
                name="review_item_once_per_round",
                violation_error_message=_("This item is already in the round."),
            )
        ]
        indexes = [models.Index(fields=["round", "group"], name="review_item_round_group")]

    def __str__(self) -> str:
        return self.code


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def live(self) -> "AssignmentQuerySet":
        return self.filter(revoked_at__isnull=True)

    def submitted(self) -> "AssignmentQuerySet":
        return self.filter(revoked_at__isnull=True, submitted_at__isnull=False)

    def for_judge(self, user: Any) -> "AssignmentQuerySet":
        """A judge's live assignments in rounds they can see (not drafts): the only way a judge
        reaches an item, so anything else answers 404 (C12, C5)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            reviewer__user=user,
            reviewer__active=True,
            revoked_at__isnull=True,
        ).exclude(item__round__state=Round.State.DRAFT)


class Assignment(models.Model):
    """One reviewer asked to review one item. `version` grows with every save of its scores,
    so a stale form is refused instead of overwriting a newer one."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    comment_to_staff = models.TextField(_("comment to the organisers"), blank=True)
    comment_to_entrant = models.TextField(_("comment to the entrant"), blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reviewer"], name="review_assignment_once_per_reviewer"
            )
        ]
        indexes = [
            models.Index(fields=["reviewer", "revoked_at"], name="review_assignment_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.reviewer}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One value for one criterion in one assignment (CONC-1: one row, whatever the
    concurrency)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="review_score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class DeclaredConflict(TimeStampedModel):
    """A conflict of interest the registry cannot know: a reviewer with one item, or with a
    conflict key (e.g. "community:12" for a place they are close to)."""

    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    item = models.ForeignKey(
        ReviewItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("conflict key"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(key="")) | (Q(item__isnull=True) & ~Q(key="")),
                name="review_conflict_item_or_key",
                violation_error_message=_("Declare a conflict with one item or one key."),
            ),
            models.UniqueConstraint(
                fields=["reviewer", "item"],
                condition=Q(item__isnull=False),
                name="review_conflict_unique_item",
            ),
            models.UniqueConstraint(
                fields=["reviewer", "key"],
                condition=~Q(key=""),
                name="review_conflict_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.item or self.key}"


class Invitation(TimeStampedModel):
    """A single-use invitation to a round's pool (AUTH-11). Only a hash of the token
    is stored; the token itself travels once, by e-mail."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    community = models.ForeignKey(
        "network.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        "network.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reviewer invitation")
        verbose_name_plural = _("reviewer invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class Decision(models.Model):
    """The outcome recorded for an item. An item's current decision is its latest row."""

    class Outcome(models.TextChoices):
        ADVANCED = "advanced", _("Advanced to the next round")
        FINALIST = "finalist", _("Finalist")
        WINNER = "winner", _("Winner")
        HONOURABLE_MENTION = "honourable_mention", _("Honourable mention")
        NOT_SELECTED = "not_selected", _("Not selected")

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item", "-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1),
                name="review_decision_place_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"

    def clean(self) -> None:
        if self.place is not None and self.outcome not in {
            self.Outcome.WINNER,
            self.Outcome.FINALIST,
            self.Outcome.HONOURABLE_MENTION,
        }:
            raise ValidationError(
                {"place": _("Only winners, finalists and mentions have a place.")}
            )
