"""URLs of the events app: registration pages (people's and committees' under /events/,
staff's under /staff/events/)."""

from django.urls import URLPattern, path

from twinning.events.views import registration as views
from twinning.events.views import staff_registration as staff

urlpatterns: list[URLPattern] = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/waiting-list/", views.waiting_list_join, name="waiting_list_join"),
    path(
        "events/<slug:slug>/delegation/<slug:member>/",
        views.delegation_create,
        name="delegation_create",
    ),
    path("events/registration/mine/", views.my_registrations, name="my_registrations"),
    path("events/registration/orders/<str:code>/", views.order_detail, name="order_detail"),
    path("events/registration/orders/<str:code>/cancel/", views.order_cancel, name="order_cancel"),
    path(
        "events/registration/attendees/<int:pk>/cancel/",
        views.attendee_cancel,
        name="attendee_cancel",
    ),
    path(
        "events/registration/attendees/<int:pk>/name/",
        views.attendee_rename,
        name="attendee_rename",
    ),
    path(
        "events/registration/attendees/<int:pk>/resend/",
        views.delegation_resend,
        name="delegation_resend",
    ),
    path(
        "events/registration/details/<str:token>/",
        views.attendee_details,
        name="attendee_details",
    ),
    path(
        "events/registration/offer/<str:token>/",
        views.waiting_list_offer,
        name="waiting_list_offer",
    ),
    path(
        "events/registration/waiting-list/<int:pk>/leave/",
        views.waiting_list_leave,
        name="waiting_list_leave",
    ),
    path(
        "events/registration/committee/<slug:member>/",
        views.delegation_events,
        name="delegation_events",
    ),
    path(
        "events/registration/delegations/<str:code>/",
        views.delegation_detail,
        name="delegation_detail",
    ),
    path(
        "staff/events/registration/",
        staff.staff_registration_events,
        name="staff_registration_events",
    ),
    path(
        "staff/events/<slug:slug>/registrations/",
        staff.staff_registrations,
        name="staff_registrations",
    ),
    path(
        "staff/events/<slug:slug>/registrations.<str:fmt>",
        staff.staff_registrations_export,
        name="staff_registrations_export",
    ),
    path(
        "staff/events/attendees/<int:pk>/<str:decision>/",
        staff.staff_attendee_decide,
        name="staff_attendee_decide",
    ),
    path(
        "staff/events/<slug:slug>/waiting-list/",
        staff.staff_waiting_list,
        name="staff_waiting_list",
    ),
    path(
        "staff/events/waiting-list/<int:pk>/remove/",
        staff.staff_waiting_list_remove,
        name="staff_waiting_list_remove",
    ),
    path("staff/events/<slug:slug>/tickets/", staff.staff_tickets, name="staff_tickets"),
    path(
        "staff/events/<slug:slug>/tickets/<int:pk>/",
        staff.staff_ticket_edit,
        name="staff_ticket_edit",
    ),
    path("staff/events/<slug:slug>/questions/", staff.staff_questions, name="staff_questions"),
    path(
        "staff/events/<slug:slug>/questions/<int:pk>/",
        staff.staff_question_edit,
        name="staff_question_edit",
    ),
    path("staff/events/<slug:slug>/capacity/", staff.staff_capacity, name="staff_capacity"),
]
