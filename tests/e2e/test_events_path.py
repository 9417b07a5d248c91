"""Events end to end in Chromium (issue 8, section 6): a committee admin of a member in good
standing opens the event's page, registers a delegation of three through the delegation form
(the member price shown), and sees one order with one invoice; one attendee completes their
details through the single-use link in their e-mail; the leader's page then shows those
details as completed and none of what the attendee entered; staff sign in with their second
factor and check the attendee in by typing the code (green, with the name), and a second scan
answers "already checked in" with the time. Nothing is fetched from another origin and the
console stays free of errors. Screenshots of the main steps go to /tmp/e2e-events/."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.steps import PASSWORD, follow, sign_in
from tests.events.registration_helpers import in_good_standing, make_event, make_ticket
from tests.factories import CountryFactory
from tests.outbox.delivery import delivered_body
from twinning.events.models import Answer, Attendee, Order, Question
from twinning.outbox.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/e2e-events")  # noqa: S108 - where the brief asks for them
CANARY_DIET = "CANARY-shellfish-allergy"
CANARY_DOB = datetime.date(1911, 11, 11)
PEOPLE = [
    ("Ana", "Silva", "ana@example.org"),
    ("Bo", "Lindqvist", "bo@example.org"),
    ("Chidi", "Okafor", "chidi@example.org"),
]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def details_link(attendee) -> str:
    """The link as the attendee reads it in the e-mail sent (the outbox keeps it redacted)."""
    message = OutboxMessage.objects.filter(
        template="events.delegation_details_link", to=attendee.email
    ).latest("pk")
    if message.state != OutboxMessage.State.SENT:
        delivered_body(message)
    body = next(m.body for m in reversed(mail.outbox) if m.to == [attendee.email])
    return re.search(r"/events/registration/details/[^\s/]+/", body).group(0)


@pytest.fixture
def world(springfield_member, committee_admin_user, staff_user):
    in_good_standing(springfield_member)
    # On now, so the check-in desk is open while registration still is.
    event = make_event(
        title="Annual Conference 2026",
        slug="annual-2026",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    )
    ticket = make_ticket(event, price="200.00", member_price=Decimal("120.00"))
    Question.objects.create(event=event, scope="attendee", label="Dietary needs")
    committee_admin_user.first_name, committee_admin_user.last_name = "Lena", "Leader"
    committee_admin_user.set_password(PASSWORD)
    committee_admin_user.save()
    staff_user.set_password(PASSWORD)
    staff_user.save()
    return event, ticket, springfield_member, committee_admin_user, staff_user


def test_delegation_registered_detailed_and_checked_in(live_server, browser, browser_page, world):
    event, ticket, member, leader, staff_user = world
    base, page = live_server.url, browser_page.page
    CountryFactory(code="PT", name="Portugal")

    # The committee admin signs in and goes from the event's page to the delegation form.
    sign_in(page, base, leader.email)
    page.goto(f"{base}/events/{event.slug}/")
    shot(page, "01-event-page")
    with page.expect_navigation():
        page.click(f"main a:has-text('Register a delegation of {member.name}')")
    assert page.url.endswith(f"/events/{event.slug}/delegation/{member.slug}/")
    assert "120.00 USD" in page.inner_text("main")  # the member price, not 200.00
    for i, (first, last, email) in enumerate(PEOPLE):
        page.get_by_label("First name").nth(i).fill(first)
        page.get_by_label("Last name").nth(i).fill(last)
        page.get_by_label("E-mail").nth(i).fill(email)
        page.get_by_label("Ticket").nth(i).select_option(label=ticket.name)
    shot(page, "02-delegation-form")
    with page.expect_navigation():
        page.click("main form button:has-text('Register the delegation')")

    # One order, one invoice, three people waiting for their details.
    order = Order.objects.get(event=event)
    assert (order.is_delegation, order.member, order.total) == (True, member, Decimal("360.00"))
    assert order.invoice is not None
    assert page.url.endswith(f"/events/registration/delegations/{order.code}/")
    main = page.inner_text("main")
    assert "each person has their details link" in main
    assert "360.00 USD" in main and order.invoice.number in main
    assert main.count("Not yet") == 3
    shot(page, "03-delegation-registered")
    tickets = page.locator("main a:has-text('tickets (PDF)')").get_attribute("href")
    assert page.request.get(f"{base}{tickets}").headers["content-type"] == "application/pdf"
    assert page.locator(f"main a[href='/events/{event.slug}/']").count() == 1  # back to the event
    page.goto(f"{base}/events/registration/committee/{member.slug}/")
    assert page.locator(f"main a[href$='/delegations/{order.code}/']").count() == 1

    # Ana opens her single-use link (from her e-mail) in her own browser and completes it.
    ana = Attendee.objects.get(order=order, first_name="Ana")
    link = details_link(ana)
    guest = browser.new_context(locale="en").new_page()
    guest.on("request", lambda request: browser_page.requests.append(request.url))
    guest.on("pageerror", lambda error: browser_page.errors.append(f"{guest.url}: {error}"))
    guest.goto(f"{base}{link}")
    assert guest.input_value("input[name=first_name]") == "Ana"
    guest.get_by_label("Date of birth").fill(CANARY_DOB.isoformat())
    guest.get_by_label("Gender").select_option("female")
    guest.get_by_label("Country").select_option(label="Portugal")
    guest.get_by_label("Dietary needs").fill(CANARY_DIET)
    shot(guest, "04-attendee-details")
    with guest.expect_navigation():
        guest.click("main form button:has-text('Save my details')")
    assert "Your details are saved" in guest.inner_text("main")
    shot(guest, "05-attendee-done")
    assert guest.locator(f"main a[href='/events/{event.slug}/']").count() == 1
    assert guest.goto(f"{base}{link}").status == 404  # the link worked once
    guest.context.close()
    assert Answer.objects.get(attendee=ana).value == CANARY_DIET

    # The leader sees Ana's details as completed, and nothing she entered.
    page.goto(f"{base}/events/registration/delegations/{order.code}/")
    row = page.locator("main tbody tr", has_text="Ana Silva")
    assert "Completed" in row.inner_text()
    main = page.inner_text("main")
    assert main.count("Completed") == 1 and main.count("Not yet") == 2
    html = page.content()
    for canary in (CANARY_DIET, "1911", "Female", "Portugal", "Dietary needs"):
        assert canary not in html
    shot(page, "06-delegation-one-completed")

    # Staff sign in, give their second factor, and check Ana in by typing her code.
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    staff = browser.new_context(locale="en").new_page()
    staff.on("request", lambda request: browser_page.requests.append(request.url))
    staff.on("pageerror", lambda error: browser_page.errors.append(f"{staff.url}: {error}"))
    staff.on(
        "console",
        lambda m: m.type == "error" and browser_page.errors.append(f"{staff.url}: {m.text}"),
    )
    sign_in(staff, base, staff_user.email)
    staff.goto(f"{base}/events/{event.slug}/checkin/")
    staff.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    follow(staff.locator("main form button[type=submit]"))
    staff.wait_for_url(f"**/events/{event.slug}/checkin/")
    ana.refresh_from_db()
    staff.get_by_label("Check-in code").fill(ana.code)
    staff.click("main form button:has-text('Check in')")
    answer = staff.locator("#checkin-answer [data-status=checked_in]")
    answer.wait_for()
    assert "Checked in" in answer.inner_text() and "Ana Silva" in answer.inner_text()
    assert "notice--ok" in (answer.get_attribute("class") or "")
    assert "1 / 3" in staff.inner_text("#checkin-answer")
    shot(staff, "07-checked-in")

    # A second scan of the same code answers when she was already checked in.
    staff.get_by_label("Check-in code").fill(ana.code)
    staff.click("main form button:has-text('Check in')")
    again = staff.locator("#checkin-answer [data-status=already]")
    again.wait_for()
    ana.refresh_from_db()
    at = timezone.localtime(ana.checked_in_at, event.zone).strftime("%H:%M")
    assert f"Already checked in at {at}" in again.inner_text()
    shot(staff, "08-already-checked-in")
    staff.context.close()
    assert ana.checked_in_by == staff_user

    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
