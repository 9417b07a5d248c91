"""Staff two-factor sign-in (AUTH-5, AUTH-7, AUTH-8, AUTH-9, ACC-11) and `staff_required`."""

import re
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import twinning.urls
from twinning.accounts.decorators import staff_required
from twinning.core.models import ActivityLog

PASSWORD = "correct horse battery staple"
NOW = timezone.now().replace(microsecond=0)


@staff_required
def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Staff dashboard for the test")


# A test-only URLconf: the project's URLs plus one page behind `staff_required`.
urlpatterns = [path("test-staff/", staff_page), *twinning.urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)

STAFF_PAGE = "/test-staff/"
OTP_VERIFY = "/accounts/two-factor/"
OTP_SETUP = "/accounts/two-factor/setup/"


def _code(device: TOTPDevice, steps: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=steps)
    return f"{value:06d}"


@pytest.fixture
def device(staff_user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)


@pytest.fixture
def signed_in_staff(staff_user, device) -> Client:
    """Staff who just signed in with their password (no second factor yet)."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": staff_user.email, "password": PASSWORD})
    return client


# --- staff_required -----------------------------------------------------------------------


def test_staff_required_sends_anonymous_visitors_to_sign_in(anonymous):
    response = anonymous.get(STAFF_PAGE)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={quote(STAFF_PAGE)}"


@pytest.mark.parametrize("persona", ["public", "committee_admin"])
def test_staff_required_answers_404_to_other_roles(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get(STAFF_PAGE)

    assert response.status_code == 404
    assert "Staff dashboard" not in response.text


def test_staff_required_sends_staff_without_second_factor_to_the_code_page(staff_without_otp):
    response = staff_without_otp.get(STAFF_PAGE)

    assert response.status_code == 302
    assert response.url == f"{OTP_VERIFY}?next={quote(STAFF_PAGE, safe='')}"


def test_staff_required_lets_verified_staff_in_and_forbids_caching(staff):
    response = staff.get(STAFF_PAGE)

    assert response.text == "Staff dashboard for the test"
    assert "no-store" in response["Cache-Control"]


def test_staff_required_refuses_a_deactivated_staff_member(staff, staff_user):
    staff_user.is_active = False
    staff_user.save()

    response = staff.get(STAFF_PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- Sign-in with the second factor (AUTH-8) -----------------------------------------------------


def test_staff_password_sign_in_goes_to_the_code_page(staff_user, device):
    client = Client()

    response = client.post(
        f"{reverse('accounts:login')}?next={STAFF_PAGE}",
        {"username": staff_user.email, "password": PASSWORD, "next": STAFF_PAGE},
    )

    assert response.url == f"{OTP_VERIFY}?next={quote(STAFF_PAGE, safe='')}"
    assert client.get(STAFF_PAGE).url.startswith(OTP_VERIFY)


def test_code_page_asks_for_the_six_digit_code(signed_in_staff):
    response = signed_in_staff.get(OTP_VERIFY)

    assert "Enter your sign-in code" in response.text
    assert 'autocomplete="one-time-code"' in response.text


def test_staff_with_the_current_code_reaches_the_staff_page(signed_in_staff, device):
    with time_machine.travel(NOW, tick=False):
        response = signed_in_staff.post(OTP_VERIFY, {"token": _code(device), "next": STAFF_PAGE})

    assert response.url == STAFF_PAGE
    assert signed_in_staff.get(STAFF_PAGE).text == "Staff dashboard for the test"


@pytest.mark.parametrize("steps", [-1, 1])
def test_code_one_step_away_is_accepted(signed_in_staff, device, steps):
    with time_machine.travel(NOW, tick=False):
        response = signed_in_staff.post(OTP_VERIFY, {"token": _code(device, steps)})

    assert response.status_code == 302
    assert signed_in_staff.get(STAFF_PAGE).status_code == 200


@pytest.mark.parametrize("steps", [-2, 2])
def test_code_two_steps_away_is_refused(signed_in_staff, device, steps):
    with time_machine.travel(NOW, tick=False):
        response = signed_in_staff.post(OTP_VERIFY, {"token": _code(device, steps)})

    assert "That code is not right, or was already used." in response.text
    assert signed_in_staff.get(STAFF_PAGE).url.startswith(OTP_VERIFY)


def test_replayed_code_is_refused(signed_in_staff, staff_user, device):
    with time_machine.travel(NOW, tick=False):
        code = _code(device)
        signed_in_staff.post(OTP_VERIFY, {"token": code})
        attacker = Client()
        attacker.post(
            reverse("accounts:login"), {"username": staff_user.email, "password": PASSWORD}
        )

        response = attacker.post(OTP_VERIFY, {"token": code})

    assert "That code is not right, or was already used." in response.text
    assert attacker.get(STAFF_PAGE).url.startswith(OTP_VERIFY)


def test_wrong_codes_slow_down_further_tries(signed_in_staff, device):
    with time_machine.travel(NOW, tick=False):
        signed_in_staff.post(OTP_VERIFY, {"token": _code(device, 5)})

        response = signed_in_staff.post(OTP_VERIFY, {"token": _code(device)})

    assert "Too many wrong codes." in response.text


def test_code_page_rejects_letters_with_a_clear_message(signed_in_staff):
    response = signed_in_staff.post(OTP_VERIFY, {"token": "abcdef"})

    assert "Enter the six digits shown in your authenticator app." in response.text


def test_code_page_is_404_for_non_staff(public):
    assert public.get(OTP_VERIFY).status_code == 404
    assert public.get(OTP_SETUP).status_code == 404


def test_code_page_ignores_a_next_to_another_site(signed_in_staff, device):
    with time_machine.travel(NOW, tick=False):
        response = signed_in_staff.post(
            OTP_VERIFY, {"token": _code(device), "next": "https://evil.example/"}
        )

    assert response.url == reverse("core:home")


def test_verified_staff_skip_the_code_page(staff):
    response = staff.get(f"{OTP_VERIFY}?next={STAFF_PAGE}")

    assert response.url == STAFF_PAGE


# --- Session hygiene (AUTH-5, AUTH-7) ---------------------------------------------------------


def test_session_key_changes_after_the_second_factor(signed_in_staff, device):
    before = signed_in_staff.cookies["sessionid"].value

    with time_machine.travel(NOW, tick=False):
        signed_in_staff.post(OTP_VERIFY, {"token": _code(device)})

    assert signed_in_staff.cookies["sessionid"].value != before


def test_staff_session_ends_after_30_minutes_idle(staff):
    assert staff.get(STAFF_PAGE).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = staff.get(STAFF_PAGE)

    assert response.url.startswith(reverse("accounts:login"))


def test_public_session_survives_31_minutes_idle(public):
    public.get(reverse("accounts:profile"))

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = public.get(reverse("accounts:profile"))

    assert response.status_code == 200


def _session_writes(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_pages_within_a_minute_of_the_last_touch_do_not_rewrite_the_session(public):
    public.get(reverse("accounts:profile"))
    writes = _session_writes(public, reverse("accounts:profile"))

    assert not [sql for sql in writes if sql.lstrip().upper().startswith("UPDATE")]


def test_a_page_a_minute_after_the_last_touch_pushes_the_idle_expiry_forward(public):
    public.get(reverse("accounts:profile"))
    before = Session.objects.get().expire_date

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        writes = _session_writes(public, reverse("accounts:profile"))

    assert [sql for sql in writes if sql.lstrip().upper().startswith("UPDATE")]
    assert Session.objects.get().expire_date >= before + timedelta(minutes=2)


def test_staff_active_every_few_minutes_stay_signed_in_past_the_idle_limit(staff):
    start = timezone.now()
    for minutes in (10, 20, 30, 40, 50):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert staff.get(STAFF_PAGE).status_code == 200


# --- Setting up an authenticator -------------------------------------------------------------


@pytest.fixture
def new_staff(staff_user) -> Client:
    """Staff signed in with a password who have no authenticator yet."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": staff_user.email, "password": PASSWORD})
    return client


def _setup_key(client: Client) -> bytes:
    from twinning.accounts.views import SETUP_KEY_SESSION_KEY

    return bytes.fromhex(client.session[SETUP_KEY_SESSION_KEY])


def test_staff_without_authenticator_are_sent_to_set_one_up(new_staff):
    response = new_staff.get(f"{OTP_VERIFY}?next={STAFF_PAGE}")

    assert response.url == f"{OTP_SETUP}?next={quote(STAFF_PAGE, safe='')}"


def test_setup_page_shows_a_local_qr_code_and_the_key(new_staff, staff_user):
    response = new_staff.get(OTP_SETUP)

    import base64

    secret = base64.b32encode(_setup_key(new_staff)).decode()
    shown = re.search(r'<code class="otp-secret">([^<]+)</code>', response.text).group(1)
    assert shown.replace(" ", "") == secret
    assert 'src="data:image/svg+xml;base64,' in response.text
    assert "Install an authenticator app" in response.text
    assert not TOTPDevice.objects.filter(user=staff_user).exists()


def test_setup_with_the_first_code_confirms_and_verifies(new_staff, staff_user):
    new_staff.get(OTP_SETUP)
    key = _setup_key(new_staff)

    with time_machine.travel(NOW, tick=False):
        code = f"{totp(key):06d}"
        response = new_staff.post(OTP_SETUP, {"token": code, "next": STAFF_PAGE})

    assert response.url == STAFF_PAGE
    assert new_staff.get(STAFF_PAGE).status_code == 200
    device = TOTPDevice.objects.get(user=staff_user)
    assert device.confirmed
    assert ActivityLog.objects.filter(action="accounts.totp.confirmed").count() == 1


def test_setup_with_a_wrong_code_saves_nothing(new_staff, staff_user):
    new_staff.get(OTP_SETUP)
    key = _setup_key(new_staff)

    with time_machine.travel(NOW, tick=False):
        response = new_staff.post(OTP_SETUP, {"token": f"{totp(key, drift=3):06d}"})

    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=staff_user).exists()


def test_setup_is_refused_once_an_authenticator_exists(signed_in_staff):
    response = signed_in_staff.get(OTP_SETUP)

    assert response.url.startswith(OTP_VERIFY)


# --- After a password reset (AUTH-9) -------------------------------------------------------------


def test_staff_still_need_the_second_factor_after_a_password_reset(
    staff_user, device, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": staff_user.email})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    new = "a fresh staff passphrase"
    client.post(client.get(link).url, {"new_password1": new, "new_password2": new})

    response = client.post(
        reverse("accounts:login"), {"username": staff_user.email, "password": new}
    )

    assert response.url.startswith(OTP_VERIFY)
    assert client.get(STAFF_PAGE).url.startswith(OTP_VERIFY)


# --- The admin (C11) ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "public", "committee_admin", "staff_without_otp"])
def test_admin_is_closed_to_all_but_verified_staff(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "Site administration" not in response.text


def test_admin_opens_for_verified_staff(staff):
    response = staff.get("/admin/")

    assert response.status_code == 200
    assert "Site administration" in response.text


def test_admin_login_is_rate_limited_like_the_sign_in_page(staff_user, device):
    attacker = Client()
    for _ in range(10):
        attacker.post(reverse("accounts:login"), {"username": "x@example.org", "password": "no"})

    with time_machine.travel(NOW, tick=False):
        response = Client().post(
            "/admin/login/?next=/admin/",
            {
                "username": staff_user.email,
                "password": PASSWORD,
                "otp_device": device.persistent_id,
                "otp_token": _code(device),
            },
            follow=True,
        )

    assert "Site administration" not in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_admin_user_list_searches_by_email(staff, staff_user):
    staff_user.is_superuser = True
    staff_user.save()

    response = staff.get("/admin/accounts/user/?q=staff%40example")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [staff_user]


# The admin's sign-in is handed to accounts (twinning/urls.py).


def test_admin_sends_unverified_staff_to_the_code_page_and_back(staff_without_otp, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)

    page = staff_without_otp.get("/admin/", follow=True)
    with time_machine.travel(NOW, tick=False):
        response = staff_without_otp.post(
            page.redirect_chain[-1][0], {"token": _code(device), "next": "/admin/"}, follow=True
        )

    assert "Enter your sign-in code" in page.text
    assert "Site administration" in response.text


@pytest.mark.parametrize("persona", ["anonymous", "public", "committee_admin"])
def test_admin_sends_other_roles_to_the_sign_in_page(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=/admin/"
    assert "Site administration" not in response.text


def test_staff_session_ends_12_hours_after_sign_in_however_active(staff):
    start = timezone.now()
    # Active every 20 minutes, so the idle limit never strikes.
    for step in range(1, 36):
        with time_machine.travel(start + timedelta(minutes=20 * step)):
            assert staff.get(STAFF_PAGE).status_code == 200

    with time_machine.travel(start + timedelta(hours=12, seconds=1)):
        response = staff.get(STAFF_PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def _signed_in_ago(client, seconds: float) -> None:
    session = client.session
    session["signed_in_at"] = time.time() - seconds
    session.save()


def test_public_session_lasts_until_14_days_after_sign_in(public):
    _signed_in_ago(public, 14 * 24 * 3600 - 60)

    assert public.get(reverse("accounts:profile")).status_code == 200


def test_public_session_ends_14_days_after_sign_in_however_active(public):
    _signed_in_ago(public, 14 * 24 * 3600 + 1)

    response = public.get(reverse("accounts:profile"))

    assert response.url.startswith(reverse("accounts:login"))
