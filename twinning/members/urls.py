"""URLs of the members app: portal pages under /portal/<member>/, joining and invitations
under /membership/, staff pages under /staff/members/, /staff/membership/, /staff/invoices/."""

from django.urls import path

from twinning.members.views import payments, portal, staff

app_name = "members"

_PORTAL = "portal/<slug:slug>/"
_INVOICE = "staff/invoices/<str:number>/"

urlpatterns = [
    path(_PORTAL + "dashboard/", portal.portal_dashboard, name="portal_dashboard"),
    path(_PORTAL + "membership/", portal.portal_membership, name="portal_membership"),
    path(_PORTAL + "membership/standing/", portal.portal_standing, name="portal_standing"),
    path(_PORTAL + "membership/renew/", portal.portal_renew, name="portal_renew"),
    path(
        _PORTAL + "membership/<int:pk>/auto-renew/",
        portal.portal_auto_renew,
        name="portal_auto_renew",
    ),
    path(_PORTAL + "invoices/", portal.portal_invoice_list, name="portal_invoice_list"),
    path(
        _PORTAL + "invoices/<str:number>/",
        portal.portal_invoice_detail,
        name="portal_invoice_detail",
    ),
    path(
        _PORTAL + "invoices/<str:number>/pdf/", portal.portal_invoice_pdf, name="portal_invoice_pdf"
    ),
    path(
        _PORTAL + "invoices/<str:number>/pay/<str:provider>/",
        payments.portal_invoice_pay,
        name="portal_invoice_pay",
    ),
    path(
        _PORTAL + "invoices/<str:number>/pay/<str:provider>/done/",
        payments.portal_invoice_paid,
        name="portal_invoice_paid",
    ),
    path(
        _PORTAL + "invoices/<str:number>/pay/<str:provider>/cancelled/",
        payments.portal_invoice_pay_cancelled,
        name="portal_invoice_pay_cancelled",
    ),
    path("payments/<str:provider>/webhook/", payments.payment_webhook, name="payment_webhook"),
    path(_PORTAL + "admins/", portal.portal_admins, name="portal_admins"),
    path(
        _PORTAL + "admins/<int:user_id>/remove/",
        portal.portal_admin_remove,
        name="portal_admin_remove",
    ),
    path(
        _PORTAL + "admins/invitations/<int:pk>/withdraw/",
        portal.portal_invitation_withdraw,
        name="portal_invitation_withdraw",
    ),
    path("membership/join/", portal.join, name="join"),
    path("membership/invitations/accept/", portal.invitation_accept, name="invitation_accept"),
    path("membership/invitations/<str:token>/", portal.invitation_open, name="invitation_open"),
    path("staff/members/", staff.staff_member_list, name="staff_member_list"),
    path(
        "staff/members/export.<str:fmt>",
        staff.staff_member_export,
        name="staff_member_export",
    ),
    path("staff/members/<slug:slug>/", staff.staff_member_detail, name="staff_member_detail"),
    path(
        "staff/members/<slug:slug>/invoice/",
        staff.staff_invoice_create,
        name="staff_invoice_create",
    ),
    path(
        "staff/members/<slug:slug>/memberships/<int:pk>/override/",
        staff.staff_override,
        name="staff_override",
    ),
    path(
        "staff/membership/applications/",
        staff.staff_application_list,
        name="staff_application_list",
    ),
    path(
        "staff/membership/applications/<int:pk>/approve/",
        staff.staff_application_approve,
        name="staff_application_approve",
    ),
    path(
        "staff/membership/applications/<int:pk>/decline/",
        staff.staff_application_decline,
        name="staff_application_decline",
    ),
    path("staff/membership/mailing/", staff.staff_mailing, name="staff_mailing"),
    path("staff/membership/import/", staff.staff_import, name="staff_import"),
    path(_INVOICE, staff.staff_invoice_detail, name="staff_invoice_detail"),
    path(_INVOICE + "pdf/", staff.staff_invoice_pdf, name="staff_invoice_pdf"),
    path(_INVOICE + "payments/", staff.staff_payment_create, name="staff_payment_create"),
    path(_INVOICE + "credit/", staff.staff_credit_create, name="staff_credit_create"),
]
