"""C1 rows of the members app: the committee's membership pages under /portal/<member>/
(their own member only), joining and invitations under /membership/, and the staff pages."""

import datetime
import secrets

from django.utils import timezone

from tests.matrix import OWN_MEMBER, SIGNED_IN, STAFF_ACTION, STAFF_PAGE
from twinning.core.authz import SYSTEM

POST_ONLY = (302, 405, 405, 405, 405, 405)  # sign-in first, then the method is refused
NOWHERE = (404,) * 6
_P = "/portal/{member}/"

MATRIX = {
    "members:portal_dashboard": (_P + "dashboard/", OWN_MEMBER),
    "members:portal_membership": (_P + "membership/", OWN_MEMBER),
    "members:portal_standing": (_P + "membership/standing/", OWN_MEMBER),
    "members:portal_renew": (_P + "membership/renew/", OWN_MEMBER),
    "members:portal_auto_renew": (_P + "membership/{membership}/auto-renew/", POST_ONLY),
    "members:portal_invoice_list": (_P + "invoices/", OWN_MEMBER),
    "members:portal_invoice_detail": (_P + "invoices/{invoice}/", OWN_MEMBER),
    "members:portal_invoice_pdf": (_P + "invoices/{invoice}/pdf/", OWN_MEMBER),
    "members:portal_invoice_pay": (_P + "invoices/{invoice}/pay/stripe/", POST_ONLY),
    # Back from the provider: an unknown checkout shows "being confirmed" to the member only.
    "members:portal_invoice_paid": (
        _P + "invoices/{invoice}/pay/stripe/done/?checkout=cs_unknown",
        OWN_MEMBER,
    ),
    "members:portal_invoice_pay_cancelled": (
        _P + "invoices/{invoice}/pay/stripe/cancelled/",
        OWN_MEMBER,
    ),
    # The provider posts its signed events; nothing answers a GET.
    "members:payment_webhook": ("/payments/stripe/webhook/", (405,) * 6),
    "members:portal_admins": (_P + "admins/", OWN_MEMBER),
    "members:portal_admin_remove": (_P + "admins/{admin}/remove/", POST_ONLY),
    "members:portal_invitation_withdraw": (
        _P + "admins/invitations/{invitation}/withdraw/",
        POST_ONLY,
    ),
    "members:join": ("/membership/join/", SIGNED_IN),
    # No invitation token in the session / an unknown token: nothing to show to anyone.
    "members:invitation_accept": ("/membership/invitations/accept/", NOWHERE),
    "members:invitation_open": ("/membership/invitations/{bogus_token}/", NOWHERE),
    "members:staff_member_list": ("/staff/members/?status=current", STAFF_PAGE),
    "members:staff_member_export": ("/staff/members/export.csv", STAFF_PAGE),
    "members:staff_member_detail": ("/staff/members/{member}/", STAFF_PAGE),
    "members:staff_invoice_create": ("/staff/members/{member}/invoice/", STAFF_PAGE),
    "members:staff_override": (
        "/staff/members/{member}/memberships/{membership}/override/",
        STAFF_ACTION,
    ),
    "members:staff_application_list": ("/staff/membership/applications/", STAFF_PAGE),
    "members:staff_application_approve": (
        "/staff/membership/applications/{application}/approve/",
        STAFF_ACTION,
    ),
    "members:staff_application_decline": (
        "/staff/membership/applications/{application}/decline/",
        STAFF_ACTION,
    ),
    "members:staff_mailing": ("/staff/membership/mailing/", STAFF_PAGE),
    "members:staff_import": ("/staff/membership/import/", STAFF_PAGE),
    "members:staff_invoice_detail": ("/staff/invoices/{invoice}/", STAFF_PAGE),
    "members:staff_invoice_pdf": ("/staff/invoices/{invoice}/pdf/", STAFF_PAGE),
    "members:staff_payment_create": ("/staff/invoices/{invoice}/payments/", STAFF_ACTION),
    "members:staff_credit_create": ("/staff/invoices/{invoice}/credit/", STAFF_ACTION),
}


def build_world(base: dict) -> dict:
    from tests.factories import MemberFactory
    from tests.factories.members import MembershipFactory
    from twinning.members.models import CoAdminInvitation
    from twinning.members.services import issue_invoice
    from twinning.network.models import Member

    member = Member.objects.get(slug=base["member"])
    membership = MembershipFactory(member=member)
    invoice = issue_invoice(
        member=member, membership=membership, lines=[("Dues", 1, "300.00")], by=SYSTEM
    )
    application = MembershipFactory(member=MemberFactory(), approved_at=None)
    invitation = CoAdminInvitation.objects.create(
        member=member,
        email="friend@example.org",
        token_hash=secrets.token_hex(32),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return {
        "membership": membership.pk,
        "invoice": invoice.number,
        "application": application.pk,
        "invitation": invitation.pk,
        "admin": member.admins.first().pk,
        "bogus_token": "x" * 43,
    }
