"""High-school exchanges end to end in Chromium (issue 10): a family signs in and applies to
host with the committee, lists its household and names two referees, who answer through
their single-use links; the committee's exchange coordinator records the adult's background
check and the home visit on the family's page and approves the family; then matches the
student the association accepted (its school's letter on file, the coordinator's training
current) with the family and places them, finds the placement on the committee's list, and
records the month's contact. Nothing is fetched from another origin and the console stays
free of errors."""

import datetime
import re

import pytest
from django.core import mail

from tests.e2e.steps import PASSWORD, follow, sign_in, text_of
from tests.exchanges import helpers as h
from tests.exchanges import monitoring_helpers as mh
from tests.factories import UserFactory
from tests.outbox.delivery import delivered_body
from twinning.core.dates import association_today
from twinning.exchanges.models import HostFamily, MonthlyContact, Placement
from twinning.outbox.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reference_link(address: str) -> str:
    message = OutboxMessage.objects.filter(
        template="exchanges.reference_request", to=address
    ).latest("pk")
    body = (
        delivered_body(message)
        if message.state != OutboxMessage.State.SENT
        else next(m.body for m in reversed(mail.outbox) if m.to == [address])
    )
    return re.search(r"/exchanges/reference/[^\s/]+/", body).group(0)


@pytest.fixture
def world(springfield_member):
    """The committee's season (under way), its places, an accepted student, a school with its
    signed letter and an exchange coordinator with current training; a family's account."""
    today = association_today()
    season = h.season(
        slug="under-way",
        arrival_date=today - datetime.timedelta(days=10),
        departure_date=today + datetime.timedelta(days=200),
    )
    student = mh.accept(h.nominate(h.quota(springfield_member, season)))
    school = mh.school_with_letter(springfield_member)
    coordinator = h.coordinator(springfield_member, exchange=True)
    for user in (coordinator.user, UserFactory(email="family@springfield.example")):
        user.set_password(PASSWORD)
        user.save()
    return springfield_member, student, school, coordinator


def test_a_family_is_screened_approved_and_hosts_a_student_whose_contact_is_recorded(
    browser, browser_page, world
):
    member, student, school, coordinator = world
    page, base = browser_page.page, browser_page.origin
    today = association_today()

    # The family applies, lists its household and names two referees.
    sign_in(page, base, "family@springfield.example")
    page.goto(f"{base}/exchanges/host/apply/")
    page.select_option("select[name=member]", str(member.pk))
    page.fill("input[name=family_name]", "Simpson")
    page.fill("input[name=address]", "742 Evergreen Terrace")
    page.fill("input[name=phone]", "+1 555 0100")
    page.fill("input[name=languages]", "English, Serbian")
    page.fill("textarea[name=room]", "Own room with a desk")
    follow(page.get_by_role("button", name="Apply"))
    assert "Thank you: now add everyone living in your home" in text_of(page)
    page.fill("input[name=name] >> nth=0", "Marge Simpson")
    page.fill("input[name=date_of_birth]", "1980-03-19")
    page.fill("input[name=relationship]", "mother")
    follow(page.get_by_role("button", name="Add to the household"))
    assert "Household member added." in text_of(page)
    for n in (1, 2):
        form = page.locator("form", has=page.get_by_role("button", name="Ask for a reference"))
        form.locator("input[name=name]").fill(f"Ned {n}")
        form.locator("input[name=email]").fill(f"ned{n}@example.org")
        follow(form.get_by_role("button", name="Ask for a reference"))
        assert "Your referee is asked by e-mail." in text_of(page)

    # Each referee answers through the link in their e-mail; the link works once.
    referee = browser.new_context(locale="en").new_page()
    for n in (1, 2):
        link = reference_link(f"ned{n}@example.org")
        referee.goto(f"{base}{link}")
        assert "A reference for the Simpson family" in text_of(referee)
        referee.get_by_label("Yes").check()
        referee.fill("textarea[name=statement]", "Good neighbours for twenty years.")
        follow(referee.get_by_role("button", name="Send my reference"))
        assert referee.goto(f"{base}{link}").status == 404
    referee.context.close()
    page.reload()
    assert text_of(page).count("answered") >= 2

    # The coordinator screens the family from the committee's pages and approves it.
    family = HostFamily.objects.get(family_name="Simpson")
    coordinating = browser.new_context(locale="en", viewport={"width": 1280, "height": 860})
    desk = coordinating.new_page()
    desk.on("request", lambda request: browser_page.requests.append(request.url))
    desk.on("pageerror", lambda error: browser_page.errors.append(f"{desk.url}: {error}"))
    desk.on(
        "console",
        lambda m: browser_page.errors.append(f"{desk.url}: {m.text}") if m.type == "error" else 0,
    )
    sign_in(desk, base, coordinator.user.email)
    desk.goto(f"{base}/exchanges/committees/{member.slug}/families/")
    follow(desk.get_by_role("link", name=re.compile("Simpson")).first)
    assert "Good neighbours for twenty years." in text_of(desk)
    desk.fill("input[name=checked_on]", today.isoformat())
    desk.fill("input[name=provider]", "Sterling")
    follow(desk.get_by_role("button", name="Record Marge Simpson"))
    assert "Background check recorded." in text_of(desk)
    desk.select_option("select[name=coordinator]", str(coordinator.pk))
    visit_day = today - datetime.timedelta(days=30)
    desk.fill("input[name=visited_on]", visit_day.isoformat())
    desk.fill("textarea[name=findings]", "Clean, quiet, own room.")
    desk.check("input[name=suitable]")
    follow(desk.get_by_role("button", name="Record the visit"))
    assert "Home visit recorded." in text_of(desk)
    assert "The screening is complete." in text_of(desk)
    follow(desk.get_by_role("button", name="Approve the family"))
    assert "The family is approved." in text_of(desk)
    family.refresh_from_db()
    assert family.status == HostFamily.Status.APPROVED

    # The coordinator places the student with the family through the matching page.
    desk.goto(f"{base}/exchanges/students/{student.pk}/matching/")
    assert "Simpson" in text_of(desk)
    desk.select_option("select[name=school]", str(school.pk))
    desk.select_option("select[name=coordinator]", str(coordinator.pk))
    follow(desk.get_by_role("button", name="Place the student"))
    assert "The student is placed; they and their contact are told." in text_of(desk)
    placement = Placement.objects.get(student=student)
    assert placement.approval.family == family

    desk.goto(f"{base}/exchanges/committees/{member.slug}/placements/")
    row = desk.locator("tr", has_text="Ana Jovanović")
    assert "Simpson" in row.inner_text()
    assert school.name in row.inner_text()

    # The month's contact with the student, on the placement's contacts page.
    desk.goto(f"{base}/exchanges/placements/{placement.pk}/contacts/")
    desk.select_option("select[name=contact_with]", MonthlyContact.With.values[0])
    desk.fill("input[name=contacted_on]", today.isoformat())
    desk.fill("textarea[name=notes]", "Settling in well, loves the dog.")
    follow(desk.get_by_role("button", name="Record the contact"))
    assert "Contact recorded." in text_of(desk)
    recorded = desk.locator("table", has_text="Settling in well, loves the dog.")
    assert recorded.count() == 1
    assert MonthlyContact.objects.filter(placement=placement).count() == 1
    coordinating.close()

    # The family sees its student on its page.
    page.goto(f"{base}/exchanges/host/")
    assert "Ana Jovanović" in text_of(page)
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
