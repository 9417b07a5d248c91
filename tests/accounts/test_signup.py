"""Signing up (twinning.accounts.signup) over HTTP: an inactive account until the e-mailed,
signed, expiring, single-use link is confirmed; clear pages for a spent, expired or wrong
link; rate limits; and the journeys that need an account: a committee applying to join from
the site, and a student registering for the showcase from a link on its page."""

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.members.conftest import membership_type  # noqa: F401 - a fixture
from tests.outbox.delivery import delivered_body
from tests.showcase.conftest import good_standing, make_edition, years_ago  # noqa: F401
from twinning.accounts.models import User
from twinning.members.models import Membership
from twinning.outbox.models import OutboxMessage
from twinning.youth.models import Person

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
CONFIRM = reverse("accounts:verify_email_form")
PASSWORD = "a-Long-enough-passw0rd"
FORM = {
    "email": "Robin@Example.org",
    "full_name": "Robin Hood",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _sign_up(client: Client, next_url: str = "", **changes) -> object:
    url = f"{SIGNUP}?next={next_url}" if next_url else SIGNUP
    return client.post(url, {**FORM, **changes, **({"next": next_url} if next_url else {})})


def _link(email: str = "robin@example.org") -> str:
    """The confirmation link as its recipient reads it (the outbox stores it redacted)."""
    message = OutboxMessage.objects.filter(to=email, template="accounts.verify_email").latest("pk")
    if message.state == OutboxMessage.State.SENT:
        from django.core import mail

        body = next(m.body for m in reversed(mail.outbox) if m.to == [email])
    else:
        body = delivered_body(message)
    return re.search(r"https?://\S+/accounts/signup/confirm/\S+", body).group(0)


def _path(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _sign_in(client: Client, email: str = "robin@example.org", next_url: str = ""):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    data = {"username": email, "password": PASSWORD}
    return client.post(url, {**data, **({"next": next_url} if next_url else {})})


def test_the_header_and_the_sign_in_page_offer_to_create_an_account(anonymous):
    assert f'href="{SIGNUP}"' in anonymous.get("/").content.decode()
    assert f'href="{SIGNUP}"' in anonymous.get(LOGIN).content.decode()


def test_signing_up_makes_an_inactive_account_and_mails_a_link(anonymous):
    response = _sign_up(anonymous)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_sent")
    assert "We sent a message to robin@example.org" in _text(anonymous.get(response.url))
    user = User.objects.get(email="robin@example.org")
    assert (user.is_active, user.email_verified_at, user.full_name) == (False, None, "Robin Hood")
    message = OutboxMessage.objects.get(template="accounts.verify_email")
    assert message.to == "robin@example.org"
    token = urlsplit(_link()).path.split("/confirm/")[1]
    assert token not in message.body  # staff read the link redacted
    assert "/accounts/signup/confirm/••••••/" in message.body


def test_no_sign_in_until_the_address_is_confirmed(anonymous):
    _sign_up(anonymous)

    response = _sign_in(anonymous)

    assert response.status_code == 200
    assert "Confirm your e-mail address first" in _text(response)
    assert "_auth_user_id" not in anonymous.session


def _confirm(client: Client, path: str):
    """Open the link, then press the button on the page it leads to."""
    opened = client.get(path)
    assert opened.status_code == 302, _text(opened)
    return client.post(opened.url)


def test_opening_the_link_spends_nothing_and_the_button_confirms(anonymous):
    _sign_up(anonymous)
    path = _path(_link())

    opened = anonymous.get(path)
    assert opened.url == CONFIRM  # the token leaves the address bar at once
    page = anonymous.get(CONFIRM)
    assert "Confirm that robin@example.org is yours" in _text(page)
    assert anonymous.get(path).status_code == 302  # a mail scanner's visit changed nothing
    confirmed = anonymous.post(CONFIRM)

    assert confirmed.status_code == 302
    assert confirmed.url == LOGIN
    assert "Your e-mail address is confirmed" in _text(anonymous.get(LOGIN))
    assert _sign_in(anonymous).url == reverse("core:home")
    assert User.objects.get(email="robin@example.org").email_verified_at is not None


def test_a_spent_link_says_so(anonymous):
    _sign_up(anonymous)
    path = _path(_link())
    _confirm(anonymous, path)

    for response in (anonymous.get(path), Client().get(path), anonymous.post(CONFIRM)):
        assert response.status_code in (404, 410)
    response = anonymous.get(path)
    assert response.status_code == 410
    assert "This link was already used" in _text(response)


def test_an_expired_link_says_so_and_confirms_nothing(anonymous):
    _sign_up(anonymous)
    path = _path(_link())

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        response = anonymous.get(path)

    assert response.status_code == 410
    assert "This link has expired" in _text(response)
    assert "48 hours" in _text(response)
    assert User.objects.get(email="robin@example.org").is_active is False


def test_a_changed_link_is_not_valid(anonymous):
    _sign_up(anonymous)
    path = _path(_link())

    response = anonymous.get(path[:-3] + "xyz/")

    assert response.status_code == 404
    assert "This link is not valid" in _text(response)
    assert anonymous.post(CONFIRM).status_code == 404  # nothing to confirm in this session


def test_signing_up_again_replaces_the_pending_account_and_its_link(anonymous):
    _sign_up(anonymous)
    first = _path(_link())
    _sign_up(
        Client(), full_name="Robin of Locksley", password1=PASSWORD + "!", password2=PASSWORD + "!"
    )
    second = _path(_link())

    assert anonymous.get(first).status_code == 404
    assert _confirm(anonymous, second).status_code == 302
    assert User.objects.get(email="robin@example.org").full_name == "Robin of Locksley"


def test_an_address_with_an_account_gets_the_same_page_and_a_mail_to_its_owner(
    anonymous, public_user
):
    response = _sign_up(anonymous, email=public_user.email)

    assert response.url == reverse("accounts:signup_sent")
    assert User.objects.filter(email=public_user.email).count() == 1
    message = OutboxMessage.objects.get(to=public_user.email)
    assert message.template == "accounts.signup_existing"
    assert User.objects.get(email=public_user.email).is_active


def test_signing_up_never_revives_an_account_staff_deactivated(anonymous):
    from tests.factories import UserFactory

    closed = UserFactory(email="closed@example.org", is_active=False)

    _sign_up(anonymous, email="closed@example.org")

    closed.refresh_from_db()
    assert (closed.is_active, closed.signed_up_at) == (False, None)
    assert not OutboxMessage.objects.filter(template="accounts.verify_email").exists()
    assert "Confirm your e-mail address first" not in _text(_sign_in(anonymous, closed.email))


def test_the_form_says_what_is_wrong(anonymous):
    response = _sign_up(anonymous, password2="something-else-entirely")

    assert "The two passwords differ" in _text(response)
    short = _sign_up(anonymous, password1="short", password2="short")
    assert "too short" in _text(short)
    assert not User.objects.exists()


def test_sign_ups_are_rate_limited_per_network(anonymous):
    for n in range(5):
        assert _sign_up(anonymous, email=f"person{n}@example.org").status_code == 302

    response = _sign_up(anonymous, email="person6@example.org")

    assert response.status_code == 200
    assert "Too many sign-ups" in _text(response)
    assert not User.objects.filter(email="person6@example.org").exists()


def test_sign_ups_are_rate_limited_per_address():
    for n in range(3):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert _sign_up(client).status_code == 302

    response = _sign_up(Client(REMOTE_ADDR="192.0.2.99"))

    assert "Too many sign-ups" in _text(response)


@pytest.mark.parametrize("role", ["public", "committee_admin", "staff"])
def test_signed_in_people_go_to_their_home_not_the_form(request, role):
    client = request.getfixturevalue(role)

    response = client.post(SIGNUP, FORM)

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert not User.objects.filter(email="robin@example.org").exists()


# --- Journeys ----------------------------------------------------------------------------------


def test_a_new_person_signs_up_and_applies_for_their_committee_to_join(
    anonymous,
    springfield,
    membership_type,  # noqa: F811
):
    join = reverse("members:join")
    footer_link = f'href="{join}"'
    assert footer_link in anonymous.get("/").content.decode()
    to_login = anonymous.get(join)
    assert to_login.url == f"{LOGIN}?next={join}"
    login_page = anonymous.get(to_login.url)
    assert f"{SIGNUP}?next={join}" in login_page.content.decode()

    _sign_up(anonymous, next_url=join)
    path = _path(_link())
    confirmed = _confirm(anonymous, path)
    signed_in = _sign_in(anonymous, next_url=confirmed.url.split("next=")[1].replace("%2F", "/"))
    assert signed_in.url == join
    form = anonymous.get(join)
    assert "Join the association" in _text(form)
    applied = anonymous.post(
        join,
        {
            "name": "Springfield Friends of Twinning",
            "kind": "committee",
            "community": springfield.slug,
            "membership_type": membership_type.pk,
        },
    )

    assert applied.status_code == 302, _text(applied)
    membership = Membership.objects.get(member__name="Springfield Friends of Twinning")
    assert membership.applied_by.email == "robin@example.org"
    home = anonymous.get(reverse("core:home"))
    assert "Springfield Friends of Twinning" in _text(home)


def test_a_student_registers_for_the_showcase_from_its_page(
    anonymous,
    staff_user,
    springfield,
    good_standing,  # noqa: F811
):
    edition = make_edition(by=staff_user)
    showcase = anonymous.get(reverse("showcase:edition_list"))
    enter = reverse("showcase:edition_enter", kwargs={"edition": edition.slug})
    assert f'href="{enter}"' in showcase.content.decode()

    screened = anonymous.post(
        enter, {"date_of_birth": years_ago(16).isoformat(), "community": springfield.slug}
    )
    registered = anonymous.post(
        screened.url,
        {
            "first_name": "Mary",
            "last_name": "Anning",
            "email": "mary@example.org",
            "password": PASSWORD,
            "school": "",
            "guardian_email": "parent@example.net",
        },
    )

    assert registered.url == reverse("showcase:my_entries")
    assert Person.objects.get().user.email == "mary@example.org"
    home = anonymous.get(reverse("core:home"))
    assert "Your guardian's consent is still awaited" in _text(home)
