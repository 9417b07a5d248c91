"""The summit's restricted details as special-category data (RELIABILITY P-07, B12, K3):
only welfare staff (`staff_welfare`), the summit's nurse and its chaperones read them, after a
fresh re-authentication, and every read is logged with who, whose record and which fields,
never the values. Verified staff without the capability run the summit without them."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.welfare import PASSWORD, code_for, reauthenticated, stale, welfare_staff
from tests.conftest import _client_for
from tests.events.summit_helpers import (
    CANARIES,
    CANARY_ALLERGY,
    CANARY_CONTACT,
    CANARY_DIET,
    CANARY_MEDICAL,
    SummitWorld,
)
from tests.factories import MemberFactory, UserFactory
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.events.services.summit import read_summit_details, update_summit_details

pytestmark = pytest.mark.django_db

READ = "events.summit.details_read"


@pytest.fixture
def world(springfield_member, committee_admin_user):
    return SummitWorld(springfield_member, committee_admin_user)


def _details(world) -> str:
    return reverse(
        "events:summit_details", kwargs={"slug": world.summit.slug, "attendee": world.student.pk}
    )


def _edit(world) -> str:
    return reverse(
        "events:summit_details_edit",
        kwargs={"slug": world.summit.slug, "attendee": world.student.pk},
    )


def _participants(world) -> str:
    return reverse("events:summit_participants", kwargs={"slug": world.summit.slug})


def _welfare_client(*, fresh: bool = True) -> Client:
    client = _client_for(welfare_staff(), verified=True)
    return reauthenticated(client) if fresh else client


def _reads():
    return ActivityLog.objects.filter(action=READ)


# --- Staff without the capability ------------------------------------------------------------


def test_staff_without_welfare_get_a_restricted_page_with_no_detail(world, staff_user):
    client = reauthenticated(_client_for(staff_user, verified=True))
    for url in (_details(world), _edit(world)):
        response = client.get(url)
        assert response.status_code == 403
        assert "These details are restricted" in response.text
        assert "no-store" in response["Cache-Control"]
        assert not [c for c in CANARIES if c in response.text]
    assert not _reads().exists()


def test_staff_without_welfare_cannot_overwrite_the_details(world, staff_user):
    client = reauthenticated(_client_for(staff_user, verified=True))
    client.post(_edit(world), {"medical_notes": "Overwritten"})
    world.details.refresh_from_db()
    assert CANARY_MEDICAL in world.details.medical_notes
    assert not ActivityLog.objects.filter(action="events.summit.details_changed").exists()


def test_staff_without_welfare_see_the_participants_without_links_to_the_details(world, staff_user):
    page = _client_for(staff_user, verified=True).get(_participants(world)).text
    assert "Alice" in page
    assert _details(world) not in page
    assert "only welfare staff" in page


def test_the_services_refuse_staff_without_welfare(world, staff_user):
    with pytest.raises(NotAllowed):
        read_summit_details(event=world.summit, attendee=world.student, by=staff_user)
    with pytest.raises(NotAllowed):
        update_summit_details(
            event=world.summit, attendee=world.student, by=staff_user, medical_notes="x"
        )
    assert not _reads().exists()


# --- Welfare staff: after re-authentication --------------------------------------------------


def test_welfare_staff_without_a_fresh_confirmation_are_asked_for_one(world):
    client = _welfare_client(fresh=False)
    for url in (_details(world), _edit(world)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:reauth"))
        assert "next=" in response["Location"]
    assert not _reads().exists()


def test_welfare_staff_confirm_and_come_back_to_the_details(world):
    staff = welfare_staff()
    client = _client_for(staff, verified=True)
    asked = client.get(_details(world))
    confirmed = client.post(
        asked["Location"].split("?")[0],
        {"password": PASSWORD, "token": code_for(staff), "next": _details(world)},
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == _details(world)
    page = client.get(_details(world)).text
    assert all(c in page for c in CANARIES)
    assert _edit(world) in page


def test_welfare_staff_read_everything_and_the_read_is_logged_without_values(world):
    page = _welfare_client().get(_details(world))
    assert page.status_code == 200
    assert all(c in page.text for c in CANARIES)
    entry = _reads().get()
    assert entry.actor.email == "welfare@example.org"
    assert entry.target == world.student
    assert entry.data["fields"] == sorted(
        ["emergency_contacts", "medical_notes", "allergies", "dietary_needs"]
    )
    assert entry.data["purpose"] == "summit care"
    assert entry.data["event"] == world.summit.pk
    assert not [c for c in CANARIES if c in str(entry.data)]


def test_the_confirmation_expires(world):
    client = _welfare_client()
    assert client.get(_details(world)).status_code == 200
    stale(client)
    assert client.get(_details(world)).status_code == 302
    assert _reads().count() == 1


def test_a_post_of_the_form_after_the_confirmation_expired_changes_nothing(world):
    client = stale(_welfare_client())
    response = client.post(_edit(world), {"medical_notes": "Overwritten"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    world.details.refresh_from_db()
    assert CANARY_MEDICAL in world.details.medical_notes


# --- The nurse and the chaperones keep their reads, with a fresh password ------------------


def test_the_nurse_reads_everything_after_signing_in_and_each_read_is_logged(world):
    client = _client_for(world.nurse_user)  # signing in is a fresh password check
    page = client.get(_details(world)).text
    assert all(c in page for c in CANARIES)
    entry = _reads().get()
    assert entry.actor == world.nurse_user
    assert len(entry.data["fields"]) == 4
    assert _edit(world) not in page  # writing them is welfare staff's


def test_a_chaperone_reads_contacts_and_allergies_and_the_log_names_just_those(world):
    page = _client_for(world.chaperone_user).get(_details(world)).text
    assert CANARY_CONTACT in page and CANARY_ALLERGY in page
    assert CANARY_MEDICAL not in page and CANARY_DIET not in page
    assert _reads().get().data["fields"] == ["allergies", "emergency_contacts"]


def test_a_nurse_with_an_old_sign_in_confirms_the_password_only(world):
    client = stale(_client_for(world.nurse_user))
    asked = client.get(_details(world))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:reauth"))
    form = client.get(asked["Location"]).text
    assert 'name="password"' in form and 'name="token"' not in form
    back = client.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": _details(world)})
    assert back["Location"] == _details(world)
    assert CANARY_MEDICAL in client.get(_details(world)).text


# --- Refused roles: 404 (or sign-in), never a prompt that would tell the page exists ---------


def _judge():
    from tests.events.test_summit_canary import _judge

    return _judge()


def test_refused_roles_get_no_detail_no_prompt_and_no_logged_read(world):
    other_admin = UserFactory(email="admin@elsewhere.example")
    MemberFactory(name="Elsewhere").admins.add(other_admin)
    refused = {
        "delegation_leader": world.leader,
        "the_student": world.student_user,
        "committee_admin_of_another_committee": other_admin,
        "judge": _judge(),
        "stranger": UserFactory(email="stranger@example.org"),
        "nurse_without_background_check": world.unchecked_user,
        "welfare_permission_without_staff": _volunteer_with_welfare(),
    }
    answers = {}
    for role, user in refused.items():
        client = reauthenticated(_client_for(user))
        answers[role] = (
            client.get(_details(world)).status_code,
            client.get(_edit(world)).status_code,
        )
    assert answers == dict.fromkeys(refused, (404, 404))
    anonymous = Client().get(_details(world))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    password_only = _client_for(welfare_staff(email="pw@example.org")).get(_details(world))
    assert "/accounts/two-factor/" in password_only["Location"]
    assert not _reads().exists()


def _volunteer_with_welfare():
    from tests.accounts.welfare import grant_welfare

    return grant_welfare(UserFactory(email="volunteer@example.org"))
