"""Awards end to end in Chromium (issue 9, section 3): a committee admin of a member in good
standing signs in, reaches the awards from their home by links, reads why their committee is
eligible, starts a nomination in their population bracket, answers the questions, attaches a
photo, and submits it; the page then says it is submitted and staff's category list counts it.
Nothing is fetched from another origin and the console stays free of errors."""

import io
import re

import pytest
from PIL import Image

from tests.awards.helpers import SMALL, category, make_cycle, make_eligible
from tests.e2e.steps import PASSWORD, follow, sign_in, text_of
from twinning.awards.models import Nomination

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(springfield_member, committee_admin_user):
    make_eligible(springfield_member)
    cycle = make_cycle()
    committee_admin_user.set_password(PASSWORD)
    committee_admin_user.save()
    return cycle, springfield_member, committee_admin_user


def _photo(tmp_path):
    path = tmp_path / "our-festival.png"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_a_committee_admin_submits_an_award_nomination(browser_page, live_server, world, tmp_path):
    cycle, member, admin = world
    page, base = browser_page.page, live_server.url

    sign_in(page, base, admin.email)
    page.goto(f"{base}/home/")
    follow(page.get_by_role("link", name="Awards and nominations").first)
    text = text_of(page)
    assert "Springfield has 25,000 people: in this category" in text

    cat = category(cycle, SMALL)
    follow(page.get_by_role("link", name=f"Start a nomination {cat.name}"))
    page.fill("input[name=title]", "Books across the river")
    follow(page.locator("main form button[type=submit]"))
    page.wait_for_url(re.compile(r"/awards/nominations/\d+/$"))
    page.fill("textarea[name=story]", "Our two libraries swapped a thousand books.")
    for index in range(len(cat.question_list())):
        page.fill(f"textarea[name=answer_{index}]", "With our sister city, for two years.")
    follow(page.get_by_role("button", name="Save the draft"))
    page.set_input_files("input[name=upload]", str(_photo(tmp_path)))
    follow(page.get_by_role("button", name="Attach"))
    assert page.locator("ul.attachments img").count() == 1
    follow(page.get_by_role("button", name="Submit the nomination"))

    assert "Submitted. Good luck!" in page.content()
    nomination = Nomination.objects.get()
    assert (nomination.state, nomination.member) == ("submitted", member)
    assert nomination.attachments.count() == 1
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
