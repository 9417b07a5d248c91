"""The summit's pages: who may open each (refused roles included), what they show, the forms
that move one person, the printable lists and their PDFs, and the query-count guards."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.welfare import reauthenticated, welfare_staff
from tests.conftest import _client_for
from tests.events.summit_helpers import (
    CANARY_ALLERGY,
    CANARY_CONTACT,
    CANARY_MEDICAL,
    SummitWorld,
    add_adult,
    add_student,
)
from tests.factories import CommunityFactory, UserFactory
from twinning.core.models import ActivityLog
from twinning.events.models import ResidenceRoom, RoomAssignment, Team, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def summit_world(springfield_member, committee_admin_user):
    return SummitWorld(springfield_member, committee_admin_user)


STAFF_ONLY = [
    ("events:summit", {}),
    ("events:summit_chaperones", {}),
    ("events:summit_rooms", {}),
    ("events:summit_teams", {}),
    ("events:summit_room_move", {"attendee": "student"}),
    ("events:summit_team_move", {"kind": "diplomacy", "attendee": "student"}),
    ("events:summit_details_edit", {"attendee": "student"}),
]
ADULTS = [
    ("events:summit_participants", {}),
    ("events:summit_details", {"attendee": "student"}),
    ("events:summit_room_list", {}),
    ("events:summit_room_list_pdf", {}),
    ("events:summit_team_list", {}),
    ("events:summit_team_list_pdf", {}),
]
STAFF_POSTS = [
    ("events:summit_rooms_assign", {}),
    ("events:summit_teams_assign", {}),
    ("events:summit_chaperone_remove", {"chaperone": "chaperone"}),
    ("events:summit_chaperone_check", {"chaperone": "chaperone"}),
]


def _url(world, name, params):
    kwargs = {"slug": world.summit.slug}
    for key, value in params.items():
        if value == "student":
            kwargs[key] = world.student.pk
        elif value == "chaperone":
            kwargs[key] = world.chaperone.pk
        else:
            kwargs[key] = value
    return reverse(name, kwargs=kwargs)


def _clients(world, staff_user):
    return {
        "anonymous": Client(),
        "stranger": _client_for(UserFactory(email="stranger@example.org")),
        "student": _client_for(world.student_user),
        "leader": _client_for(world.leader),
        "other_committee_admin": _client_for(_other_admin()),
        "staff_without_otp": _client_for(staff_user),
        "unchecked_nurse": _client_for(world.unchecked_user),
        "chaperone": _client_for(world.chaperone_user),
        "nurse": _client_for(world.nurse_user),
        "staff": _client_for(staff_user, verified=True),
    }


def _other_admin():
    from tests.factories import MemberFactory

    user = UserFactory(email="admin@elsewhere.example")
    MemberFactory(name="Elsewhere Twinning").admins.add(user)
    return user


WELFARE_ONLY = {"events:summit_details", "events:summit_details_edit"}


def _expected(role, *, adults_page, name=""):
    if role == "anonymous":
        return 302
    if role == "staff_without_otp":
        return 302
    if role == "staff":
        # Staff without the staff welfare capability: a 403 page saying the details are
        # restricted (tests/events/test_summit_welfare.py).
        return 403 if name in WELFARE_ONLY else 200
    if adults_page and role in ("chaperone", "nurse"):
        return 200
    return 404


def test_every_summit_page_answers_each_role_as_its_audience_says(summit_world, staff_user):
    clients = _clients(summit_world, staff_user)
    mismatches = {}
    for names, adults_page in ((STAFF_ONLY, False), (ADULTS, True)):
        for name, params in names:
            url = _url(summit_world, name, params)
            for role, client in clients.items():
                status = client.get(url).status_code
                if status != _expected(role, adults_page=adults_page, name=name):
                    mismatches[(name, role)] = status
    assert mismatches == {}


def test_anonymous_is_sent_to_sign_in_and_password_only_staff_to_the_second_factor(
    summit_world, staff_user
):
    url = _url(summit_world, "events:summit_participants", {})
    anonymous = Client().get(url)
    assert "/accounts/login/" in anonymous["Location"]
    staff = _client_for(staff_user).get(url)
    assert "/accounts/two-factor/" in staff["Location"]


def test_staff_actions_posted_by_refused_roles_change_nothing(summit_world, staff_user):
    clients = _clients(summit_world, staff_user)
    before = (RoomAssignment.objects.count(), summit_world.summit.summit_chaperones.count())
    for name, params in STAFF_POSTS:
        url = _url(summit_world, name, params)
        for role in (
            "anonymous",
            "stranger",
            "student",
            "leader",
            "other_committee_admin",
            "staff_without_otp",
            "chaperone",
            "nurse",
        ):
            response = clients[role].post(url, {"kind": "diplomacy", "checked_on": "2020-01-01"})
            assert response.status_code in (302, 404), (name, role)
    assert (RoomAssignment.objects.count(), summit_world.summit.summit_chaperones.count()) == before
    summit_world.chaperone.refresh_from_db()
    assert summit_world.chaperone.background_check_on.year != 2020


def test_the_nurse_sees_every_restricted_field_and_the_read_is_logged(summit_world):
    url = _url(summit_world, "events:summit_details", {"attendee": "student"})
    page = _client_for(summit_world.nurse_user).get(url).content.decode()
    assert CANARY_MEDICAL in page and CANARY_CONTACT in page and CANARY_ALLERGY in page
    log = ActivityLog.objects.get(action="events.summit.details_read")
    assert log.actor == summit_world.nurse_user
    assert log.object_id == str(summit_world.student.pk)


def test_a_chaperone_sees_emergency_contacts_and_allergies_but_not_medical_notes(summit_world):
    url = _url(summit_world, "events:summit_details", {"attendee": "student"})
    page = _client_for(summit_world.chaperone_user).get(url).content.decode()
    assert CANARY_CONTACT in page and CANARY_ALLERGY in page
    assert CANARY_MEDICAL not in page
    assert ActivityLog.objects.filter(action="events.summit.details_read").count() == 1


def test_a_nurse_without_a_background_check_is_refused(summit_world):
    url = _url(summit_world, "events:summit_details", {"attendee": "student"})
    assert _client_for(summit_world.unchecked_user).get(url).status_code == 404
    assert not ActivityLog.objects.filter(action="events.summit.details_read").exists()


def test_welfare_staff_edit_the_restricted_details(summit_world):
    url = _url(summit_world, "events:summit_details_edit", {"attendee": "student"})
    client = reauthenticated(_client_for(welfare_staff(), verified=True))
    assert CANARY_MEDICAL in client.get(url).content.decode()  # the form shows them: a read
    response = client.post(
        url,
        {
            "medical_notes": "Diabetes",
            "allergies": "",
            "emergency_contacts": "Dad",
            "dietary_needs": "",
        },
    )
    assert response.status_code == 302
    summit_world.details.refresh_from_db()
    assert summit_world.details.medical_notes == "Diabetes"
    change = ActivityLog.objects.get(action="events.summit.details_changed")
    assert "Diabetes" not in str(change.data)


def test_staff_add_a_room_assign_by_the_rule_and_see_the_reasons(summit_world, staff_user):
    client = _client_for(staff_user, verified=True)
    rooms = _url(summit_world, "events:summit_rooms", {})
    page = client.get(rooms).content.decode()
    assert "an adult never shares a minor" in page
    client.post(rooms, {"name": "A101", "beds": 4, "gender": "female"})
    assert ResidenceRoom.objects.filter(name="A101", adults_only=False).exists()
    client.post(_url(summit_world, "events:summit_rooms_assign", {}))
    page = client.get(rooms).content.decode()
    assert RoomAssignment.objects.filter(room__name="A101").count() == 2
    assert "minors" in page and "home country" in page


def test_people_who_cannot_be_placed_are_listed_with_the_reason(summit_world, staff_user):
    add_student(summit_world.summit, gender="", name="Unsaid")
    client = _client_for(staff_user, verified=True)
    page = client.get(_url(summit_world, "events:summit_rooms", {})).content.decode()
    assert "Unsaid" in page and "No gender declared" in page
    assert "There is no room for" in page


def test_staff_move_a_person_to_another_room_by_a_form(summit_world, staff_user):
    a = ResidenceRoom.objects.create(event=summit_world.summit, name="A", beds=2, gender="female")
    b = ResidenceRoom.objects.create(event=summit_world.summit, name="B", beds=2, gender="female")
    RoomAssignment.objects.create(room=a, attendee=summit_world.student)
    client = _client_for(staff_user, verified=True)
    url = _url(summit_world, "events:summit_room_move", {"attendee": "student"})
    assert client.post(url, {"room": b.pk}).status_code == 302
    row = RoomAssignment.objects.get(attendee=summit_world.student)
    assert row.room == b and row.by_hand and "Placed by staff" in row.reasons


def test_moving_a_minor_into_an_adults_room_is_refused_with_the_reason(summit_world, staff_user):
    adults = ResidenceRoom.objects.create(
        event=summit_world.summit, name="Staff wing", beds=2, gender="female", adults_only=True
    )
    client = _client_for(staff_user, verified=True)
    url = _url(summit_world, "events:summit_room_move", {"attendee": "student"})
    page = client.post(url, {"room": adults.pk}).content.decode()
    assert "A minor cannot sleep in a room for adults." in page
    assert not RoomAssignment.objects.exists()


def test_staff_make_teams_and_move_a_student(summit_world, staff_user):
    client = _client_for(staff_user, verified=True)
    teams = _url(summit_world, "events:summit_teams", {})
    client.post(teams, {"kind": "diplomacy", "name": "Team A"})
    client.post(teams, {"kind": "diplomacy", "name": "Team B"})
    client.post(_url(summit_world, "events:summit_teams_assign", {}), {"kind": "diplomacy"})
    assert TeamMember.objects.filter(kind="diplomacy").count() == 2
    assert "fewest members" in client.get(teams).content.decode()
    target = Team.objects.get(name="Team B")
    url = _url(
        summit_world, "events:summit_team_move", {"kind": "diplomacy", "attendee": "student"}
    )
    assert client.post(url, {"team": target.pk}).status_code == 302
    assert TeamMember.objects.get(attendee=summit_world.student, kind="diplomacy").team == target


def test_making_teams_without_teams_says_what_to_do(summit_world, staff_user):
    client = _client_for(staff_user, verified=True)
    response = client.post(
        _url(summit_world, "events:summit_teams_assign", {}), {"kind": "service"}, follow=True
    )
    assert "Add the teams of this activity first." in response.content.decode()


def test_staff_name_a_chaperone_by_email_and_record_the_check(summit_world, staff_user):
    adult = UserFactory(email="new.chaperone@example.org")
    client = _client_for(staff_user, verified=True)
    url = _url(summit_world, "events:summit_chaperones", {})
    assert client.post(url, {"email": adult.email, "role": "chaperone"}).status_code == 302
    chaperone = summit_world.summit.summit_chaperones.get(user=adult)
    assert "No background check recorded." in client.get(url).content.decode()
    check = reverse(
        "events:summit_chaperone_check",
        kwargs={"slug": summit_world.summit.slug, "chaperone": chaperone.pk},
    )
    client.post(check, {"checked_on": "2027-01-05"})
    chaperone.refresh_from_db()
    assert str(chaperone.background_check_on) == "2027-01-05"


def test_naming_an_unknown_email_is_refused_with_a_message(summit_world, staff_user):
    client = _client_for(staff_user, verified=True)
    url = _url(summit_world, "events:summit_chaperones", {})
    page = client.post(url, {"email": "nobody@example.org", "role": "chaperone"}).content.decode()
    assert "No active account has this e-mail address." in page


def test_the_printable_lists_show_rooms_and_teams_to_a_chaperone(summit_world):
    room = ResidenceRoom.objects.create(
        event=summit_world.summit, name="Oak 1", beds=2, gender="female"
    )
    RoomAssignment.objects.create(room=room, attendee=summit_world.student)
    team = Team.objects.create(event=summit_world.summit, kind="service", name="Gardeners")
    TeamMember.objects.create(team=team, kind="service", attendee=summit_world.other_student)
    client = _client_for(summit_world.chaperone_user)
    rooms = client.get(_url(summit_world, "events:summit_room_list", {})).content.decode()
    assert "Oak 1" in rooms and "Alice" in rooms
    teams = client.get(_url(summit_world, "events:summit_team_list", {})).content.decode()
    assert "Gardeners" in teams and "Bea" in teams
    pdf = client.get(_url(summit_world, "events:summit_room_list_pdf", {}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]


LIST_PAGES = [
    "events:summit_participants",
    "events:summit_rooms",
    "events:summit_teams",
    "events:summit_room_list",
    "events:summit_team_list",
    "events:summit_chaperones",
    "events:summit",
]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_people(world, n):
    room = ResidenceRoom.objects.create(
        event=world.summit, name=f"Room {n}", beds=n, gender="female"
    )
    team = Team.objects.create(event=world.summit, kind="diplomacy", name=f"Team {n}")
    for i in range(n):
        person = add_student(world.summit, community=CommunityFactory(), name=f"Extra{n}-{i}")
        RoomAssignment.objects.create(room=room, attendee=person, reasons="test")
        TeamMember.objects.create(team=team, kind="diplomacy", attendee=person)
    adult = add_adult(world.summit)
    from tests.events.summit_helpers import name_chaperone

    name_chaperone(world.summit, user=UserFactory())
    return adult


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_make_the_same_number_of_queries_for_more_people(
    summit_world, staff_user, name, django_assert_num_queries
):
    client = _client_for(staff_user, verified=True)
    url = _url(summit_world, name, {})
    _more_people(summit_world, 2)
    client.get(url)  # the first request of a session fills its caches (roles, association)
    expected = _queries(client, url)
    _more_people(summit_world, 6)
    with django_assert_num_queries(expected):
        client.get(url)


def test_a_chaperones_home_links_to_the_summit_lists_and_a_strangers_does_not(summit_world):
    participants = _url(summit_world, "events:summit_participants", {})
    home = _client_for(summit_world.chaperone_user).get("/home/").content.decode()
    assert participants in home and summit_world.summit.title in home
    unchecked = _client_for(summit_world.unchecked_user).get("/home/").content.decode()
    assert participants not in unchecked
    leader = _client_for(summit_world.leader).get("/home/").content.decode()
    assert participants not in leader


def test_staff_home_links_to_the_summit_page(summit_world, staff_user):
    home = _client_for(staff_user, verified=True).get("/home/").content.decode()
    assert _url(summit_world, "events:summit", {}) in home


def test_the_summit_page_shows_the_ratio_and_the_retention_dates(summit_world, staff_user):
    page = _client_for(staff_user, verified=True).get(_url(summit_world, "events:summit", {}))
    text = page.content.decode()
    assert "2 / 10" in text  # two confirmed students, one chaperone's ten places
    assert "Health and emergency details deleted on" in text


def test_the_restricted_details_are_not_in_the_admin():
    from django.contrib import admin

    from twinning.events.models import SummitDetails

    assert not admin.site.is_registered(SummitDetails)
