"""`{% site_nav %}` (base.html's public menu): one link per public section, reversed, the
section of the page shown marked as the current page, labels in the visitor's language."""

import re

import pytest
from django.urls import reverse

from twinning.core.templatetags.role_nav import SITE_NAV

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[tuple[str, bool, str]]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>', nav)
    return [(url, bool(current), label) for url, current, label in found]


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/library/", "Library"),
        ("/events/", "Events"),
        ("/communities/", "Communities"),
        ("/seeking/", "Seeking partners"),
    ],
)
def test_the_menu_links_every_section_and_marks_the_one_shown(client, path, section):
    menu = _menu(client.get(path).content.decode())

    assert [url for url, _, _ in menu] == [reverse(name) for name, _, _ in SITE_NAV]
    assert [label for url, current, label in menu if current] == [section]


def test_the_menu_marks_nothing_on_a_page_outside_its_sections(client):
    menu = _menu(client.get("/accounts/login/").content.decode())

    assert len(menu) == len(SITE_NAV)
    assert not any(current for _, current, _ in menu)


def test_the_menu_is_in_the_visitors_language(client):
    client.cookies["django_language"] = "de"

    menu = _menu(client.get("/library/").content.decode())

    assert menu[0][2] == "Kommunen"
    assert [label for _, current, label in menu if current] == ["Bibliothek"]
