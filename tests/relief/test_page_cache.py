"""The appeal's public page keeps its sections (story, photos, needs, updates, the ledger's
latest lines, the shipments) in the cache under the appeal's versions: every change a service
makes is on the very next request, a repeated request reads only the appeal, and the cached
sections are never another language's or another viewer's."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.activities.matrix import tiny_png
from tests.relief.helpers import goods_pledge, shipped
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.relief.models import Appeal, Expense
from twinning.relief.services import (
    acknowledge_differences,
    add_need,
    add_photo,
    confirm_need,
    confirm_receipt,
    confirm_skills_delivered,
    decide_expense,
    post_update,
    record_donation,
    set_shipment_status,
)

pytestmark = pytest.mark.django_db

HIT_QUERIES = 1  # the appeal alone; the sections come from the cache


def _page(client, appeal) -> str:
    response = client.get(appeal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _need_row(page: str, need) -> str:
    found = re.search(rf'data-testid="need-{need.pk}">(.*?)</tr>', page, re.S)
    assert found is not None
    return found.group(1)


def _expense(appeal, description):
    return Expense.objects.create(
        appeal=appeal,
        description=description,
        amount=Decimal("10.00"),
        currency="USD",
        spent_on=association_today(),
        receipt_name="relief/r.pdf",
        receipt_mime="application/pdf",
        receipt_display_name="r.pdf",
    )


def _pledge_and_ship(appeal):
    return shipped(appeal, [goods_pledge(appeal, appeal.needs.get(), 4)])


def _donation(appeal):
    record_donation(
        appeal=appeal,
        amount="15.00",
        currency="USD",
        received_on=association_today() - datetime.timedelta(days=1),
        name="Grace Hopper",
        by=SYSTEM,
    )


def _approved_expense(appeal):
    _donation(appeal)  # money out only within money in
    decide_expense(expense=_expense(appeal, "Water pumps"), approve=True, by=SYSTEM)


def _partner_need(appeal, partner):
    add_need(appeal=appeal, kind="goods", title="Blankets", quantity=9, unit="x", by=partner.admin)


def _confirmed_need(appeal, partner):
    need = add_need(appeal=appeal, kind="goods", title="Stoves", quantity=3, unit="x", by=SYSTEM)
    confirm_need(need=need, by=partner.admin)


def _photo(appeal):
    upload = SimpleUploadedFile("p.png", tiny_png(), content_type="image/png")
    add_photo(appeal=appeal, upload=upload, caption="The mended bridge", by=SYSTEM)


def _status(appeal):
    set_shipment_status(shipment=_pledge_and_ship(appeal), status="customs", by=SYSTEM)


def _receipt(appeal, partner):
    shipment = _pledge_and_ship(appeal)
    confirm_receipt(shipment=shipment, counts={shipment.lines.get().pk: 4}, by=partner.admin)


CHANGES = {
    "an update": (
        lambda a, p: post_update(appeal=a, title="Bridge repaired", body="Done.", by=SYSTEM),
        "Bridge repaired",
    ),
    "a gift": (lambda a, p: _donation(a), "Grace Hopper"),
    "an approved expense": (lambda a, p: _approved_expense(a), "Water pumps"),
    "a need the partner posts": (_partner_need, "Blankets"),
    "a need the partner confirms": (_confirmed_need, "Stoves"),
    "a photo": (lambda a, p: _photo(a), "The mended bridge"),
    "a shipment": (lambda a, p: _pledge_and_ship(a), "Every shipment, page by page"),
    "a shipment's status": (lambda a, p: _status(a), "In customs"),
    "a shipment's receipt": (_receipt, "receipt confirmed"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_is_on_the_next_request(change, appeal, partner, anonymous):
    make, shown = CHANGES[change]
    assert shown not in _page(anonymous, appeal)  # the sections are now in the cache

    make(appeal, partner)

    assert shown in _page(anonymous, appeal)


def test_a_pledge_and_a_receipt_move_the_needs_counts_on_the_next_request(
    appeal, partner, anonymous
):
    need = appeal.needs.get()
    assert "<td>0</td>" in _need_row(_page(anonymous, appeal), need)

    shipment = shipped(appeal, [goods_pledge(appeal, need, 7)])
    assert "<td>7</td>" in _need_row(_page(anonymous, appeal), need)

    confirm_receipt(shipment=shipment, counts={shipment.lines.get().pk: 6}, by=partner.admin)
    row = _need_row(_page(anonymous, appeal), need)
    assert re.search(r"<td>\s*6\s*<progress", row)


def test_skills_delivered_are_counted_on_the_next_request(appeal, partner, anonymous):
    need = confirm_need(
        need=add_need(
            appeal=appeal, kind="skills", title="Engineers", quantity=5, unit="people", by=SYSTEM
        ),
        by=SYSTEM,
    )
    pledge = goods_pledge(appeal, need, 3)
    assert re.search(r"<td>\s*0\s*<progress", _need_row(_page(anonymous, appeal), need))

    confirm_skills_delivered(pledge=pledge, quantity=2, by=partner.admin)

    assert re.search(r"<td>\s*2\s*<progress", _need_row(_page(anonymous, appeal), need))


def test_acknowledging_differences_gives_the_page_a_new_version(appeal, partner, staff_user):
    shipment = _pledge_and_ship(appeal)
    receipt = confirm_receipt(
        shipment=shipment, counts={shipment.lines.get().pk: 1}, by=partner.admin
    )
    before = Appeal.objects.get(pk=appeal.pk).page_version

    acknowledge_differences(receipt=receipt, by=staff_user)

    assert Appeal.objects.get(pk=appeal.pk).page_version == before + 1


@pytest.mark.parametrize("item_count", [1, 3])
def test_a_repeated_request_reads_only_the_appeal(
    item_count, appeal, anonymous, django_assert_num_queries
):
    for _ in range(item_count):
        _donation(appeal)
        _pledge_and_ship(appeal)
    first = _page(anonymous, appeal)

    with django_assert_num_queries(HIT_QUERIES):
        again = _page(anonymous, appeal)

    assert _without_csrf(again) == _without_csrf(first)


def test_the_cached_sections_are_in_the_readers_language(appeal, anonymous):
    assert "Registre des comptes" not in _page(anonymous, appeal)

    french = anonymous.get(appeal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Registre des comptes" in french.content.decode()


def test_the_buttons_of_one_viewer_are_never_shown_to_another(appeal, committee_admin, anonymous):
    manage = f"/relief/{appeal.slug}/manage/"
    assert manage in committee_admin.get(appeal.get_absolute_url()).content.decode()

    assert manage not in _page(anonymous, appeal)
