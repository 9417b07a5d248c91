"""`staff_required`: the gate of every staff page (AUTH-8, ACC-11)."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from twinning.core.authz import is_verified_staff


def otp_verify_url(next_url: str) -> str:
    return f"{reverse('accounts:otp_verify')}?{urlencode({'next': next_url})}"


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only verified staff through.

    Anonymous: to the sign-in page, back here after. Signed in but not staff: 404, as if the
    page did not exist (C12). Staff without a verified second factor in this session: to the
    code page (which sends them on to set up an authenticator if they have none), back here
    after. Staff pages show personal data, so their responses are never stored (HDR-4).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise Http404
        if not is_verified_staff(user):
            return redirect(otp_verify_url(request.get_full_path()))
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
