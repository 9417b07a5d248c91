"""The grants' routes in the C1 matrix: a call, a draft application and a funded one (with
its grant, reports and tranches) led by Springfield's committee (the matrix's committee
admin); the other committee admin and staff without their second factor see none of it."""

from types import SimpleNamespace

from tests.grants.helpers import (
    committee,
    community,
    draft,
    funded,
    in_good_standing,
    open_call,
    pair_program,
    partner,
)
from tests.matrix import EVERYONE, STAFF_ACTION, STAFF_PAGE
from twinning.network.models import Community, Member

COMMITTEES = (302, 404, 200, 200, 404, 404)  # any committee admin
LEAD = (302, 404, 200, 404, 404, 404)  # the lead committee's admin only
PARTIES = (302, 404, 200, 404, 404, 200)  # a party's admins and verified staff
POST_ONLY = (302, 405, 405, 405, 405, 405)
NOBODY = (404,) * 6
MISSING = (302, 404, 404, 404, 404, 404)

MATRIX = {
    "grants:my_applications": ("/grants/", COMMITTEES),
    "grants:funded_list": ("/grants/funded/", EVERYONE),
    "grants:call_detail": ("/grants/calls/{grants_call}/", EVERYONE),
    "grants:application_start": ("/grants/calls/{grants_call}/apply/", COMMITTEES),
    "grants:application_detail": ("/grants/applications/{grants_application}/", PARTIES),
    "grants:application_edit": ("/grants/applications/{grants_application}/edit/", LEAD),
    "grants:application_submit": (
        "/grants/applications/{grants_application}/submit/",
        POST_ONLY,
    ),
    "grants:side_edit": (
        "/grants/applications/{grants_application}/sides/{grants_side}/",
        LEAD,
    ),
    "grants:side_sign": (
        "/grants/applications/{grants_application}/sides/{grants_side}/sign/",
        POST_ONLY,
    ),
    "grants:side_send_link": (
        "/grants/applications/{grants_application}/sides/{grants_side}/link/",
        POST_ONLY,
    ),
    "grants:sign_link": ("/grants/sign/not-a-token/", NOBODY),
    "grants:grant_detail": ("/grants/grants/{grants_grant}/", PARTIES),
    "grants:grant_agreement": ("/grants/grants/{grants_grant}/agreement.pdf", PARTIES),
    "grants:report_edit": ("/grants/reports/{grants_report}/", PARTIES),
    "grants:report_receipt": ("/grants/reports/{grants_report}/receipts/", POST_ONLY),
    "grants:receipt_file": ("/grants/reports/{grants_report}/receipts/0/", MISSING),
    "grants:staff_call_list": ("/staff/grants/", STAFF_PAGE),
    "grants:staff_call_detail": ("/staff/grants/calls/{grants_call}/", STAFF_PAGE),
    "grants:staff_call_edit": ("/staff/grants/calls/{grants_call}/edit/", STAFF_PAGE),
    "grants:staff_program_new": ("/staff/grants/programs/new/", STAFF_PAGE),
    "grants:staff_program_edit": ("/staff/grants/programs/{grants_program}/edit/", STAFF_PAGE),
    "grants:staff_call_new": ("/staff/grants/programs/{grants_program}/calls/new/", STAFF_PAGE),
    "grants:staff_open_review": ("/staff/grants/calls/{grants_call}/review/", STAFF_ACTION),
    "grants:staff_accept_proposal": (
        "/staff/grants/calls/{grants_call}/accept/",
        STAFF_ACTION,
    ),
    "grants:staff_publish": ("/staff/grants/calls/{grants_call}/publish/", STAFF_ACTION),
    "grants:staff_decide": (
        "/staff/grants/applications/{grants_application}/decide/",
        STAFF_ACTION,
    ),
    "grants:staff_grant_list": ("/staff/grants/grants/", STAFF_PAGE),
    "grants:staff_grant_close": ("/staff/grants/grants/{grants_grant}/close/", STAFF_ACTION),
    "grants:staff_report_review": ("/staff/grants/reports/{grants_report}/", STAFF_PAGE),
    "grants:staff_tranche_pay": ("/staff/grants/tranches/{grants_tranche}/pay/", STAFF_ACTION),
    "grants:portfolio": ("/staff/grants/portfolio/", STAFF_PAGE),
    "grants:portfolio_csv": ("/staff/grants/portfolio.csv", STAFF_PAGE),
    "grants:portfolio_xlsx": ("/staff/grants/portfolio.xlsx", STAFF_PAGE),
}


def build_world(base: dict) -> dict:
    springfield = Community.objects.get(slug=base["springfield"])
    member = in_good_standing(Member.objects.get(slug=base["member"]))
    partner_place = community("Matrix Partner", "KE")
    partner(springfield, partner_place)
    partner_member, partner_admin = committee(partner_place, "matrix-partner@example.org")
    call = open_call(pair_program(slug="matrix-program"), slug="m")
    world = SimpleNamespace(
        call=call,
        lead_place=springfield,
        partner_place=partner_place,
        lead_member=member,
        lead_admin=member.admins.get(),
        partner_member=partner_member,
        partner_admin=partner_admin,
    )
    grant = funded(world).grant
    application = draft(world, "Matrix draft")
    return {
        "grants_call": call.slug,
        "grants_program": call.program.slug,
        "grants_application": application.pk,
        "grants_side": application.sides.get(is_lead=True).pk,
        "grants_grant": grant.pk,
        "grants_report": grant.reports.get(kind="interim", side__is_lead=True).pk,
        "grants_tranche": grant.tranches.get(number=1).pk,
    }
