"""How money reaches an invoice: one registry of payment providers, each turning "this member
pays this invoice" into a recorded `Payment` through the invoice services.

- The manual provider (`manual.py`, always there): staff record what arrived (a cheque, a bank
  transfer, cash, a card taken elsewhere).
- Online providers (`self_service = True`) send the member to the provider's hosted payment
  page and confirm the payment back (a signed webhook, or the return page asking the
  provider): Stripe Checkout (`stripe_checkout.py`), shown only when its settings are given.

Amounts cross to a provider in integer minor units of the currency (cents, yen, fils), with
the number of digits babel knows for each currency, so no amount is ever rounded on the way."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from babel.numbers import get_currency_precision
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@runtime_checkable
class PaymentProvider(Protocol):
    key: str  # stored on each Payment
    label: Any  # shown to staff and members
    # Whether members pay by themselves (a checkout page) or staff record what came in.
    self_service: bool

    def is_available(self) -> bool:
        """Whether the provider can be used now (its settings are given)."""


@dataclass(frozen=True)
class CheckoutStart:
    """A checkout the provider opened: its id and the hosted page to send the member to."""

    external_id: str
    url: str


@dataclass(frozen=True)
class CheckoutResult:
    """What the provider says about a checkout: open, complete or expired; paid or not."""

    external_id: str
    status: str
    paid: bool
    amount_minor: int | None
    currency: str
    reference: str = ""  # the provider's payment id, quoted on the Payment
    url: str = ""  # the hosted page, while the checkout is open


@runtime_checkable
class OnlineProvider(PaymentProvider, Protocol):
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
        """Open a hosted checkout; raises ProviderError when the provider cannot be reached."""

    def fetch_checkout(self, external_id: str) -> CheckoutResult:
        """Ask the provider where a checkout stands; raises ProviderError."""

    def parse_webhook(self, *, payload: bytes, headers: Mapping[str, str]) -> CheckoutResult | None:
        """The checkout an event is about (None for events of no interest); raises
        WebhookRefused when the event's signature does not verify."""


class ProviderError(Exception):
    """The payment provider could not be reached or refused the request."""


class WebhookRefused(Exception):
    """An event whose signature does not verify (the view answers 400)."""


class UnknownProvider(LookupError):
    """No provider of that name is registered, or it is not available here."""


_PROVIDERS: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    if not isinstance(provider, PaymentProvider):
        raise TypeError(f"{provider!r} does not implement PaymentProvider")
    if provider.self_service and not isinstance(provider, OnlineProvider):
        raise TypeError(f"{provider!r} is self-service but not an OnlineProvider")
    _PROVIDERS[provider.key] = provider


def get_provider(key: str) -> PaymentProvider:
    """The available provider registered as `key`; UnknownProvider otherwise."""
    provider = _PROVIDERS.get(key)
    if provider is None or not provider.is_available():
        raise UnknownProvider(key)
    return provider


def get_online_provider(key: str) -> OnlineProvider:
    provider = get_provider(key)
    if not isinstance(provider, OnlineProvider) or not provider.self_service:
        raise UnknownProvider(key)
    return provider


def providers() -> list[PaymentProvider]:
    """The providers available now, in registration order."""
    return [p for p in _PROVIDERS.values() if p.is_available()]


def online_providers() -> list[OnlineProvider]:
    """The providers a member may pay through by themself, available now."""
    return [p for p in providers() if isinstance(p, OnlineProvider) and p.self_service]


def label_of(key: str) -> str:
    provider = _PROVIDERS.get(key)
    return str(provider.label) if provider is not None else key


# --- Amounts -----------------------------------------------------------------------------------


def currency_digits(currency: str) -> int:
    return int(get_currency_precision(currency.upper()))


def to_minor_units(amount: Decimal, currency: str) -> int:
    """120.50 USD -> 12050; 5000 JPY -> 5000. Raises ValidationError when the amount has more
    decimals than the currency (0.50 JPY cannot be paid)."""
    digits = currency_digits(currency)
    scaled = amount.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            _("%(amount)s cannot be paid online in %(currency)s, which has %(digits)d decimals.")
            % {"amount": amount, "currency": currency, "digits": digits}
        )
    return int(scaled)


def from_minor_units(value: int, currency: str) -> Decimal:
    """12050 USD -> Decimal("120.50"), exactly."""
    return Decimal(int(value)).scaleb(-currency_digits(currency))


# --- Money not owed on an invoice ----------------------------------------------------------------


@dataclass(frozen=True)
class MoneyReceived:
    """Money a provider confirms arrived outside any invoice (a donation to a relief appeal):
    checked here, stored by the caller on its own row (the invoice path stores a `Payment`)."""

    provider: str
    method: str
    amount: Decimal
    amount_minor: int
    currency: str
    received_on: Any
    reference: str


def receive_money(
    *,
    provider: str,
    amount: Any,
    currency: str,
    method: str,
    received_on: Any,
    reference: str = "",
) -> MoneyReceived:
    """The generic entry point beside `record_payment`: the same providers, methods and
    currency precision, for money that does not pay an invoice. Raises ValidationError for an
    unknown provider or method, a non-positive amount, more decimals than the currency has, or
    a date in the future. The caller checks its actor and writes its own row and audit entry."""
    from twinning.core.dates import association_today
    from twinning.members.models import Payment

    try:
        get_provider(provider)
    except UnknownProvider:
        raise ValidationError({"provider": _("This payment provider is not available.")}) from None
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose how the money was paid.")})
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError({"currency": _("Use a three-letter currency code, e.g. USD.")})
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationError({"amount": _("Enter an amount such as 120.50.")}) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    digits = currency_digits(code)
    if value.scaleb(digits) != value.scaleb(digits).to_integral_value():
        raise ValidationError(
            {
                "amount": _("%(currency)s has %(digits)d decimals: %(amount)s cannot be received.")
                % {"currency": code, "digits": digits, "amount": value}
            }
        )
    if received_on > association_today():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    return MoneyReceived(
        provider=provider,
        method=method,
        amount=value.quantize(Decimal(1).scaleb(-digits)),
        amount_minor=to_minor_units(value, code),
        currency=code,
        received_on=received_on,
        reference=reference.strip(),
    )


def register_default_providers() -> None:
    """Called by MembersConfig.ready(): the manual provider and Stripe Checkout."""
    from twinning.members.payments.manual import ManualProvider
    from twinning.members.payments.stripe_checkout import StripeProvider

    register_provider(ManualProvider())
    register_provider(StripeProvider())


__all__ = [
    "CheckoutResult",
    "CheckoutStart",
    "MoneyReceived",
    "OnlineProvider",
    "PaymentProvider",
    "ProviderError",
    "UnknownProvider",
    "WebhookRefused",
    "from_minor_units",
    "get_online_provider",
    "get_provider",
    "label_of",
    "online_providers",
    "providers",
    "receive_money",
    "register_provider",
    "to_minor_units",
]
