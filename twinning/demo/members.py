"""Demo memberships (C22, through the services): membership types with fee tables, and the
demo members in a realistic mix of statuses (current and paid, current with an unpaid or part-
paid invoice, in grace, expired, applied and waiting, renewed ahead), with invoices, payments,
a credit note, billing contacts and officers whose terms end soon. Idempotent."""

import datetime
from decimal import Decimal
from typing import Any

from twinning.core.authz import SYSTEM
from twinning.core.dates import add_months, association_today
from twinning.core.services import get_association, update_association
from twinning.members.models import FeeBand, Membership, MembershipType
from twinning.members.services import (
    apply_for_membership,
    approve_membership,
    credit_invoice,
    record_payment,
)
from twinning.members.standing import GOOD_STANDING_STATUSES
from twinning.members.status import member_status
from twinning.network.models import Contact, Member, Officer
from twinning.network.services import add_contact, add_officer

FEES = [
    (0, 25_000, Decimal("250.00")),
    (25_001, 100_000, Decimal("450.00")),
    (100_001, 500_000, Decimal("800.00")),
    (500_001, None, Decimal("1400.00")),
]
SCENARIOS = ["paid", "unpaid", "grace", "partly_paid", "expired", "pending", "paid", "credited"]


def _types() -> tuple[MembershipType, MembershipType]:
    fixed, created = MembershipType.objects.get_or_create(
        name="Community membership",
        defaults={
            "description": "The association's fiscal year, July to June.",
            "period": MembershipType.Period.FIXED,
            "fiscal_year_start_month": 7,
            "fiscal_year_start_day": 1,
            "rollover_month": 4,
            "rollover_day": 1,
            "grace_days": 30,
        },
    )
    rolling, created_rolling = MembershipType.objects.get_or_create(
        name="Municipal membership (rolling)",
        defaults={"period": MembershipType.Period.ROLLING, "grace_days": 45},
    )
    for kind, new in ((fixed, created), (rolling, created_rolling)):
        if new:
            FeeBand.objects.bulk_create(
                FeeBand(membership_type=kind, min_population=lo, max_population=hi, fee=fee)
                for lo, hi, fee in FEES
            )
    return fixed, rolling


def _pay(membership: Membership, staff: Any, share: Decimal, today: datetime.date) -> None:
    invoice = membership.invoices.get()
    record_payment(
        invoice=invoice,
        amount=(invoice.total * share).quantize(Decimal("0.01")),
        method="bank_transfer" if share == 1 else "cheque",
        received_on=today,
        reference="DEMO",
        by=staff,
    )


def _member_scenario(
    member: Member, scenario: str, types: tuple[MembershipType, MembershipType], staff: Any
) -> None:
    fixed, rolling = types
    today = association_today()
    communities = list(member.communities.all())
    if not communities:
        return
    if scenario in ("grace", "expired"):
        months = -12 if scenario == "grace" else -15
        start = add_months(today, months) - datetime.timedelta(days=10)
        kind = rolling
    else:
        start, kind = today - datetime.timedelta(days=40), fixed
    membership = apply_for_membership(
        member=member, membership_type=kind, communities=communities, start=start, by=staff
    )
    if scenario == "pending":
        return
    approve_membership(membership=membership, message="Welcome to the network!", by=staff)
    if scenario in ("paid", "grace", "expired"):
        _pay(membership, staff, Decimal(1), today)
    elif scenario == "partly_paid":
        _pay(membership, staff, Decimal("0.5"), today)
    elif scenario == "credited":
        credit_invoice(
            invoice=membership.invoices.get(),
            amount=Decimal("50.00"),
            reason="Founding-member discount agreed by the board",
            by=staff,
        )


def _people(member: Member, index: int, staff: Any) -> None:
    if member.contacts.filter(role=Contact.Role.BILLING).exists():
        return
    today = association_today()
    slug = member.slug[:30]
    add_contact(
        member=member,
        name=f"Billing desk, {member.name}"[:150],
        role=Contact.Role.BILLING,
        email=f"billing@{slug}.example",
        by=staff,
    )
    add_officer(
        member=member,
        name=f"Chair of {member.name}"[:150],
        position=Officer.Position.PRESIDENT,
        term_start=today - datetime.timedelta(days=700),
        term_end=today + datetime.timedelta(days=30 if index % 4 == 0 else 500),
        by=staff,
    )


def _bank_details(staff: Any) -> None:
    """The demo association's bank account, so its invoices say how to pay (a US account: the
    routing number is a real bank's public one, the account number made up)."""
    association = get_association()
    if association.bank_account_number:
        return
    update_association(
        association=association,
        by=staff,
        bank_account_holder=association.name,
        bank_account_number="000123456789",
        bank_code="021000021",
        bank_name="Demo Bank",
        payment_instructions="Cheques are payable to the association; write the invoice number "
        "on the back.",
    )


def seed_members(*, staff: Any = SYSTEM) -> int:
    """Memberships for the demo members; returns how many were created (0 on a second run)."""
    types = _types()
    if Membership.objects.exists():
        return 0
    _bank_details(staff)
    members = list(Member.objects.order_by("pk"))
    for index, member in enumerate(members):
        _people(member, index, staff)
        # The committee admin's own member (the first) is current and paid: its dashboard then
        # shows partnerships and officers rather than a wall of warnings.
        scenario = "paid" if index == 0 else SCENARIOS[index % len(SCENARIOS)]
        _member_scenario(member, scenario, types, staff)
    return Membership.objects.count()


def make_current(member: Member, *, staff: Any = SYSTEM) -> None:
    """The member's membership current and paid (its application approved, or a new one made
    and approved): a demo committee that applies for funding is in good standing, as the
    programs require. Nothing when its membership is already current (or in grace)."""
    if member_status(member).status in GOOD_STANDING_STATUSES:
        return
    today = association_today()
    membership = Membership.objects.filter(
        member=member, approved_at__isnull=True, declined_at__isnull=True, cancelled_on__isnull=True
    ).first() or apply_for_membership(
        member=member,
        membership_type=_types()[0],
        communities=list(member.communities.all()),
        start=today - datetime.timedelta(days=40),
        by=staff,
    )
    approve_membership(membership=membership, message="Welcome to the network!", by=staff)
    _pay(membership, staff, Decimal(1), today)
