"""Writes of the members app, by sub-domain (C25); the public names are re-exported here."""

from twinning.members.services.admins import (
    InvitationInvalid,
    accept_invitation,
    invite_coadmin,
    open_invitation,
    remove_coadmin,
    withdraw_invitation,
)
from twinning.members.services.checkout import record_checkout, start_checkout
from twinning.members.services.invoices import (
    balance_of,
    credit_invoice,
    invoice_membership,
    issue_invoice,
    next_number,
    record_payment,
)
from twinning.members.services.mailings import send_bulk_mailing
from twinning.members.services.memberships import (
    apply_for_membership,
    approve_membership,
    cancel_membership,
    create_renewal,
    decline_membership,
    join_association,
    override_status,
    set_auto_renew,
)
from twinning.members.services.reminders import send_renewal_reminders
from twinning.members.services.summary import refresh_member_summaries, refresh_stale_summaries

__all__ = [
    "InvitationInvalid",
    "accept_invitation",
    "apply_for_membership",
    "approve_membership",
    "balance_of",
    "cancel_membership",
    "create_renewal",
    "credit_invoice",
    "decline_membership",
    "invite_coadmin",
    "invoice_membership",
    "issue_invoice",
    "join_association",
    "next_number",
    "open_invitation",
    "override_status",
    "record_checkout",
    "record_payment",
    "refresh_member_summaries",
    "refresh_stale_summaries",
    "remove_coadmin",
    "send_bulk_mailing",
    "send_renewal_reminders",
    "set_auto_renew",
    "start_checkout",
    "withdraw_invitation",
]
