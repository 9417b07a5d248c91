"""The grants' services in tests/core/test_service_actors.py: the objects they are called on
(a draft application, a funded one with its grant, a report and a tranche) and their
arguments, for actors who may not use them."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.grants.helpers import draft, funded, pair_world


def actor_world() -> SimpleNamespace:
    world = pair_world()
    grant = funded(world).grant
    application = draft(world, "A second project")
    return SimpleNamespace(
        world=world,
        call=world.call,
        program=world.call.program,
        application=application,
        lead_side=application.sides.get(is_lead=True),
        partner_side=application.sides.get(is_lead=False),
        grant=grant,
        report=grant.reports.order_by("pk").first(),
        tranche=grant.tranches.order_by("number").first(),
    )


_A = "grants.services.applications."
_D = "grants.services.decisions."
_G = "grants.services.grants."
_P = "grants.services.programs."
ACTOR_CASES = {
    f"{_P}create_program": lambda w: {
        "name": "Rogue",
        "slug": "rogue",
        "funder": "x",
        "budget": Decimal(1),
    },
    f"{_P}create_call": lambda w: {
        "program": w.grants.program,
        "title": "Rogue",
        "slug": "rogue-call",
        "opens_at": timezone.now(),
        "closes_at": timezone.now() + datetime.timedelta(days=1),
        "max_per_application": Decimal(1),
    },
    f"{_P}save_program": lambda w: {"program": w.grants.program},
    f"{_P}save_call": lambda w: {"call": w.grants.call},
    f"{_A}start_application": lambda w: {
        "call": w.grants.call,
        "member": w.grants.world.lead_member,
        "community": w.grants.world.lead_place,
        "partners": [w.grants.world.partner_place],
        "title": "Rogue",
    },
    f"{_A}update_application": lambda w: {
        "application": w.grants.application,
        "title": "Rogue",
        "theme": "",
        "summary": "",
        "answers": {},
    },
    f"{_A}update_side": lambda w: {
        "side": w.grants.partner_side,
        "currency": "USD",
        "participants": 1,
        "participant_plan": "",
        "lines": [],
    },
    f"{_A}sign_application": lambda w: {"side": w.grants.lead_side},
    f"{_A}send_signature_link": lambda w: {"side": w.grants.partner_side},
    f"{_A}submit_application": lambda w: {"application": w.grants.application},
    f"{_D}open_review": lambda w: {"call": w.grants.call},
    f"{_D}decide_application": lambda w: {"application": w.grants.application, "funded": False},
    f"{_D}accept_proposal": lambda w: {"call": w.grants.call},
    f"{_D}publish_decisions": lambda w: {"call": w.grants.call},
    f"{_G}submit_report": lambda w: {
        "report": w.grants.report,
        "narrative": "Rogue",
        "participants": 1,
        "outcomes": "",
        "spending": {},
    },
    f"{_G}add_receipt": lambda w: {
        "report": w.grants.report,
        "upload": SimpleUploadedFile("r.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    },
    f"{_G}approve_report": lambda w: {"report": w.grants.report},
    f"{_G}return_report": lambda w: {"report": w.grants.report, "comment": "Rogue"},
    f"{_G}pay_tranche": lambda w: {"tranche": w.grants.tranche},
    f"{_G}close_grant": lambda w: {"grant": w.grants.grant},
    f"{_G}send_report_reminders": lambda w: {},
}
