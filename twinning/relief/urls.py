from django.urls import path

from twinning.relief.views import committee, public, staff

app_name = "relief"
urlpatterns = [
    path("relief/", public.appeal_list, name="appeal_list"),
    path("relief/link/<str:token>/", public.partner_link, name="partner_link"),
    path("relief/receipt/<str:token>/", public.receipt_link, name="receipt_link"),
    path("relief/mine/", committee.my_appeals, name="my_appeals"),
    path("relief/<slug:slug>/", public.appeal_detail, name="appeal_detail"),
    path("relief/<slug:slug>/ledger/", public.ledger_page, name="ledger_page"),
    path("relief/<slug:slug>/ledger.csv", public.ledger_csv, name="ledger_csv"),
    path("relief/<slug:slug>/shipments/", public.shipment_list, name="shipment_list"),
    path("relief/<slug:slug>/photos/<int:pk>/<str:size>/", public.photo_file, name="photo_file"),
    path("relief/<slug:slug>/pledge/", committee.pledge, name="pledge"),
    path("relief/<slug:slug>/updates/new/", committee.update_add, name="update_add"),
    path("relief/<slug:slug>/partner/", committee.partner_page, name="partner_page"),
    path(
        "relief/<slug:slug>/partner/shipments/<int:pk>/",
        committee.receipt_confirm,
        name="receipt_confirm",
    ),
    path(
        "relief/<slug:slug>/partner/pledges/<int:pk>/delivered/",
        committee.skills_delivered,
        name="skills_delivered",
    ),
    path("relief/<slug:slug>/manage/", committee.appeal_manage, name="appeal_manage"),
    path("relief/<slug:slug>/manage/needs/", committee.need_add, name="need_add"),
    path("relief/<slug:slug>/manage/link/", committee.partner_link_send, name="partner_link_send"),
    path("relief/<slug:slug>/manage/shipments/", committee.shipment_add, name="shipment_add"),
    path(
        "relief/<slug:slug>/manage/shipments/<int:pk>/status/",
        committee.shipment_status,
        name="shipment_status",
    ),
    path(
        "relief/<slug:slug>/manage/shipments/<int:pk>/link/",
        committee.shipment_link,
        name="shipment_link",
    ),
    path("relief/<slug:slug>/manage/expenses/", committee.expense_add, name="expense_add"),
    path(
        "relief/<slug:slug>/manage/expenses/<int:pk>/receipt/",
        committee.expense_receipt,
        name="expense_receipt",
    ),
    path("relief/<slug:slug>/manage/photos/", committee.photo_add, name="photo_add"),
    path("staff/relief/", staff.staff_appeal_list, name="staff_appeal_list"),
    path("staff/relief/new/", staff.staff_appeal_create, name="staff_appeal_create"),
    path("staff/relief/<slug:slug>/status/", staff.staff_appeal_status, name="staff_appeal_status"),
    path(
        "staff/relief/<slug:slug>/donations/", staff.staff_donation_add, name="staff_donation_add"
    ),
    path(
        "staff/relief/donations/<int:pk>/receipt.pdf",
        staff.staff_donation_receipt,
        name="staff_donation_receipt",
    ),
    path(
        "staff/relief/expenses/<int:pk>/decide/",
        staff.staff_expense_decide,
        name="staff_expense_decide",
    ),
    path(
        "staff/relief/receipts/<int:pk>/acknowledge/",
        staff.staff_receipt_acknowledge,
        name="staff_receipt_acknowledge",
    ),
]
