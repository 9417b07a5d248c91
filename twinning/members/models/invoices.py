"""Invoices and credit notes numbered without gaps, their lines, and payments."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.members.models.memberships import Membership
from twinning.members.models.types import MONEY, ZERO
from twinning.network.models import Member


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
