"""The summit application's pages: the age screen and the form, the student's own page, the
guardian's consent and withdrawal, the staff list and decisions; who may open each (refused
roles included), the canary of health details, and the query-count guard."""

import re

import pytest
from django.urls import reverse

from tests.conftest import _client_for
from tests.events.summit_apply_helpers import (
    GUARDIAN,
    apply,
    born,
    grant,
    open_summit,
    student,
)
from tests.events.summit_helpers import CANARIES, youth_ticket
from tests.factories import CommunityFactory, UserFactory
from twinning.events.models import Attendee, Question, SummitApplication
from twinning.events.services.moderation import approve_attendee
from twinning.events.services.staff_settings import save_question
from twinning.youth.models import Person
from twinning.youth.services import has_consent, request_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def summit():
    return open_summit()


@pytest.fixture
def applied(summit):
    return apply(summit, student())


def _no_canary(response):
    body = response.content.decode()
    assert not [c for c in CANARIES if c in body]


# --- The age screen and the form ----------------------------------------------------------


def test_the_age_screen_asks_only_the_date_of_birth(summit):
    client = _client_for(student())

    response = client.get(reverse("events:summit_apply", kwargs={"slug": summit.slug}))

    assert response.status_code == 200
    assert 'name="date_of_birth"' in response.content.decode()
    form = response.content.decode().split("<main")[-1].split("</form>")[0]
    form = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", form)  # random: may hold "14"
    assert "14" not in form


def test_under_fourteen_gets_a_kind_refusal_nothing_stored_and_no_retry(summit):
    client = _client_for(student())
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})

    response = client.post(url, {"date_of_birth": born(summit, 13).isoformat()})

    assert "Thank you for your interest" in response.content.decode()
    assert "We have not kept anything you typed" in response.content.decode()
    assert not Person.objects.exists()
    assert client.session.get("summit_age_refused") is True
    again = client.post(url, {"date_of_birth": born(summit, 16).isoformat()})
    assert "Thank you for your interest" in again.content.decode()
    assert "summit_apply_screen" not in client.session


def test_too_old_is_told_why(summit):
    client = _client_for(student())
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})

    response = client.post(url, {"date_of_birth": born(summit, 19).isoformat()})

    assert "will already be 19" in response.content.decode()
    assert not Person.objects.exists()


def _form(summit, **changes):
    community = CommunityFactory()
    data = {
        "first_name": "Alice",
        "last_name": "Tester",
        "community": community.slug,
        "guardian_email": GUARDIAN,
        "ticket": youth_ticket(summit).pk,
        "emergency_contacts": "Mother +1 555 0100",
        "medical_notes": "",
        "allergies": "Peanuts",
        "dietary_needs": "",
    }
    data.update(changes)
    return data


def test_a_student_applies_through_the_screen_and_the_form(summit):
    user = student()
    client = _client_for(user)
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})
    client.post(url, {"date_of_birth": born(summit, 16).isoformat()})

    response = client.post(url, _form(summit), follow=True)

    assert "Your application is received" in response.content.decode()
    application = SummitApplication.objects.get()
    assert application.person.user == user
    assert application.attendee.state == Attendee.State.APPLIED
    assert application.attendee.date_of_birth == born(summit, 16)


def test_the_student_declares_a_gender_for_the_rooms(summit):
    client = _client_for(student())
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})
    client.post(url, {"date_of_birth": born(summit, 16).isoformat()})
    assert "same gender" in client.get(url).content.decode()

    client.post(url, _form(summit, gender="male"))

    assert SummitApplication.objects.get().attendee.gender == "male"


def test_the_conferences_required_questions_are_asked_of_students_too(summit, staff_user):
    meal = save_question(
        event=summit.parent,
        scope=Question.Scope.ATTENDEE,
        kind=Question.Kind.CHOICE,
        label="Meal preference",
        choices=["No preference", "Vegetarian"],
        required=True,
        by=staff_user,
    )
    client = _client_for(student())
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})
    client.post(url, {"date_of_birth": born(summit, 16).isoformat()})

    refused = client.post(url, _form(summit))
    client.post(url, _form(summit, **{f"q_{meal.pk}": "Vegetarian"}))

    assert "Meal preference" in refused.content.decode()
    assert refused.status_code == 200
    application = SummitApplication.objects.get()
    assert application.attendee.answers.get(question=meal).value == "Vegetarian"


def test_a_student_of_18_gives_their_own_consent_on_the_form(summit):
    client = _client_for(student())
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})
    client.post(url, {"date_of_birth": born(summit, 18).isoformat()})
    page = client.get(url).content.decode()
    assert "you give your own consent" in page
    assert 'name="guardian_email"' not in page

    data = _form(summit, own_consent=["participation", "photos"])
    del data["guardian_email"]
    response = client.post(url, data, follow=True)

    assert "Our staff confirm your place" in response.content.decode()
    application = SummitApplication.objects.get()
    assert application.person.guardian is None
    assert has_consent(application.person, "summit", "photos")
    assert "new consent link" not in response.content.decode()


def test_the_form_refuses_the_students_own_email_as_the_guardians(summit):
    user = student()
    client = _client_for(user)
    url = reverse("events:summit_apply", kwargs={"slug": summit.slug})
    client.post(url, {"date_of_birth": born(summit, 16).isoformat()})

    response = client.post(url, _form(summit, guardian_email=user.email))

    assert response.status_code == 200
    assert "not yours" in response.content.decode()
    assert not Attendee.objects.exists()


def test_the_apply_page_sends_visitors_to_sign_in(client, summit):
    response = client.get(reverse("events:summit_apply", kwargs={"slug": summit.slug}))

    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign" in response["Location"]


# --- The student's own page ---------------------------------------------------------------


def test_the_students_page_shows_status_and_consents_never_health_details(applied):
    client = _client_for(applied.person.user)

    response = client.get(reverse("events:summit_my_applications"))

    body = response.content.decode()
    assert "Applied (awaiting approval)" in body
    assert "has not answered yet" in body
    assert "Taking part" in body
    _no_canary(response)


def test_the_student_resends_the_guardians_link(applied):
    client = _client_for(applied.person.user)

    response = client.post(
        reverse("events:summit_resend_link", kwargs={"pk": applied.pk}), follow=True
    )

    assert "a new link" in response.content.decode()
    assert applied.person.consents.of_program("summit").count() == 2


def test_another_student_cannot_resend_or_see_an_application(applied):
    other = _client_for(UserFactory())

    response = other.post(reverse("events:summit_resend_link", kwargs={"pk": applied.pk}))
    page = other.get(reverse("events:summit_my_applications"))

    assert response.status_code == 404
    assert "Alice" not in page.content.decode()
    assert applied.person.consents.of_program("summit").count() == 1


def test_the_student_withdraws_photos_from_their_page(applied):
    grant(applied)
    client = _client_for(applied.person.user)

    client.post(reverse("events:summit_withdraw"), {"scope": "photos"})

    assert not has_consent(applied.person, "summit", "photos")
    assert has_consent(applied.person, "summit", "participation")


def test_a_stranger_cannot_withdraw(applied):
    grant(applied)

    response = _client_for(UserFactory()).post(
        reverse("events:summit_withdraw"), {"scope": "participation"}
    )

    assert response.status_code == 404
    assert has_consent(applied.person, "summit", "participation")


# --- The guardian -------------------------------------------------------------------------


def _guardian_link(applied):
    consent = request_consent(person=applied.person, program="summit", by=applied.person.user)
    return reverse("events:summit_consent_open", kwargs={"token": consent.token})


def test_the_guardian_answers_each_scope_separately(client, applied):
    opened = client.get(_guardian_link(applied))
    assert opened["Location"] == reverse("events:summit_consent_form")
    page = client.get(opened["Location"])
    assert "What we keep" in page.content.decode()

    response = client.post(
        reverse("events:summit_consent_form"), {"participation": "on", "medical": "on"}, follow=True
    )

    assert "your answer is recorded" in response.content.decode()
    assert has_consent(applied.person, "summit", "participation")
    assert has_consent(applied.person, "summit", "medical")
    assert not has_consent(applied.person, "summit", "photos")


def test_a_used_link_is_gone(client, applied):
    link = _guardian_link(applied)
    client.get(link)
    client.post(reverse("events:summit_consent_form"), {"participation": "on"})

    response = _client_for(UserFactory()).get(link)

    assert response.status_code == 410


def test_the_guardians_withdrawal_puts_a_confirmed_place_back_to_applied(
    client, applied, staff_user
):
    client.get(_guardian_link(applied))
    client.post(reverse("events:summit_consent_form"), {"participation": "on", "photos": "on"})
    approve_attendee(attendee=applied.attendee, by=staff_user)

    response = client.post(
        reverse("events:summit_guardian_withdraw"), {"scope": "participation"}, follow=True
    )

    assert "took effect at once" in response.content.decode()
    applied.attendee.refresh_from_db()
    assert applied.attendee.state == Attendee.State.APPLIED
    assert not has_consent(applied.person, "summit", "participation")


def test_the_guardians_page_needs_their_link(applied):
    for client in (_client_for(UserFactory()), _client_for(applied.person.user)):
        assert client.get(reverse("events:summit_guardian")).status_code == 404
        refused = client.post(reverse("events:summit_guardian_withdraw"), {"scope": "photos"})
        assert refused.status_code == 404


# --- Staff --------------------------------------------------------------------------------


def test_staff_see_consent_by_scope_and_no_health_details(staff, summit, applied):
    grant(applied, scopes=("participation",))
    for n in range(3):
        apply(summit, student(email=f"s{n}@example.org"))
    url = reverse("events:summit_applications", kwargs={"slug": summit.slug})

    response = staff.get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Alice Tester" in body
    assert "no photos" in body
    assert "guardian&#x27;s answer awaited" in body or "guardian's answer awaited" in body
    _no_canary(response)


def test_the_staff_list_makes_a_constant_number_of_queries(
    staff, summit, applied, django_assert_max_num_queries
):
    for n in range(5):
        apply(summit, student(email=f"q{n}@example.org"))
    url = reverse("events:summit_applications", kwargs={"slug": summit.slug})
    staff.get(url)  # the session's roles are detected once (core.navigation), not per page

    with django_assert_max_num_queries(20):
        response = staff.get(url)

    assert response.content.decode().count('value="approve"') == 6


def test_staff_approval_without_consent_reads_a_message(staff, summit, applied):
    url = reverse(
        "events:summit_application_decide", kwargs={"slug": summit.slug, "pk": applied.pk}
    )

    response = staff.post(url, {"action": "approve"}, follow=True)

    assert "has not given consent" in response.content.decode()
    applied.attendee.refresh_from_db()
    assert applied.attendee.state == Attendee.State.APPLIED


def test_staff_approve_with_consent_and_decline_with_a_message(staff, summit, applied):
    grant(applied)
    other = apply(summit, student(email="bea@example.org"))
    url = reverse(
        "events:summit_application_decide", kwargs={"slug": summit.slug, "pk": applied.pk}
    )

    approved = staff.post(url, {"action": "approve", "message": "Welcome"}, follow=True)
    declined = staff.post(
        reverse("events:summit_application_decide", kwargs={"slug": summit.slug, "pk": other.pk}),
        {"action": "decline", "message": "Full"},
        follow=True,
    )

    assert "is confirmed" in approved.content.decode()
    assert "is declined" in declined.content.decode()
    applied.attendee.refresh_from_db()
    other.attendee.refresh_from_db()
    assert applied.attendee.state == Attendee.State.CONFIRMED
    assert other.attendee.state == Attendee.State.DECLINED


@pytest.mark.parametrize(
    "role", ["public", "committee_admin", "other_committee_admin", "staff_without_otp"]
)
def test_the_staff_pages_are_refused_to_other_roles(request, role, summit, applied):
    client = request.getfixturevalue(role)
    page = reverse("events:summit_applications", kwargs={"slug": summit.slug})
    decide = reverse(
        "events:summit_application_decide", kwargs={"slug": summit.slug, "pk": applied.pk}
    )

    assert client.get(page).status_code in (302, 404)
    assert client.post(decide, {"action": "decline", "message": "x"}).status_code in (302, 404)
    applied.attendee.refresh_from_db()
    assert applied.attendee.state == Attendee.State.APPLIED
    if role == "staff_without_otp":
        assert "/two-factor/" in client.get(page)["Location"]


def test_anonymous_is_sent_to_sign_in_from_every_personal_page(client, summit, applied):
    for url in (
        reverse("events:summit_applications", kwargs={"slug": summit.slug}),
        reverse("events:summit_my_applications"),
    ):
        assert client.get(url).status_code == 302
    response = client.post(reverse("events:summit_resend_link", kwargs={"pk": applied.pk}))
    assert response.status_code == 302
    assert applied.person.consents.of_program("summit").count() == 1


def test_the_delegation_leader_and_committee_admin_see_no_health_details(
    committee_admin, other_committee_admin, applied
):
    for client in (committee_admin, other_committee_admin):
        response = client.get(reverse("events:summit_my_applications"))
        _no_canary(response)
        assert "Alice" not in response.content.decode()


# --- Menus --------------------------------------------------------------------------------


def test_a_signed_in_student_finds_the_application_and_their_page_from_home(summit):
    client = _client_for(student())

    body = client.get(reverse("core:home")).content.decode()

    assert reverse("events:summit_apply", kwargs={"slug": summit.slug}) in body
    assert reverse("events:summit_my_applications") in body


def test_staff_find_the_applications_from_home(staff, summit):
    body = staff.get(reverse("core:home")).content.decode()

    assert reverse("events:summit_applications", kwargs={"slug": summit.slug}) in body


def test_the_participant_list_flags_students_without_photo_consent(staff, summit, staff_user):
    with_photos = apply(summit, student(email="photos.yes@example.org"))
    grant(with_photos)
    without = apply(summit, student(email="photos.no@example.org"))
    grant(without, scopes=("participation",))
    approve_attendee(attendee=with_photos.attendee, by=staff_user)
    approve_attendee(attendee=without.attendee, by=staff_user)
    Attendee.objects.filter(pk=without.attendee.pk).update(first_name="Nophoto")

    response = staff.get(reverse("events:summit_participants", kwargs={"slug": summit.slug}))

    body = response.content.decode()
    rows = [r.split("</tr>")[0] for r in body.split("<tr>") if "Tester" in r.split("</tr>")[0]]
    flagged = [r for r in rows if "no photos" in r]
    assert len(rows) == 2
    assert len(flagged) == 1 and "Nophoto" in flagged[0]
