"""The student's own page and the guardian's page (withdrawal of consent), as each role uses
them, and the refused roles: another student, a host family, another committee, the hosting
committee's admin, staff, the public and anonymous visitors."""

import datetime

import pytest
from django.test import Client

from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.exchanges import placement_helpers as ph
from tests.factories import MemberFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.core.models import ActivityLog
from twinning.exchanges.models import Student
from twinning.exchanges.services import families, students
from twinning.exchanges.services.placement import record_orientation
from twinning.outbox.models import OutboxMessage
from twinning.youth.models import Guardian
from twinning.youth.services import has_consent

pytestmark = pytest.mark.django_db

GUARDIAN_EMAIL = "parent.ana@kragujevac.example"
SCOPES = ("participation", "medical", "photos")


def _live_link(template: str, to: str) -> str:
    message = OutboxMessage.objects.filter(template=template, to=to).order_by("-pk").first()
    (link,) = message.secret_links.values()
    return "/" + link.split("/", 3)[3]


def _guardian_answers(scopes=SCOPES) -> Client:
    guardian = Client()
    guardian.get(_live_link("exchanges.guardian_consent", GUARDIAN_EMAIL))
    guardian.post("/exchanges/consent/", dict.fromkeys(scopes, "on"))
    return guardian


@pytest.fixture
def world(springfield_member):
    """A nominated student whose guardian answered through the link (all three scopes), then
    accepted and placed; the committee's exchange coordinator; an orientation before arrival."""
    found = h.build(springfield_member.slug)
    found.guardian = _guardian_answers()
    found.student = students.change_status(
        student=found.student, status=Student.Status.ACCEPTED, by=SYSTEM
    )
    found.approval = families.approve_family(family=found.family, by=SYSTEM)
    found.starts_on = datetime.date(2027, 8, 15)
    found.placement = ph.place(found)
    found.exchange_coordinator = h.coordinator(
        springfield_member, email="xc@springfield.example", exchange=True
    )
    record_orientation(
        student=found.student, kind="pre_arrival", held_on=datetime.date(2026, 6, 1), by=SYSTEM
    )
    found.student_client = _client_for(found.student.person.user)
    return found


# --- The student ---------------------------------------------------------------------------------


def test_the_student_sees_their_placement_essentials(world):
    response = world.student_client.get("/exchanges/mine/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Springfield" in page  # the hosting committee
    assert "The Simpson family" in page
    assert "742 Evergreen Terrace" in page
    assert world.school.name in page
    assert "Carol Coordinator" in page
    assert world.coordinator.user.email in page
    assert "Before arrival" in page
    assert "June 1, 2026" in page  # the orientation
    assert "Aug. 15, 2027" in page  # the arrival and the placement's start
    assert "Medical treatment in an emergency" in page


def test_the_student_page_shows_nothing_restricted_nor_the_household(world):
    page = world.student_client.get("/exchanges/mine/").content.decode()

    assert not [c for c in h.CANARIES if c in page]
    for private in ("Marge Simpson", "Sterling", "Ned 1", "Good neighbours", "Clean, quiet"):
        assert private not in page  # household, checks, references, home visit


def test_the_student_is_told_when_not_placed_yet(springfield_member):
    found = h.build(springfield_member.slug)

    page = _client_for(found.student.person.user).get("/exchanges/mine/").content.decode()

    assert "You are not placed with a family yet" in page
    assert "Simpson" not in page


def test_another_student_sees_only_their_own_exchange(world):
    other = h.nominate(world.quota, email="milan@kragujevac.example", first_name="Milan")

    page = _client_for(other.person.user).get("/exchanges/mine/").content.decode()

    assert "Milan" in page
    assert "Ana" not in page
    assert "Simpson" not in page


@pytest.mark.parametrize(
    "role", ["public", "committee_admin", "other_committee_admin", "staff", "staff_without_otp"]
)
def test_the_student_page_is_refused_to_who_is_no_exchange_student(request, world, role):
    response = request.getfixturevalue(role).get("/exchanges/mine/")

    assert response.status_code == 404


def test_the_student_page_is_refused_to_the_host_family_and_sends_visitors_to_sign_in(world):
    family = _client_for(world.family.user).get("/exchanges/mine/")
    anonymous = Client().get("/exchanges/mine/")

    assert family.status_code == 404
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_student_reaches_their_page_from_their_home(world):
    home = world.student_client.get("/", follow=True).content.decode()

    assert "/exchanges/mine/" in home


@pytest.mark.parametrize("steps", [1, 3])
def test_the_student_page_costs_the_same_whatever_its_history(
    springfield_member, django_assert_num_queries, steps
):
    found = h.build(springfield_member.slug)
    h.grant_consent(found.student)
    if steps == 3:
        students.change_status(student=found.student, status="accepted", by=SYSTEM)
        record_orientation(
            student=found.student,
            kind="pre_arrival",
            held_on=datetime.date(2026, 6, 1),
            by=SYSTEM,
        )
        students.change_status(student=found.student, status="declined", by=SYSTEM)
    client = _client_for(found.student.person.user)
    client.get("/exchanges/mine/")  # the session's roles are detected once

    with django_assert_num_queries(8):
        response = client.get("/exchanges/mine/")

    page = response.content.decode()
    assert ("Not accepted" in page) == (steps == 3)


# --- The guardian --------------------------------------------------------------------------------


def test_the_guardian_lands_on_their_page_after_answering(springfield_member):
    h.build(springfield_member.slug)
    guardian = Client()
    guardian.get(_live_link("exchanges.guardian_consent", GUARDIAN_EMAIL))

    answered = guardian.post("/exchanges/consent/", {"participation": "on"})
    page = guardian.get("/exchanges/guardian/").content.decode()

    assert "/exchanges/guardian/" in answered.content.decode()
    assert "Ana's high-school exchange" in page
    assert page.count('name="scope" value="participation"') == 1
    assert 'name="scope" value="photos"' not in page  # not given: nothing to withdraw


def test_the_guardian_withdraws_a_scope_with_effect_at_once(world):
    person = world.student.person

    response = world.guardian.post("/exchanges/guardian/withdraw/", {"scope": "medical"})

    assert response.status_code == 302 and response["Location"] == "/exchanges/guardian/"
    assert not has_consent(person, "exchanges", "medical")
    assert has_consent(person, "exchanges", "participation")
    assert has_consent(person, "exchanges", "photos")
    assert ActivityLog.objects.filter(action="exchanges.consent.withdrawn").count() == 1
    logged = ActivityLog.objects.get(action="exchanges.student.consent_withdrawn")
    assert logged.data == {"scopes": ["medical"]}
    page = world.guardian.get("/exchanges/guardian/").content.decode()
    assert 'name="scope" value="medical"' not in page


def test_withdrawing_participation_takes_the_other_scopes_with_it(world):
    world.guardian.post("/exchanges/guardian/withdraw/", {"scope": "participation"})

    person = world.student.person
    assert not any(has_consent(person, "exchanges", scope) for scope in SCOPES)
    mail = OutboxMessage.objects.filter(template="exchanges.consent_withdrawn").first()
    assert "taking part, medical treatment in an emergency, photos" in mail.body


def test_the_coordinators_are_told_of_a_withdrawal_without_restricted_values(world):
    world.guardian.post("/exchanges/guardian/withdraw/", {"scope": "photos"})

    mails = OutboxMessage.objects.filter(template="exchanges.consent_withdrawn").order_by("to")
    assert [m.to for m in mails] == sorted(
        [world.coordinator.user.email, world.exchange_coordinator.user.email]
    )
    assert all(f"/exchanges/students/{world.student.pk}/" in m.body for m in mails)
    assert not any(c in m.body or c in m.subject for m in mails for c in h.CANARIES)


def test_withdrawing_what_is_already_withdrawn_changes_and_sends_nothing(world):
    world.guardian.post("/exchanges/guardian/withdraw/", {"scope": "photos"})

    world.guardian.post("/exchanges/guardian/withdraw/", {"scope": "photos"})

    assert OutboxMessage.objects.filter(template="exchanges.consent_withdrawn").count() == 2
    assert ActivityLog.objects.filter(action="exchanges.student.consent_withdrawn").count() == 1


@pytest.mark.parametrize("scope", ["", "nonsense", "x" * 500])
def test_a_bad_scope_is_refused_with_a_message(world, scope):
    response = world.guardian.post("/exchanges/guardian/withdraw/", {"scope": scope}, follow=True)

    assert response.status_code == 200
    assert "Choose which consent to withdraw." in response.content.decode()
    assert all(has_consent(world.student.person, "exchanges", s) for s in SCOPES)


def test_the_guardian_page_shows_nothing_restricted(world):
    page = world.guardian.get("/exchanges/guardian/").content.decode()

    assert not [c for c in h.CANARIES if c in page]
    assert "Simpson" not in page


@pytest.mark.parametrize(
    "role", ["anonymous", "public", "committee_admin", "other_committee_admin", "staff"]
)
def test_the_guardian_page_is_refused_without_the_guardians_session(request, world, role):
    client = request.getfixturevalue(role)

    page = client.get("/exchanges/guardian/")
    withdrawn = client.post("/exchanges/guardian/withdraw/", {"scope": "participation"})

    assert page.status_code == withdrawn.status_code == 404
    assert has_consent(world.student.person, "exchanges", "participation")


def test_the_guardian_page_is_refused_to_the_student_another_student_and_the_family(world):
    other = h.nominate(world.quota, email="milan@kragujevac.example", first_name="Milan")
    other_admin = UserFactory(email="admin@elsewhere.example")
    MemberFactory(name="Elsewhere").admins.add(other_admin)
    clients = {
        "student": world.student_client,
        "another_student": _client_for(other.person.user),
        "host_family": _client_for(world.family.user),
        "another_committee": _client_for(other_admin),
    }

    answers = {
        role: (
            client.get("/exchanges/guardian/").status_code,
            client.post("/exchanges/guardian/withdraw/", {"scope": "medical"}).status_code,
        )
        for role, client in clients.items()
    }

    assert answers == dict.fromkeys(clients, (404, 404))
    assert has_consent(world.student.person, "exchanges", "medical")


def test_a_replaced_guardian_loses_the_page(world):
    person = world.student.person
    person.guardian = Guardian.objects.create(email="new.guardian@example.org")
    person.save()

    page = world.guardian.get("/exchanges/guardian/")
    withdrawn = world.guardian.post("/exchanges/guardian/withdraw/", {"scope": "medical"})

    assert page.status_code == withdrawn.status_code == 404
    assert has_consent(person, "exchanges", "medical")
