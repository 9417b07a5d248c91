"""Applications, decisions, overrides and their explanations, through the services."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CommunityFactory
from tests.factories.members import MembershipFactory
from twinning.core.authz import NotAllowed
from twinning.members.models import Invoice, Status
from twinning.members.services import (
    apply_for_membership,
    approve_membership,
    cancel_membership,
    decline_membership,
    join_association,
    override_status,
    record_payment,
)
from twinning.members.status import explain_status, member_status
from twinning.outbox.models import OutboxMessage

D = datetime.date
NOON = datetime.datetime(2026, 8, 3, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def applied(springfield_member, committee_admin_user, membership_type, association):
    with time_machine.travel(NOON):
        return apply_for_membership(
            member=springfield_member,
            membership_type=membership_type,
            communities=list(springfield_member.communities.all()),
            by=committee_admin_user,
        )


def test_apply_creates_pending_membership_for_the_fiscal_year(applied):
    assert applied.status_on(D(2026, 8, 3)) == Status.PENDING
    assert (applied.start, applied.end, applied.fee) == (
        D(2026, 8, 3),
        D(2027, 6, 30),
        Decimal("300.00"),
    )


def test_apply_tells_the_admins_by_email(applied, committee_admin_user):
    message = OutboxMessage.objects.get(template="members.application_received")

    assert message.to == committee_admin_user.email
    assert "Springfield Sister Cities" in message.body


def test_a_second_waiting_application_is_refused(applied, committee_admin_user, membership_type):
    with pytest.raises(ValidationError, match="already waiting"):
        apply_for_membership(
            member=applied.member,
            membership_type=membership_type,
            communities=list(applied.member.communities.all()),
            by=committee_admin_user,
        )


def test_another_committee_cannot_apply_for_a_member(
    springfield_member, other_committee_admin_user, membership_type
):
    with pytest.raises(NotAllowed):
        apply_for_membership(
            member=springfield_member,
            membership_type=membership_type,
            communities=list(springfield_member.communities.all()),
            by=other_committee_admin_user,
        )


def test_approve_makes_it_current_invoices_and_emails(applied, staff_user):
    with time_machine.travel(NOON):
        approve_membership(membership=applied, message="Welcome aboard", by=staff_user)

    applied.refresh_from_db()
    invoice = Invoice.objects.get(membership=applied)
    assert applied.status_on(D(2026, 8, 3)) == Status.CURRENT
    assert (invoice.number, invoice.total) == ("2026-0001", Decimal("300.00"))
    approved = OutboxMessage.objects.get(template="members.application_approved")
    assert "Welcome aboard" in approved.body


def test_an_application_is_decided_only_once(applied, staff_user):
    approve_membership(membership=applied, by=staff_user)

    with pytest.raises(ValidationError, match="already been decided"):
        decline_membership(membership=applied, message="No", by=staff_user)


def test_decline_needs_a_message_and_tells_the_committee(applied, staff_user):
    with pytest.raises(ValidationError):
        decline_membership(membership=applied, message="  ", by=staff_user)

    decline_membership(
        membership=applied, message="Your community is not in our country.", by=staff_user
    )

    applied.refresh_from_db()
    assert applied.status_on(D(2026, 8, 3)) == Status.DECLINED
    declined = OutboxMessage.objects.get(template="members.application_declined")
    assert "not in our country" in declined.body


def test_explanation_names_the_paying_invoice(applied, staff_user):
    with time_machine.travel(NOON):
        approve_membership(membership=applied, by=staff_user)
        invoice = Invoice.objects.get(membership=applied)
        record_payment(
            invoice=invoice,
            amount="300.00",
            method="cheque",
            received_on=D(2026, 8, 3),
            by=staff_user,
        )
    applied.refresh_from_db()

    assert explain_status(applied, D(2026, 9, 1)) == (
        "Current until 2027-06-30, paid by invoice 2026-0001."
    )


def test_explanation_says_what_is_still_due(applied, staff_user):
    with time_machine.travel(NOON):
        approve_membership(membership=applied, by=staff_user)
    applied.refresh_from_db()

    assert explain_status(applied, D(2026, 9, 1)) == (
        "Current until 2027-06-30, invoice 2026-0001 has 300.00 USD still due."
    )


def test_renewal_starts_the_day_after_the_current_end(
    springfield_member, committee_admin_user, membership_type, association
):
    MembershipFactory(member=springfield_member, membership_type=membership_type)

    with time_machine.travel(datetime.datetime(2027, 5, 20, 16, tzinfo=datetime.UTC)):
        renewal = apply_for_membership(
            member=springfield_member,
            membership_type=membership_type,
            communities=list(springfield_member.communities.all()),
            by=committee_admin_user,
        )

    assert (renewal.start, renewal.end, renewal.is_renewal) == (D(2027, 7, 1), D(2028, 6, 30), True)


def test_join_creates_the_member_and_makes_the_applicant_its_admin(
    public_user, membership_type, association
):
    town = CommunityFactory(name="Ogdenville", population=12_000)

    membership = join_association(
        name="Ogdenville Twinning Club",
        kind="committee",
        communities=[town],
        membership_type=membership_type,
        by=public_user,
    )

    member = membership.member
    assert list(member.admins.all()) == [public_user]
    assert list(member.communities.all()) == [town]
    assert membership.approved_at is None


def test_override_needs_a_reason_and_holds_until_its_date(staff_user, association):
    membership = MembershipFactory(start=D(2025, 2, 1), end=D(2026, 1, 31))

    with pytest.raises(ValidationError):
        override_status(
            membership=membership, status="current", reason="", until=None, by=staff_user
        )
    with time_machine.travel(NOON):
        override_status(
            membership=membership,
            status="current",
            reason="Cheque in the post",
            until=D(2026, 9, 30),
            by=staff_user,
        )

    assert membership.status_on(D(2026, 9, 30)) == Status.CURRENT
    assert membership.status_on(D(2026, 10, 1)) == Status.EXPIRED
    assert "Cheque in the post" in explain_status(membership, D(2026, 9, 1))


def test_cancel_needs_a_reason(staff_user):
    membership = MembershipFactory()

    with pytest.raises(ValidationError):
        cancel_membership(membership=membership, on=D(2027, 1, 1), reason="", by=staff_user)
    cancel_membership(membership=membership, on=D(2027, 1, 1), reason="Dissolved", by=staff_user)

    assert member_status(membership.member, D(2027, 2, 1)).explanation == (
        "Cancelled on 2027-01-01: Dissolved."
    )
