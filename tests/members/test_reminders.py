"""Renewal reminders: 60, 30 and 7 days before the end, then in grace; to the billing
contact; each once, however often the scheduler runs (IDEM-4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.factories.members import MembershipFactory
from twinning.members.models import Invoice, Membership, ReminderSent
from twinning.members.services import send_renewal_reminders
from twinning.members.services.reminders import reminder_due
from twinning.network.models import Contact, Officer
from twinning.network.services import add_contact, add_officer
from twinning.outbox.models import OutboxMessage

D = datetime.date
END = D(2027, 6, 30)


@pytest.fixture
def membership(springfield_member, staff_user, association):
    add_contact(
        member=springfield_member,
        name="Bill Payer",
        role=Contact.Role.BILLING,
        email="billing@springfield.example",
        by=staff_user,
    )
    return MembershipFactory(member=springfield_member)


def _reminders():
    return list(
        OutboxMessage.objects.filter(template="members.renewal_reminder").values_list(
            "to", flat=True
        )
    )


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (END - datetime.timedelta(days=61), None),
        (END - datetime.timedelta(days=60), "60"),
        (END - datetime.timedelta(days=31), "60"),
        (END - datetime.timedelta(days=30), "30"),
        (END - datetime.timedelta(days=8), "30"),
        (END - datetime.timedelta(days=7), "7"),
        (END, "7"),
        (END + datetime.timedelta(days=1), "grace"),
        (END + datetime.timedelta(days=30), "grace"),
        (END + datetime.timedelta(days=31), None),
    ],
)
def test_reminder_due_on_each_day(membership, day, kind):
    assert reminder_due(membership, day) == kind


def test_each_reminder_goes_once_to_the_billing_contact(membership):
    for days_before in (60, 59, 30, 29, 7, 1, -1, -2):
        send_renewal_reminders(on=END - datetime.timedelta(days=days_before))

    assert _reminders() == ["billing@springfield.example"] * 4
    assert sorted(membership.reminders_sent.values_list("kind", flat=True)) == [
        "30",
        "60",
        "7",
        "grace",
    ]


def test_running_the_scheduler_twice_sends_nothing_twice(membership):
    day = END - datetime.timedelta(days=30)

    first = send_renewal_reminders(on=day)
    second = send_renewal_reminders(on=day)

    assert (first.sent, second.sent) == (1, 0)
    assert len(_reminders()) == 1


def test_the_command_sends_the_days_reminders(membership):
    call_command("send_renewal_reminders", "--date", "2027-06-23")
    call_command("send_renewal_reminders", "--date", "2027-06-23")

    assert ReminderSent.objects.get().kind == "7"
    assert (
        "ends on 2027-06-30, in 7 days"
        in OutboxMessage.objects.get(template="members.renewal_reminder").body
    )


def test_the_reminder_carries_the_renewal_link(membership):
    send_renewal_reminders(on=END - datetime.timedelta(days=60))

    body = OutboxMessage.objects.get(template="members.renewal_reminder").body
    assert f"/portal/{membership.member.slug}/membership/renew/" in body


def test_treasurer_when_no_billing_contact(springfield_member, staff_user, association):
    add_officer(
        member=springfield_member,
        name="Tess Urer",
        position=Officer.Position.TREASURER,
        email="treasurer@springfield.example",
        by=staff_user,
    )
    MembershipFactory(member=springfield_member)

    send_renewal_reminders(on=END)

    assert _reminders() == ["treasurer@springfield.example"]


def test_no_reminder_once_renewed(membership):
    MembershipFactory(
        member=membership.member, start=D(2027, 7, 1), end=D(2028, 6, 30), approved_at=None
    )

    send_renewal_reminders(on=END - datetime.timedelta(days=7))

    assert _reminders() == []


def test_no_address_no_reminder_and_nothing_recorded(db, association):
    membership = MembershipFactory()

    summary = send_renewal_reminders(on=END)

    assert (summary.sent, summary.skipped_no_address) == (0, 1)
    assert not membership.reminders_sent.exists()


def test_auto_renew_sends_the_next_invoice_instead(membership):
    membership.auto_renew = True
    membership.save()

    send_renewal_reminders(on=END - datetime.timedelta(days=60))
    send_renewal_reminders(on=END - datetime.timedelta(days=59))

    renewal = Membership.objects.get(start=D(2027, 7, 1))
    invoice = Invoice.objects.get(membership=renewal)
    assert (renewal.end, invoice.total) == (D(2028, 6, 30), Decimal("300.00"))
    assert _reminders() == []
    assert OutboxMessage.objects.get(template="members.invoice_issued").to == (
        "billing@springfield.example"
    )
