"""Relief's services in tests/core/test_service_actors.py: an open appeal with a confirmed
need, a goods pledge, a shipment, an expense waiting and a receipt with differences, for
actors who may not use them (none organises the appeal, is its partner side or verified
staff)."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.relief.helpers import goods_pledge, make_appeal, partner_city, shipped
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.relief.models import Expense, ShipmentReceipt
from twinning.relief.services import add_need, confirm_need, confirm_receipt
from twinning.relief.services.money import exact_amount


def actor_world() -> SimpleNamespace:
    partner = partner_city("Actorgrad")
    appeal = make_appeal(community=partner.community, title="Actor appeal")
    need = appeal.needs.get()
    pledge = goods_pledge(appeal, need, 3)
    shipment = shipped(appeal, [pledge])
    other = shipped(appeal, [goods_pledge(appeal, need, 2)])
    line = other.lines.get()
    receipt = confirm_receipt(shipment=other, counts={line.pk: 1}, by=SYSTEM)
    skills = confirm_need(
        need=add_need(
            appeal=appeal, kind="skills", title="Engineers", quantity=3, unit="people", by=SYSTEM
        ),
        by=SYSTEM,
    )
    skills_pledge = goods_pledge(appeal, skills, 2)
    expense = Expense.objects.create(
        appeal=appeal,
        description="Rogue",
        amount=exact_amount("5", "USD"),
        currency="USD",
        spent_on=association_today(),
        receipt_name="relief/x.pdf",
        receipt_mime="application/pdf",
        receipt_display_name="x.pdf",
    )
    return SimpleNamespace(
        appeal=appeal,
        need=need,
        pledge=pledge,
        shipment=shipment,
        line=shipment.lines.get(),
        expense=expense,
        receipt=ShipmentReceipt.objects.get(pk=receipt.pk),
        community=partner.community,
        skills_pledge=skills_pledge,
    )


def _png() -> SimpleUploadedFile:
    from tests.activities.matrix import tiny_png

    return SimpleUploadedFile("p.png", tiny_png(), content_type="image/png")


_A = "relief.services.appeals."
_M = "relief.services.money."
_S = "relief.services.shipments."
ACTOR_CASES = {
    f"{_A}create_appeal": lambda w: {
        "kind": "emergency",
        "title": "Rogue",
        "community": w.relief.community,
        "goal": 1,
        "currency": "USD",
        "starts_on": association_today(),
    },
    f"{_A}set_appeal_status": lambda w: {"appeal": w.relief.appeal, "status": "closed"},
    f"{_A}add_photo": lambda w: {"appeal": w.relief.appeal, "upload": _png(), "caption": "x"},
    f"{_A}add_need": lambda w: {
        "appeal": w.relief.appeal,
        "kind": "goods",
        "title": "Rogue",
        "quantity": 1,
        "unit": "x",
    },
    f"{_A}confirm_need": lambda w: {"need": w.relief.need},
    f"{_A}send_partner_link": lambda w: {"appeal": w.relief.appeal},
    f"{_A}post_update": lambda w: {"appeal": w.relief.appeal, "title": "Rogue", "body": "x"},
    f"{_M}record_pledge": lambda w: {
        "appeal": w.relief.appeal,
        "kind": "money",
        "amount": "5",
        "name": "Rogue",
    },
    f"{_M}record_donation": lambda w: {
        "appeal": w.relief.appeal,
        "amount": "5",
        "currency": "USD",
        "received_on": association_today() - datetime.timedelta(days=1),
        "name": "Rogue",
    },
    f"{_M}submit_expense": lambda w: {
        "appeal": w.relief.appeal,
        "description": "Rogue",
        "amount": "5",
        "currency": "USD",
        "spent_on": association_today(),
        "receipt": _png(),
    },
    f"{_M}decide_expense": lambda w: {"expense": w.relief.expense, "approve": True},
    f"{_S}create_shipment": lambda w: {"appeal": w.relief.appeal, "lines": [(w.relief.pledge, 1)]},
    f"{_S}set_shipment_status": lambda w: {"shipment": w.relief.shipment, "status": "shipped"},
    f"{_S}confirm_receipt": lambda w: {
        "shipment": w.relief.shipment,
        "counts": {w.relief.line.pk: 3},
    },
    f"{_S}acknowledge_differences": lambda w: {"receipt": w.relief.receipt},
    f"{_S}confirm_skills_delivered": lambda w: {"pledge": w.relief.skills_pledge, "quantity": 1},
}
