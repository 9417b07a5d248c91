"""URLs of the library: public pages under /library/, staff pages under /staff/library/."""

from django.urls import path

from twinning.library.views import public, staff

app_name = "library"

_RESOURCE = "library/<slug:slug>/"
_STAFF = "staff/library/"

urlpatterns = [
    path("library/", public.resource_list, name="resource_list"),
    path(_RESOURCE, public.resource_detail, name="resource_detail"),
    path(_RESOURCE + "v<int:number>/", public.version_detail, name="version_detail"),
    path(_RESOURCE + "v<int:number>/open/", public.version_open, name="version_open"),
    path(_STAFF, staff.staff_resource_list, name="staff_resource_list"),
    path(_STAFF + "new/", staff.staff_resource_create, name="staff_resource_create"),
    path(_STAFF + "topics/", staff.staff_topic_list, name="staff_topic_list"),
    path(_STAFF + "downloads/", staff.staff_statistics, name="staff_statistics"),
    path(_STAFF + "downloads.csv", staff.staff_statistics_csv, name="staff_statistics_csv"),
    path(_STAFF + "downloads.xlsx", staff.staff_statistics_xlsx, name="staff_statistics_xlsx"),
    path(_STAFF + "<slug:slug>/", staff.staff_resource_edit, name="staff_resource_edit"),
    path(_STAFF + "<slug:slug>/versions/", staff.staff_version_add, name="staff_version_add"),
    path(
        _STAFF + "<slug:slug>/translations/",
        staff.staff_translation_link,
        name="staff_translation_link",
    ),
]
