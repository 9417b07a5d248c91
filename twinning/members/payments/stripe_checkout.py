"""Stripe Checkout through Stripe's official library: the member is sent to Stripe's hosted
payment page (our pages load nothing from Stripe, so the CSP is unchanged), and the payment is
confirmed by Stripe's signed webhook (`checkout.session.completed`) or by the return page
asking Stripe. Available when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set;
STRIPE_API_BASE points the library at another server (the tests' local fake Stripe)."""

from collections.abc import Mapping
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from twinning.members.payments import (
    CheckoutResult,
    CheckoutStart,
    ProviderError,
    WebhookRefused,
)

# The events that say where a checkout stands; any other event is acknowledged and ignored.
CHECKOUT_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
TIMEOUT_SECONDS = 20


class StripeProvider:
    key = "stripe"
    label = _("Card, online (Stripe)")
    self_service = True

    def is_available(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)

    def _client(self) -> stripe.StripeClient:
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,  # type: ignore[arg-type]
            http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
            max_network_retries=1,
        )

    def start_checkout(
        self,
        *,
        invoice: Any,
        amount_minor: int,
        currency: str,
        description: str,
        success_url: str,
        cancel_url: str,
        customer_email: str,
    ) -> CheckoutStart:
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": amount_minor,
                        "product_data": {"name": description},
                    },
                }
            ],
            # Stripe puts the session's id in place of {CHECKOUT_SESSION_ID} on the way back.
            "success_url": _with_query(success_url, "checkout={CHECKOUT_SESSION_ID}"),
            "cancel_url": cancel_url,
            "client_reference_id": invoice.number,
            "metadata": {"invoice": invoice.number},
            "payment_intent_data": {"metadata": {"invoice": invoice.number}},
        }
        if customer_email:
            params["customer_email"] = customer_email
        try:
            session = self._client().v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return CheckoutStart(external_id=session.id, url=session.url or "")

    def fetch_checkout(self, external_id: str) -> CheckoutResult:
        try:
            session = self._client().v1.checkout.sessions.retrieve(external_id)
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return _result(session.to_dict())

    def parse_webhook(self, *, payload: bytes, headers: Mapping[str, str]) -> CheckoutResult | None:
        signature = headers.get("Stripe-Signature", "")
        try:
            event = stripe.Webhook.construct_event(
                payload, signature, settings.STRIPE_WEBHOOK_SECRET
            )
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise WebhookRefused(str(error)) from error
        if event.type not in CHECKOUT_EVENTS:
            return None
        return _result(event.data.object.to_dict())


def _result(session: Mapping[str, Any]) -> CheckoutResult:
    reference = session.get("payment_intent") or session.get("id") or ""
    if isinstance(reference, Mapping):  # an expanded PaymentIntent
        reference = reference.get("id", "")
    return CheckoutResult(
        external_id=str(session.get("id", "")),
        status=str(session.get("status") or ""),
        paid=session.get("payment_status") == "paid",
        amount_minor=session.get("amount_total"),
        currency=str(session.get("currency") or "").upper(),
        reference=str(reference),
        url=str(session.get("url") or ""),
    )


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"
