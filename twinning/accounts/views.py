"""Sign-in, sign-up, second factor, profile and password pages: Django's auth views, minimally
wrapped, and the sign-up with its e-mailed confirmation link (twinning.accounts.signup)."""

import base64
import binascii
import logging
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from twinning.accounts import services
from twinning.accounts import signup as signup_services
from twinning.accounts.decorators import otp_verify_url
from twinning.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    ReauthForm,
    SignUpForm,
    TokenForm,
)
from twinning.accounts.ratelimit import clear_account_failures, client_ip
from twinning.accounts.reauth import (
    is_recently_authenticated,
    mark_password_checked,
    mark_second_factor_checked,
    needs_second_factor,
    reauth_seconds,
)
from twinning.accounts.sessions import session_idle_seconds
from twinning.core.reverse import absolute_url

logger = logging.getLogger(__name__)

SETUP_KEY_SESSION_KEY = "accounts_totp_setup_key"
SIGNUP_EMAIL_SESSION_KEY = "accounts_signup_email"
VERIFY_SESSION_KEY = "accounts_verify_email"


def _next_url(request: HttpRequest) -> str:
    """The safe `next` of this request, else the default page after sign-in."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _remember_language(response: HttpResponse, language: str) -> None:
    """Show the site in the user's preferred language from the next page on."""
    if language and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


class LoginView(auth_views.LoginView):
    """E-mail and password; staff then go to their second factor (AUTH-8)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)  # signs in and rotates the session key (AUTH-5)
        user = form.get_user()
        logger.info("sign-in: user %s from %s", user.pk, client_ip(self.request) or "unknown")
        if user.is_staff:
            response = redirect(otp_verify_url(self.get_success_url()))
        _remember_language(response, user.language)
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET); ends the session (AUTH-6)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        logger.info("sign-out: user %s", request.user.pk)
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        # UI-3: the browser drops what it cached or stored for this site.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "language": user.language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=user, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            _remember_language(response, user.language)
            return response
    context = {
        "form": form,
        "administered_members": list(user.administered_members.order_by("name")),
        "is_verified": getattr(user, "is_verified", lambda: False)(),
    }
    return render(request, "accounts/profile.html", context)


def _complete_second_factor(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    request.session.cycle_key()  # AUTH-5: a new session key after the step-up
    request.session.set_expiry(session_idle_seconds(request.user))
    mark_second_factor_checked(request.session)  # B12: the re-authentication clock
    logger.info("second factor verified: user %s", request.user.pk)


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff:
        raise Http404
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    device = services.confirmed_totp_device(user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_totp_code(device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _complete_second_factor(request, device)
            return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm the password again (and, for staff, the code from their authenticator) before a
    page of special-category data (B12). Goes through `authenticate`, so the sign-in limits
    count every wrong password here too; then back to the (validated) `next`."""
    user = request.user
    next_url = _next_url(request)
    with_code = needs_second_factor(user)
    device = services.confirmed_totp_device(user) if with_code else None
    if with_code and not user.is_verified():
        # Staff give their second factor on the code page first (it sets one up if needed).
        return redirect(otp_verify_url(request.get_full_path()))
    if with_code and device is None:
        # Verified, but the authenticator is gone (removed in the admin): set up a new one.
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': next_url})}")
    if request.method != "POST" and is_recently_authenticated(request):
        return redirect(next_url)
    form = ReauthForm(request.POST or None, with_code=with_code)
    if request.method == "POST" and form.is_valid():
        checked = authenticate(request, username=user.email, password=form.cleaned_data["password"])
        refusal = getattr(request, "sign_in_refusal", None)
        if refusal is not None:
            form.add_error(None, refusal)
        elif checked is None or checked.pk != user.pk:
            logger.info("re-authentication failed: user %s", user.pk)
            form.add_error("password", _("That password is not right."))
        elif device is not None:
            try:
                services.verify_totp_code(device=device, token=form.cleaned_data["token"])
            except ValidationError as error:
                form.add_error(None, error)
        if not form.errors:
            mark_password_checked(request.session)
            if device is not None:
                mark_second_factor_checked(request.session)
            logger.info("re-authenticated: user %s", user.pk)
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "with_code": with_code,
        "minutes": reauth_seconds() // 60,
    }
    return render(request, "accounts/reauth.html", context)


def _qr_code_data_uri(text: str) -> str:
    """A QR code drawn here as SVG, inline as data: no image service sees the secret."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff:
        raise Http404
    next_url = _next_url(request)
    if services.confirmed_totp_device(user) is not None:
        return redirect(next_url if user.is_verified() else otp_verify_url(next_url))
    # The new secret waits in the (server-side) session until a first code confirms it, so
    # opening this page writes nothing (C9) and an abandoned set-up leaves no device behind.
    key = request.session.setdefault(SETUP_KEY_SESSION_KEY, default_key())
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.confirm_totp_device(
                user=user, key=key, token=form.cleaned_data["token"], by=user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[SETUP_KEY_SESSION_KEY]
            _complete_second_factor(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(next_url)
    pending = TOTPDevice(user=user, key=key)
    secret = base64.b32encode(binascii.unhexlify(key)).decode()
    context = {
        "form": form,
        "next": next_url,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "qr_code": _qr_code_data_uri(pending.config_url),
    }
    return render(request, "accounts/otp_setup.html", context)


def admin_login(request: HttpRequest) -> HttpResponse:
    """Stands in for the admin's own sign-in form (wired in twinning/urls.py before the admin):
    the admin is then reached through this app's sign-in, with its rate limits, and through
    the code page for staff who have not given their second factor yet."""
    next_url = _next_url(request) if "next" in request.GET else reverse("admin:index")
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(otp_verify_url(next_url))
    return redirect_to_login(next_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's single-use, one-hour link (AUTH-9); a successful reset also clears the account's
    sign-in failures (AUTH-2) and does not sign in: staff still give their second factor."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        clear_account_failures(self.user.email)
        logger.info("password reset: user %s", self.user.pk)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django keeps this session signed in and ends the user's other sessions (AUTH-6)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        logger.info("password changed: user %s", self.request.user.pk)
        messages.success(self.request, _("Your password is changed."))
        return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=PasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# --- Sign-up (twinning.accounts.signup) --------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account: it works once its owner opens the e-mailed link."""
    if request.user.is_authenticated:
        return redirect("core:home")
    next_url = _safe_next(request)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        query = f"?{urlencode({'next': next_url})}" if next_url else ""

        def link_for(token: str | None) -> str:
            if token is None:
                return absolute_url(reverse("accounts:login") + query)
            return absolute_url(reverse("accounts:verify_email", kwargs={"token": token}) + query)

        try:
            signup_services.check_signup_rate(ip=client_ip(request), email=data["email"])
            signup_services.sign_up(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password1"],
                language=get_language(),
                link_for=link_for,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[SIGNUP_EMAIL_SESSION_KEY] = data["email"]
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@never_cache
@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGNUP_EMAIL_SESSION_KEY, "")
    return render(request, "accounts/signup_sent.html", {"email": email})


@never_cache
@require_safe
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: the token moves into the session and leaves the address bar (and
    any Referer) at once, as Django's password reset does (AUTH-11). Opening it spends
    nothing: mail scanners open links; the button on the next page confirms."""
    try:
        signup_services.user_for_token(token)
    except signup_services.VerificationLinkInvalid as error:
        return _verify_unusable(request, error)
    request.session[VERIFY_SESSION_KEY] = {"token": token, "next": _safe_next(request)}
    return redirect("accounts:verify_email_form")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_email_form(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(VERIFY_SESSION_KEY) or {}
    token, next_url = str(pending.get("token", "")), str(pending.get("next", ""))
    try:
        if request.method == "POST":
            user = signup_services.verify_email(token=token)
        else:
            user = signup_services.user_for_token(token)
    except signup_services.VerificationLinkInvalid as error:
        return _verify_unusable(request, error)
    if request.method == "POST":
        del request.session[VERIFY_SESSION_KEY]
        messages.success(request, _("Your e-mail address is confirmed. Sign in to continue."))
        login_url = reverse("accounts:login")
        return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)
    return render(request, "accounts/verify_email.html", {"email": user.email})


def _verify_unusable(request: HttpRequest, error: Exception) -> HttpResponse:
    """A spent or expired link says so (410); anything else is not a link of ours (404)."""
    if isinstance(error, signup_services.VerificationLinkUsed):
        reason, status = "used", 410
    elif isinstance(error, signup_services.VerificationLinkExpired):
        reason, status = "expired", 410
    else:
        reason, status = "invalid", 404
    context = {"reason": reason, "hours": signup_services.VERIFY_MAX_AGE // 3600}
    return render(request, "accounts/verify_unusable.html", context, status=status)
