"""URLs of funding programs: committees under /grants/, staff under /staff/grants/, the public
call pages and funded projects."""

from django.urls import path

from twinning.grants.views import committee, public, staff

app_name = "grants"

urlpatterns = [
    path("grants/", committee.my_applications, name="my_applications"),
    path("grants/funded/", public.funded_list, name="funded_list"),
    path("grants/calls/<slug:slug>/", public.call_detail, name="call_detail"),
    path("grants/calls/<slug:slug>/apply/", committee.application_start, name="application_start"),
    path("grants/applications/<int:pk>/", committee.application_detail, name="application_detail"),
    path("grants/applications/<int:pk>/edit/", committee.application_edit, name="application_edit"),
    path(
        "grants/applications/<int:pk>/submit/",
        committee.application_submit,
        name="application_submit",
    ),
    path(
        "grants/applications/<int:pk>/sides/<int:side_pk>/", committee.side_edit, name="side_edit"
    ),
    path(
        "grants/applications/<int:pk>/sides/<int:side_pk>/sign/",
        committee.side_sign,
        name="side_sign",
    ),
    path(
        "grants/applications/<int:pk>/sides/<int:side_pk>/link/",
        committee.side_send_link,
        name="side_send_link",
    ),
    path("grants/sign/<str:token>/", committee.sign_link, name="sign_link"),
    path("grants/grants/<int:pk>/", committee.grant_detail, name="grant_detail"),
    path("grants/grants/<int:pk>/agreement.pdf", committee.grant_agreement, name="grant_agreement"),
    path("grants/reports/<int:pk>/", committee.report_edit, name="report_edit"),
    path("grants/reports/<int:pk>/receipts/", committee.report_receipt, name="report_receipt"),
    path(
        "grants/reports/<int:pk>/receipts/<int:receipt_pk>/",
        committee.receipt_file,
        name="receipt_file",
    ),
    path("staff/grants/", staff.staff_call_list, name="staff_call_list"),
    path("staff/grants/programs/new/", staff.staff_program_new, name="staff_program_new"),
    path(
        "staff/grants/programs/<slug:slug>/edit/",
        staff.staff_program_edit,
        name="staff_program_edit",
    ),
    path(
        "staff/grants/programs/<slug:slug>/calls/new/",
        staff.staff_call_new,
        name="staff_call_new",
    ),
    path("staff/grants/calls/<slug:slug>/", staff.staff_call_detail, name="staff_call_detail"),
    path("staff/grants/calls/<slug:slug>/edit/", staff.staff_call_edit, name="staff_call_edit"),
    path(
        "staff/grants/calls/<slug:slug>/review/", staff.staff_open_review, name="staff_open_review"
    ),
    path(
        "staff/grants/calls/<slug:slug>/accept/",
        staff.staff_accept_proposal,
        name="staff_accept_proposal",
    ),
    path("staff/grants/calls/<slug:slug>/publish/", staff.staff_publish, name="staff_publish"),
    path("staff/grants/applications/<int:pk>/decide/", staff.staff_decide, name="staff_decide"),
    path("staff/grants/grants/", staff.staff_grant_list, name="staff_grant_list"),
    path("staff/grants/grants/<int:pk>/close/", staff.staff_grant_close, name="staff_grant_close"),
    path("staff/grants/reports/<int:pk>/", staff.staff_report_review, name="staff_report_review"),
    path("staff/grants/tranches/<int:pk>/pay/", staff.staff_tranche_pay, name="staff_tranche_pay"),
    path("staff/grants/portfolio/", staff.portfolio, name="portfolio"),
    path("staff/grants/portfolio.csv", staff.portfolio_csv, name="portfolio_csv"),
    path("staff/grants/portfolio.xlsx", staff.portfolio_xlsx, name="portfolio_xlsx"),
]
