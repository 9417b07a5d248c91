"""In a real browser: search the directory, open a community, see its partners, then see the
map draw that community's partnership lines, with nothing fetched from another origin."""

import os

import pytest

from tests.e2e.steps import follow
from tests.factories import CommunityFactory, PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tokyo_network(db):
    """Tokyo with three partners, one across the Pacific, and a pair that is not Tokyo's."""
    tokyo = CommunityFactory(
        name="Tokyo", slug="tokyo", country__code="JP", latitude=35.6895, longitude=139.6917
    )
    san_francisco = CommunityFactory(
        name="San Francisco",
        slug="san-francisco",
        country__code="US",
        latitude=37.7749,
        longitude=-122.4194,
    )
    paris = CommunityFactory(
        name="Paris", slug="paris", country__code="FR", latitude=48.8566, longitude=2.3522
    )
    krakow = CommunityFactory(
        name="Kraków", slug="krakow", country__code="PL", latitude=50.0647, longitude=19.945
    )
    berlin = CommunityFactory(
        name="Berlin", slug="berlin", country__code="DE", latitude=52.52, longitude=13.405
    )
    for partner in (san_francisco, paris, krakow):
        PartnershipFactory(community_a=tokyo, community_b=partner)
    PartnershipFactory(community_a=paris, community_b=berlin)
    return tokyo


def test_directory_search_then_map_draws_partnership_lines(
    live_server, browser_page, tokyo_network
):
    page = browser_page.page

    # The directory: search by name, open the community, see its partners.
    page.goto(f"{live_server.url}/communities/")
    page.fill("form[role=search] input[name=q]", "toky")
    page.press("form[role=search] input[name=q]", "Enter")
    # Wait for the results page before clicking, or the click races the form's navigation.
    page.wait_for_url("**/communities/?q=toky*")
    follow(page.locator("a[href='/communities/tokyo/']"))
    page.wait_for_url("**/communities/tokyo/")
    assert page.locator("h1").inner_text() == "Tokyo"
    for slug in ("san-francisco", "paris", "krakow"):
        assert page.locator(f"main a[href='/communities/{slug}/']").count() >= 1

    # The map: choose Tokyo with the keyboard path (the search box).
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("[data-map-canvas][data-ready=true]")
    page.fill("#map-q", "Tokyo")
    page.press("#map-q", "Enter")
    page.wait_for_selector("[data-map-canvas][data-lines-drawn='3']")

    # Three partnerships, and the trans-Pacific one drawn a second time on the other side.
    assert page.locator(".leaflet-links-pane path.map-line").count() == 4
    assert page.get_attribute("[data-map-canvas]", "data-line-copies") == "1"
    assert page.locator("[data-map-selection-title]").inner_text() == "Tokyo"
    partner_links = page.locator("[data-map-partners] a")
    assert partner_links.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "/communities/krakow/",
        "/communities/paris/",
        "/communities/san-francisco/",
    ]
    assert "Tokyo: 3 partnerships drawn" in page.locator("[data-map-status]").inner_text()
    if os.environ.get("TWINNING_MAP_SCREENSHOT"):
        page.screenshot(path=os.environ["TWINNING_MAP_SCREENSHOT"], full_page=True)

    assert browser_page.outside_requests() == []
    assert browser_page.errors == []


def test_map_partner_list_moves_the_selection(live_server, browser_page, tokyo_network):
    page = browser_page.page
    page.goto(f"{live_server.url}/map/?community=tokyo")
    page.wait_for_selector("[data-map-canvas][data-lines-drawn='3']")

    page.get_by_role("button", name="Show on the map: Paris").click()

    page.wait_for_selector("[data-map-canvas][data-lines-drawn='2']")
    assert page.locator("[data-map-selection-title]").inner_text() == "Paris"
    assert page.evaluate("document.activeElement.id") == "map-selection-title"
    assert page.url.endswith("/map/?community=paris")
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
