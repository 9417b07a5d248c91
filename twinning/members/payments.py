"""How money reaches an invoice. A provider turns "this member pays this invoice" into a
recorded `Payment`. Only the manual provider exists (staff record a cheque, a transfer or a
card payment taken elsewhere); docs/apps/members.md says how to add a card provider later."""

import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _


@runtime_checkable
class PaymentProvider(Protocol):
    key: str  # stored on each Payment
    label: Any  # shown to staff and members
    # Whether members pay by themselves (a checkout page) or staff record what came in.
    self_service: bool

    def record(
        self,
        *,
        invoice: Any,
        amount: Decimal,
        method: str,
        received_on: datetime.date,
        reference: str,
        note: str,
        by: Any,
    ) -> Any:
        """Record money received against `invoice`; returns the Payment."""


_PROVIDERS: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    if not isinstance(provider, PaymentProvider):
        raise TypeError(f"{provider!r} does not implement PaymentProvider")
    _PROVIDERS[provider.key] = provider


def get_provider(key: str) -> PaymentProvider:
    return _PROVIDERS[key]


def providers() -> list[PaymentProvider]:
    return list(_PROVIDERS.values())


class ManualProvider:
    """Staff record what arrived: a cheque, a bank transfer, cash, a card taken elsewhere."""

    key = "manual"
    label = _("Recorded by staff")
    self_service = False

    def record(
        self,
        *,
        invoice: Any,
        amount: Decimal,
        method: str,
        received_on: datetime.date,
        reference: str,
        note: str,
        by: Any,
    ) -> Any:
        from twinning.members.services.invoices import record_payment

        return record_payment(
            invoice=invoice,
            amount=amount,
            method=method,
            received_on=received_on,
            reference=reference,
            note=note,
            provider=self.key,
            by=by,
        )


register_provider(ManualProvider())
