"""The ledger's running totals (kept by the money services, equal to the sums over the rows),
the ledger's pages and its CSV snapshot (built once per ledger version, always current, never
an e-mail), money needs fulfilled by donations against them, the donor's receipt e-mailed as a
single-use link, and which appeals the public list shows (closed, archived, draft)."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from tests.relief.helpers import (
    goods_pledge,
    kept_totals,
    make_appeal,
    recomputed_totals,
    shipped,
)
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.core.media import private_storage
from twinning.outbox.models import OutboxMessage
from twinning.relief.models import Appeal, Expense, LedgerSnapshot, LedgerTotal, Need
from twinning.relief.services import (
    add_need,
    confirm_need,
    decide_expense,
    rebuild_totals,
    record_donation,
    record_pledge,
    set_appeal_status,
)

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.timedelta(days=1)


def _donate(appeal, amount="10.00", currency="USD", **kwargs):
    kwargs.setdefault("name", "Ada Lovelace")
    return record_donation(
        appeal=appeal,
        amount=amount,
        currency=currency,
        received_on=association_today() - YESTERDAY,
        by=SYSTEM,
        **kwargs,
    )


def _approved_expense(appeal, amount, currency="USD"):
    expense = Expense.objects.create(
        appeal=appeal,
        description="Water filters",
        amount=Decimal(amount),
        currency=currency,
        spent_on=association_today(),
        receipt_name="relief/r.pdf",
        receipt_mime="application/pdf",
        receipt_display_name="r.pdf",
    )
    return decide_expense(expense=expense, approve=True, by=SYSTEM)


def _money_need(appeal, quantity=500):
    need = add_need(
        appeal=appeal,
        kind="money",
        title="Local purchases",
        quantity=quantity,
        unit="USD",
        by=SYSTEM,
    )
    return confirm_need(need=need, by=SYSTEM)


def _csv(client, appeal) -> str:
    response = client.get(f"/relief/{appeal.slug}/ledger.csv")
    return b"".join(response.streaming_content).decode()


# --- Running totals ----------------------------------------------------------------------------


def test_the_totals_equal_the_sums_over_the_rows_after_pledges_gifts_and_expenses(appeal):
    record_pledge(appeal=appeal, kind="money", amount="50", name="Lions", by=SYSTEM)
    record_pledge(appeal=appeal, kind="money", amount="7.5", currency="EUR", name="B", by=SYSTEM)
    goods_pledge(appeal, appeal.needs.get(), 4)
    _donate(appeal, "100.00")
    _donate(appeal, "30", "EUR")
    _approved_expense(appeal, "40.00")

    appeal.refresh_from_db()
    assert kept_totals(appeal) == recomputed_totals(appeal)
    assert kept_totals(appeal)["USD"] == (Decimal(100), Decimal(40), Decimal(50), 1)
    assert appeal.pledge_count == 3


def test_a_refused_expense_changes_neither_the_totals_nor_the_ledger_version(appeal):
    _donate(appeal, "10.00")
    appeal.refresh_from_db()
    version = appeal.ledger_version

    with pytest.raises(ValidationError):
        _approved_expense(appeal, "10.01")

    appeal.refresh_from_db()
    assert appeal.ledger_version == version
    assert kept_totals(appeal)["USD"] == (Decimal(10), Decimal(0), Decimal(0), 1)


def test_rebuilding_the_totals_repairs_totals_that_drifted(appeal):
    _donate(appeal, "25.00")
    LedgerTotal.objects.filter(appeal=appeal).update(received=Decimal(999))

    rebuild_totals([appeal])

    assert kept_totals(appeal) == recomputed_totals(appeal)


# --- The page, the ledger's pages and its CSV ---------------------------------------------------


def test_the_public_page_shows_the_latest_gifts_and_links_to_every_gift(appeal, anonymous):
    for n in range(12):
        _donate(appeal, "1.00", name=f"Donor {n:02d}")

    page = anonymous.get(appeal.get_absolute_url()).content.decode()
    ledger = anonymous.get(f"/relief/{appeal.slug}/ledger/").content.decode()

    assert "Donor 11" in page and "Donor 01" not in page
    assert f'href="/relief/{appeal.slug}/ledger/"' in page
    assert all(f"Donor {n:02d}" in ledger for n in range(12))
    assert "12.00" in page  # the balance, from the running totals


def test_the_ledger_page_lists_the_money_out_on_its_own_tab(appeal, anonymous):
    _donate(appeal, "100.00")
    _approved_expense(appeal, "40.00")

    page = anonymous.get(f"/relief/{appeal.slug}/ledger/?out=1").content.decode()

    assert "Water filters" in page and "Ada Lovelace" not in page


def test_the_ledger_csv_after_a_new_donation_includes_it_and_never_an_email(appeal, anonymous):
    _donate(appeal, "10.00", email="ada@example.org")
    first = _csv(anonymous, appeal)

    _donate(appeal, "5.00", name="Grace Hopper", email="grace@example.org")
    second = _csv(anonymous, appeal)

    assert "Grace Hopper" not in first and "Grace Hopper" in second
    assert second.splitlines()[-1] == ",balance,,15.00,USD"
    assert "example.org" not in first + second


def test_the_ledger_csv_is_stored_once_per_version_and_the_old_one_deleted(appeal, anonymous):
    _donate(appeal, "10.00")
    _csv(anonymous, appeal)
    _csv(anonymous, appeal)
    old = LedgerSnapshot.objects.get()

    _approved_expense(appeal, "4.00")
    _csv(anonymous, appeal)

    new = LedgerSnapshot.objects.get()
    assert new.version == old.version + 1
    assert not private_storage.exists(old.file_name)
    assert private_storage.exists(new.file_name)


def test_a_client_holding_the_current_ledger_csv_gets_not_modified(appeal, anonymous):
    _donate(appeal, "10.00")
    etag = anonymous.get(f"/relief/{appeal.slug}/ledger.csv")["ETag"]

    again = anonymous.get(f"/relief/{appeal.slug}/ledger.csv", headers={"if-none-match": etag})
    _donate(appeal, "1.00")
    changed = anonymous.get(f"/relief/{appeal.slug}/ledger.csv", headers={"if-none-match": etag})

    assert again.status_code == 304
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_draft_appeals_ledger_is_not_found_by_the_public(partner, anonymous):
    draft = make_appeal(community=partner.community, status="draft", title="Draft appeal")

    assert anonymous.get(f"/relief/{draft.slug}/ledger.csv").status_code == 404
    assert anonymous.get(f"/relief/{draft.slug}/ledger/").status_code == 404


def test_the_shipments_page_lists_every_shipment_beyond_the_appeals_page(appeal, anonymous):
    need = appeal.needs.get()
    for n in range(7):
        shipped(appeal, [goods_pledge(appeal, need, 1, name=f"S{n}")])

    page = anonymous.get(appeal.get_absolute_url()).content.decode()
    listing = anonymous.get(f"/relief/{appeal.slug}/shipments/").content.decode()

    assert page.count('class="card"') < listing.count('class="card"') == 7
    assert f'href="/relief/{appeal.slug}/shipments/"' in page


# --- Money needs -------------------------------------------------------------------------------


def test_a_gift_against_a_money_need_counts_towards_it_and_a_pledge_does_not(appeal, anonymous):
    need = _money_need(appeal)
    record_pledge(appeal=appeal, kind="money", amount="400", name="Lions", by=SYSTEM)

    _donate(appeal, "120.50", need=need)
    _donate(appeal, "30.00")

    need.refresh_from_db()
    assert need.received_money == Decimal("120.50")
    assert need.percent == 24
    assert "120.50 USD" in anonymous.get(appeal.get_absolute_url()).content.decode()


def test_a_gift_against_a_money_need_in_another_currency_is_refused(appeal):
    need = _money_need(appeal)

    with pytest.raises(ValidationError, match="counts gifts in USD only"):
        _donate(appeal, "10", "EUR", need=need)

    need.refresh_from_db()
    assert need.received_money == 0 and not LedgerTotal.objects.filter(appeal=appeal).exists()


def test_a_gift_cannot_be_recorded_against_a_goods_need(appeal):
    with pytest.raises(ValidationError, match="confirmed money needs"):
        _donate(appeal, "10", need=appeal.needs.get())


def test_staff_record_a_gift_against_a_money_need_on_the_page(appeal, staff):
    need = _money_need(appeal)

    staff.post(
        f"/staff/relief/{appeal.slug}/donations/",
        {
            "amount": "80.00",
            "currency": "USD",
            "received_on": (association_today() - YESTERDAY).isoformat(),
            "method": "bank_transfer",
            "name": "Ada",
            "need": need.pk,
        },
    )

    assert Need.objects.get(pk=need.pk).received_money == Decimal(80)


# --- The donor's receipt by e-mail ---------------------------------------------------------------


def _receipt_path() -> str:
    message = OutboxMessage.objects.filter(template="relief.donation_receipt").latest("pk")
    url = next(iter(message.secret_links.values()))
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_donor_with_an_email_is_sent_a_link_to_the_receipt(
    appeal, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _donate(appeal, "25.00", email="ada@example.org")
        _donate(appeal, "5.00", name="No e-mail")

    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert "25.00 USD" in mail.outbox[0].body
    link = re.search(r"https?://[^/\s]+(/relief/receipt/\S+/)", mail.outbox[0].body)
    assert link is not None
    assert anonymous.post(link.group(1)).content.startswith(b"%PDF")


def test_the_receipt_link_serves_the_pdf_once(appeal, anonymous):
    _donate(appeal, "25.00", email="ada@example.org")
    path = _receipt_path()

    page = anonymous.get(path)
    pdf = anonymous.post(path)
    again = anonymous.post(path)

    assert "Download the receipt" in page.content.decode()
    assert pdf.content.startswith(b"%PDF")
    assert again.status_code == 404
    assert "This receipt link does not work" in again.content.decode()


def test_a_wrong_receipt_link_says_so(anonymous):
    response = anonymous.get("/relief/receipt/not-a-real-token/")

    assert response.status_code == 404
    assert "This receipt link does not work" in response.content.decode()


def test_a_receipt_link_older_than_30_days_says_so(appeal, anonymous):
    _donate(appeal, "25.00", email="ada@example.org")
    path = _receipt_path()

    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=31)):
        response = anonymous.post(path)

    assert response.status_code == 404
    assert "older than 30 days" in response.content.decode()


# --- Which appeals are listed -------------------------------------------------------------------


def _active_section(html: str) -> str:
    return html.split('id="active-heading"')[1].split("</section>", maxsplit=1)[0]


def test_a_closed_appeal_leaves_the_active_list_but_its_page_and_ledger_stay_public(
    appeal, anonymous
):
    _donate(appeal, "10.00")
    set_appeal_status(appeal=appeal, status=Appeal.Status.CLOSED, by=SYSTEM)

    listing = anonymous.get("/relief/").content.decode()

    assert appeal.title not in _active_section(listing)
    assert appeal.title in listing.split('id="closed-heading"')[1]
    assert anonymous.get(appeal.get_absolute_url()).status_code == 200
    assert "Ada Lovelace" in _csv(anonymous, appeal)


def test_an_archived_appeal_is_listed_nowhere_but_its_page_stays_public(appeal, anonymous):
    set_appeal_status(appeal=appeal, status=Appeal.Status.ARCHIVED, by=SYSTEM)

    listing = anonymous.get("/relief/").content.decode()

    assert appeal.title not in listing
    assert anonymous.get(appeal.get_absolute_url()).status_code == 200


def test_a_draft_appeal_is_listed_nowhere(partner, anonymous):
    make_appeal(community=partner.community, status="draft", title="Draft appeal")

    assert "Draft appeal" not in anonymous.get("/relief/").content.decode()


# --- Query-count guards ------------------------------------------------------------------------

LEDGER_PAGE_QUERIES = 4
SHIPMENTS_PAGE_QUERIES = 5


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_ledger_page_reads_a_fixed_number_of_queries(
    item_count, appeal, anonymous, django_assert_num_queries
):
    for n in range(item_count):
        _donate(appeal, name=f"Donor {n}")

    with django_assert_num_queries(LEDGER_PAGE_QUERIES):
        response = anonymous.get(f"/relief/{appeal.slug}/ledger/")

    assert response.content.decode().count("Donor ") == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_shipments_page_reads_a_fixed_number_of_queries(
    item_count, appeal, anonymous, django_assert_num_queries
):
    need = appeal.needs.get()
    for n in range(item_count):
        shipped(appeal, [goods_pledge(appeal, need, 1, name=f"S{n}")])

    with django_assert_num_queries(SHIPMENTS_PAGE_QUERIES):
        response = anonymous.get(f"/relief/{appeal.slug}/shipments/")

    assert response.content.decode().count('class="card"') == item_count


# --- Skills needs ------------------------------------------------------------------------------


def _skills_pledge(appeal, quantity=3):
    need = add_need(
        appeal=appeal, kind="skills", title="Engineers", quantity=5, unit="people", by=SYSTEM
    )
    need = confirm_need(need=need, by=SYSTEM)
    return goods_pledge(appeal, need, quantity)


def test_the_partner_side_confirms_skills_delivered_and_the_need_counts_them(
    appeal, partner_client, anonymous
):
    pledge = _skills_pledge(appeal)

    partner_client.post(
        f"/relief/{appeal.slug}/partner/pledges/{pledge.pk}/delivered/", {"quantity": 2}
    )

    need = Need.objects.get(pk=pledge.need_id)
    assert (need.pledged, need.fulfilled) == (3, 2)
    assert (
        f'data-testid="need-{need.pk}"' in anonymous.get(appeal.get_absolute_url()).content.decode()
    )


def test_skills_beyond_what_the_pledge_promised_are_refused_with_a_message(appeal, partner_client):
    pledge = _skills_pledge(appeal, quantity=3)

    response = partner_client.post(
        f"/relief/{appeal.slug}/partner/pledges/{pledge.pk}/delivered/",
        {"quantity": 4},
        follow=True,
    )

    assert "Only 3 of this pledge are still to deliver." in response.content.decode()
    assert Need.objects.get(pk=pledge.need_id).fulfilled == 0


@pytest.mark.parametrize(
    ("role", "status"), [("committee_admin", 404), ("other_committee_admin", 404)]
)
def test_only_the_partner_side_and_staff_confirm_skills_delivered(request, appeal, role, status):
    pledge = _skills_pledge(appeal)

    response = request.getfixturevalue(role).post(
        f"/relief/{appeal.slug}/partner/pledges/{pledge.pk}/delivered/", {"quantity": 1}
    )

    assert response.status_code == status
    assert Need.objects.get(pk=pledge.need_id).fulfilled == 0


def test_a_goods_pledge_is_not_confirmed_as_skills_delivered(appeal, partner_client):
    pledge = goods_pledge(appeal, appeal.needs.get(), 3)

    response = partner_client.post(
        f"/relief/{appeal.slug}/partner/pledges/{pledge.pk}/delivered/",
        {"quantity": 1},
        follow=True,
    )

    assert "Only a pledge of skills" in response.content.decode()
    assert appeal.needs.get().fulfilled == 0
