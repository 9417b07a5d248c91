"""Membership of the association, by sub-domain; every model and public name is imported here.

Types with their fee table, memberships with a status computed from dates, invoices and credit
notes numbered without gaps, payments, renewal reminders sent once, co-admin invitations, bulk
mailings, checkout sessions and the member summary."""

from twinning.members.models.admins import CoAdminInvitation
from twinning.members.models.checkout import CheckoutSession
from twinning.members.models.invoices import (
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceQuerySet,
    IssuedInvoiceError,
    Payment,
)
from twinning.members.models.mailings import BulkMailing
from twinning.members.models.memberships import (
    OVERRIDE_CHOICES,
    STATUS_RANK,
    Membership,
    MembershipQuerySet,
    Status,
    rank_expression,
    status_expression,
)
from twinning.members.models.regions import AssociationRegion
from twinning.members.models.reminders import ReminderSent
from twinning.members.models.summary import MemberSummary
from twinning.members.models.types import MONEY, ZERO, FeeBand, MembershipType

__all__ = [
    "MONEY",
    "OVERRIDE_CHOICES",
    "STATUS_RANK",
    "ZERO",
    "AssociationRegion",
    "BulkMailing",
    "CheckoutSession",
    "CoAdminInvitation",
    "FeeBand",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "InvoiceQuerySet",
    "IssuedInvoiceError",
    "MemberSummary",
    "Membership",
    "MembershipQuerySet",
    "MembershipType",
    "Payment",
    "ReminderSent",
    "Status",
    "rank_expression",
    "status_expression",
]
