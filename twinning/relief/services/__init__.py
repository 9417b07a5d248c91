"""Relief's writes (C4), by sub-domain: appeals, needs, links and updates (`appeals`); pledges,
money received and spent (`money`); shipments and receipts (`shipments`)."""

from twinning.relief.services.appeals import (
    NewNeed,
    add_need,
    add_photo,
    confirm_need,
    confirm_needs_with_link,
    create_appeal,
    link_for_token,
    post_update,
    send_partner_link,
    set_appeal_status,
)
from twinning.relief.services.ledger import ledger_snapshot, rebuild_totals
from twinning.relief.services.money import (
    balance,
    decide_expense,
    exact_amount,
    record_donation,
    record_pledge,
    submit_expense,
)
from twinning.relief.services.receipts import (
    RECEIPT_LINK_DAYS,
    donation_for_receipt_token,
    use_receipt_link,
)
from twinning.relief.services.shipments import (
    acknowledge_differences,
    confirm_receipt,
    confirm_receipt_with_link,
    confirm_skills_delivered,
    create_shipment,
    set_shipment_status,
)

__all__ = [
    "RECEIPT_LINK_DAYS",
    "NewNeed",
    "acknowledge_differences",
    "add_need",
    "add_photo",
    "balance",
    "confirm_need",
    "confirm_needs_with_link",
    "confirm_receipt",
    "confirm_receipt_with_link",
    "confirm_skills_delivered",
    "create_appeal",
    "create_shipment",
    "decide_expense",
    "donation_for_receipt_token",
    "exact_amount",
    "ledger_snapshot",
    "link_for_token",
    "post_update",
    "rebuild_totals",
    "record_donation",
    "record_pledge",
    "send_partner_link",
    "set_appeal_status",
    "set_shipment_status",
    "submit_expense",
    "use_receipt_link",
]
