"""URLs of matchmaking: the public list at /seeking/, a committee's pages under
/portal/<member>/matchmaking/, staff pages under /staff/matchmaking/."""

from django.urls import path

from twinning.matchmaking.views import portal, public, staff

app_name = "matchmaking"

_PORTAL = "portal/<slug:slug>/matchmaking/"
_STAFF = "staff/matchmaking/"

urlpatterns = [
    path("seeking/", public.seeking_list, name="seeking_list"),
    path(_PORTAL, portal.portal_home, name="portal_home"),
    path(_PORTAL + "<slug:community>/profile/", portal.portal_profile, name="portal_profile"),
    path(
        _PORTAL + "<slug:community>/suggestions/",
        portal.portal_suggestions,
        name="portal_suggestions",
    ),
    path(
        _PORTAL + "<slug:community>/interest/<slug:target>/",
        portal.portal_interest,
        name="portal_interest",
    ),
    path(
        _PORTAL + "interest/<int:pk>/withdraw/",
        portal.portal_interest_withdraw,
        name="portal_interest_withdraw",
    ),
    path(_STAFF, staff.staff_profile_list, name="staff_profile_list"),
    path(_STAFF + "new/", staff.staff_profile_create, name="staff_profile_create"),
    path(_STAFF + "<slug:slug>/", staff.staff_profile_edit, name="staff_profile_edit"),
    path(_STAFF + "<slug:slug>/suggestions/", staff.staff_suggestions, name="staff_suggestions"),
    path(
        _STAFF + "<slug:slug>/interest/<slug:target>/",
        staff.staff_interest,
        name="staff_interest",
    ),
]
