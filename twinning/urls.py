"""Project URLs: each app's urls under its prefix, the admin (two-factor for staff) and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from twinning.accounts.views import admin_login
from twinning.api import api

# Staff reach the admin only with a verified second factor (TOTP).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Twinning"
admin.site.site_title = "Twinning back office"

urlpatterns = [
    path("", include("twinning.core.urls")),
    path("", include("twinning.network.urls")),
    path("", include("twinning.outbox.urls")),
    path("", include("twinning.activities.urls")),
    path("", include("twinning.members.urls")),
    path("", include("twinning.review.urls")),
    path("", include("twinning.showcase.urls")),
    path("accounts/", include("twinning.accounts.urls")),
    # The admin signs staff in through our sign-in and second-factor pages.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico on pages that do not link an icon (the admin's).
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True),
        name="favicon",
    ),
]

if settings.DEBUG and settings.MEDIA_STORAGE == "local":
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
