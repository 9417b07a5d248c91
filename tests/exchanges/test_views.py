"""The exchange's pages as each role uses them: staff, the hosting committee (its admin, its
exchange coordinator), the sending contact through the link, the guardian, the host family,
the referee, the student; and the refused roles."""

import datetime
import re

import pytest
from django.test import Client

from tests.accounts.welfare import reauthenticated, stale, welfare_staff
from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.core.models import ActivityLog
from twinning.exchanges.models import (
    BackgroundCheck,
    HostFamily,
    Quota,
    Season,
    SendingContact,
    Student,
)
from twinning.exchanges.services import families, students
from twinning.outbox.models import OutboxMessage
from twinning.youth.services import has_consent

pytestmark = pytest.mark.django_db


def _live_link(template: str, to: str) -> str:
    message = OutboxMessage.objects.filter(template=template, to=to).order_by("-pk").first()
    (link,) = message.secret_links.values()
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def world(springfield_member):
    return h.build(springfield_member.slug)


# --- Staff ---------------------------------------------------------------------------------------


def test_staff_create_a_season_and_offer_places_from_the_pages(staff, springfield_member):
    quota = h.quota(springfield_member)  # a partnership of the committee

    created = staff.post(
        "/staff/exchanges/",
        {
            "name": "Semester 2028",
            "slug": "semester-2028",
            "kind": "semester",
            "arrival_date": "2028-01-10",
            "departure_date": "2028-06-20",
            "min_age_years": 15,
            "max_age_months": 222,
        },
    )
    offered = staff.post(
        "/staff/exchanges/seasons/semester-2028/",
        {"host": springfield_member.pk, "partnership": quota.partnership.pk, "places": 4},
    )
    page = staff.get("/staff/exchanges/seasons/semester-2028/")

    assert created.status_code == offered.status_code == 302
    season = Season.objects.get(slug="semester-2028")
    assert Quota.objects.get(season=season).places == 4
    assert "Springfield Sister Cities" in page.content.decode()


def test_the_staff_home_counts_each_seasons_offers_and_students(staff, springfield_member):
    from tests.factories import CommunityFactory

    busy = h.season(slug="busy", name="Busy year")
    first = h.quota(springfield_member, busy)
    h.quota(springfield_member, busy, partner=CommunityFactory(name="Other partner"))
    h.nominate(first, email="one@kragujevac.example")
    h.nominate(first, email="two@kragujevac.example", first_name="Maja")
    h.season(slug="empty", name="Empty year")

    page = staff.get("/staff/exchanges/").content.decode()

    cells = r'</td><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>'
    assert re.search(r"Busy year</a>.*?" + cells, page, re.S).groups() == ("2", "2")
    assert re.search(r"Empty year</a>.*?" + cells, page, re.S).groups() == ("0", "0")


def test_staff_season_form_shows_errors_and_changes_nothing(staff):
    response = staff.post(
        "/staff/exchanges/",
        {
            "name": "Bad",
            "slug": "bad",
            "kind": "year",
            "arrival_date": "2028-01-10",
            "departure_date": "2027-06-20",
            "min_age_years": 15,
            "max_age_months": 222,
        },
    )

    assert response.status_code == 200
    assert "The departure must come after the arrival." in response.content.decode()
    assert not Season.objects.filter(slug="bad").exists()


def test_staff_accept_a_consented_student_on_the_student_page(staff, world):
    h.grant_consent(world.student)

    response = staff.post(
        f"/exchanges/students/{world.student.pk}/status/",
        {"status": "accepted", "message": "Welcome to Springfield"},
        follow=True,
    )

    world.student.refresh_from_db()
    assert world.student.status == "accepted"
    assert "Welcome to Springfield" in response.content.decode()


def _welfare(*, fresh: bool = True) -> Client:
    client = _client_for(welfare_staff(), verified=True)
    return reauthenticated(client) if fresh else stale(client)


def test_welfare_staff_see_and_edit_restricted_details_and_each_read_is_logged(world):
    welfare = _welfare()
    page = welfare.get(f"/exchanges/students/{world.student.pk}/")
    saved = welfare.post(
        f"/exchanges/students/{world.student.pk}/restricted/",
        {"allergies": "Cats", "visa_issued_on": "2027-06-01", "visa_expires_on": "2028-07-01"},
    )

    assert h.CANARY_MEDICAL in page.content.decode()
    assert saved.status_code == 302
    assert students.read_restricted(student=world.student, by=SYSTEM)["allergies"] == "Cats"
    assert ActivityLog.objects.filter(action="exchanges.restricted.read").count() >= 1


def test_verified_staff_without_welfare_are_refused_the_restricted_details(staff, world):
    page = staff.get(f"/exchanges/students/{world.student.pk}/").content.decode()
    edit = staff.get(f"/exchanges/students/{world.student.pk}/restricted/")
    posted = staff.post(f"/exchanges/students/{world.student.pk}/restricted/", {"allergies": "X"})

    assert "Ana Jovanović" in page
    assert "Restricted: staff welfare only." in page
    assert h.CANARY_MEDICAL not in page and h.CANARY_ALLERGY not in page
    assert f"/exchanges/students/{world.student.pk}/restricted/" not in page
    assert edit.status_code == posted.status_code == 404
    assert students.read_restricted(student=world.student, by=SYSTEM)["allergies"] != "X"
    assert (
        not ActivityLog.objects.filter(action="exchanges.restricted.read")
        .exclude(actor=None)
        .exists()
    )


def test_welfare_staff_with_a_stale_session_are_sent_to_reauthenticate(world):
    welfare = _welfare(fresh=False)
    detail = f"/exchanges/students/{world.student.pk}/"
    edit_url = f"/exchanges/students/{world.student.pk}/restricted/"

    page = welfare.get(detail).content.decode()
    edit = welfare.get(edit_url)
    posted = welfare.post(edit_url, {"allergies": "Stale"})

    assert "Ana Jovanović" in page
    assert h.CANARY_MEDICAL not in page and h.CANARY_ALLERGY not in page
    assert "/accounts/confirm/?next=" in page
    assert edit.status_code == posted.status_code == 302
    assert edit["Location"].startswith("/accounts/confirm/?next=")
    assert students.read_restricted(student=world.student, by=SYSTEM)["allergies"] != "Stale"
    assert (
        not ActivityLog.objects.filter(action="exchanges.restricted.changed")
        .exclude(actor=None)
        .exists()
    )
    assert (
        not ActivityLog.objects.filter(action="exchanges.restricted.read")
        .exclude(actor=None)
        .exists()
    )
    # Once re-authenticated, the same session reads them.
    assert h.CANARY_ALLERGY in reauthenticated(welfare).get(detail).content.decode()


# --- The hosting committee -----------------------------------------------------------------------


def test_the_exchange_coordinator_reads_restricted_details_the_admin_does_not(
    committee_admin, world
):
    coordinator = h.coordinator(world.member, email="xc@springfield.example", exchange=True)
    as_coordinator = _client_for(coordinator.user)

    theirs = as_coordinator.get(f"/exchanges/students/{world.student.pk}/").content.decode()
    admins = committee_admin.get(f"/exchanges/students/{world.student.pk}/").content.decode()
    edit = committee_admin.get(f"/exchanges/students/{world.student.pk}/restricted/")

    assert h.CANARY_ALLERGY in theirs
    assert h.CANARY_ALLERGY not in admins
    assert "Ana Jovanović" in admins
    assert edit.status_code == 404
    entry = ActivityLog.objects.filter(action="exchanges.restricted.read").get()
    assert entry.actor == coordinator.user
    assert entry.data["purpose"] == "exchange care"
    assert h.CANARY_ALLERGY not in str(entry.data)


def test_the_committee_adds_a_sending_contact_who_gets_a_link(committee_admin, world):
    response = committee_admin.post(
        f"/exchanges/committees/{world.member.slug}/",
        {"quota": world.quota.pk, "name": "Jovan", "email": "jovan@kragujevac.example"},
    )

    assert response.status_code == 302
    contact = SendingContact.objects.get(email="jovan@kragujevac.example")
    assert contact.token_hash
    assert _live_link("exchanges.contact_link", "jovan@kragujevac.example").startswith(
        "/exchanges/sending/link/"
    )


def test_the_coordinator_records_checks_visit_and_approves_from_the_pages(
    committee_admin, springfield_member
):
    family = h.family(springfield_member)
    families.add_household_member(
        family=family,
        name="Marge",
        date_of_birth=datetime.date(1980, 3, 19),
        relationship="mother",
        by=family.user,
    )
    for n in (1, 2):
        reference = families.ask_reference(
            family=family, name=f"R{n}", email=f"r{n}@example.org", by=family.user
        )
        families.answer_reference(token=reference.token, recommends=True, statement="Yes.")
    coordinator = h.coordinator(springfield_member)
    base = f"/exchanges/committees/{springfield_member.slug}/families/{family.pk}"
    adult = family.household.get()
    today = association_today().isoformat()

    committee_admin.post(
        f"{base}/checks/",
        {"person": adult.pk, "checked_on": today, "provider": "Sterling", "result": "clear"},
    )
    committee_admin.post(
        f"{base}/visits/",
        {
            "coordinator": coordinator.pk,
            "visited_on": today,
            "findings": "Bright room",
            "suitable": "on",
            "photos": h.png_upload(),
        },
    )
    committee_admin.post(f"{base}/decide/", {"action": "approve"})
    page = committee_admin.get(f"{base}/").content.decode()

    family.refresh_from_db()
    assert family.status == HostFamily.Status.APPROVED
    assert BackgroundCheck.objects.get(person=adult).provider == "Sterling"
    assert "The screening is complete." in page
    photo = family.home_visits.get().photos.get()
    served = committee_admin.get(
        f"/exchanges/committees/{springfield_member.slug}/visit-photos/{photo.pk}/"
    )
    assert served.status_code == 200
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_approving_an_incomplete_family_on_the_page_says_what_is_missing(
    committee_admin, springfield_member
):
    family = h.family(springfield_member)

    response = committee_admin.post(
        f"/exchanges/committees/{springfield_member.slug}/families/{family.pk}/decide/",
        {"action": "approve"},
        follow=True,
    )

    family.refresh_from_db()
    assert family.status == "applied"
    assert "Record every member of the household" in response.content.decode()


def test_the_committee_adds_a_coordinator_and_their_training(committee_admin, springfield_member):
    UserFactory(email="new.coord@example.org")
    base = f"/exchanges/committees/{springfield_member.slug}/coordinators/"

    committee_admin.post(base, {"name": "Nina", "email": "new.coord@example.org"})
    coordinator = springfield_member.exchange_coordinators.get()
    committee_admin.post(
        f"{base}{coordinator.pk}/training/",
        {"course": "Sponsor training", "completed_on": "2026-01-05", "expires_on": "2027-01-05"},
    )
    page = committee_admin.get(base).content.decode()

    assert "Sponsor training" in page
    assert coordinator.trainings.count() == 1


def test_the_committee_adds_a_school_and_files_its_letter(committee_admin, springfield_member):
    base = f"/exchanges/committees/{springfield_member.slug}/schools/"

    committee_admin.post(
        base,
        {
            "name": "West Springfield High",
            "address": "2 Road",
            "contact_name": "Ms Hoover",
            "contact_email": "hoover@springfield.example",
        },
    )
    school = springfield_member.exchange_schools.get()
    committee_admin.post(
        f"{base}{school.pk}/letter/",
        {"signed_on": association_today().isoformat(), "letter": h.pdf_upload()},
    )
    letter = committee_admin.get(f"{base}{school.pk}/letter.pdf")

    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert "attachment" in letter["Content-Disposition"]


# --- The sending contact and the guardian ------------------------------------------------------


def test_the_contact_link_opens_once_and_the_contact_nominates(springfield_member):
    quota = h.quota(springfield_member)
    students.add_sending_contact(
        quota=quota, name="Jovan", email="jovan@kragujevac.example", by=SYSTEM
    )
    link = _live_link("exchanges.contact_link", "jovan@kragujevac.example")
    contact = Client()

    scanned = Client().get(link)  # a mail scanner opens it: nothing spent
    opened = contact.post(link)
    replay = Client().post(link)
    form = contact.get(f"/exchanges/sending/{quota.pk}/nominate/")
    nominated = contact.post(
        f"/exchanges/sending/{quota.pk}/nominate/",
        {
            "first_name": "Luka",
            "last_name": "Ilić",
            "date_of_birth": "2011-05-01",
            "email": "luka@kragujevac.example",
            "guardian_email": "mama.luka@kragujevac.example",
            "emergency_contacts": "Mother +381",
            "allergies": h.CANARY_ALLERGY,
        },
    )
    home = contact.get("/exchanges/sending/").content.decode()

    assert scanned.status_code == 200
    assert opened.status_code == 302
    assert replay.status_code == 404
    assert form.status_code == 200
    assert nominated.status_code == 302
    student = Student.objects.get(person__first_name="Luka")
    assert "Luka Ilić" in home
    detail = contact.get(f"/exchanges/students/{student.pk}/").content.decode()
    assert "Luka Ilić" in detail
    assert h.CANARY_ALLERGY not in detail


def test_the_nomination_form_refuses_a_student_too_old_and_keeps_nothing(springfield_member):
    quota = h.quota(springfield_member)
    contact_row = h.contact(quota)
    client = Client()
    session = client.session
    session["exchanges_contacts"] = [contact_row.pk]
    session.save()

    response = client.post(
        f"/exchanges/sending/{quota.pk}/nominate/",
        {
            "first_name": "Old",
            "last_name": "Student",
            "date_of_birth": "2008-01-01",
            "email": "old@kragujevac.example",
            "guardian_email": "parent.old@kragujevac.example",
            "emergency_contacts": "x",
        },
    )

    assert response.status_code == 200
    assert "younger than 18 years and 6 months" in response.content.decode()
    assert not Student.objects.exists()


def test_the_contact_uploads_a_document_and_only_they_and_the_host_see_it(world):
    client = Client()
    session = client.session
    session["exchanges_contacts"] = [world.contact.pk]
    session.save()

    client.post(
        f"/exchanges/students/{world.student.pk}/documents/",
        {"kind": "school_report", "file": h.pdf_upload("report.pdf")},
    )
    document = world.student.documents.get(kind="school_report")

    assert client.get(f"/exchanges/documents/{document.pk}/").status_code == 200
    assert Client().get(f"/exchanges/documents/{document.pk}/").status_code == 404


def test_a_contact_sees_only_their_own_places(springfield_member, world):
    other_quota = h.quota(springfield_member, world.season, partner=h.CommunityFactory())
    other = h.contact(other_quota, email="other@elsewhere.example")
    client = Client()
    session = client.session
    session["exchanges_contacts"] = [other.pk]
    session.save()

    assert client.get(f"/exchanges/students/{world.student.pk}/").status_code == 404
    assert client.get(f"/exchanges/sending/{world.quota.pk}/nominate/").status_code == 404
    assert "Ana Jovanović" not in client.get("/exchanges/sending/").content.decode()


def test_a_contact_with_an_account_acts_without_the_link(springfield_member):
    quota = h.quota(springfield_member)
    user = UserFactory(email="jovan@kragujevac.example")
    students.add_sending_contact(quota=quota, name="Jovan", email=user.email, by=SYSTEM)

    response = _client_for(user).get(f"/exchanges/sending/{quota.pk}/nominate/")

    assert response.status_code == 200


def test_the_guardian_answers_each_scope_through_the_link(world):
    link = _live_link("exchanges.guardian_consent", "parent.ana@kragujevac.example")
    guardian = Client()

    opened = guardian.get(link)
    form = guardian.get("/exchanges/consent/")
    answered = guardian.post("/exchanges/consent/", {"participation": "on", "medical": "on"})
    again = guardian.get("/exchanges/consent/")

    assert opened.status_code == 302 and opened["Location"] == "/exchanges/consent/"
    assert "medical treatment in an emergency" in form.content.decode().lower()
    assert "your answer is recorded" in answered.content.decode()
    assert again.status_code == 404
    person = world.student.person
    assert has_consent(person, "exchanges", "participation")
    assert has_consent(person, "exchanges", "medical")
    assert not has_consent(person, "exchanges", "photos")


def test_the_guardian_cannot_grant_photos_without_participation(world):
    link = _live_link("exchanges.guardian_consent", "parent.ana@kragujevac.example")
    guardian = Client()
    guardian.get(link)

    response = guardian.post("/exchanges/consent/", {"photos": "on"})

    assert response.status_code == 200
    assert "Photos are only possible of a student taking part." in response.content.decode()
    assert not has_consent(world.student.person, "exchanges", "photos")


# --- The host family and the referee ------------------------------------------------------------


def test_a_family_applies_lists_its_household_and_asks_references(public, public_user, world):
    applied = public.post(
        "/exchanges/host/apply/",
        {
            "member": world.member.pk,
            "family_name": "Flanders",
            "address": "744 Evergreen Terrace",
            "phone": "+1 555 0101",
            "languages": "English",
            "room": "Guest room",
            "capacity": 1,
        },
    )
    family = HostFamily.objects.get(user=public_user)
    public.post(
        f"/exchanges/host/{family.pk}/household/",
        {"name": "Ned", "date_of_birth": "1960-01-01", "relationship": "father"},
    )
    public.post(
        f"/exchanges/host/{family.pk}/references/",
        {"name": "Reverend Lovejoy", "email": "lovejoy@springfield.example"},
    )
    page = public.get("/exchanges/host/").content.decode()

    assert applied.status_code == 302
    assert "Ned" in page
    assert "Reverend Lovejoy: awaiting their answer" in page
    assert "Ned has no background check." in page


def test_the_referee_answers_once_through_the_link(world):
    families.ask_reference(
        family=world.family, name="Moe", email="moe@springfield.example", by=SYSTEM
    )
    link = _live_link("exchanges.reference_request", "moe@springfield.example")

    shown = Client().get(link)
    answered = Client().post(link, {"recommends": "yes", "statement": "Known them for years."})
    replay = Client().get(link)

    assert "A reference for the Simpson family" in shown.content.decode()
    assert "your reference is recorded" in answered.content.decode()
    assert replay.status_code == 404
    assert world.family.references.get(email="moe@springfield.example").recommends is True


# --- Refused roles -------------------------------------------------------------------------------


def test_a_host_family_reaches_none_of_the_committees_pages(world):
    family = _client_for(world.family.user)
    base = f"/exchanges/committees/{world.member.slug}"

    statuses = {
        path: family.get(path).status_code
        for path in (
            f"{base}/",
            f"{base}/families/",
            f"{base}/families/{world.family.pk}/",
            f"{base}/students/",
            f"/exchanges/students/{world.student.pk}/",
            f"/exchanges/documents/{world.document.pk}/",
        )
    }

    assert set(statuses.values()) == {404}


def test_a_family_cannot_touch_another_familys_application(public, world):
    response = public.post(
        f"/exchanges/host/{world.family.pk}/household/",
        {"name": "Intruder", "date_of_birth": "1990-01-01", "relationship": "x"},
    )

    assert response.status_code == 404
    assert not world.family.household.filter(name="Intruder").exists()


def test_the_student_themself_does_not_see_the_sponsors_file(world):
    student = _client_for(world.student.person.user)

    assert student.get(f"/exchanges/students/{world.student.pk}/").status_code == 404
    assert student.get(f"/exchanges/students/{world.student.pk}/restricted/").status_code == 404


def test_another_committees_coordinator_is_refused(world):
    foreign = h.coordinator(h.other_member(), email="xc@shelbyville.example", exchange=True)
    client = _client_for(foreign.user)

    assert client.get(f"/exchanges/students/{world.student.pk}/").status_code == 404
    assert client.get(f"/exchanges/committees/{world.member.slug}/").status_code == 404
    assert (
        client.get(
            f"/exchanges/committees/{world.member.slug}/visit-photos/{world.photo.pk}/"
        ).status_code
        == 404
    )


def test_the_menus_lead_each_role_to_its_pages(staff, committee_admin, world):
    coordinator = _client_for(world.coordinator.user)
    family = _client_for(world.family.user)

    assert "/staff/exchanges/" in staff.get("/home/").content.decode()
    assert (
        f"/exchanges/committees/{world.member.slug}/"
        in committee_admin.get("/home/").content.decode()
    )
    assert (
        f"/exchanges/committees/{world.member.slug}/families/"
        in coordinator.get("/home/").content.decode()
    )
    assert "/exchanges/host/" in family.get("/home/").content.decode()


def test_nothing_on_the_pages_leaks_a_link_token(committee_admin, world):
    page = committee_admin.get(f"/exchanges/committees/{world.member.slug}/").content.decode()

    assert not re.search(r"/exchanges/sending/link/[A-Za-z0-9_-]{20,}", page)


# --- Every form can be sent from a browser (CSRF) ------------------------------------------------


def _forms_without_token(html: str) -> list[str]:
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S)
    assert forms
    return [form[:120] for form in forms if 'name="csrfmiddlewaretoken"' not in form]


@pytest.mark.parametrize(
    "path",
    [
        "/exchanges/host/apply/",
        "/exchanges/committees/{slug}/",
        "/exchanges/committees/{slug}/families/{family}/",
        "/exchanges/committees/{slug}/schools/",
        "/exchanges/committees/{slug}/coordinators/",
        "/exchanges/committees/{slug}/placements/",
        "/exchanges/students/{student}/",
        "/exchanges/students/{student}/matching/",
        "/exchanges/placements/{placement}/contacts/",
    ],
)
def test_every_form_on_the_committees_pages_carries_its_csrf_token(
    world, committee_admin_user, path
):
    """The shared form was included with `only`, which drops the token the context processor
    gives: a browser's POST was refused with 403 (the test client skips the check)."""
    from tests.exchanges import monitoring_helpers as mh

    mh.extend(world)
    browser_like = Client(enforce_csrf_checks=True)
    browser_like.force_login(committee_admin_user)
    url = path.format(
        slug=world.member.slug,
        family=world.family.pk,
        student=world.student.pk,
        placement=world.placement.pk,
    )

    assert _forms_without_token(browser_like.get(url).content.decode()) == []


def test_a_family_applies_from_a_browser_that_checks_csrf(springfield_member):
    h.quota(springfield_member)
    browser_like = Client(enforce_csrf_checks=True)
    browser_like.force_login(UserFactory(email="csrf.family@example.org"))
    page = browser_like.get("/exchanges/host/apply/").content.decode()
    (form,) = [f for f in re.findall(r"<form.*?</form>", page, flags=re.S) if ">Apply<" in f]
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    token = found.group(1) if found else ""

    response = browser_like.post(
        "/exchanges/host/apply/",
        {
            "csrfmiddlewaretoken": token,
            "member": springfield_member.pk,
            "family_name": "Flanders",
            "address": "744 Evergreen Terrace",
            "phone": "+1 555 0101",
            "languages": "English",
            "room": "Own room",
            "capacity": 1,
        },
        follow=True,
    )

    assert "Thank you: now add everyone living in your home" in response.content.decode()
    assert HostFamily.objects.filter(family_name="Flanders").exists()
