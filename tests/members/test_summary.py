"""The stored member summary the staff list pages on (LOAD-1, LOAD-5): every service that
changes what a status or a balance depends on stores the new one, the calendar's changes are
picked up by the list and the scheduled command, and the stored figures equal the computed
ones for a varied population on every day."""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from tests.factories import CommunityFactory, MemberFactory
from tests.factories.members import MembershipFactory
from twinning.members.imports import import_members
from twinning.members.models import Invoice, MemberSummary, Status
from twinning.members.queries import member_owes
from twinning.members.services import (
    apply_for_membership,
    approve_membership,
    cancel_membership,
    create_renewal,
    credit_invoice,
    decline_membership,
    issue_invoice,
    join_association,
    override_status,
    record_payment,
    refresh_member_summaries,
    refresh_stale_summaries,
)
from twinning.members.status import member_status, membership_on
from twinning.network.models import Member

D = datetime.date
NOON = datetime.datetime(2026, 8, 3, 16, 0, tzinfo=datetime.UTC)  # 2026-08-03 in New York
TODAY = D(2026, 8, 3)


def stored(member):
    row = MemberSummary.objects.get(member=member)
    return row.status, row.membership_end, row.balance_owed


def computed(member, day=TODAY):
    status = member_status(Member.objects.get(pk=member.pk), day)
    end = status.membership.end if status.membership else None
    return status.status, end, member_owes(member).quantize(Decimal("0.01"))


@pytest.fixture
def travel():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.mark.usefixtures("travel", "association")
def test_each_membership_service_stores_the_new_status(
    springfield_member, committee_admin_user, staff_user, membership_type
):
    member = springfield_member
    communities = list(member.communities.all())
    application = apply_for_membership(
        member=member, membership_type=membership_type, communities=communities,
        by=committee_admin_user,
    )  # fmt: skip
    assert stored(member) == (Status.PENDING, D(2027, 6, 30), Decimal("0.00")) == computed(member)

    approve_membership(membership=application, by=staff_user)
    assert stored(member) == (Status.CURRENT, D(2027, 6, 30), Decimal("300.00"))
    application.refresh_from_db()

    override_status(
        membership=application, status="expired", reason="Disputed", until=None, by=staff_user
    )
    assert stored(member)[0] == Status.EXPIRED == computed(member)[0]

    override_status(membership=application, status="", reason="", until=None, by=staff_user)
    assert stored(member)[0] == Status.CURRENT

    renewal = create_renewal(membership=application, by=staff_user)
    assert renewal.start == D(2027, 7, 1)
    # Still current (the renewal is upcoming); its invoice is owed too.
    assert stored(member) == (Status.CURRENT, D(2027, 6, 30), Decimal("600.00")) == computed(member)

    cancel_membership(membership=application, on=TODAY, reason="Dissolved", by=staff_user)
    assert stored(member)[0] == Status.UPCOMING == computed(member)[0]


@pytest.mark.usefixtures("travel", "association")
def test_decline_join_and_import_store_the_status(
    staff_user, public_user, membership_type, springfield
):
    joined = join_association(
        name="Ogdenville Twinning Club", kind="committee",
        communities=[CommunityFactory(name="Ogdenville", population=12_000)],
        membership_type=membership_type, by=public_user,
    )  # fmt: skip
    assert stored(joined.member)[0] == Status.PENDING

    decline_membership(membership=joined, message="Not in our country.", by=staff_user)
    assert stored(joined.member)[0] == Status.DECLINED == computed(joined.member)[0]

    CommunityFactory(name="Capital City", country=springfield.country)
    report = import_members(
        [
            "name,kind,community,country,membership_type,start",
            f"Capital Twinning,committee,Capital City,US,{membership_type.name},2026-07-01",
        ],
        by=staff_user,
    )
    assert report.imported == 1
    imported = Member.objects.get(name="Capital Twinning")
    assert stored(imported) == (Status.CURRENT, D(2027, 6, 30), Decimal("0.00"))


def test_each_invoice_service_stores_the_new_balance(
    travel, springfield_member, staff_user, association
):
    member = springfield_member
    membership = MembershipFactory(member=member)
    assert stored(member) == (Status.CURRENT, D(2027, 6, 30), Decimal("0.00"))

    invoice = issue_invoice(
        member=member, membership=membership, lines=[("Dues", 1, "300")], by=staff_user
    )
    assert stored(member)[2] == Decimal("300.00")

    record_payment(invoice=invoice, amount="120", method="cheque", received_on=TODAY, by=staff_user)
    assert stored(member)[2] == Decimal("180.00")

    credit_invoice(invoice=invoice, reason="Hardship", amount="30", by=staff_user)
    assert stored(member)[2] == Decimal("150.00") == computed(member)[2]
    assert Invoice.objects.filter(member=member, kind=Invoice.Kind.CREDIT_NOTE).count() == 1


def test_the_list_shows_a_status_the_calendar_changed_without_any_write(staff, association):
    member = MemberFactory(name="Alpha Lapsing", communities=[CommunityFactory()])
    with time_machine.travel(NOON):
        MembershipFactory(member=member, start=D(2025, 8, 1), end=D(2026, 7, 31))
        assert stored(member)[0] == Status.GRACE

    # 30 days of grace: 2026-08-30 is the last; nothing is written after that.
    with time_machine.travel(datetime.datetime(2026, 9, 1, 16, tzinfo=datetime.UTC)):
        page = staff.get("/staff/members/?status=expired")

    assert [m.name for m in page.context["page"].object_list] == ["Alpha Lapsing"]
    assert "Expired" in page.content.decode()
    assert stored(member)[0] == Status.EXPIRED


def test_the_scheduled_command_refreshes_what_the_calendar_changed(association):
    member = MemberFactory()
    with time_machine.travel(NOON):
        MembershipFactory(member=member, start=D(2026, 9, 1), end=D(2027, 6, 30))
        assert stored(member)[0] == Status.UPCOMING
    assert settings.TWINNING_SCHEDULE["refresh_member_status"] <= 3600

    with time_machine.travel(datetime.datetime(2026, 9, 1, 16, tzinfo=datetime.UTC)):
        call_command("refresh_member_status", verbosity=0)
        assert stored(member)[0] == Status.CURRENT
        # A second run finds nothing stale; --all rewrites every member.
        assert refresh_stale_summaries() == 0
        call_command("refresh_member_status", "--all", verbosity=0)
    assert stored(member)[0] == Status.CURRENT


def _varied_population(staff_user, rng):
    """Members with no, one or several memberships in every state, and invoices part-paid
    or credited."""
    members = []
    # One of each state for sure (the walk over the days adds current, grace and expired)...
    for i, options in enumerate(
        [
            {"approved_at": None},
            {"approved_at": None, "declined_at": NOON},
            {"cancelled_on": D(2026, 1, 1)},
            {"start": D(2026, 8, 20), "end": D(2026, 9, 30)},
        ]
    ):
        member = MemberFactory(name=f"Sure {i}")
        members.append(member)
        MembershipFactory(member=member, **options)
    # ... then a random mix.
    ends = [D(2025, 6, 30), D(2026, 6, 30), D(2026, 8, 10), D(2027, 6, 30)]
    for i in range(24):
        member = MemberFactory(name=f"Population {i:02d}")
        members.append(member)
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            end = rng.choice(ends)
            start = D(end.year - 1, 7, 1) if rng.random() < 0.8 else D(2026, 8, 20)
            end = max(end, start)
            options = {
                "approved_at": None if rng.random() < 0.15 else NOON,
                "cancelled_on": rng.choice([None, None, None, D(2026, 8, 15), D(2026, 1, 1)]),
            }
            if options["approved_at"] is None and rng.random() < 0.5:
                options["declined_at"] = NOON
            if rng.random() < 0.15:
                options.update(
                    override_status=rng.choice(["current", "grace", "expired", "cancelled"]),
                    override_reason="Agreed with the treasurer",
                    override_until=rng.choice([None, D(2026, 8, 20), D(2026, 10, 1)]),
                )
            membership = MembershipFactory(member=member, start=start, end=end, **options)
            if rng.random() < 0.6:
                invoice = issue_invoice(
                    member=member, membership=membership, lines=[("Dues", 1, "300")],
                    by=staff_user,
                )  # fmt: skip
                paid = rng.choice([0, 0, 100, 300])
                if paid:
                    record_payment(
                        invoice=invoice, amount=paid, method="cheque", received_on=TODAY,
                        by=staff_user,
                    )  # fmt: skip
                if paid < 300 and rng.random() < 0.3:
                    credit_invoice(invoice=invoice, reason="Waived", amount="50", by=staff_user)
    return members


def test_stored_summary_equals_the_computed_status_on_every_day(staff_user, association):
    rng = random.Random(20261203)
    with time_machine.travel(NOON, tick=False):
        members = _varied_population(staff_user, rng)
    statuses = {str(s) for s in Status}
    day = D(2026, 7, 20)
    refresh_member_summaries(on=day)
    seen = set()
    rows = Member.objects.filter(pk__in=[m.pk for m in members]).prefetch_related("memberships")
    while day <= D(2027, 9, 1):
        # Only what the calendar made stale is refreshed, as the list and the job do.
        refresh_stale_summaries(day)
        summaries = {s.member_id: s for s in MemberSummary.objects.all()}
        for member in rows:
            best = membership_on(list(member.memberships.all()), day)
            want = best.status_on(day) if best else None
            summary = summaries.get(member.pk)
            assert (summary.status if summary else None) == want, (member.name, day)
            assert (summary.membership_end if summary else None) == (best.end if best else None)
            seen.add(want)
        day += datetime.timedelta(days=3)
    for member in members:
        owed = member_owes(member).quantize(Decimal("0.01"))
        assert MemberSummary.objects.get(member=member).balance_owed == owed
    # The population covers every status and members without a membership.
    assert {s for s in seen if s} == statuses
    assert None in seen


@pytest.mark.django_db(transaction=True)
def test_payments_at_once_on_two_invoices_of_one_member_leave_the_right_balance(staff_user):
    """Each payment's refresh locks the member's row and reads after the other committed
    (PostgreSQL in .ci/run; SQLite serialises the writers)."""
    from tests.network.test_concurrency import _race
    from twinning.core.models import Association

    association = Association.load()
    association.currency = "USD"
    association.save()
    member = MemberFactory()
    invoices = [
        issue_invoice(member=member, lines=[("Dues", 1, "300")], by=staff_user) for _ in range(4)
    ]
    assert stored(member)[2] == Decimal("1200.00")

    outcomes = _race(
        lambda i: record_payment(
            invoice=invoices[i], amount="300", method="cheque",
            received_on=D(2026, 1, 2), by=staff_user,
        ),
        len(invoices),
    )  # fmt: skip

    assert outcomes == ["created"] * len(invoices)
    assert stored(member)[2] == Decimal("0.00") == member_owes(member)
