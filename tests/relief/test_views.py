"""Relief's pages by role: the partner side's page (its committee's admin, staff; nobody else),
the single-use link, pledging, money received with its PDF receipt, the public page and its
ledger (never a donor's e-mail), the overdue flag; and the query-count guard of every list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.activities.matrix import tiny_png
from tests.relief.helpers import goods_pledge, make_appeal, partner_city, shipped
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.outbox.models import OutboxMessage
from twinning.relief.models import Appeal, Donation, Pledge
from twinning.relief.services import add_need, record_donation, send_partner_link

pytestmark = pytest.mark.django_db


def _donate(appeal, amount="10.00", **kwargs):
    kwargs.setdefault("name", "Ada Lovelace")
    return record_donation(
        appeal=appeal,
        amount=amount,
        currency="USD",
        received_on=association_today() - datetime.timedelta(days=1),
        by=SYSTEM,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("partner_client", 200),
        ("staff", 200),
        ("committee_admin", 404),
        ("other_committee_admin", 404),
        ("public", 404),
    ],
)
def test_the_partner_page_is_for_the_partner_side_and_staff_only(request, appeal, role, status):
    client = request.getfixturevalue(role)

    response = client.get(f"/relief/{appeal.slug}/partner/")

    assert response.status_code == status


def test_the_partner_side_confirms_a_need_from_its_account_and_the_public_sees_it(
    appeal, partner_client, anonymous
):
    need = add_need(
        appeal=appeal, kind="goods", title="School kits", quantity=5, unit="kits", by=SYSTEM
    )
    assert "School kits" not in anonymous.get(appeal.get_absolute_url()).content.decode()

    partner_client.post(f"/relief/{appeal.slug}/partner/", {"confirm": [need.pk]})

    assert "School kits" in anonymous.get(appeal.get_absolute_url()).content.decode()


def test_the_single_use_link_confirms_needs_and_then_answers_404(appeal, anonymous):
    need = add_need(appeal=appeal, kind="goods", title="Tents", quantity=5, unit="tents", by=SYSTEM)
    send_partner_link(appeal=appeal, by=SYSTEM)
    path = (
        "/relief/link/"
        + next(iter(OutboxMessage.objects.latest("pk").secret_links.values()))
        .rstrip("/")
        .rsplit("/", 1)[-1]
        + "/"
    )
    assert anonymous.get(path).status_code == 200

    response = anonymous.post(path, {"name": "Jelena", "confirm": [need.pk]})

    assert response.status_code == 302
    assert "Tents" in anonymous.get(appeal.get_absolute_url()).content.decode()
    assert anonymous.get(path).status_code == 404


def test_a_committee_pledges_goods_against_a_confirmed_need(
    appeal, other_committee_admin, other_committee_admin_user
):
    need = appeal.needs.get()
    member = other_committee_admin_user.administered_members.get()

    other_committee_admin.post(
        f"/relief/{appeal.slug}/pledge/",
        {"kind": "goods", "need": need.pk, "quantity": 12, "committee": member.pk},
    )

    pledge = Pledge.objects.get()
    assert (pledge.member, pledge.quantity, pledge.public_name) == (member, 12, member.name)


def test_a_pledge_without_a_quantity_is_refused_with_a_message(
    appeal, other_committee_admin, other_committee_admin_user
):
    member = other_committee_admin_user.administered_members.get()

    response = other_committee_admin.post(
        f"/relief/{appeal.slug}/pledge/",
        {"kind": "goods", "need": appeal.needs.get().pk, "committee": member.pk},
    )

    assert "Enter how many you pledge." in response.content.decode()
    assert Pledge.objects.count() == 0


def test_a_pledge_beyond_the_largest_quantity_is_refused_with_a_message(
    appeal, other_committee_admin, other_committee_admin_user
):
    # 2,147,483,648 does not fit PostgreSQL's integer: refused on the form, never a 500.
    member = other_committee_admin_user.administered_members.get()

    response = other_committee_admin.post(
        f"/relief/{appeal.slug}/pledge/",
        {"kind": "goods", "need": appeal.needs.get().pk, "quantity": 2**31, "committee": member.pk},
    )

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 1000000." in response.content.decode()
    assert Pledge.objects.count() == 0


def test_staff_record_money_received_and_download_the_donors_pdf_receipt(appeal, staff):
    staff.post(
        f"/staff/relief/{appeal.slug}/donations/",
        {
            "amount": "250.00",
            "currency": "USD",
            "received_on": (association_today() - datetime.timedelta(days=1)).isoformat(),
            "method": "bank_transfer",
            "reference": "TRF-7",
            "name": "Ada Lovelace",
        },
    )
    donation = Donation.objects.get()

    response = staff.get(f"/staff/relief/donations/{donation.pk}/receipt.pdf")

    assert (donation.amount, donation.reference, donation.provider) == (250, "TRF-7", "manual")
    assert response.content.startswith(b"%PDF")


def test_money_with_too_many_decimals_is_refused_on_the_page_and_nothing_is_recorded(appeal, staff):
    response = staff.post(
        f"/staff/relief/{appeal.slug}/donations/",
        {
            "amount": "10.5",
            "currency": "JPY",
            "received_on": association_today().isoformat(),
            "method": "bank_transfer",
            "name": "Ada",
        },
    )

    assert "JPY has 0 decimals" in response.content.decode()
    assert Donation.objects.count() == 0


def test_the_public_page_shows_donors_by_name_or_anonymous_and_never_an_email(appeal, anonymous):
    _donate(appeal, email="ada@example.org")
    _donate(appeal, name="Grace", anonymous=True, email="grace@example.org")

    page = anonymous.get(appeal.get_absolute_url()).content.decode()
    ledger = b"".join(anonymous.get(f"/relief/{appeal.slug}/ledger.csv").streaming_content).decode()

    assert "Ada Lovelace" in page and "Anonymous" in page and "Grace" not in page
    assert "example.org" not in page + ledger
    assert ledger.splitlines()[-1] == ",balance,,20.00,USD"


def test_an_organiser_uploads_a_photo_shown_on_the_public_page(appeal, committee_admin, anonymous):
    committee_admin.post(
        f"/relief/{appeal.slug}/manage/photos/",
        {
            "caption": "The clinic",
            "photo": SimpleUploadedFile("c.png", tiny_png(), content_type="image/png"),
        },
    )
    photo = appeal.photos.get()

    response = anonymous.get(f"/relief/{appeal.slug}/photos/{photo.pk}/thumb/")

    assert 'alt="The clinic"' in anonymous.get(appeal.get_absolute_url()).content.decode()
    assert response["Content-Type"] == "image/webp"


def test_a_draft_appeal_is_not_found_by_the_public(partner, anonymous):
    appeal = make_appeal(community=partner.community, status="draft", title="Draft appeal")

    assert anonymous.get(appeal.get_absolute_url()).status_code == 404


def test_an_overdue_appeal_is_flagged_on_its_page_and_left_off_the_list(appeal, anonymous):
    Appeal.objects.filter(pk=appeal.pk).update(
        reported_on=association_today() - datetime.timedelta(days=120)
    )

    page = anonymous.get(appeal.get_absolute_url()).content.decode()
    listing = anonymous.get("/relief/").content.decode()

    assert "No update for more than 90 days" in page
    assert (
        appeal.title
        not in listing.split("Closed and fully reported")[0].split('id="active-heading"')[1]
    )


# --- Query-count guards ------------------------------------------------------------------------


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_list_of_appeals_reads_a_fixed_number_of_queries(
    item_count, anonymous, django_assert_num_queries
):
    for n in range(item_count):
        make_appeal(community=partner_city(f"City{n}").community, title=f"Appeal {n}")

    with django_assert_num_queries(LIST_QUERIES):
        response = anonymous.get("/relief/")

    assert response.content.decode().count('class="card"') == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_appeal_page_reads_a_fixed_number_of_queries(
    item_count, appeal, anonymous, django_assert_num_queries
):
    need = appeal.needs.get()
    for n in range(item_count):
        _donate(appeal, name=f"Donor {n}")
        shipped(appeal, [goods_pledge(appeal, need, 1)])

    with django_assert_num_queries(DETAIL_QUERIES):
        response = anonymous.get(appeal.get_absolute_url())

    assert response.content.decode().count("Donor ") == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_staffs_list_of_appeals_reads_a_fixed_number_of_queries(
    item_count, staff, django_assert_num_queries
):
    for n in range(item_count):
        make_appeal(community=partner_city(f"City{n}").community, title=f"Appeal {n}")

    with django_assert_num_queries(STAFF_LIST_QUERIES):
        response = staff.get("/staff/relief/")

    assert response.content.decode().count("/manage/") >= item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_a_committees_appeals_read_a_fixed_number_of_queries(
    item_count, springfield_member, committee_admin, django_assert_num_queries
):
    for n in range(item_count):
        make_appeal(
            community=partner_city(f"City{n}").community,
            organisers=[springfield_member],
            title=f"Appeal {n}",
        )

    with django_assert_num_queries(MINE_QUERIES):
        response = committee_admin.get("/relief/mine/")

    assert response.content.decode().count("/manage/") == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_manage_page_reads_a_fixed_number_of_queries(
    item_count, appeal, committee_admin, django_assert_num_queries
):
    need = appeal.needs.get()
    for _n in range(item_count):
        shipped(appeal, [goods_pledge(appeal, need, 1)])

    with django_assert_num_queries(MANAGE_QUERIES):
        response = committee_admin.get(f"/relief/{appeal.slug}/manage/")

    assert response.status_code == 200


LIST_QUERIES = 2
# A first request renders the page's sections; a repeated one reads 1 (test_page_cache.py).
DETAIL_QUERIES = 10
STAFF_LIST_QUERIES = 22
MINE_QUERIES = 18
MANAGE_QUERIES = 27
