"""URLs of the showcase app: students, guardians and staff (this module), then judging and
the exhibit (urls_judging.py, whose patterns are added at the end)."""

from django.urls import path

from twinning.showcase.urls_judging import urlpatterns as judging_urlpatterns
from twinning.showcase.views import guardians, staff, students

app_name = "showcase"
urlpatterns = [
    path("showcase/", students.edition_list, name="edition_list"),
    path("showcase/communities.json", students.community_search, name="community_search"),
    path("showcase/me/", students.my_entries, name="my_entries"),
    path("showcase/me/consent/resend/", students.consent_resend, name="consent_resend"),
    path("showcase/me/publication/", students.my_publication, name="my_publication"),
    path("showcase/me/data.json", students.my_data, name="my_data"),
    path("showcase/me/erasure/", students.my_erasure, name="my_erasure"),
    path("showcase/entries/<int:entry_id>/", students.entry_detail, name="entry_detail"),
    path("showcase/entries/<int:entry_id>/edit/", students.entry_edit, name="entry_edit"),
    path("showcase/entries/<int:entry_id>/submit/", students.entry_submit, name="entry_submit"),
    path(
        "showcase/entries/<int:entry_id>/withdraw/",
        students.entry_withdraw,
        name="entry_withdraw",
    ),
    path(
        "showcase/entries/<int:entry_id>/media/<str:variant>/",
        students.entry_media,
        name="entry_media",
    ),
    path("showcase/consent/", guardians.consent_form, name="consent_form"),
    path("showcase/consent/<str:token>/", guardians.consent_open, name="consent_open"),
    path("showcase/guardian/", guardians.guardian_home, name="guardian_home"),
    path("showcase/guardian/withdraw/", guardians.guardian_withdraw, name="guardian_withdraw"),
    path("showcase/guardian/data.json", guardians.guardian_data, name="guardian_data"),
    path("showcase/guardian/erasure/", guardians.guardian_erasure, name="guardian_erasure"),
    path("showcase/guardian/<str:signed>/", guardians.guardian_link, name="guardian_link"),
    path("showcase/<slug:edition>/enter/", students.edition_enter, name="edition_enter"),
    path("showcase/<slug:edition>/register/", students.edition_register, name="edition_register"),
    path("showcase/<slug:edition>/entries/new/", students.entry_create, name="entry_create"),
    path("staff/showcase/", staff.staff_edition_list, name="staff_edition_list"),
    path("staff/showcase/new/", staff.staff_edition_create, name="staff_edition_create"),
    path("staff/showcase/erasure/", staff.staff_erasure_list, name="staff_erasure_list"),
    path(
        "staff/showcase/erasure/<int:request_id>/execute/",
        staff.staff_erasure_execute,
        name="staff_erasure_execute",
    ),
    path(
        "staff/showcase/erasure/<int:request_id>/extend/",
        staff.staff_erasure_extend,
        name="staff_erasure_extend",
    ),
    path(
        "staff/showcase/entries/<int:entry_id>/",
        staff.staff_entry_detail,
        name="staff_entry_detail",
    ),
    path(
        "staff/showcase/entries/<int:entry_id>/approve/",
        staff.staff_entry_approve,
        name="staff_entry_approve",
    ),
    path(
        "staff/showcase/entries/<int:entry_id>/unapprove/",
        staff.staff_entry_unapprove,
        name="staff_entry_unapprove",
    ),
    path(
        "staff/showcase/entries/<int:entry_id>/prepare/",
        staff.staff_entry_prepare_again,
        name="staff_entry_prepare_again",
    ),
    path(
        "staff/showcase/<slug:edition>/edit/", staff.staff_edition_edit, name="staff_edition_edit"
    ),
    path("staff/showcase/<slug:edition>/entries/", staff.staff_entry_list, name="staff_entry_list"),
]

# Judging, results and the exhibit (another part of the app) add their routes here.
# Judging, results and the exhibit: their names share the "showcase" namespace, so their
# patterns are added here rather than included under a namespace of their own.
urlpatterns += judging_urlpatterns
