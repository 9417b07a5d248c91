"""Project URLs: each app's urls under its prefix, the admin (two-factor for staff) and the API."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from twinning.accounts.views import admin_login
from twinning.api import api
from twinning.core.authz import is_verified_staff

# Staff reach the admin only with a verified second factor (TOTP).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Twinning"
admin.site.site_title = "Twinning back office"


def _verified_staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every view under /admin/ (the admin's own and the third-party pages registered in it,
    such as django_rq's dashboard and its stats.json, which check `is_staff` only) opens to
    verified staff only (AUTH-8); anyone else goes to the admin's sign-in, which
    sends staff to the code page and everyone else to the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_verified_staff(request.user):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped


def _close(patterns: list[URLPattern | URLResolver]) -> None:
    """Wrap every view of these patterns (recursively) in `_verified_staff_only`, but the
    sign-in it sends to: fail closed, so a page a package adds under /admin/ later (through
    the admin's registry or a pattern of its own) is closed too."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _close(pattern.url_patterns)
        elif pattern.callback is not admin_login and pattern.name != "login":
            pattern.callback = _verified_staff_only(pattern.callback)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("twinning.core.urls")),
    path("", include("twinning.network.urls")),
    path("", include("twinning.outbox.urls")),
    path("", include("twinning.documents.urls")),
    path("", include("twinning.activities.urls")),
    path("", include("twinning.members.urls")),
    path("", include("twinning.review.urls")),
    path("", include("twinning.showcase.urls")),
    path("", include("twinning.events.urls")),
    path("", include("twinning.exchanges.urls")),
    path("", include("twinning.grants.urls")),
    path("", include("twinning.awards.urls")),
    path("", include("twinning.library.urls")),
    path("", include("twinning.matchmaking.urls")),
    path("", include("twinning.relief.urls")),
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

_close([pattern for pattern in urlpatterns if str(pattern.pattern).startswith("admin/")])

if settings.DEBUG and settings.MEDIA_STORAGE == "local":
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
