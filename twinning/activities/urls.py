"""URLs of the activities app: the public impact page and exports, the committee's pages
under /portal/<member>/activities/, staff pages under /staff/activities/ and /staff/impact/."""

from django.urls import path

from twinning.activities.views import portal, public, staff

app_name = "activities"

_PORTAL = "portal/<slug:slug>/activities/"
_ONE = _PORTAL + "<int:pk>/"
_STAFF = "staff/activities/"

urlpatterns = [
    path("impact/", public.impact, name="impact"),
    path("impact/export.csv", public.impact_csv, name="impact_csv"),
    path("impact/export.xlsx", public.impact_xlsx, name="impact_xlsx"),
    # The committee's pages.
    path(_PORTAL, portal.activity_list, name="portal_activity_list"),
    path(_PORTAL + "new/", portal.activity_create, name="portal_activity_create"),
    path(_ONE, portal.activity_detail, name="portal_activity_detail"),
    path(_ONE + "edit/", portal.activity_edit, name="portal_activity_edit"),
    path(_ONE + "submit/", portal.activity_submit, name="portal_activity_submit"),
    path(_ONE + "travellers/", portal.traveller_add, name="portal_traveller_add"),
    path(
        _ONE + "travellers/<int:traveller>/remove/",
        portal.traveller_remove,
        name="portal_traveller_remove",
    ),
    path(
        _ONE + "travellers/<int:traveller>/letter.pdf",
        portal.letter_download,
        name="portal_letter_download",
    ),
    path(_ONE + "itinerary/", portal.stop_add, name="portal_stop_add"),
    path(_ONE + "itinerary/<int:stop>/remove/", portal.stop_remove, name="portal_stop_remove"),
    path(_ONE + "letters/", portal.letters_request, name="portal_letters_request"),
    path(_ONE + "photos/", portal.photo_add, name="portal_photo_add"),
    path(_ONE + "photos/<int:photo>/remove/", portal.photo_remove, name="portal_photo_remove"),
    path(_ONE + "photos/<int:photo>/<str:size>/", portal.photo_file, name="portal_photo_file"),
    # Staff pages.
    path(_STAFF, staff.activity_list, name="staff_activity_list"),
    path(_STAFF + "dormant/", staff.dormant_list, name="staff_dormant_list"),
    path(_STAFF + "<int:pk>/", staff.activity_detail, name="staff_activity_detail"),
    path(
        _STAFF + "<int:pk>/request-changes/",
        staff.activity_request_changes,
        name="staff_activity_request_changes",
    ),
    path(_STAFF + "<int:pk>/verify/", staff.activity_verify, name="staff_activity_verify"),
    path(
        _STAFF + "<int:pk>/travellers/<int:traveller>/letter.pdf",
        staff.letter_download,
        name="staff_letter_download",
    ),
    path(
        _STAFF + "<int:pk>/photos/<int:photo>/<str:size>/",
        staff.photo_file,
        name="staff_photo_file",
    ),
    path("staff/impact/report/", staff.report_list, name="staff_report_list"),
    path("staff/impact/report/<int:pk>.pdf", staff.report_download, name="staff_report_download"),
]
