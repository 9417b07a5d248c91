"""The manual provider: staff record what arrived (a cheque, a bank transfer, cash, a card
taken elsewhere) on the staff invoice page."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _


class ManualProvider:
    key = "manual"
    label = _("Recorded by staff")
    self_service = False

    def is_available(self) -> bool:
        return True

    def receive(
        self,
        *,
        amount: Decimal,
        currency: str,
        method: str,
        received_on: datetime.date,
        reference: str,
    ) -> Any:
        """Money staff record that pays no invoice (a relief donation): checked, not stored."""
        from twinning.members.payments import receive_money

        return receive_money(
            provider=self.key,
            amount=amount,
            currency=currency,
            method=method,
            received_on=received_on,
            reference=reference,
        )

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
