"""Sign-in, sign-out, profile, password reset and change (AUTH-4, AUTH-5, AUTH-6, AUTH-9)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from twinning.core.models import ActivityLog

PASSWORD = "correct horse battery staple"
LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")
WRONG_LOGIN = "The e-mail address or the password is not right."


def _sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_login_page_offers_password_reset(anonymous):
    response = anonymous.get(LOGIN)

    assert response.status_code == 200
    assert "Forgot your password?" in response.text
    assert reverse("accounts:password_reset") in response.text


def test_login_with_right_password_signs_in_and_goes_to_home(anonymous, public_user):
    response = _sign_in(anonymous, public_user.email)

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert anonymous.get(PROFILE).context["user"] == public_user


def test_login_email_is_case_insensitive(anonymous, public_user):
    response = _sign_in(anonymous, public_user.email.upper())

    assert response.status_code == 302
    assert anonymous.get(PROFILE).context["user"] == public_user


def test_login_wrong_password_and_unknown_email_get_identical_pages(anonymous, public_user):
    wrong_password = _sign_in(anonymous, public_user.email, "not the password at all")
    unknown_email = _sign_in(Client(), "nobody-here@example.org", "not the password at all")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert WRONG_LOGIN in wrong_password.text
    assert _without_csrf(wrong_password.text).replace(public_user.email, "EMAIL") == (
        _without_csrf(unknown_email.text).replace("nobody-here@example.org", "EMAIL")
    )


def test_login_inactive_user_gets_the_same_message_as_a_wrong_password(anonymous):
    user = UserFactory(is_active=False)

    response = _sign_in(anonymous, user.email)

    assert WRONG_LOGIN in response.text
    assert not response.context["user"].is_authenticated


def test_login_rotates_the_session_key(anonymous, public_user):
    session = anonymous.session
    session["marker"] = "x"
    session.save()
    before = anonymous.cookies["sessionid"].value

    _sign_in(anonymous, public_user.email)

    assert anonymous.cookies["sessionid"].value != before


def test_login_sets_the_preferred_language(anonymous):
    user = UserFactory(language="fr")

    response = _sign_in(anonymous, user.email)

    assert response.cookies["django_language"].value == "fr"


def test_logout_by_get_is_refused_and_keeps_the_session(public):
    response = public.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert public.get(PROFILE).status_code == 200


def test_logout_by_post_ends_the_session_and_the_old_cookie_is_dead(public):
    old_cookie = public.cookies["sessionid"].value

    response = public.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    assert replay.get(PROFILE).url.startswith(LOGIN)


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("public", ["someone@example.org", "Registered member of the public"], ["/portal/"]),
        (
            "committee_admin",
            ["admin@springfield.example", "Springfield Sister Cities", 'href="/portal/"'],
            ['href="/staff/"'],
        ),
        ("staff", ["staff@example.org", "Association staff", 'href="/staff/"'], ["/portal/"]),
    ],
)
def test_profile_shows_each_person_their_own_roles(request, persona, expected, absent):
    client = request.getfixturevalue(persona)

    response = client.get(PROFILE)

    assert response.status_code == 200
    for text in expected:
        assert text in response.text
    for text in absent:
        assert text not in response.text


def test_profile_sends_anonymous_visitors_to_sign_in(anonymous):
    response = anonymous.get(PROFILE)

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={PROFILE}"


def test_profile_shows_other_committee_admin_only_their_member(other_committee_admin):
    response = other_committee_admin.get(PROFILE)

    assert "Shelbyville Twinning Association" in response.text
    assert "Springfield Sister Cities" not in response.text


def test_profile_edit_saves_name_and_language_and_logs_it(public, public_user):
    response = public.post(PROFILE, {"full_name": "Pat Q. Public", "language": "de"})

    public_user.refresh_from_db()
    assert response.status_code == 302
    assert (public_user.full_name, public_user.language) == ("Pat Q. Public", "de")
    assert response.cookies["django_language"].value == "de"
    log = ActivityLog.objects.get(action="accounts.profile.changed")
    assert log.data == {"full_name": "Pat Q. Public", "language": "de"}


def test_profile_edit_ignores_email_and_staff_fields(public, public_user):
    public.post(
        PROFILE,
        {"full_name": "X", "language": "", "email": "evil@example.org", "is_staff": "on"},
    )

    public_user.refresh_from_db()
    assert (public_user.email, public_user.is_staff) == ("someone@example.org", False)


def test_profile_edit_rejects_an_unknown_language(public, public_user):
    response = public.post(PROFILE, {"full_name": "X", "language": "xx"})

    public_user.refresh_from_db()
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert public_user.full_name != "X"


# --- Password reset (AUTH-4, AUTH-9) ----------------------------------------------------------


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    """Ask for a reset link, running the mail task queued on commit."""

    def ask(client: Client, email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)

    return ask


def _reset_link(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_password_reset_known_and_unknown_email_answer_the_same(anonymous, public_user, ask_reset):
    known = ask_reset(anonymous, public_user.email)
    unknown = ask_reset(Client(), "nobody-here@example.org")

    assert known.redirect_chain == unknown.redirect_chain
    assert _without_csrf(known.text) == _without_csrf(unknown.text)
    assert "If an account uses the address you entered" in known.text
    assert [m.to for m in mail.outbox] == [[public_user.email]]


def test_password_reset_mail_carries_a_working_link(anonymous, public_user, ask_reset):
    ask_reset(anonymous, public_user.email)
    link = _reset_link(mail.outbox[0])

    form_page = anonymous.get(link, follow=True)
    done = anonymous.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
        follow=True,
    )

    assert "Choose a new password" in mail.outbox[0].subject
    assert "Your password is changed" in done.text
    public_user.refresh_from_db()
    assert public_user.check_password("a brand new passphrase")


def test_password_reset_link_works_only_once(anonymous, public_user, ask_reset):
    ask_reset(anonymous, public_user.email)
    link = _reset_link(mail.outbox[0])
    set_password_url = anonymous.get(link).url
    anonymous.post(
        set_password_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    second = Client().get(link, follow=True)

    assert "This link no longer works" in second.text


def test_password_reset_link_expires_after_an_hour(anonymous, public_user, ask_reset):
    ask_reset(anonymous, public_user.email)
    link = _reset_link(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = anonymous.get(link, follow=True)

    assert "This link no longer works" in response.text


def test_password_reset_link_leaves_the_url_before_the_form(anonymous, public_user, ask_reset):
    ask_reset(anonymous, public_user.email)
    link = _reset_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[-1]

    response = anonymous.get(link)

    assert response.status_code == 302
    assert token not in response.url


def test_password_change_keeps_this_session_and_ends_others(public_user):
    this, other = Client(), Client()
    _sign_in(this, public_user.email)
    _sign_in(other, public_user.email)

    response = this.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
        follow=True,
    )

    assert "Your password is changed." in response.text
    assert this.get(PROFILE).status_code == 200
    assert other.get(PROFILE).url.startswith(LOGIN)


def test_password_change_rejects_a_common_password(public):
    response = public.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )

    assert response.status_code == 200
    assert "This password is too common." in response.text


def test_migrate_leaves_no_user_with_a_usable_password(db):
    """AUTH-10: a fresh database has no default account to sign in with."""
    from twinning.accounts.models import User

    assert [u for u in User.objects.all() if u.has_usable_password()] == []
