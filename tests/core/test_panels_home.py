"""core.panels on the public home page: a failing provider leaves the page working and the
others' panels shown (the awards' featured winner reaches the home page this way)."""

import pytest

from twinning.core.panels import _PROVIDERS, Panel, register_panel


def _broken(**page) -> Panel:
    raise RuntimeError("a broken provider")


def _greeting(**page) -> Panel:
    return Panel("awards/_committee_honours.html", {"honours": []})


@pytest.fixture
def extra_panels():
    kept = list(_PROVIDERS.get("network.home", []))
    yield
    _PROVIDERS["network.home"] = kept


@pytest.mark.django_db
def test_a_failing_panel_provider_leaves_the_home_page_working(anonymous, extra_panels):
    register_panel("network.home", _broken, order=1)
    register_panel("network.home", _greeting, order=2)

    page = anonymous.get("/")

    assert page.status_code == 200
    assert "Your committee's awards" in page.content.decode()
    assert "Find a community" in page.content.decode()
