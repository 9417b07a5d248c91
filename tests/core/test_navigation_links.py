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


def _one_link(scope):
    return []


def _other_link(scope):
    return []


def test_a_second_app_registering_a_section_at_the_same_place_is_refused():
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from twinning.core import navigation

    kept = list(navigation._SECTIONS)
    try:
        navigation.register_section("staff", order=9999, links=_one_link)
        navigation.register_section("staff", order=9999, links=_one_link)  # imported twice
        with pytest.raises(ImproperlyConfigured, match="order 9999"):
            navigation.register_section("staff", order=9999, links=_other_link)
    finally:
        navigation._SECTIONS[:] = kept
