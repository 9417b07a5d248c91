"""URLs of the events app: the Youth Leadership Summit. Staff pages under /staff/events/;
the pages staff share with the summit's chaperones and nurse under /events/<slug>/summit/."""

from django.urls import URLPattern, path

from twinning.events.views import summit as views
from twinning.events.views import summit_apply as apply

STAFF = "staff/events/<slug:slug>/summit/"
ADULTS = "events/<slug:slug>/summit/"

urlpatterns: list[URLPattern] = [
    path(STAFF, views.summit, name="summit"),
    path(f"{STAFF}chaperones/", views.summit_chaperones, name="summit_chaperones"),
    path(
        f"{STAFF}chaperones/<int:chaperone>/check/",
        views.summit_chaperone_check,
        name="summit_chaperone_check",
    ),
    path(
        f"{STAFF}chaperones/<int:chaperone>/remove/",
        views.summit_chaperone_remove,
        name="summit_chaperone_remove",
    ),
    path(f"{STAFF}rooms/", views.summit_rooms, name="summit_rooms"),
    path(f"{STAFF}rooms/assign/", views.summit_rooms_assign, name="summit_rooms_assign"),
    path(f"{STAFF}rooms/people/<int:attendee>/", views.summit_room_move, name="summit_room_move"),
    path(f"{STAFF}teams/", views.summit_teams, name="summit_teams"),
    path(f"{STAFF}teams/assign/", views.summit_teams_assign, name="summit_teams_assign"),
    path(
        f"{STAFF}teams/<slug:kind>/people/<int:attendee>/",
        views.summit_team_move,
        name="summit_team_move",
    ),
    path(
        f"{STAFF}participants/<int:attendee>/details/",
        views.summit_details_edit,
        name="summit_details_edit",
    ),
    path(f"{ADULTS}participants/", views.summit_participants, name="summit_participants"),
    path(
        f"{ADULTS}participants/<int:attendee>/details/",
        views.summit_details,
        name="summit_details",
    ),
    path(f"{ADULTS}rooms/", views.summit_room_list, name="summit_room_list"),
    path(f"{ADULTS}rooms.pdf", views.summit_room_list_pdf, name="summit_room_list_pdf"),
    path(f"{ADULTS}teams/", views.summit_team_list, name="summit_team_list"),
    path(f"{ADULTS}teams.pdf", views.summit_team_list_pdf, name="summit_team_list_pdf"),
    # The application with the guardian's consent (views/summit_apply.py)
    path(f"{ADULTS}apply/", apply.summit_apply, name="summit_apply"),
    path(
        "events/summit/applications/", apply.summit_my_applications, name="summit_my_applications"
    ),
    path(
        "events/summit/applications/<int:pk>/resend/",
        apply.summit_resend_link,
        name="summit_resend_link",
    ),
    path("events/summit/applications/withdraw/", apply.summit_withdraw, name="summit_withdraw"),
    path(
        "events/summit/consent/<str:token>/", apply.summit_consent_open, name="summit_consent_open"
    ),
    path("events/summit/consent/", apply.summit_consent_form, name="summit_consent_form"),
    path("events/summit/guardian/", apply.summit_guardian, name="summit_guardian"),
    path(
        "events/summit/guardian/withdraw/",
        apply.summit_guardian_withdraw,
        name="summit_guardian_withdraw",
    ),
    path(f"{STAFF}applications/", apply.summit_applications, name="summit_applications"),
    path(
        f"{STAFF}applications/<int:pk>/decide/",
        apply.summit_application_decide,
        name="summit_application_decide",
    ),
]
