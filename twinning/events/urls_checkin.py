"""URLs of the events app: check-in (staff and the event's organisers), badges (staff) and
tickets (their holders, buyers and delegation leaders)."""

from django.urls import URLPattern, path

from twinning.events.views import checkin as views

urlpatterns: list[URLPattern] = [
    path("checkin/", views.checkin_home, name="checkin_home"),
    path("events/<slug:slug>/checkin/", views.checkin, name="checkin"),
    path("events/<slug:slug>/checkin/people/", views.checkin_list, name="checkin_list"),
    path(
        "events/<slug:slug>/checkin/offline.csv",
        views.checkin_offline_csv,
        name="checkin_offline_csv",
    ),
    path(
        "events/<slug:slug>/checkin/offline.html",
        views.checkin_offline_html,
        name="checkin_offline_html",
    ),
    path("events/<slug:slug>/checkin/merge/", views.checkin_merge, name="checkin_merge"),
    path("events/<slug:slug>/checkin/badges/", views.badges, name="badges"),
    path("events/<slug:slug>/checkin/badges.pdf", views.badges_pdf_view, name="badges_pdf"),
    path("tickets/", views.my_tickets, name="my_tickets"),
    path("tickets/<int:pk>.pdf", views.ticket_pdf_view, name="ticket_pdf"),
    path("tickets/orders/<slug:code>.pdf", views.order_tickets_pdf, name="order_tickets_pdf"),
]
