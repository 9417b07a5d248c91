"""Relief's read-only API: the listed appeals (open and closed, never a draft or an archived
one) with their balances, one public appeal with its confirmed needs, never a donor."""

import datetime

import pytest

from tests.relief.helpers import make_appeal
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.relief.models import Appeal
from twinning.relief.services import add_need, record_donation, set_appeal_status

pytestmark = pytest.mark.django_db


def _donate(appeal, amount="10.00"):
    return record_donation(
        appeal=appeal,
        amount=amount,
        currency="USD",
        received_on=association_today() - datetime.timedelta(days=1),
        name="Ada Lovelace",
        email="ada@example.org",
        by=SYSTEM,
    )


def test_the_api_lists_open_and_closed_appeals_with_their_balances(appeal, partner, anonymous):
    _donate(appeal, "25.00")
    closed = make_appeal(community=partner.community, title="Closed one", status="closed")
    make_appeal(community=partner.community, title="Draft one", status="draft")
    archived = make_appeal(community=partner.community, title="Archived one")
    set_appeal_status(appeal=archived, status=Appeal.Status.ARCHIVED, by=SYSTEM)

    body = anonymous.get("/api/relief/appeals").json()

    assert sorted(a["title"] for a in body["items"]) == sorted([appeal.title, closed.title])
    listed = next(a for a in body["items"] if a["slug"] == appeal.slug)
    assert listed["balances"] == [
        {"currency": "USD", "received": "25.00", "spent": "0.00", "balance": "25.00"}
    ]


def test_the_api_shows_a_public_appeal_with_its_confirmed_needs_and_never_a_donor(
    appeal, anonymous
):
    _donate(appeal)
    add_need(appeal=appeal, kind="goods", title="Unconfirmed", quantity=2, unit="x", by=SYSTEM)

    response = anonymous.get(f"/api/relief/appeals/{appeal.slug}")

    body = response.json()
    assert [n["title"] for n in body["needs"]] == ["Hospital beds 0"]
    assert "Ada" not in response.content.decode() and "example.org" not in response.content.decode()


def test_the_api_does_not_find_a_draft(partner, anonymous):
    draft = make_appeal(community=partner.community, title="Draft one", status="draft")

    assert anonymous.get(f"/api/relief/appeals/{draft.slug}").status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_api_list_reads_a_fixed_number_of_queries(
    item_count, partner, anonymous, django_assert_num_queries
):
    for n in range(item_count):
        _donate(make_appeal(community=partner.community, title=f"Appeal {n}"))

    with django_assert_num_queries(API_LIST_QUERIES):
        body = anonymous.get("/api/relief/appeals").json()

    assert body["count"] == item_count


API_LIST_QUERIES = 3
