"""Relief end to end in Chromium (issue 12): staff e-mail the partner city's contact the link
to confirm a need; the contact (no account) confirms it through the link; a committee pledges
goods against it; staff pack and ship them and ask the partner to confirm the receipt; the
partner counts what arrived through its link; the public page shows the need fulfilled and
the ledger adding up. Nothing is fetched from another origin and the console stays free of
errors."""

import datetime
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.steps import PASSWORD, follow, sign_in
from tests.outbox.delivery import delivered_body
from tests.relief.helpers import partner_city
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.outbox.models import OutboxMessage
from twinning.relief.models import Appeal
from twinning.relief.services import add_need, create_appeal, record_donation, set_appeal_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def partner_link(template: str) -> str:
    message = OutboxMessage.objects.filter(template=template).latest("pk")
    body = (
        delivered_body(message)
        if message.state != OutboxMessage.State.SENT
        else next(m.body for m in reversed(mail.outbox) if m.to == [message.to])
    )
    return re.search(r"/relief/link/[^\s/]+/", body).group(0)


def test_a_need_confirmed_by_link_is_pledged_shipped_received_and_shown_fulfilled(
    browser, browser_page, springfield_member, other_committee_admin_user, staff_user
):
    partner = partner_city()
    appeal = create_appeal(
        kind=Appeal.Kind.EMERGENCY,
        title="Kragujevac flood relief",
        community=partner.community,
        goal=1000,
        currency="USD",
        starts_on=association_today() - datetime.timedelta(days=3),
        organisers=[springfield_member],
        partner_name="Jelena",
        partner_email="jelena@kragujevac.example",
        by=SYSTEM,
    )
    add_need(
        appeal=appeal, kind="goods", title="Water filters", quantity=20, unit="filters", by=SYSTEM
    )
    for user in (other_committee_admin_user, staff_user):
        user.set_password(PASSWORD)
        user.save()
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    page, base = browser_page.page, browser_page.origin

    # Staff send the partner's contact the link to confirm the needs.
    sign_in(page, base, staff_user.email)
    page.goto(f"{base}/staff/relief/")
    page.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    follow(page.locator("main form button[type=submit]"))
    page.wait_for_url("**/staff/relief/")
    follow(page.get_by_role("link", name="Kragujevac flood relief"))
    follow(
        page.get_by_role("button", name="E-mail the partner contact a link to confirm the needs")
    )
    assert "The link is on its way" in page.content()

    # The partner's contact confirms the need through the link (it then stops working).
    link = partner_link("relief.partner_needs")
    guest = browser.new_context(locale="en").new_page()
    guest.goto(f"{base}{link}")
    guest.fill("input[name=name]", "Jelena Petrović")
    guest.get_by_label(re.compile("Water filters")).check()
    follow(guest.get_by_role("button", name="Confirm"))
    assert "the needs you confirmed are now shown" in guest.content()
    assert guest.goto(f"{base}{link}").status == 404
    set_appeal_status(appeal=appeal, status=Appeal.Status.OPEN, by=SYSTEM)

    # A committee pledges 20 filters.
    committee = browser.new_context(locale="en").new_page()
    sign_in(committee, base, other_committee_admin_user.email)
    committee.goto(f"{base}/relief/{appeal.slug}/")
    follow(committee.get_by_role("link", name="Pledge money or goods"))
    committee.select_option("select[name=kind]", "goods")
    committee.select_option("select[name=need]", str(appeal.needs.get().pk))
    committee.fill("input[name=quantity]", "20")
    committee.select_option("select[name=committee]", index=1)
    follow(committee.get_by_role("button", name="Pledge"))
    assert "your pledge is recorded" in committee.content()

    # Staff pack and ship them, and ask the partner to confirm the receipt.
    page.reload()
    page.get_by_label(re.compile("Shelbyville")).check()
    page.fill("input[name=carrier]", "DHL")
    follow(page.get_by_role("button", name="Pack the shipment"))
    page.select_option("select[id^=status-]", "shipped")
    follow(page.get_by_role("button", name="Save the status").last)
    follow(page.get_by_role("button", name="Ask the partner contact to confirm the receipt"))

    # The partner counts what arrived, through its link.
    receipt = partner_link("relief.partner_receipt")
    guest.goto(f"{base}{receipt}")
    guest.fill("input[name=name]", "Jelena Petrović")
    follow(guest.get_by_role("button", name="Confirm the receipt"))
    assert "the receipt is recorded" in guest.content()

    # Money received, then the public page.
    appeal.refresh_from_db()
    record_donation(
        appeal=appeal,
        amount="150.00",
        currency="USD",
        received_on=association_today(),
        name="Ada Lovelace",
        email="ada@example.org",
        by=SYSTEM,
    )
    public = browser.new_context(locale="en").new_page()
    public.goto(f"{base}/relief/{appeal.slug}/")
    need_row = public.locator("tr", has_text="Water filters").inner_text()
    assert "fulfilled" in need_row and "20" in need_row
    ledger = public.locator("[data-testid=balances]").inner_text()
    assert "150.00" in ledger
    assert "Ada Lovelace" in public.content() and "ada@example.org" not in public.content()
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
