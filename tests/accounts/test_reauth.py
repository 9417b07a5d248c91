"""Re-authentication before special-category data (RELIABILITY B12): the confirmation page
(password, and the second factor for staff), its rate limits (the sign-in's), the validated
`next`, and the freshness window (`REAUTH_MINUTES`, 10 by default)."""

import time

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.accounts.welfare import PASSWORD, code_for, reauthenticated, stale
from tests.conftest import _client_for
from twinning.accounts.reauth import (
    PASSWORD_CHECKED_AT,
    SECOND_FACTOR_CHECKED_AT,
    is_recently_authenticated,
    reauth_required,
    reauth_seconds,
)

pytestmark = pytest.mark.django_db

REAUTH = reverse("accounts:reauth")
NEXT = "/home/"


def _page(client: Client, next_url: str = NEXT):
    return client.get(REAUTH, {"next": next_url})


def _confirm(client: Client, password: str = PASSWORD, next_url: str = NEXT, **extra):
    return client.post(REAUTH, {"password": password, "next": next_url, **extra})


def _fresh(client: Client) -> bool:
    request = HttpRequest()
    request.session = client.session
    request.user = _user_of(client)
    return is_recently_authenticated(request)


def _user_of(client: Client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_the_window_is_ten_minutes_by_default():
    assert reauth_seconds() == 600


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    response = _page(anonymous)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signing_in_with_the_password_starts_the_clock(public_user):
    client = Client()
    client.post(reverse("accounts:login"), {"username": public_user.email, "password": PASSWORD})
    assert client.session[PASSWORD_CHECKED_AT] == pytest.approx(time.time(), abs=5)
    assert _fresh(client)


def test_a_stale_session_is_asked_for_the_password_only_when_not_staff(public_user):
    client = stale(_client_for(public_user))
    assert not _fresh(client)
    page = _page(client)
    assert page.status_code == 200
    assert 'name="password"' in page.text and 'name="token"' not in page.text
    assert "no-store" in page["Cache-Control"]


def test_a_wrong_password_is_refused_and_the_session_stays_stale(public_user):
    client = stale(_client_for(public_user))
    response = _confirm(client, password="not my password")
    assert response.status_code == 200
    assert "That password is not right." in response.text
    assert not _fresh(client)


def test_the_right_password_goes_back_to_next_and_is_fresh(public_user):
    client = stale(_client_for(public_user))
    response = _confirm(client, next_url="/events/")
    assert response.status_code == 302 and response["Location"] == "/events/"
    assert _fresh(client)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)"]
)
def test_a_next_to_another_site_is_ignored(public_user, next_url):
    client = stale(_client_for(public_user))
    response = _confirm(client, next_url=next_url)
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


def test_a_fresh_session_goes_straight_on(public_user):
    client = reauthenticated(_client_for(public_user))
    response = _page(client, "/events/")
    assert response.status_code == 302 and response["Location"] == "/events/"


def test_the_confirmation_expires_after_the_window(public_user):
    client = reauthenticated(_client_for(public_user))
    assert _fresh(client)
    with time_machine.travel(time.time() + 9 * 60, tick=False):
        assert _fresh(client)
    with time_machine.travel(time.time() + 11 * 60, tick=False):
        assert not _fresh(client)


def test_the_window_is_a_setting(public_user, settings):
    settings.REAUTH_MINUTES = 30
    assert _fresh(stale(_client_for(public_user), minutes=20))
    settings.REAUTH_MINUTES = 10
    assert not _fresh(stale(_client_for(public_user), minutes=20))


# --- Staff: the second factor too ------------------------------------------------------------


def test_staff_are_asked_for_their_code_too(staff_user):
    client = _client_for(staff_user, verified=True)
    assert not _fresh(client)  # a password sign-in alone: the code's check is not recorded
    page = _page(client)
    assert 'name="password"' in page.text and 'name="token"' in page.text


def test_staff_with_the_password_but_a_wrong_code_stay_stale(staff_user):
    client = _client_for(staff_user, verified=True)
    wrong = f"{(int(code_for(staff_user)) + 1) % 1000000:06d}"
    response = _confirm(client, token=wrong)
    assert response.status_code == 200
    assert "not right" in response.text
    assert not _fresh(client)


def test_staff_with_a_wrong_password_and_the_right_code_stay_stale(staff_user):
    client = _client_for(staff_user, verified=True)
    response = _confirm(client, password="nope", token=code_for(staff_user))
    assert response.status_code == 200
    assert not _fresh(client)


def test_staff_with_password_and_code_are_fresh(staff_user):
    client = _client_for(staff_user, verified=True)
    response = _confirm(client, token=code_for(staff_user), next_url="/staff/")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert _fresh(client)
    assert client.session[SECOND_FACTOR_CHECKED_AT] == pytest.approx(time.time(), abs=5)


def test_staff_without_their_second_factor_go_to_the_code_page_first(staff_user):
    response = _page(_client_for(staff_user))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_the_code_page_starts_the_second_factors_clock(staff_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    client = Client()
    client.post(reverse("accounts:login"), {"username": staff_user.email, "password": PASSWORD})
    client.post(reverse("accounts:otp_verify"), {"token": code_for(staff_user), "next": NEXT})
    assert _fresh(client)


# --- Rate limits: the sign-in's -------------------------------------------------------------


def test_wrong_passwords_here_count_towards_the_sign_in_limit(public_user):
    client = stale(_client_for(public_user))
    for _ in range(10):
        assert "not right" in _confirm(client, password="guess").text
    response = _confirm(client)  # the right password, past the limit
    assert "Too many sign-in attempts" in response.text
    assert not _fresh(client)


# --- The decorator -------------------------------------------------------------------------


@reauth_required
def _special_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("special")


def _request(client: Client, path: str = "/special/?x=1") -> HttpRequest:
    request = RequestFactory().get(path)
    request.session = client.session
    request.user = _user_of(client)
    return request


def test_the_decorator_sends_a_stale_session_to_confirm_and_back(public_user):
    response = _special_page(_request(stale(_client_for(public_user))))
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH}?next=%2Fspecial%2F%3Fx%3D1"


def test_the_decorator_lets_a_fresh_session_through(public_user):
    response = _special_page(_request(reauthenticated(_client_for(public_user))))
    assert response.content == b"special"
