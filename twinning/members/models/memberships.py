"""Memberships, with a status computed from dates (and an override by staff)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.members.models.types import MONEY, MembershipType
from twinning.network.models import Community, Member


class Status(models.TextChoices):
    """A membership's status on a given date (computed; the member's status today is also
    kept in `MemberSummary` for the staff list)."""

    PENDING = "pending", _("Applied, awaiting approval")
    UPCOMING = "upcoming", _("Approved, not started yet")
    CURRENT = "current", _("Current")
    GRACE = "grace", _("In grace")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined")


# Which membership speaks for a member on a date: the best status wins (lower is better).
STATUS_RANK = {
    Status.CURRENT: 0,
    Status.GRACE: 1,
    Status.UPCOMING: 2,
    Status.PENDING: 3,
    Status.EXPIRED: 4,
    Status.CANCELLED: 5,
    Status.DECLINED: 6,
}


OVERRIDE_CHOICES = [
    (s.value, s.label) for s in (Status.CURRENT, Status.GRACE, Status.EXPIRED, Status.CANCELLED)
]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def with_status(self, on: datetime.date) -> "MembershipQuerySet":
        """Annotate `status_value` (the status on `on`, the same rules as `status_on`) and
        `status_rank`, so lists can filter and sort on it in SQL."""
        return self.annotate(status_value=status_expression(on)).annotate(
            status_rank=rank_expression()
        )

    def for_member(self, member: Member) -> "MembershipQuerySet":
        return self.filter(member=member)


def status_expression(on: datetime.date, prefix: str = "") -> Case:
    """The status on `on` as a SQL expression; `prefix` reaches a membership across a relation."""
    p = prefix
    return Case(
        When(**{f"{p}declined_at__isnull": False}, then=Value(Status.DECLINED.value)),
        When(
            (Q(**{f"{p}override_until__isnull": True}) | Q(**{f"{p}override_until__gte": on}))
            & ~Q(**{f"{p}override_status": ""}),
            then=F(f"{p}override_status"),
        ),
        When(**{f"{p}cancelled_on__lte": on}, then=Value(Status.CANCELLED.value)),
        When(**{f"{p}approved_at__isnull": True}, then=Value(Status.PENDING.value)),
        When(**{f"{p}start__gt": on}, then=Value(Status.UPCOMING.value)),
        When(**{f"{p}end__gte": on}, then=Value(Status.CURRENT.value)),
        When(**{f"{p}grace_end__gte": on}, then=Value(Status.GRACE.value)),
        default=Value(Status.EXPIRED.value),
        output_field=models.CharField(),
    )


def rank_expression(field: str = "status_value") -> Case:
    """The rank (STATUS_RANK) of an annotated status, for "the best membership" in SQL."""
    return Case(
        *[When(**{field: s.value}, then=Value(r)) for s, r in STATUS_RANK.items()],
        default=Value(9),
        output_field=models.IntegerField(),
    )


class Membership(TimeStampedModel):
    """One period of membership of a member organisation (or an application for one).

    The status is not stored on the row: it follows from the dates and decisions below
    (`status_on`), so it is right on any day; `MemberSummary` keeps a copy of today's for the
    staff list, refreshed by the services and by the calendar."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    membership_type = models.ForeignKey(
        MembershipType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    communities = models.ManyToManyField(
        Community, verbose_name=_("communities"), blank=True, related_name="+"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    # Derived from end + the type's grace days when the period is set (the row's own field, so
    # the status can be computed in SQL).
    grace_end = models.DateField(_("end of grace"))
    fee = models.DecimalField(_("fee"), **MONEY, null=True, blank=True)
    is_renewal = models.BooleanField(_("renewal"), default=False)
    auto_renew = models.BooleanField(_("send a renewal invoice automatically"), default=False)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application_note = models.TextField(_("note to staff"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("message to the member"), blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    override_status = models.CharField(
        _("status set by staff"), max_length=10, choices=OVERRIDE_CHOICES, blank=True
    )
    override_reason = models.CharField(_("reason"), max_length=300, blank=True)
    override_until = models.DateField(_("until"), null=True, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["member", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="membership_end_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(grace_end__gte=F("end")), name="membership_grace_after_end"
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(declined_at__isnull=True),
                name="membership_not_approved_and_declined",
            ),
            models.CheckConstraint(
                condition=Q(override_status="") | ~Q(override_reason=""),
                name="membership_override_has_reason",
                violation_error_message=_("Say why the status is set by hand."),
            ),
        ]
        indexes = [models.Index(fields=["member", "end"], name="membership_member_end")]

    def __str__(self) -> str:
        return f"{self.member} {self.start}–{self.end}"

    def status_on(self, on: datetime.date) -> str:  # noqa: PLR0911 - one return per rule, in order
        """The status on `on` (a `Status` value); the same rules as `status_expression`."""
        if self.declined_at is not None:
            return Status.DECLINED
        if self.override_status and (self.override_until is None or on <= self.override_until):
            return Status(self.override_status)
        if self.cancelled_on is not None and self.cancelled_on <= on:
            return Status.CANCELLED
        if self.approved_at is None:
            return Status.PENDING
        if on < self.start:
            return Status.UPCOMING
        if on <= self.end:
            return Status.CURRENT
        if on <= self.grace_end:
            return Status.GRACE
        return Status.EXPIRED
