"""Sign-in rate limits (AUTH-2 brute force, AUTH-3 trusted client address, AUTH-4): per
address and per account, a stranger cannot lock the owner out, and attempts sent at the same
moment cannot overshoot a limit (threads; on PostgreSQL in .ci/run)."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from twinning.accounts.ratelimit import client_ip

PASSWORD = "correct horse battery staple"
LOGIN = reverse("accounts:login")
FROM_NETWORK = "Too many sign-in attempts from your network. Try again in a few minutes."
FOR_ACCOUNT = "Too many sign-in attempts for this account. Try again in a few minutes."


def _attempt(client: Client, email: str, password: str | None = None, **extra):
    data = {"username": email, "password": password or "wrong password here"}
    return client.post(LOGIN, data, **extra)


def _fail(times: int, email: str, **extra) -> None:
    client = Client()
    for _ in range(times):
        response = _attempt(client, email, **extra)
        assert "not right" in response.text


def test_ip_limit_refuses_the_11th_attempt_even_with_the_right_password(public_user):
    _fail(10, public_user.email)

    response = _attempt(Client(), public_user.email, PASSWORD)

    assert response.status_code == 200
    assert FROM_NETWORK in response.text
    assert not response.context["user"].is_authenticated


def test_ip_limit_counts_failures_for_different_accounts(public_user):
    for n in range(10):
        _fail(1, f"guess{n}@example.org")

    response = _attempt(Client(), public_user.email, PASSWORD)

    assert FROM_NETWORK in response.text


def test_ip_limit_does_not_touch_other_addresses(public_user):
    _fail(10, "victim@example.org")

    response = _attempt(Client(), public_user.email, PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302


def test_ip_limit_ends_after_its_window(public_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(10, public_user.email)

    with time_machine.travel(start + timedelta(seconds=301), tick=False):
        response = _attempt(Client(), public_user.email, PASSWORD)

    assert response.status_code == 302


def _fail_from_20_addresses(email: str) -> None:
    for n in range(20):
        _fail(1, email, REMOTE_ADDR=f"198.51.100.{n}")


def test_account_limit_refuses_addresses_that_failed_after_20_failures(public_user):
    _fail_from_20_addresses(public_user.email)

    response = _attempt(Client(), public_user.email, PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert FOR_ACCOUNT in response.text
    assert not response.context["user"].is_authenticated


def test_a_stranger_cannot_lock_the_owner_out(public_user):
    _fail_from_20_addresses(public_user.email)

    response = _attempt(Client(), public_user.email, PASSWORD, REMOTE_ADDR="192.0.2.1")

    assert response.status_code == 302


def test_each_new_address_gets_one_guess_at_a_locked_account(public_user):
    _fail_from_20_addresses(public_user.email)
    stranger = Client(REMOTE_ADDR="192.0.2.66")

    first = _attempt(stranger, public_user.email)
    second = _attempt(stranger, public_user.email, PASSWORD)

    assert "not right" in first.text
    assert FOR_ACCOUNT in second.text


def test_account_limit_is_the_same_for_an_unknown_account(db):
    _fail_from_20_addresses("Nobody@Example.org")

    failed_before = _attempt(Client(), "nobody@example.org", REMOTE_ADDR="198.51.100.3")
    new_address = _attempt(Client(), "nobody@example.org", REMOTE_ADDR="192.0.2.1")

    assert FOR_ACCOUNT in failed_before.text
    assert "not right" in new_address.text


def test_account_limit_ends_after_an_hour(public_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail_from_20_addresses(public_user.email)

    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        response = _attempt(Client(), public_user.email, PASSWORD, REMOTE_ADDR="198.51.100.3")

    assert response.status_code == 302


def test_account_limit_is_cleared_by_a_password_reset(
    public_user, django_capture_on_commit_callbacks
):
    _fail_from_20_addresses(public_user.email)
    owner = Client(REMOTE_ADDR="198.51.100.0")  # the owner's own address failed too
    assert FOR_ACCOUNT in _attempt(owner, public_user.email, PASSWORD).text
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("accounts:password_reset"), {"email": public_user.email})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    new = "the owner's new passphrase"
    owner.post(owner.get(link).url, {"new_password1": new, "new_password2": new})

    response = _attempt(owner, public_user.email, new)

    assert response.status_code == 302


def _at_once(count: int, attempt) -> list[str]:
    """`count` sign-in attempts released together, each in its own thread and connection;
    what each one's page said."""
    barrier = threading.Barrier(count)
    said: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            text = attempt().text
            outcome = (
                "wrong password"
                if "not right" in text
                else "refused"
                if "Too many sign-in attempts" in text
                else "other"
            )
        finally:
            connections.close_all()
        with lock:
            said.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return said


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_from_one_address_cannot_overshoot_its_limit(public_user):
    said = _at_once(30, lambda: _attempt(Client(), public_user.email))

    assert sorted(said) == ["refused"] * 20 + ["wrong password"] * 10


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_at_a_locked_account_from_a_new_address_get_one_guess(
    public_user, settings
):
    settings.LOGIN_LIMIT_PER_IP = (100, 300)
    _fail_from_20_addresses(public_user.email)

    said = _at_once(20, lambda: _attempt(Client(), public_user.email, REMOTE_ADDR="192.0.2.9"))

    assert sorted(said) == ["refused"] * 19 + ["wrong password"]


def test_forwarded_for_is_ignored_without_trusted_proxies(public_user):
    for n in range(10):
        _fail(1, "victim@example.org", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = _attempt(Client(), public_user.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert FROM_NETWORK in response.text


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(public_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        _fail(1, "victim@example.org", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = _attempt(Client(), public_user.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "192.0.2.1"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.1"}, "192.0.2.1"),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 10.0.0.1"},
            "192.0.2.1",
        ),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, None),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.1"}, None),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "not-an-ip"}, None),
        (0, {"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"),
    ],
)
def test_client_ip_uses_only_addresses_set_by_trusted_proxies(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", **meta)

    assert client_ip(request) == expected


def test_unknown_client_address_falls_back_to_the_account_limit(public_user, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(15):
        _fail(1, f"guess{n}@example.org")  # no X-Forwarded-For: address unknown

    response = _attempt(Client(), public_user.email, PASSWORD)

    assert response.status_code == 302
    assert "unknown client address" in caplog.text
