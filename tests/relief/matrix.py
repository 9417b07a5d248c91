"""Relief's routes in the C1 matrix: an open appeal organised by Springfield's committee (the
matrix's committee admin) for Kragujevac (whose own admin, the partner side, is tested in
tests/relief/test_views.py), with a shipment and money received. The other committee admin
may pledge (any committee may); the public reads the appeal and its ledger only."""

import datetime

from tests.matrix import EVERYONE, STAFF_ACTION, STAFF_PAGE
from tests.relief.helpers import goods_pledge, make_appeal, partner_city, shipped
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.network.models import Member
from twinning.relief.services import record_donation

NOBODY = (404,) * 6
POST_ONLY = (302, 405, 405, 405, 405, 405)
ORGANISERS = (302, 404, 200, 404, 404, 200)
PLEDGERS = (302, 404, 200, 200, 404, 200)
PARTNER_SIDE = (302, 404, 404, 404, 404, 200)
MISSING = (302, 404, 404, 404, 404, 404)
COMMITTEES = (302, 404, 200, 200, 404, 404)

MATRIX = {
    "relief:appeal_list": ("/relief/", EVERYONE),
    "api:list_appeals": ("/api/relief/appeals", EVERYONE),
    "api:get_appeal": ("/api/relief/appeals/{relief_appeal}", EVERYONE),
    "relief:partner_link": ("/relief/link/not-a-token/", NOBODY),
    "relief:receipt_link": ("/relief/receipt/not-a-token/", NOBODY),
    "relief:my_appeals": ("/relief/mine/", COMMITTEES),
    "relief:appeal_detail": ("/relief/{relief_appeal}/", EVERYONE),
    "relief:ledger_page": ("/relief/{relief_appeal}/ledger/", EVERYONE),
    "relief:ledger_csv": ("/relief/{relief_appeal}/ledger.csv", EVERYONE),
    "relief:shipment_list": ("/relief/{relief_appeal}/shipments/", EVERYONE),
    "relief:photo_file": ("/relief/{relief_appeal}/photos/0/thumb/", NOBODY),
    "relief:pledge": ("/relief/{relief_appeal}/pledge/", PLEDGERS),
    "relief:update_add": ("/relief/{relief_appeal}/updates/new/", ORGANISERS),
    "relief:partner_page": ("/relief/{relief_appeal}/partner/", PARTNER_SIDE),
    "relief:receipt_confirm": (
        "/relief/{relief_appeal}/partner/shipments/{relief_shipment}/",
        PARTNER_SIDE,
    ),
    "relief:skills_delivered": ("/relief/{relief_appeal}/partner/pledges/0/delivered/", POST_ONLY),
    "relief:appeal_manage": ("/relief/{relief_appeal}/manage/", ORGANISERS),
    "relief:need_add": ("/relief/{relief_appeal}/manage/needs/", POST_ONLY),
    "relief:partner_link_send": ("/relief/{relief_appeal}/manage/link/", POST_ONLY),
    "relief:shipment_add": ("/relief/{relief_appeal}/manage/shipments/", POST_ONLY),
    "relief:shipment_status": (
        "/relief/{relief_appeal}/manage/shipments/{relief_shipment}/status/",
        POST_ONLY,
    ),
    "relief:shipment_link": (
        "/relief/{relief_appeal}/manage/shipments/{relief_shipment}/link/",
        POST_ONLY,
    ),
    "relief:expense_add": ("/relief/{relief_appeal}/manage/expenses/", POST_ONLY),
    "relief:expense_receipt": ("/relief/{relief_appeal}/manage/expenses/0/receipt/", MISSING),
    "relief:photo_add": ("/relief/{relief_appeal}/manage/photos/", POST_ONLY),
    "relief:staff_appeal_list": ("/staff/relief/", STAFF_PAGE),
    "relief:staff_appeal_create": ("/staff/relief/new/", STAFF_PAGE),
    "relief:staff_appeal_status": ("/staff/relief/{relief_appeal}/status/", STAFF_ACTION),
    "relief:staff_donation_add": ("/staff/relief/{relief_appeal}/donations/", STAFF_PAGE),
    "relief:staff_donation_receipt": (
        "/staff/relief/donations/{relief_donation}/receipt.pdf",
        STAFF_PAGE,
    ),
    "relief:staff_expense_decide": ("/staff/relief/expenses/0/decide/", STAFF_ACTION),
    "relief:staff_receipt_acknowledge": ("/staff/relief/receipts/0/acknowledge/", STAFF_ACTION),
}


def build_world(base: dict) -> dict:
    organiser = Member.objects.get(slug=base["member"])
    partner = partner_city("Matrixgrad")
    appeal = make_appeal(community=partner.community, organisers=[organiser], title="Matrix appeal")
    need = appeal.needs.get()
    shipment = shipped(appeal, [goods_pledge(appeal, need, 5)])
    donation = record_donation(
        appeal=appeal,
        amount="25.00",
        currency="USD",
        received_on=association_today() - datetime.timedelta(days=1),
        reference="TRF-1",
        name="Ada",
        by=SYSTEM,
    )
    return {
        "relief_appeal": appeal.slug,
        "relief_shipment": shipment.pk,
        "relief_donation": donation.pk,
    }
