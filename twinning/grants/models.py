"""Funding programs: a program and its calls, joint applications by partner communities (one
side per community, each with its own budget in its own currency and its own signature), and
the grants awarded, with their tranches and reports."""

import datetime
import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.core.reverse import cached_reverse

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _codes(value: Any) -> None:
    if not isinstance(value, list) or not all(
        isinstance(code, str) and len(code) == 2 and code.isupper() for code in value
    ):
        raise ValidationError(_("List two-letter country codes, e.g. US, CA, MX."))


def _strings(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(text, str) for text in value):
        raise ValidationError(_("Give a list of texts."))


class Program(TimeStampedModel):
    """A funding program: who pays, how much in all, for what, and for which partnerships."""

    class Shape(models.TextChoices):
        PAIR = "pair", _("Pair (two partner communities)")
        TRIO = "trio", _("Trio (three communities)")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    funder = models.CharField(_("funder"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(
        _("total budget"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    themes = models.JSONField(_("themes"), default=list, blank=True, validators=[_strings])
    shape = models.CharField(_("shape"), max_length=4, choices=Shape.choices, default=Shape.PAIR)
    required_countries = models.JSONField(
        _("countries that must take part"),
        default=list,
        blank=True,
        validators=[_codes],
        help_text=_("For a trio, one community from each, e.g. US, CA, MX."),
    )
    eligible_countries = models.JSONField(
        _("eligible countries"),
        default=list,
        blank=True,
        validators=[_codes],
        help_text=_("Empty: any country."),
    )
    eligible_regions = models.JSONField(
        _("eligible regions"),
        default=list,
        blank=True,
        validators=[_strings],
        help_text=_("Partner regions (e.g. africa); empty: any region."),
    )
    require_recognised_partnership = models.BooleanField(
        _("partnership must be recognised and active"), default=True
    )
    require_good_standing = models.BooleanField(_("committees in good standing"), default=True)

    class Meta:
        verbose_name = _("funding program")
        verbose_name_plural = _("funding programs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.currency = (self.currency or "").upper()
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValidationError({"currency": _("Use a three-letter currency code, e.g. USD.")})
        if self.shape == self.Shape.PAIR and len(self.required_countries) > 2:
            raise ValidationError({"required_countries": _("A pair has two communities.")})
        if self.shape == self.Shape.TRIO and len(self.required_countries) not in (0, 3):
            raise ValidationError(
                {"required_countries": _("A trio names three countries, or none.")}
            )

    @property
    def size(self) -> int:
        return 3 if self.shape == self.Shape.TRIO else 2


class CallQuerySet(models.QuerySet["Call"]):
    def open_on(self, moment: datetime.datetime) -> "CallQuerySet":
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Call(TimeStampedModel):
    """A call for applications of a program: dates, ceiling, co-financing, questions, the
    exchange rates staff fixed, and (optionally) a lump-sum table."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    max_per_application = models.DecimalField(
        _("maximum per application"),
        validators=[MinValueValidator(0)],
        max_digits=14,
        decimal_places=2,
    )
    cofinancing_percent = models.DecimalField(
        _("required co-financing (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of each project's total cost the partners pay themselves."),
    )
    questions = models.JSONField(_("questions"), default=list, blank=True, validators=[_strings])
    interim_report_months = models.PositiveSmallIntegerField(
        _("interim report due after (months)"), default=6
    )
    final_report_months = models.PositiveSmallIntegerField(
        _("final report due after (months)"), default=12
    )
    review_round = models.OneToOneField(
        "review.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grants_call",
        editable=False,
    )
    decisions_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="grants_call_closes_after_opening",
                violation_error_message=_("A call closes after it opens."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.title}"

    def get_absolute_url(self) -> str:
        return cached_reverse("grants:call_detail", slug=self.slug)

    def is_open(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at


class ExchangeRate(models.Model):
    """How many units of the program's currency one unit of `currency` is worth, fixed by
    staff for the call (no rates are fetched at run time)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rates")
    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=8, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(fields=["call", "currency"], name="grants_rate_unique"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="grants_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate}"

    def clean(self) -> None:
        self.currency = (self.currency or "").upper()


class LumpSum(models.Model):
    """A row of the call's lump-sum table: up to `participants` people from `countries`
    countries earn `amount` (in the program's currency), as EU town-twinning grants do."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="lump_sums")
    countries = models.PositiveSmallIntegerField(_("countries"))
    participants = models.PositiveIntegerField(_("participants up to"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("lump sum")
        verbose_name_plural = _("lump sums")
        ordering = ["countries", "participants"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "countries", "participants"], name="grants_lump_sum_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.countries} × {self.participants}: {self.amount}"


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: Any) -> "ApplicationQuerySet":
        """Staff see all; a committee admin sees the applications one of its sides belongs to."""
        from twinning.core.authz import is_verified_staff

        if is_verified_staff(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(sides__member__admins=user).distinct()

    def funded(self) -> "ApplicationQuerySet":
        return self.filter(state=Application.State.FUNDED)


class Application(TimeStampedModel):
    """A joint application: it belongs to the partnership (or the three communities); the
    lead side writes it, every side signs it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FUNDED = "funded", _("Funded")
        DECLINED = "declined", _("Not funded")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    partnership = models.ForeignKey(
        "network.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The staff decision, held until the call's decisions are published.
    proposed_amount = models.DecimalField(
        null=True, blank=True, editable=False, max_digits=14, decimal_places=2
    )
    awarded_amount = models.DecimalField(
        _("awarded amount"), null=True, blank=True, editable=False, max_digits=14, decimal_places=2
    )
    decision = models.CharField(max_length=10, blank=True, editable=False)
    decision_reason = models.TextField(_("reason"), blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            # the latest change, of all applications (the portfolio) or of a call's (the
            # funding table), read from an index by the cached pages' fingerprints
            models.Index(fields=["updated_at"], name="grants_app_changed"),
            models.Index(fields=["call", "updated_at"], name="grants_app_call_changed"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:application_detail", kwargs={"pk": self.pk})

    # --- Reviewable (twinning.review.interface) ---------------------------------------------

    def review_title(self) -> str:
        return self.title

    def review_work(self) -> Any:
        from twinning.review.interface import Work

        sides = list(self.sides.select_related("community__country"))
        return Work(
            template="grants/review_work.html",
            context={
                "title": self.title,
                "theme": self.theme,
                "summary": self.summary,
                "answers": list(self.answers.items()),
                "sides": [
                    {
                        "community": str(side.community),
                        "country": side.community.country.name,
                        "participants": side.participants,
                        "plan": side.participant_plan,
                    }
                    for side in sides
                ],
                "requested": self.requested_total(),
                "currency": self.call.program.currency,
            },
        )

    def conflict_keys(self) -> set[str]:
        """Every participating community and member committee (the engine adds a reviewer's
        sister cities, so nobody reviews an application involving their community or its
        partners)."""
        keys: set[str] = set()
        for community_id, member_id in self.sides.values_list("community_id", "member_id"):
            keys.add(f"community:{community_id}")
            if member_id:
                keys.add(f"member:{member_id}")
        return keys

    def review_eligibility(self) -> tuple[bool, str]:
        if self.state != self.State.SUBMITTED:
            return False, str(_("The application is not submitted."))
        return True, ""

    # --- Money and content ------------------------------------------------------------------

    def requested_total(self) -> Decimal:
        """What the application asks, in the program's currency (each side converted at the
        call's rate)."""
        return money(sum((side.requested_converted() for side in self.sides.all()), Decimal(0)))

    def compute_hash(self) -> str:
        """A digest of everything the sides sign: the text, the answers, and every side's
        budget and participant plan (not the signatures themselves)."""
        sides = [
            [
                side.community_id,
                side.currency,
                side.participants,
                side.participant_plan,
                [
                    [line.description, str(line.cost), str(line.requested)]
                    for line in sorted(side.lines.all(), key=lambda line: line.pk)
                ],
            ]
            for side in self.sides.order_by("pk").prefetch_related("lines")
        ]
        content = [self.title, self.theme, self.summary, self.answers, sides]
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class ApplicationSide(models.Model):
    """One community's part of an application: its committee, contact, budget currency,
    participant plan and signature."""

    class Via(models.TextChoices):
        ACCOUNT = "account", _("signed in")
        LINK = "link", _("single-use link")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sides")
    community = models.ForeignKey(
        "network.Community", on_delete=models.PROTECT, related_name="grant_sides"
    )
    member = models.ForeignKey(
        "network.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_sides",
        verbose_name=_("member committee"),
    )
    is_lead = models.BooleanField(default=False)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    currency = models.CharField(_("budget currency"), max_length=3, default="USD")
    participants = models.PositiveIntegerField(_("participants"), default=0)
    participant_plan = models.TextField(_("participant plan"), blank=True)
    signed_hash = models.CharField(max_length=64, blank=True, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    signer_name = models.CharField(max_length=150, blank=True, editable=False)
    signed_via = models.CharField(max_length=10, choices=Via.choices, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    awarded_amount = models.DecimalField(
        null=True, blank=True, editable=False, max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("application side")
        verbose_name_plural = _("application sides")
        ordering = ["-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "community"], name="grants_side_unique_community"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_lead=True),
                name="grants_one_lead_side",
            ),
        ]

    def __str__(self) -> str:
        return str(self.community)

    def has_signed(self, content_hash: str) -> bool:
        return bool(self.signed_hash) and self.signed_hash == content_hash

    def rate(self) -> Decimal | None:
        """The call's rate for this side's currency (1 for the program's own currency)."""
        call = self.application.call
        if self.currency == call.program.currency:
            return Decimal(1)
        for rate in call.rates.all():
            if rate.currency == self.currency:
                return rate.rate
        return None

    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines.all()), Decimal(0))

    def requested(self) -> Decimal:
        return sum((line.requested for line in self.lines.all()), Decimal(0))

    def requested_converted(self) -> Decimal:
        rate = self.rate()
        return money(self.requested() * rate) if rate is not None else Decimal(0)

    def cost_converted(self) -> Decimal:
        rate = self.rate()
        return money(self.cost() * rate) if rate is not None else Decimal(0)


class BudgetLine(models.Model):
    """A line of a side's budget, in the side's currency: what it costs and how much of that
    the grant should pay (the rest is the side's co-financing)."""

    side = models.ForeignKey(ApplicationSide, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("description"), max_length=200)
    cost = models.DecimalField(
        _("cost"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    requested = models.DecimalField(
        _("requested from the grant"),
        validators=[MinValueValidator(0)],
        max_digits=14,
        decimal_places=2,
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested__lte=models.F("cost")),
                name="grants_line_request_within_cost",
                violation_error_message=_("A line cannot ask more than it costs."),
            )
        ]

    def __str__(self) -> str:
        return self.description


class GrantQuerySet(models.QuerySet["Grant"]):
    def visible_to(self, user: Any) -> "GrantQuerySet":
        from twinning.core.authz import is_verified_staff

        if is_verified_staff(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(application__sides__member__admins=user).distinct()


class Grant(TimeStampedModel):
    """A funded application: the agreement, the tranches, the reports."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    starts_on = models.DateField(_("starts on"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.ACTIVE, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The parties' countries, sorted and joined ("CA-MX-US"), written once when the grant is
    # made (the agreement's parties never change after): the portfolio filters and groups by
    # it in SQL instead of rebuilding it from every grant's sides.
    countries = models.CharField(_("countries"), max_length=100, blank=True, editable=False)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-starts_on", "pk"]
        indexes = [
            # the portfolio's and the public list's order, read a page at a time
            models.Index(fields=["-starts_on", "id"], name="grants_grant_order"),
            models.Index(fields=["countries"], name="grants_grant_countries"),
            # the latest change, for the portfolio's fingerprint (core.fingerprints)
            models.Index(fields=["updated_at"], name="grants_grant_changed"),
        ]

    def __str__(self) -> str:
        return str(self.application)

    def get_absolute_url(self) -> str:
        return reverse("grants:grant_detail", kwargs={"pk": self.pk})


class Tranche(models.Model):
    """A payment of a grant, payable once the reports it is tied to are approved (every
    side's report of that kind); the first is tied to none (paid on signature)."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("number"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    after_report = models.CharField(_("after report"), max_length=10, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["grant", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="grants_tranche_unique")
        ]
        indexes = [
            # the latest payment, for the portfolio's fingerprint (core.fingerprints)
            models.Index(fields=["paid_at"], name="grants_tranche_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.grant} #{self.number}"


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> "ReportQuerySet":
        return self.filter(state__in=[Report.State.DUE, Report.State.RETURNED])


class Report(TimeStampedModel):
    """One side's interim or final report on a grant."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    class State(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    side = models.ForeignKey(ApplicationSide, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DUE, db_index=True
    )
    narrative = models.TextField(_("narrative"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    outcomes = models.TextField(_("outcomes"), blank=True)
    staff_comment = models.TextField(_("staff comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "side", "kind"], name="grants_report_unique")
        ]
        indexes = [
            # a grant's approved reports (the portfolio's participants and outcomes): without it
            # SQLite reads every approved report through the state index
            models.Index(fields=["grant", "state", "kind"], name="grants_report_grant_state"),
            # the latest change, for the portfolio's fingerprint (core.fingerprints)
            models.Index(fields=["updated_at"], name="grants_report_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.side}"

    def get_absolute_url(self) -> str:
        return reverse("grants:report_edit", kwargs={"pk": self.pk})


class Spending(models.Model):
    """What a side spent on a budget line by the time of a report (in the side's currency)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="spending")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spending")
    amount = models.DecimalField(
        _("spent"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["report", "line"], name="grants_spending_unique")
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.amount}"


class Receipt(models.Model):
    """A receipt for a report, stored through the upload pipeline (re-encoded, private)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="receipts")
    file_name = models.CharField(max_length=200)
    mime = models.CharField(max_length=50)
    display_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name


class ReportReminder(models.Model):
    """A reminder sent about a report (30 days, 7 days, overdue): one row each, so each goes
    once."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="grants_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.kind}"


def stored_file_names() -> set[str]:
    return set(Receipt.objects.values_list("file_name", flat=True))
