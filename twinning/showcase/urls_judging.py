"""Routes of judging, results and the exhibit, added to the showcase's namespace by urls.py:
the public exhibit, certificates, reviewers' media, committee admins' local round and
bookings, and staff's judging, results and bookings pages."""

from django.urls import path

from twinning.showcase.views import exhibit, judging

urlpatterns = [
    path("showcase/<int:year>/", exhibit.exhibit_edition, name="exhibit_edition"),
    path("showcase/<int:year>/works/<slug:slug>/", exhibit.exhibit_work, name="exhibit_work"),
    path(
        "showcase/<int:year>/works/<slug:slug>/<str:variant>/",
        exhibit.exhibit_media,
        name="exhibit_media",
    ),
    path("showcase/certificates/", exhibit.my_certificates, name="my_certificates"),
    path(
        "showcase/certificates/<int:certificate_id>/",
        exhibit.certificate_download,
        name="certificate_download",
    ),
    path("judging/showcase/media/<path:name>", judging.judging_media, name="judging_media"),
    path(
        "portal/showcase/<slug:edition>/local-round/",
        judging.portal_local_round,
        name="portal_local_round",
    ),
    path(
        "portal/showcase/<slug:edition>/bookings/", exhibit.portal_bookings, name="portal_bookings"
    ),
    path(
        "portal/showcase/<slug:edition>/bookings/<int:booking_id>/cancel/",
        exhibit.portal_booking_cancel,
        name="portal_booking_cancel",
    ),
    path("staff/showcase/<slug:edition>/judging/", judging.staff_judging, name="staff_judging"),
    path(
        "staff/showcase/<slug:edition>/judging/open/",
        judging.staff_judging_open,
        name="staff_judging_open",
    ),
    path(
        "staff/showcase/<slug:edition>/judging/results/",
        judging.staff_results,
        name="staff_results",
    ),
    path(
        "staff/showcase/<slug:edition>/judging/items/<int:item_id>/decide/",
        judging.staff_decide,
        name="staff_decide",
    ),
    path(
        "staff/showcase/<slug:edition>/judging/publish/",
        judging.staff_publish,
        name="staff_publish",
    ),
    path("staff/showcase/<slug:edition>/bookings/", exhibit.staff_bookings, name="staff_bookings"),
]
