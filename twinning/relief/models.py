"""Relief appeals and community development projects: the appeal (or project) with its story
and photos, the needs the partner side confirmed, pledges of money and goods, money received
and spent (the public ledger), shipments of goods and the partner's receipt of them, progress
updates, the single-use links the partner side answers through, and the donors who asked for
the updates by e-mail.

Amounts are exact Decimals with three places (enough for every currency babel knows); each
amount is checked against its own currency's precision where it is recorded
(`members.payments.receive_money`)."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.members.payments import currency_digits
from twinning.network.models import Community, Member, Partnership

FOLDER = "relief"  # private storage folder of receipts and photos (core.orphans)
REPORT_DAYS = 90  # an open appeal without an update for this long is flagged and unlisted
AMOUNT: dict[str, Any] = {"max_digits": 15, "decimal_places": 3}


def shown(amount: Decimal | None, currency: str) -> str:
    """An amount with its currency's own digits: 120.50 USD, 5000 JPY, 1.250 KWD."""
    if amount is None:
        return ""
    digits = currency_digits(currency) if currency else 2
    return f"{amount.quantize(Decimal(1).scaleb(-digits))} {currency}"


class AppealQuerySet(models.QuerySet["Appeal"]):
    def public(self) -> "AppealQuerySet":
        """Appeals anyone may read: open, closed and archived (never a draft)."""
        return self.exclude(status=Appeal.Status.DRAFT)

    def overdue(self, today: datetime.date) -> "AppealQuerySet":
        """Open appeals whose last report (or opening) is more than REPORT_DAYS ago."""
        limit = today - datetime.timedelta(days=REPORT_DAYS)
        return self.filter(status=Appeal.Status.OPEN, reported_on__lt=limit)

    def active(self, today: datetime.date) -> "AppealQuerySet":
        """Open appeals that reported within REPORT_DAYS: the public list of `/relief/`."""
        limit = today - datetime.timedelta(days=REPORT_DAYS)
        return self.filter(status=Appeal.Status.OPEN, reported_on__gte=limit)

    def organised_by(self, user: Any) -> "AppealQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(organisers__admins=user).distinct()

    def partnered_by(self, user: Any) -> "AppealQuerySet":
        """Appeals whose affected community is one of the user's committees' communities."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(community__members__admins=user).distinct()


class Appeal(TimeStampedModel):
    """An emergency appeal or a development project for an affected community."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency appeal")
        PROJECT = "project", _("Development project")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    story = models.TextField(_("story"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("affected community"),
        on_delete=models.PROTECT,
        related_name="relief_appeals",
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), related_name="relief_appeals", blank=True
    )
    organisers = models.ManyToManyField(
        Member, verbose_name=_("organisers"), related_name="relief_appeals", blank=True
    )
    goal = models.DecimalField(_("goal"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    partner_name = models.CharField(_("partner contact's name"), max_length=150, blank=True)
    partner_email = models.EmailField(_("partner contact's e-mail"), blank=True)
    reported_on = models.DateField(
        _("last reported on"), help_text=_("The last update, or the opening day.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by the money services in the same transaction as the rows they count (F()):
    # the ledger's version (bumped by every change of the ledger: the CSV snapshot's key)
    # and the number of pledges.
    ledger_version = models.PositiveIntegerField(default=0, editable=False)
    pledge_count = models.PositiveIntegerField(default=0, editable=False)
    # Bumped (F()) by every service that changes what the public page shows besides the
    # appeal's own row and the ledger: needs and their counts, updates, photos, shipments.
    # With `ledger_version` and `updated_at` it keys the page's cached sections
    # (`views.public.appeal_sections`), so a change is seen at once, by construction.
    page_version = models.PositiveIntegerField(default=0, editable=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gte=0), name="relief_goal_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="relief_ends_after_start",
                violation_error_message=_("The end date cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("relief:appeal_detail", kwargs={"slug": self.slug})

    @property
    def goal_shown(self) -> str:
        return shown(self.goal, self.currency)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == self.Status.OPEN and (today - self.reported_on).days > REPORT_DAYS


class Photo(TimeStampedModel):
    """A photo of the appeal (re-encoded by the upload pipeline, no metadata left)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=200)
    file_name = models.CharField(max_length=200)
    thumb_name = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.caption


class NeedQuerySet(models.QuerySet["Need"]):
    def confirmed(self) -> "NeedQuerySet":
        """Needs the partner side confirmed: the only ones ever shown as needs."""
        return self.filter(confirmed_at__isnull=False)


# The most one pledge, shipment line or receipt may count of goods or skills: the needs'
# counters add them up (PostgreSQL's integer holds 2,147,483,647), and no single gift of
# goods to a city comes near it.
MAX_QUANTITY = 1_000_000
TOO_MANY = _("Enter at most %(most)d.")


class Need(TimeStampedModel):
    """Something the affected community needs. `pledged` and `fulfilled` move with F() under
    the need's row lock: `fulfilled` is the sum of confirmed receipts, never a promise."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        GOODS = "goods", _("Goods")
        SKILLS = "skills", _("Skills")

    class Priority(models.IntegerChoices):
        URGENT = 1, _("Urgent")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("what is needed"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(
        _("unit"), max_length=40, help_text=_("Beds, kits, filters, days of training…")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    posted_by_partner = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by_name = models.CharField(_("confirmed by"), max_length=150, blank=True)
    pledged = models.PositiveIntegerField(_("pledged"), default=0)
    fulfilled = models.PositiveIntegerField(_("received"), default=0)
    # A money need (in the appeal's currency): the sum of the donations received against it.
    received_money = models.DecimalField(_("money received"), default=Decimal(0), **AMOUNT)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["priority", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="relief_need_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.quantity} {self.unit})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def received(self) -> Decimal | int:
        """What counts as received: money for a money need, confirmed units otherwise."""
        return self.received_money if self.kind == self.Kind.MONEY else self.fulfilled

    @property
    def percent(self) -> int:
        return min(100, int(self.received * 100 // self.quantity)) if self.quantity else 0

    @property
    def is_fulfilled(self) -> bool:
        return self.received >= self.quantity


class Pledge(TimeStampedModel):
    """A promise of money or goods from a committee, a person or an organisation; separate
    from what is received. The e-mail is private: never on a public page or export."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        GOODS = "goods", _("Goods")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="pledges")
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.PROTECT, related_name="pledges"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relief_pledges",
    )
    name = models.CharField(_("public name"), max_length=150)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    email = models.EmailField(_("e-mail (private)"), blank=True)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    # A pledge of skills: how much of it the partner side (or staff) confirmed as delivered.
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered=0) | Q(delivered__lte=models.F("quantity")),
                name="relief_pledge_delivered_within_quantity",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="money", amount__gt=0, quantity__isnull=True)
                    | Q(kind="goods", quantity__gt=0, amount__isnull=True, need__isnull=False)
                ),
                name="relief_pledge_shape",
                violation_error_message=_(
                    "A money pledge has an amount; a goods pledge a quantity of a need."
                ),
            ),
        ]

    @property
    def amount_shown(self) -> str:
        return shown(self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.public_name}: {self.amount or self.quantity}"

    @property
    def public_name(self) -> str:
        return str(_("Anonymous")) if self.anonymous else self.name


class Donation(TimeStampedModel):
    """Money received for an appeal (restricted to it), through a membership payment
    provider (`members.payments.receive_money`); its number is on the donor's PDF receipt."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="donations")
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="donations"
    )
    need = models.ForeignKey(
        Need,
        verbose_name=_("money need"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    name = models.CharField(_("donor's public name"), max_length=150)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    email = models.EmailField(_("donor's e-mail (private)"), blank=True)
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    provider = models.CharField(_("provider"), max_length=30)
    method = models.CharField(_("method"), max_length=20)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The donor's e-mailed link to their receipt (core.tokens.hash_token of its secret).
    receipt_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    receipt_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["received_on", "pk"]
        indexes = [  # the ledger's pages, latest first or oldest first, without a sort
            models.Index(fields=["appeal", "received_on", "id"], name="relief_donation_ledger"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="relief_donation_positive"),
        ]

    @property
    def amount_shown(self) -> str:
        return shown(self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @property
    def public_name(self) -> str:
        return str(_("Anonymous")) if self.anonymous else self.name

    @property
    def number(self) -> str:
        return f"R{self.appeal_id}-{self.pk:06d}"


class LedgerTotal(models.Model):
    """An appeal's running totals in one currency: money received, approved money out and
    money pledged, and the number of donations. The money services add to them with F() in
    the transaction that writes the row they count, so they always equal the sums over the
    rows (`rebuild_totals` recomputes them; the tests compare)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="totals")
    currency = models.CharField(max_length=3)
    received = models.DecimalField(default=Decimal(0), **AMOUNT)
    spent = models.DecimalField(default=Decimal(0), **AMOUNT)
    pledged = models.DecimalField(default=Decimal(0), **AMOUNT)
    donations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "currency"], name="relief_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.currency}"

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent


class LedgerSnapshot(models.Model):
    """The ledger's CSV as it stood at one `Appeal.ledger_version`, kept in private storage
    and served until the version moves on (then deleted)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField()
    file_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "version"], name="relief_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} v{self.version}"


class ExpenseQuerySet(models.QuerySet["Expense"]):
    def approved(self) -> "ExpenseQuerySet":
        return self.filter(state=Expense.State.APPROVED)


class Expense(TimeStampedModel):
    """Money spent from the appeal's funds, with its receipt; it counts once staff approve it."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="expenses")
    description = models.CharField(_("what it bought"), max_length=200)
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    spent_on = models.DateField(_("spent on"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    receipt_name = models.CharField(max_length=200)
    receipt_mime = models.CharField(max_length=100)
    receipt_display_name = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="relief_expense_positive"),
        ]

    @property
    def amount_shown(self) -> str:
        return shown(self.amount, self.currency)

    def __str__(self) -> str:
        return self.description


class Shipment(TimeStampedModel):
    """Goods from pledges on their way to the affected community."""

    class Status(models.TextChoices):
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        CUSTOMS = "customs", _("In customs")
        DELIVERED = "delivered", _("Delivered")
        LOST = "lost", _("Lost")

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking = models.CharField(_("tracking reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PACKED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["created_at", "pk"]
        indexes = [  # the appeal's page shows the latest
            models.Index(fields=["appeal", "created_at", "id"], name="relief_shipment_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking}".strip() or f"#{self.pk}"


class ShipmentEvent(models.Model):
    """A shipment's status on a date (the history shown with it)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=Shipment.Status.choices)
    on = models.DateField(_("on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.status} {self.on}"


class ShipmentLine(models.Model):
    """What a shipment carries against a need; `received` is what the partner counted."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="shipment_lines")
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="shipment_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity sent"))
    received = models.PositiveIntegerField(_("quantity received"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="relief_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.need_id}"

    @property
    def difference(self) -> int:
        return 0 if self.received is None else self.received - self.quantity


class ShipmentReceipt(TimeStampedModel):
    """The partner side's confirmation of what arrived (with a photo); differences from what
    was sent are flagged for staff until they acknowledge them."""

    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE, related_name="receipt")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by_name = models.CharField(_("confirmed by"), max_length=150)
    note = models.TextField(_("note"), blank=True)
    photo_name = models.CharField(max_length=200, blank=True)
    has_differences = models.BooleanField(_("differences"), default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("receipt of a shipment")
        verbose_name_plural = _("receipts of shipments")

    def __str__(self) -> str:
        return f"{self.shipment} ← {self.confirmed_by_name}"


class PartnerLink(TimeStampedModel):
    """A single-use link for the partner side's contact (no account needed): confirm the
    needs, or confirm the receipt of one shipment. Only the secret's digest is kept."""

    class Purpose(models.TextChoices):
        NEEDS = "needs", _("Confirm the needs")
        RECEIPT = "receipt", _("Confirm a receipt")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="partner_links")
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.CASCADE, related_name="partner_links"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.sent_to}"


class Update(TimeStampedModel):
    """A progress report from the organisers or the partner side (resets the 90-day clock)."""

    class Side(models.TextChoices):
        ORGANISERS = "organisers", _("Organisers")
        PARTNER = "partner", _("Partner side")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="updates")
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    posted_on = models.DateField(_("posted on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-posted_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Follower(TimeStampedModel):
    """A donor who asked for the appeal's updates by e-mail (stopped by the outbox's
    unsubscribe link, as all non-essential mail)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "email"], name="relief_follower_unique"),
        ]

    def __str__(self) -> str:
        return self.email


def stored_file_names() -> set[str]:
    names = set(Expense.objects.values_list("receipt_name", flat=True))
    for file_name, thumb in Photo.objects.values_list("file_name", "thumb_name"):
        names |= {file_name, thumb}
    names |= set(
        ShipmentReceipt.objects.exclude(photo_name="").values_list("photo_name", flat=True)
    )
    names |= set(LedgerSnapshot.objects.values_list("file_name", flat=True))
    return names
