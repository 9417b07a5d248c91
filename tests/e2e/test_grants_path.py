"""Funding programs end to end in Chromium (issue 9, section 3): a lead committee admin
starts a joint application from their home, budgets their side, signs it, and sends the
partner (a committee without an account) its single-use link; the partner reads the
application and signs through the link in its e-mail (the link then no longer works); the
lead submits. Nothing is fetched from another origin and the console stays free of errors."""

import re

import pytest
from django.core import mail

from tests.e2e.steps import PASSWORD, follow, sign_in
from tests.grants.helpers import pair_world
from tests.outbox.delivery import delivered_body
from twinning.grants.models import Application
from twinning.outbox.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signature_link(address: str) -> str:
    message = OutboxMessage.objects.filter(template="grants.signature_request", to=address).latest(
        "pk"
    )
    body = (
        delivered_body(message)
        if message.state != OutboxMessage.State.SENT
        else next(m.body for m in reversed(mail.outbox) if m.to == [address])
    )
    return re.search(r"/grants/sign/[^\s/]+/", body).group(0)


def test_a_lead_writes_a_joint_application_the_partner_signs_by_link_and_it_is_submitted(
    browser, browser_page
):
    world = pair_world(partner_has_account=False)
    world.lead_admin.set_password(PASSWORD)
    world.lead_admin.save()
    page, base = browser_page.page, browser_page.origin

    sign_in(page, base, world.lead_admin.email)
    page.goto(f"{base}/grants/")
    follow(page.get_by_role("link", name="Start a joint application").first)
    page.select_option("select[name=member]", str(world.lead_member.pk))
    page.select_option("select[name=community]", str(world.lead_place.pk))
    page.get_by_label(re.compile("Nakuru")).check()
    page.fill("input[name=title]", "Clean water together")
    follow(page.get_by_role("button", name="Start"))
    follow(page.get_by_role("link", name="Budget and plan of Lead Town"))
    page.fill("input[name=currency]", "USD")
    page.fill("input[name=participants]", "8")
    page.fill("textarea[name=lines]", "Travel | 20000 | 16000")
    follow(page.get_by_role("button", name="Save"))
    follow(page.get_by_role("link", name="Budget and plan of Nakuru"))
    page.fill("input[name=currency]", "KES")
    page.fill("input[name=participants]", "20")
    page.fill("textarea[name=lines]", "Water kiosk | 2000000 | 1600000")
    follow(page.get_by_role("button", name="Save"))
    follow(page.get_by_role("button", name="Sign for Lead Town"))
    follow(page.get_by_role("button", name="Send Nakuru a signature link"))
    assert "sent to wanjiru@example.org" in page.content()

    link = signature_link("wanjiru@example.org")
    guest = browser.new_context(locale="en").new_page()
    guest.goto(f"{base}{link}")
    assert "Clean water together" in guest.content()
    guest.fill("input[name=signer_name]", "Wanjiru Kamau")
    follow(guest.get_by_role("button", name="Sign"))
    assert "You signed the application for Nakuru" in guest.content()
    assert guest.goto(f"{base}{link}").status == 404  # the link worked once

    page.reload()
    follow(page.get_by_role("button", name="Submit the application"))
    assert "The application is submitted." in page.content()
    application = Application.objects.get(title="Clean water together")
    assert application.state == Application.State.SUBMITTED
    assert [s.signed_via for s in application.sides.order_by("-is_lead")] == ["account", "link"]
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
