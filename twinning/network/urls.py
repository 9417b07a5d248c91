"""The registry's URLs, by audience: public pages, the committee admins' portal, staff pages."""

from django.urls import include, path

app_name = "network"
urlpatterns = [
    path("", include("twinning.network.urls_public")),
    path("portal/", include("twinning.network.urls_portal")),
    path("staff/", include("twinning.network.urls_staff")),
]
