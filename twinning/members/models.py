"""Membership of the association: types with their fee table, memberships with a status
computed from dates, invoices and credit notes numbered without gaps, payments, renewal
reminders sent once, and co-admin invitations."""

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from twinning.core.dates import add_months
from twinning.core.models import TimeStampedModel
from twinning.network.models import Community, Member

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


def _safe_date(year: int, month: int, day: int) -> datetime.date:
    """The date, with the day clamped to the month's length (29 February in other years)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class MembershipType(TimeStampedModel):
    """A kind of membership: how long it runs, how long the grace lasts and what it costs."""

    class Period(models.TextChoices):
        FIXED = "fixed", _("Fixed: the association's fiscal year")
        ROLLING = "rolling", _("Rolling: 12 months from the start")

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    period = models.CharField(
        _("period"), max_length=10, choices=Period.choices, default=Period.FIXED
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts (month)"), default=1
    )
    fiscal_year_start_day = models.PositiveSmallIntegerField(
        _("fiscal year starts (day)"), default=1
    )
    rollover_month = models.PositiveSmallIntegerField(
        _("roll-over date (month)"),
        null=True,
        blank=True,
        help_text=_("A fixed-period join on or after this date covers the next fiscal year too."),
    )
    rollover_day = models.PositiveSmallIntegerField(
        _("roll-over date (day)"), null=True, blank=True
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=30,
        help_text=_("Days after the end during which the membership is in grace."),
    )
    active = models.BooleanField(_("offered to new members"), default=True)

    class Meta:
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12)
                & Q(fiscal_year_start_day__gte=1, fiscal_year_start_day__lte=31),
                name="membershiptype_fiscal_start_valid",
            ),
            models.CheckConstraint(
                condition=Q(rollover_month__isnull=True, rollover_day__isnull=True)
                | Q(
                    rollover_month__gte=1,
                    rollover_month__lte=12,
                    rollover_day__gte=1,
                    rollover_day__lte=31,
                ),
                name="membershiptype_rollover_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            datetime.date(2001, self.fiscal_year_start_month, self.fiscal_year_start_day)
        except (TypeError, ValueError):
            raise ValidationError(
                {"fiscal_year_start_day": _("This day does not exist in that month.")}
            ) from None
        if (self.rollover_month is None) != (self.rollover_day is None):
            raise ValidationError(
                {"rollover_day": _("Give both the month and the day of the roll-over, or neither.")}
            )
        if self.rollover_month is not None:
            try:
                datetime.date(2001, self.rollover_month, self.rollover_day)  # type: ignore[arg-type]
            except ValueError:
                raise ValidationError(
                    {"rollover_day": _("This day does not exist in that month.")}
                ) from None

    def fiscal_year_of(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the fiscal year containing `day`."""
        start = _safe_date(day.year, self.fiscal_year_start_month, self.fiscal_year_start_day)
        if start > day:
            start = _safe_date(
                day.year - 1, self.fiscal_year_start_month, self.fiscal_year_start_day
            )
        following = _safe_date(
            start.year + 1, self.fiscal_year_start_month, self.fiscal_year_start_day
        )
        return start, following - datetime.timedelta(days=1)

    def period_for(self, start: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The (start, end) of a membership beginning on `start`.

        Rolling: 12 months less a day. Fixed: to the end of the fiscal year; a join on or after
        the roll-over date of that fiscal year runs to the end of the next one (so a member who
        joins in May of a year ending in June is not asked to pay again six weeks later)."""
        if self.period == self.Period.ROLLING:
            return start, add_months(start, 12) - datetime.timedelta(days=1)
        fy_start, fy_end = self.fiscal_year_of(start)
        if self.rollover_month is not None and self.rollover_day is not None:
            rollover = _safe_date(fy_start.year, self.rollover_month, self.rollover_day)
            if rollover < fy_start:
                rollover = _safe_date(fy_start.year + 1, self.rollover_month, self.rollover_day)
            if start >= rollover:
                return start, self.fiscal_year_of(fy_end + datetime.timedelta(days=1))[1]
        return start, fy_end

    def fee_for(self, population: int | None) -> Decimal | None:
        """The fee for a member whose communities have this population (None: no band fits)."""
        people = population or 0
        for band in self.fee_bands.all():
            if band.min_population <= people and (
                band.max_population is None or people <= band.max_population
            ):
                return band.fee
        return None


class FeeBand(models.Model):
    """One row of a membership type's fee table: a population range and its yearly fee."""

    membership_type = models.ForeignKey(
        MembershipType, on_delete=models.CASCADE, related_name="fee_bands"
    )
    min_population = models.PositiveBigIntegerField(_("population from"), default=0)
    max_population = models.PositiveBigIntegerField(
        _("population up to"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )
    fee = models.DecimalField(_("fee"), **MONEY)

    class Meta:
        verbose_name = _("fee band")
        verbose_name_plural = _("fee bands")
        ordering = ["membership_type", "min_population"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="feeband_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(max_population__isnull=True)
                | Q(max_population__gte=F("min_population")),
                name="feeband_range_ordered",
                violation_error_message=_("The upper limit must not be below the lower one."),
            ),
            models.UniqueConstraint(
                fields=["membership_type", "min_population"], name="feeband_unique_start"
            ),
        ]

    def __str__(self) -> str:
        upper = self.max_population if self.max_population is not None else "…"
        return f"{self.min_population}–{upper}: {self.fee}"


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


class InvoiceCounter(models.Model):
    """The last number used per kind and year. Numbers are taken under `select_for_update`
    inside the transaction that issues the document, so a rollback returns the number too:
    no gaps, no duplicates."""

    kind = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="invoicecounter_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class IssuedInvoiceError(Exception):
    """An issued invoice or credit note cannot change: credit it instead."""


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def with_balance(self) -> "InvoiceQuerySet":
        """Annotate `paid`, `credited` and `balance_due` (total - paid - credited)."""
        paid = Coalesce(
            models.Subquery(
                Payment.objects.filter(invoice=models.OuterRef("pk"))
                .values("invoice")
                .annotate(s=Sum("amount"))
                .values("s")[:1]
            ),
            Value(ZERO),
            output_field=models.DecimalField(**MONEY),
        )
        credited = Coalesce(
            models.Subquery(
                Invoice.objects.filter(credits=models.OuterRef("pk"))
                .values("credits")
                .annotate(s=Sum("total"))
                .values("s")[:1]
            ),
            Value(ZERO),
            output_field=models.DecimalField(**MONEY),
        )
        return self.annotate(paid=paid, credited=credited).annotate(
            balance_due=models.ExpressionWrapper(
                F("total") - F("paid") - F("credited"), output_field=models.DecimalField(**MONEY)
            )
        )

    def invoices(self) -> "InvoiceQuerySet":
        return self.filter(kind=Invoice.Kind.INVOICE)

    def visible_to(self, user: Any) -> "InvoiceQuerySet":
        """Staff see every invoice; a committee admin only their own members' (C12)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self
        return self.filter(member__admins=user)


class Invoice(TimeStampedModel):
    """An invoice or a credit note. Issued at creation and never changed afterwards: a mistake
    is corrected by a credit note (an Invoice of kind CREDIT_NOTE pointing at `credits`)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="invoices"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    credits = models.ForeignKey(
        "self",
        verbose_name=_("credits invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), **MONEY, default=ZERO)
    billed_to = models.TextField(_("billed to"), blank=True)
    issuer = models.TextField(_("issued by"), blank=True)
    note = models.TextField(_("note"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="invoice_unique_sequence"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="invoice_total_not_negative"),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True)
                | Q(kind="credit_note", credits__isnull=False),
                name="invoice_credit_note_credits_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("draft"))

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The invariant "issued means frozen" is held here as well as in the services, so no
        # path (admin, shell, a future service) can rewrite an issued document.
        if self.pk and Invoice.objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise IssuedInvoiceError(_("An issued invoice cannot be changed; credit it instead."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_issued:
            raise IssuedInvoiceError(_("An issued invoice cannot be deleted; credit it instead."))
        return super().delete(*args, **kwargs)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2, default=1)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="invoiceline_quantity_pos"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="invoiceline_price_pos"),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Invoice.objects.filter(pk=self.invoice_id, issued_at__isnull=False).exists():
            raise IssuedInvoiceError(_("An issued invoice cannot be changed; credit it instead."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if Invoice.objects.filter(pk=self.invoice_id, issued_at__isnull=False).exists():
            raise IssuedInvoiceError(_("An issued invoice cannot be changed; credit it instead."))
        return super().delete(*args, **kwargs)


class Payment(TimeStampedModel):
    """Money received against an invoice, recorded by staff (partial payments allowed)."""

    class Method(models.TextChoices):
        CHEQUE = "cheque", _("Cheque")
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CARD_ELSEWHERE = "card_elsewhere", _("Card, taken elsewhere")
        CASH = "cash", _("Cash")
        ONLINE = "online", _("Online payment")

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    provider = models.CharField(_("provider"), max_length=30, default="manual")
    received_on = models.DateField(_("received on"))
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Cheque number, transfer id…")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["invoice", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("A payment must be more than zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.get_method_display()} ({self.received_on})"


class ReminderSent(models.Model):
    """One renewal reminder sent for one membership: the unique constraint makes sending
    idempotent (IDEM-4), whoever runs the scheduler and however often."""

    class Kind(models.TextChoices):
        DAYS_60 = "60", _("60 days before the end")
        DAYS_30 = "30", _("30 days before the end")
        DAYS_7 = "7", _("7 days before the end")
        GRACE = "grace", _("In grace")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(_("reminder"), max_length=6, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    to = models.EmailField(_("sent to"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind"], name="reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.kind}"


class CoAdminInvitation(TimeStampedModel):
    """An invitation to help run a member organisation's portal. Only a hash of the token is
    stored; the token is single-use and expires (AUTH-11)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="admin_invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-admin invitation")
        verbose_name_plural = _("co-admin invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.member}"


class BulkMailing(TimeStampedModel):
    """One bulk e-mail to a segment of members: its messages wait in the outbox for review."""

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    segment = models.JSONField(_("segment"), default=dict)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bulk mailing")
        verbose_name_plural = _("bulk mailings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class CheckoutSession(TimeStampedModel):
    """A member's online payment of an invoice at a provider's hosted page (Stripe Checkout):
    opened for the amount owed at that moment, then paid (one Payment, at most), expired, or
    left for staff when the money came but could not be recorded (more than is now owed: a
    refund or a manual record is needed)."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired unpaid")
        NEEDS_ATTENTION = "attention", _("Paid, needs staff attention")

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="checkouts"
    )
    provider = models.CharField(_("provider"), max_length=30)
    external_id = models.CharField(_("provider's id"), max_length=255)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkout",
    )
    problem = models.TextField(_("problem"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="checkout_unique_provider_id"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="checkout_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.external_id}"


class MemberSummary(models.Model):
    """What the staff member list filters, sorts and counts on, stored per member so the list
    pages in SQL (LOAD-1, LOAD-5): the status on `computed_on` (the membership
    that speaks for the member, `twinning.members.status`), that membership's end and the
    balance owed. Written only by `refresh_member_summaries`, which every service that changes
    a membership, an invoice or a payment calls. A status changes by the calendar alone on
    `valid_until` + 1 day: the scheduled `refresh_member_status` and the list itself refresh
    rows past it. No row: the member has never applied and owes nothing."""

    member = models.OneToOneField(
        Member, primary_key=True, on_delete=models.CASCADE, related_name="summary"
    )
    # None: no membership, as in the computed annotation (`members_with_status`).
    status = models.CharField(  # noqa: DJ001
        _("status"), max_length=10, choices=Status.choices, null=True, blank=True
    )
    membership_end = models.DateField(_("membership ends"), null=True, blank=True)
    balance_owed = models.DecimalField(_("balance owed"), **MONEY, default=ZERO)
    computed_on = models.DateField(_("computed for"))
    # The last day on which `status` holds without any write (None: until the next write).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("member summary")
        verbose_name_plural = _("member summaries")
        indexes = [
            models.Index(fields=["status"], name="membersummary_status"),
            models.Index(fields=["valid_until"], name="membersummary_valid_until"),
            models.Index(fields=["computed_on"], name="membersummary_computed_on"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status or '-'}"
