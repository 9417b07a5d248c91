"""Relief's services: needs shown only once the partner side confirmed them, pledges apart
from receipts, fulfilment from confirmed receipts, money at each currency's precision,
expenses counted once approved and never beyond the balance, the 90-day update rule and
updates to donors through the outbox."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from tests.relief.helpers import goods_pledge, ledger_lines, make_appeal, shipped
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.dates import association_today
from twinning.outbox.models import OutboxMessage
from twinning.outbox.services import unsubscribe
from twinning.relief import queries
from twinning.relief.models import Appeal, Expense, Need
from twinning.relief.services import (
    NewNeed,
    add_need,
    confirm_needs_with_link,
    confirm_receipt,
    confirm_receipt_with_link,
    decide_expense,
    post_update,
    record_donation,
    record_pledge,
    send_partner_link,
    set_appeal_status,
)

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.timedelta(days=1)


def _token_from_outbox() -> str:
    message = OutboxMessage.objects.latest("pk")
    link = next(iter(message.secret_links.values()))
    return link.rstrip("/").rsplit("/", 1)[-1]


def _expense(appeal, amount: str, currency: str = "USD") -> Expense:
    return Expense.objects.create(
        appeal=appeal,
        description="Water filters",
        amount=Decimal(amount),
        currency=currency,
        spent_on=association_today(),
        receipt_name="relief/r.pdf",
        receipt_mime="application/pdf",
        receipt_display_name="r.pdf",
    )


def _donate(appeal, amount: str, currency: str = "USD", **kwargs):
    kwargs.setdefault("name", "Ada Lovelace")
    return record_donation(
        appeal=appeal,
        amount=amount,
        currency=currency,
        received_on=association_today() - YESTERDAY,
        reference="TRF-42",
        by=SYSTEM,
        **kwargs,
    )


def test_a_need_the_organisers_propose_is_not_confirmed_until_the_partner_side_confirms(
    appeal, committee_admin_user
):
    need = add_need(
        appeal=appeal,
        kind="goods",
        title="School kits",
        quantity=50,
        unit="kits",
        by=committee_admin_user,
    )

    assert need.is_confirmed is False
    assert list(queries.confirmed_needs(appeal).values_list("title", flat=True)) == [
        "Hospital beds 0"
    ]


def test_a_need_the_partner_side_posts_from_its_account_is_confirmed(appeal, partner):
    need = add_need(
        appeal=appeal,
        kind="goods",
        title="Water filters",
        quantity=20,
        unit="filters",
        by=partner.admin,
    )

    assert need.is_confirmed
    assert need.posted_by_partner


def test_the_partner_link_confirms_needs_once_and_then_stops_working(appeal):
    proposed = add_need(
        appeal=appeal, kind="goods", title="Tents", quantity=10, unit="tents", by=SYSTEM
    )
    send_partner_link(appeal=appeal, by=SYSTEM)
    token = _token_from_outbox()

    confirm_needs_with_link(
        token=token,
        name="Jelena",
        confirm=[proposed.pk],
        new=[NewNeed("skills", "Trauma nurses", 3, "nurses")],
    )

    proposed.refresh_from_db()
    assert proposed.confirmed_by_name == "Jelena"
    assert appeal.needs.confirmed().count() == 3
    with pytest.raises(NotAllowed):
        confirm_needs_with_link(token=token, name="Jelena", confirm=[])


def test_an_appeal_opens_only_once_a_need_is_confirmed(partner, springfield_member):
    appeal = make_appeal(
        community=partner.community, organisers=[springfield_member], status="draft", needs=0
    )

    with pytest.raises(ValidationError):
        set_appeal_status(appeal=appeal, status=Appeal.Status.OPEN, by=SYSTEM)


def test_a_pledge_of_goods_counts_as_pledged_but_fulfils_nothing(appeal):
    need = appeal.needs.get()

    goods_pledge(appeal, need, 40)

    need.refresh_from_db()
    assert (need.pledged, need.fulfilled) == (40, 0)


def test_a_pledge_against_an_unconfirmed_need_is_refused(appeal):
    need = add_need(
        appeal=appeal, kind="goods", title="Tents", quantity=10, unit="tents", by=SYSTEM
    )

    with pytest.raises(ValidationError):
        goods_pledge(appeal, need, 1)


def test_fulfilment_follows_the_confirmed_receipt_and_differences_are_flagged(appeal, partner):
    need = appeal.needs.get()
    shipment = shipped(appeal, [goods_pledge(appeal, need, 40)])
    line = shipment.lines.get()

    receipt = confirm_receipt(shipment=shipment, counts={line.pk: 38}, by=partner.admin)

    need.refresh_from_db()
    assert need.fulfilled == 38
    assert receipt.has_differences
    shipment.refresh_from_db()
    assert shipment.status == "delivered"


def test_a_receipt_counting_more_than_the_largest_quantity_is_refused_and_changes_nothing(
    appeal, partner
):
    need = appeal.needs.get()
    shipment = shipped(appeal, [goods_pledge(appeal, need, 40)])
    line = shipment.lines.get()

    with pytest.raises(ValidationError, match="Enter at most 1000000"):
        confirm_receipt(shipment=shipment, counts={line.pk: 2**31}, by=partner.admin)

    need.refresh_from_db()
    assert need.fulfilled == 0
    assert not hasattr(shipment, "receipt")


def test_a_receipt_confirmed_through_the_link_works_once(appeal):
    need = appeal.needs.get()
    shipment = shipped(appeal, [goods_pledge(appeal, need, 10)])
    send_partner_link(appeal=appeal, shipment=shipment, by=SYSTEM)
    token = _token_from_outbox()
    line = shipment.lines.get()

    confirm_receipt_with_link(token=token, name="Jelena", counts={line.pk: 10})

    need.refresh_from_db()
    assert need.fulfilled == 10
    with pytest.raises(NotAllowed):
        confirm_receipt_with_link(token=token, name="Jelena", counts={line.pk: 10})


def test_a_shipment_receipt_is_confirmed_only_once(appeal, partner):
    need = appeal.needs.get()
    shipment = shipped(appeal, [goods_pledge(appeal, need, 5)])
    line = shipment.lines.get()
    confirm_receipt(shipment=shipment, counts={line.pk: 5}, by=partner.admin)

    with pytest.raises(ValidationError):
        confirm_receipt(shipment=shipment, counts={line.pk: 5}, by=partner.admin)

    need.refresh_from_db()
    assert need.fulfilled == 5


@pytest.mark.parametrize(
    ("amount", "currency", "stored"),
    [
        ("120.50", "USD", Decimal("120.50")),
        ("5000", "JPY", Decimal("5000")),
        ("1.250", "KWD", Decimal("1.250")),
    ],
)
def test_money_received_is_exact_in_its_currency(appeal, amount, currency, stored):
    donation = _donate(appeal, amount, currency)

    donation.refresh_from_db()
    assert (donation.amount, donation.currency) == (stored, currency)


def test_money_with_more_decimals_than_its_currency_is_refused(appeal):
    with pytest.raises(ValidationError) as refused:
        _donate(appeal, "0.50", "JPY")

    assert "JPY has 0 decimals" in str(refused.value)
    assert appeal.donations.count() == 0


def test_money_received_dated_in_the_future_is_refused(appeal):
    with pytest.raises(ValidationError):
        record_donation(
            appeal=appeal,
            amount="10",
            currency="USD",
            received_on=association_today() + YESTERDAY,
            name="Ada",
            by=SYSTEM,
        )


def test_an_expense_counts_in_the_ledger_only_once_approved(appeal, staff_user):
    _donate(appeal, "100.00")
    expense = _expense(appeal, "30.00")
    assert [b.balance for b in queries.balances(appeal)] == [Decimal("100.00")]

    decide_expense(expense=expense, approve=True, by=staff_user)

    assert [(b.received, b.spent, b.balance) for b in queries.balances(appeal)] == [
        (Decimal("100.00"), Decimal("30.00"), Decimal("70.00"))
    ]


def test_an_expense_beyond_the_balance_in_its_currency_is_refused(appeal, staff_user):
    _donate(appeal, "100.00")
    _donate(appeal, "500", "EUR")
    expense = _expense(appeal, "100.01")

    with pytest.raises(ValidationError):
        decide_expense(expense=expense, approve=True, by=staff_user)

    expense.refresh_from_db()
    assert expense.state == Expense.State.SUBMITTED


def test_the_ledger_shows_donors_by_public_name_or_anonymous_never_their_email(appeal):
    _donate(appeal, "10", email="ada@example.org")
    _donate(appeal, "20", name="Grace Hopper", anonymous=True, email="grace@example.org")

    rows = ledger_lines(appeal)

    assert [r[2] for r in rows if r[1] == "in"] == ["Ada Lovelace", "Anonymous"]
    assert "example.org" not in repr(rows)
    assert rows[-1] == ["", "balance", "", "30.00", "USD"]


def test_an_appeal_without_an_update_for_90_days_leaves_the_active_list_until_it_reports(
    appeal, committee_admin_user
):
    later = association_today() + datetime.timedelta(days=95)

    with time_machine.travel(later, tick=False):
        assert list(Appeal.objects.active(association_today())) == []
        assert list(Appeal.objects.overdue(association_today())) == [appeal]
        post_update(
            appeal=appeal, title="Beds arrived", body="All 100 beds.", by=committee_admin_user
        )
        assert list(Appeal.objects.active(association_today())) == [appeal]


def test_donors_who_opted_in_get_the_update_with_a_working_unsubscribe(
    appeal, committee_admin_user, django_capture_on_commit_callbacks
):
    record_pledge(
        appeal=appeal,
        kind="money",
        amount="50",
        name="Ada",
        email="ada@example.org",
        follow=True,
        by=committee_admin_user,
    )
    record_pledge(
        appeal=appeal,
        kind="money",
        amount="5",
        name="Bob",
        email="bob@example.org",
        by=committee_admin_user,
    )

    with django_capture_on_commit_callbacks(execute=True):
        post_update(
            appeal=appeal, title="Beds arrived", body="All 100 beds.", by=committee_admin_user
        )

    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert "To stop such e-mails" in mail.outbox[0].body
    unsubscribe(email="ada@example.org", by=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        post_update(appeal=appeal, title="Second", body="More.", by=committee_admin_user)
    assert len(mail.outbox) == 1


def test_money_received_is_restricted_to_its_appeal(appeal, partner):
    other = make_appeal(community=partner.community, title="Another appeal")
    _donate(other, "99")

    assert queries.balances(appeal) == []
    assert Need.objects.filter(appeal=appeal).count() == 1
