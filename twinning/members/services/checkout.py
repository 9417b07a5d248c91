"""Online payments (C4, C5): opening a checkout at a provider's hosted page for what an invoice
still owes, and recording what the provider confirms, once, through the same `record_payment`
as the manual provider (so partial payments and refusals of overpayment are the same rules)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, acting_user, require
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.members.models import CheckoutSession, Invoice, Payment
from twinning.members.notify import billing_address
from twinning.members.payments import (
    CheckoutResult,
    from_minor_units,
    get_online_provider,
    to_minor_units,
)
from twinning.members.services.invoices import balance_of, record_payment

# A Stripe Checkout session stays open 24 hours; one opened less than this ago is reused.
REUSE_OPEN_CHECKOUT = datetime.timedelta(hours=23)


def start_checkout(
    *, invoice: Invoice, provider: str, success_url: str, cancel_url: str, by: Any
) -> str:
    """The URL of the provider's hosted page where `by` pays what `invoice` still owes. An open
    checkout of the same amount is reused, so two clicks lead to one payment page.

    The provider is called outside any transaction (no lock is held while the network answers);
    the checkout row and its audit entry are then written together. Raises NotAllowed (not the
    member's admin), ValidationError (nothing owed; an amount the currency cannot express),
    UnknownProvider, or ProviderError (the provider cannot be reached)."""
    require(by, "members.pay_invoice", invoice.member)
    online = get_online_provider(provider)
    if invoice.kind != Invoice.Kind.INVOICE or not invoice.is_issued:
        raise ValidationError(_("Only an issued invoice can be paid."))
    owed = balance_of(invoice)
    if owed <= 0:
        raise ValidationError(_("Nothing is owed on this invoice."))
    amount_minor = to_minor_units(owed, invoice.currency)
    reusable = (
        CheckoutSession.objects.filter(
            invoice=invoice,
            provider=provider,
            state=CheckoutSession.State.OPEN,
            amount=owed,
            created_at__gte=timezone.now() - REUSE_OPEN_CHECKOUT,
        )
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        current = online.fetch_checkout(reusable.external_id)
        if current.status == "open" and not current.paid and current.url:
            return current.url
    billing = billing_address(invoice.member)
    started = online.start_checkout(
        invoice=invoice,
        amount_minor=amount_minor,
        currency=invoice.currency,
        description=_("Invoice %(number)s, %(member)s")
        % {"number": invoice.number, "member": invoice.member.name},
        success_url=success_url,
        cancel_url=cancel_url,
        customer_email=billing[1] if billing else "",
    )
    with transaction.atomic():
        checkout = CheckoutSession(
            invoice=invoice,
            provider=provider,
            external_id=started.external_id,
            amount=owed,
            currency=invoice.currency,
            started_by=acting_user(by),
        )
        checkout.full_clean()
        checkout.save()
        log_activity(
            invoice,
            "members.checkout.started",
            by=by,
            data={"provider": provider, "checkout": started.external_id, "amount": str(owed)},
        )
    return started.url


@transaction.atomic
def record_checkout(
    *, provider: str, result: CheckoutResult, by: Any = SYSTEM
) -> CheckoutSession | None:
    """Record what the provider says about one of our checkouts. Idempotent: the same event
    twice (or the webhook and a retry) records one payment. A paid checkout becomes a Payment
    through `record_payment`; one the invoice rules refuse (more than is now owed, the invoice
    credited meanwhile, another currency) is kept for staff with the reason. Returns None for a
    checkout that is not ours (another application on the same provider account)."""
    checkout = (
        CheckoutSession.objects.select_for_update(of=("self",))
        .select_related("invoice__member")
        .filter(provider=provider, external_id=result.external_id)
        .first()
    )
    if checkout is None:
        return None
    require(by, "members.record_payment", checkout.invoice)
    if checkout.state in (CheckoutSession.State.PAID, CheckoutSession.State.NEEDS_ATTENTION):
        return checkout
    if not result.paid:
        if result.status == "expired" and checkout.state == CheckoutSession.State.OPEN:
            checkout.state = CheckoutSession.State.EXPIRED
            checkout.save(update_fields=["state", "updated_at"])
            log_activity(checkout.invoice, "members.checkout.expired", by=by, data=_data(checkout))
        return checkout
    payment, problem = _record(checkout, result, by)
    if payment is not None:
        checkout.state, checkout.payment = CheckoutSession.State.PAID, payment
        action = "members.checkout.paid"
    else:
        checkout.state, checkout.problem = CheckoutSession.State.NEEDS_ATTENTION, problem
        action = "members.checkout.needs_attention"
    checkout.full_clean()
    checkout.save()
    log_activity(checkout.invoice, action, by=by, data={**_data(checkout), "problem": problem})
    return checkout


def _record(
    checkout: CheckoutSession, result: CheckoutResult, by: Any
) -> tuple[Payment | None, str]:
    currency = result.currency or checkout.currency
    if result.amount_minor is None or currency != checkout.currency:
        return None, _(
            "The provider reports %(amount)s %(currency)s; the invoice is in %(own)s."
        ) % {
            "amount": result.amount_minor,
            "currency": currency,
            "own": checkout.currency,
        }
    amount = from_minor_units(result.amount_minor, currency)
    try:
        with transaction.atomic():
            payment = record_payment(
                invoice=checkout.invoice,
                amount=amount,
                method="online",
                received_on=association_today(),
                reference=result.reference[:100],
                note=_("Paid online, %(provider)s %(id)s")
                % {
                    "provider": checkout.provider,
                    "id": checkout.external_id,
                },
                provider=checkout.provider,
                by=by,
            )
    except (ValidationError, IntegrityError) as error:
        reason = " ".join(getattr(error, "messages", [str(error)]))
        return None, _("%(amount)s %(currency)s received but not recorded: %(reason)s") % {
            "amount": amount,
            "currency": currency,
            "reason": reason,
        }
    return payment, ""


def _data(checkout: CheckoutSession) -> dict[str, str]:
    return {
        "provider": checkout.provider,
        "checkout": checkout.external_id,
        "amount": str(checkout.amount),
    }
