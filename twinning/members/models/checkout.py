"""Online payment checkout sessions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.members.models.invoices import Invoice, Payment
from twinning.members.models.types import MONEY


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
