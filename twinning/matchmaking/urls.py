"""URLs of matchmaking: the public list at /seeking/, a committee's pages under
/portal/<member>/matchmaking/, staff pages under /staff/matchmaking/; the expertise exchange
under .../matchmaking/expertise/ and a partner's single-use link at /expertise/request/<token>/."""

from django.urls import path

from twinning.matchmaking.views import expertise, portal, public, staff

app_name = "matchmaking"

_PORTAL = "portal/<slug:slug>/matchmaking/"
_STAFF = "staff/matchmaking/"
_X_PORTAL = _PORTAL + "expertise/"
_X_STAFF = _STAFF + "expertise/"

urlpatterns = [
    path("seeking/", public.seeking_list, name="seeking_list"),
    # The expertise exchange (before the staff's <slug:slug>/ patterns, which would take it).
    path(_X_PORTAL, expertise.portal_expertise, name="portal_expertise"),
    path(_X_PORTAL + "offers/new/", expertise.portal_offer, name="portal_offer_new"),
    path(_X_PORTAL + "offers/<int:pk>/", expertise.portal_offer, name="portal_offer"),
    path(_X_PORTAL + "requests/new/", expertise.portal_request_new, name="portal_request_new"),
    path(_X_PORTAL + "requests/<int:pk>/", expertise.portal_request, name="portal_request"),
    path(
        _X_PORTAL + "requests/<int:pk>/match/<int:offer>/",
        expertise.portal_match,
        name="portal_match",
    ),
    path(
        _X_PORTAL + "requests/<int:pk>/withdraw/",
        expertise.portal_request_withdraw,
        name="portal_request_withdraw",
    ),
    path(
        _X_PORTAL + "matches/<int:pk>/decline/",
        expertise.portal_match_decline,
        name="portal_match_decline",
    ),
    path(_X_PORTAL + "invite/", expertise.portal_invite, name="portal_invite"),
    path("expertise/request/<str:token>/", expertise.expertise_link, name="expertise_link"),
    path(
        "expertise/request/<str:token>/withdraw/",
        expertise.expertise_link_withdraw,
        name="expertise_link_withdraw",
    ),
    path(_X_STAFF, expertise.staff_expertise, name="staff_expertise"),
    path(
        _X_STAFF + "requests/<int:pk>/",
        expertise.staff_request,
        name="staff_expertise_request",
    ),
    path(
        _X_STAFF + "requests/<int:pk>/match/<int:offer>/",
        expertise.staff_match,
        name="staff_expertise_match",
    ),
    path(
        _X_STAFF + "matches/<int:pk>/outcome/",
        expertise.staff_outcome,
        name="staff_expertise_outcome",
    ),
    path(
        _X_STAFF + "matches/<int:pk>/decline/",
        expertise.staff_match_decline,
        name="staff_expertise_decline",
    ),
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
