"""In Chromium on a phone-sized screen: the check-in page answers a scanner's code plus Enter at
once (htmx) and is ready for the next; the offline page, opened from a file without any
server, checks codes against its list, keeps the scans in localStorage across a reload and
exports them as CSV, which merges back. Nothing is fetched from another origin."""

import csv
import io

import pytest
from django.test import Client

from tests.conftest import _client_for
from tests.e2e.steps import PASSWORD, sign_in
from tests.events.checkin_helpers import make_attendee, make_event, make_ticket
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM
from twinning.events.models import Attendee
from twinning.events.services.checkin import merge_offline_scans

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def event():
    event = make_event(title="Annual Conference 2026", slug="ac-2026")
    make_ticket(event, "Full conference")
    return event


def test_checkin_page_on_a_phone_answers_each_scan_and_waits_for_the_next(
    live_server,
    browser,
    event,
):
    guest = make_attendee(event, first_name="Zoë", last_name="Nguyễn")
    organiser = UserFactory(email="organiser@example.org")
    organiser.set_password(PASSWORD)
    organiser.save()
    event.organisers.add(organiser)
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server.url, organiser.email)

    page.goto(f"{live_server.url}/events/ac-2026/checkin/")
    page.keyboard.type(guest.code.lower())  # the field has the focus; a scanner types here
    page.keyboard.press("Enter")
    page.wait_for_selector("#checkin-answer [data-status=checked_in]")
    first = page.inner_text("#checkin-answer")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'checkin-code'")
    page.keyboard.type(guest.code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#checkin-answer [data-status=already]")
    second = page.inner_text("#checkin-answer")

    assert "Zoë Nguyễn" in first
    assert "1 / 1" in first
    assert "Already checked in at" in second
    assert page.input_value("#checkin-code") == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Attendee.objects.get(pk=guest.pk).checked_in_by == organiser
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    context.close()


def _offline_page(event, staff_client: Client) -> bytes:
    return staff_client.get(f"/events/{event.slug}/checkin/offline.html").content


def test_offline_page_checks_in_without_a_server_and_its_export_merges_back(
    browser,
    event,
    tmp_path,
):
    ada = make_attendee(event, first_name="Ada", last_name="Okafor")
    bo = make_attendee(event, first_name="Bo", last_name="Lindqvist")
    staff = UserFactory(is_staff=True)
    path = tmp_path / "checkin-ac-2026.html"
    path.write_bytes(_offline_page(event, _client_for(staff, verified=True)))
    context = browser.new_context(viewport=PHONE, locale="en", accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(path.as_uri())
    page.fill("#code", ada.code.lower())
    page.press("#code", "Enter")
    first = (page.get_attribute("#answer", "class"), page.inner_text("#answer"))
    page.fill("#code", ada.code)
    page.press("#code", "Enter")
    again = page.get_attribute("#answer", "class")
    page.fill("#code", "QQQQQQQQQQ")
    page.press("#code", "Enter")
    unknown = page.get_attribute("#answer", "class")
    page.reload()  # the scans survive: they are in localStorage
    kept = page.inner_text("#count")
    with page.expect_download() as download:
        page.click("#export")
    exported = download.value.path().read_bytes()
    context.close()

    rows = list(csv.DictReader(io.StringIO(exported.decode())))
    assert first[0] == "answer ok"
    assert "Ada Okafor" in first[1]
    assert again == "answer warn"
    assert unknown == "answer danger"
    assert kept == "1"
    assert [row["code"] for row in rows] == [ada.code, ada.code]
    assert set(requests) == {path.as_uri()}  # loaded, then reloaded; nothing else

    report = merge_offline_scans(event=event, data=exported, by=SYSTEM)

    assert [row.outcome for row in report.rows] == ["checked_in", "duplicate"]
    assert Attendee.objects.get(pk=ada.pk).checked_in_at is not None
    assert Attendee.objects.get(pk=bo.pk).checked_in_at is None
