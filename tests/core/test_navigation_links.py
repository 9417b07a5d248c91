"""Menu links are reversed once and remembered (core.navigation.url): the remembered address
must still follow the script prefix the site is served under and the URL configuration."""

from django.test import override_settings
from django.urls import get_script_prefix, reverse, set_script_prefix

from twinning.core.navigation import url


def test_menu_link_is_the_reversed_address():
    assert url("events:staff_registrations", slug="conf") == reverse(
        "events:staff_registrations", kwargs={"slug": "conf"}
    )


def test_menu_link_follows_the_script_prefix():
    before = get_script_prefix()
    assert url("core:home") == "/home/"
    set_script_prefix("/twinning/")
    try:
        assert url("core:home") == "/twinning/home/"
    finally:
        set_script_prefix(before)
    assert url("core:home") == "/home/"


@override_settings(ROOT_URLCONF="tests.core.urls_other")
def test_menu_link_follows_the_url_configuration():
    assert url("other-home") == "/elsewhere/"
