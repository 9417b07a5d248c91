"""The matching, placement and orientation pages as each role uses them, and the refused
roles."""

import datetime

import pytest
from django.test import Client

from tests.accounts.welfare import reauthenticated, stale
from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.exchanges import placement_helpers as ph
from tests.factories import CommunityFactory, MemberFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import (
    MatchingPreferences,
    Orientation,
    Placement,
    SchoolDistance,
    Student,
)
from twinning.exchanges.services import placement, students

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(springfield_member):
    return ph.world(springfield_member)


def _form(world, **overrides) -> dict:
    values = {
        "approval": world.approval.pk,
        "school": world.school.pk,
        "coordinator": world.coordinator.pk,
        "starts_on": "2027-08-15",
    }
    values.update(overrides)
    return values


def _contact_client(world) -> Client:
    client = Client()
    session = client.session
    session["exchanges_contacts"] = [world.contact.pk]
    session.save()
    return client


# --- The matching page ---------------------------------------------------------------------------


def test_the_committee_sees_the_suggested_family_with_its_reasons(world, committee_admin):
    page = committee_admin.get(f"/exchanges/students/{world.student.pk}/matching/").content.decode()

    assert "Simpson" in page
    assert "Health fit checked." in page
    assert "A smoke-free home." in page
    assert "Place the student" in page


@pytest.mark.parametrize("role", ["public", "other_committee_admin", "staff_without_otp"])
def test_the_matching_page_is_refused_outside_the_committee(request, world, role):
    response = request.getfixturevalue(role).get(
        f"/exchanges/students/{world.student.pk}/matching/"
    )

    assert response.status_code == 404


def test_the_matching_page_is_refused_to_the_sending_contact(world):
    path = f"/exchanges/students/{world.student.pk}/matching/"
    world.contact.user = UserFactory(email="contact.account@kragujevac.example")
    world.contact.save()

    through_link = _contact_client(world).get(path)
    through_account = _client_for(world.contact.user).get(path)

    assert through_link["Location"].startswith("/accounts/login/")
    assert through_account.status_code == 404


def test_the_matching_page_never_shows_the_allergy_to_the_committee_admin(world, committee_admin):
    students.update_restricted(student=world.student, by=SYSTEM, allergies="dogs")

    page = committee_admin.get(f"/exchanges/students/{world.student.pk}/matching/").content.decode()

    assert "Health fit: ask the exchange coordinator before choosing this family." in page
    assert "allergies concern" not in page


def test_the_exchange_coordinator_reads_the_allergy_reason_in_a_fresh_session(world):
    students.update_restricted(student=world.student, by=SYSTEM, allergies="dogs")
    exchange = h.coordinator(world.member, email="xc@springfield.example", exchange=True)
    path = f"/exchanges/students/{world.student.pk}/matching/"

    fresh = reauthenticated(_client_for(exchange.user)).get(path).content.decode()
    old = stale(_client_for(exchange.user)).get(path).content.decode()

    assert "the student&#x27;s allergies concern the family&#x27;s pets" in fresh
    assert "allergies concern" not in old
    assert "Health fit: ask the exchange coordinator" in old


def test_a_nominated_student_cannot_be_placed_from_the_page(springfield_member, committee_admin):
    found = h.build(springfield_member.slug)

    page = committee_admin.get(f"/exchanges/students/{found.student.pk}/matching/").content.decode()

    assert "Only a student the association accepted can be placed." in page
    assert "Place the student" not in page


# --- Confirming and changing ---------------------------------------------------------------------


def test_the_committee_places_a_student_and_sees_it_on_the_students_page(world, committee_admin):
    response = committee_admin.post(
        f"/exchanges/students/{world.student.pk}/placement/", _form(world)
    )
    page = committee_admin.get(response["Location"]).content.decode()

    assert response["Location"] == f"/exchanges/students/{world.student.pk}/"
    assert "The student is placed" in page
    assert "Simpson" in page
    assert "Springfield High" in page
    placed = Placement.objects.get(student=world.student)
    assert placed.reasons.splitlines()[0] == "Health fit checked."


def test_placing_with_a_school_without_its_letter_says_so_and_changes_nothing(
    world, committee_admin
):
    unsigned = ph.school(world.member, "No Letter High", letter=False)

    response = committee_admin.post(
        f"/exchanges/students/{world.student.pk}/placement/",
        _form(world, school=unsigned.pk),
        follow=True,
    )

    assert "The school&#x27;s signed acceptance letter is not on file yet." in (
        response.content.decode()
    )
    assert not Placement.objects.exists()
    world.student.refresh_from_db()
    assert world.student.status == Student.Status.ACCEPTED


def test_placing_with_a_missing_choice_says_what_to_give(world, committee_admin):
    response = committee_admin.post(
        f"/exchanges/students/{world.student.pk}/placement/",
        _form(world, coordinator="", starts_on="not a date"),
        follow=True,
    )

    assert "Choose the family, the school, the coordinator and the date." in (
        response.content.decode()
    )
    assert not Placement.objects.exists()


def test_another_committee_cannot_place_the_student(world, other_committee_admin):
    response = other_committee_admin.post(
        f"/exchanges/students/{world.student.pk}/placement/", _form(world)
    )

    assert response.status_code == 404
    assert not Placement.objects.exists()


def test_the_committee_changes_a_placement_and_the_history_keeps_both(world, committee_admin):
    first = ph.place(world)
    second = ph.approved_family(
        world.member, world.coordinator, "second@example.org", family_name="Flanders"
    )

    committee_admin.post(
        f"/exchanges/placements/{first.pk}/change/",
        _form(world, approval=second.pk, reason="The Simpsons moved."),
    )
    page = committee_admin.get(f"/exchanges/students/{world.student.pk}/").content.decode()

    assert "Flanders" in page
    assert "Simpson" in page
    assert "The Simpsons moved." in page
    assert Placement.objects.current().get(student=world.student).approval == second


def test_changing_a_placement_without_a_reason_changes_nothing(world, committee_admin):
    first = ph.place(world)

    response = committee_admin.post(
        f"/exchanges/placements/{first.pk}/change/", _form(world, reason=""), follow=True
    )

    assert "and say why" in response.content.decode()
    first.refresh_from_db()
    assert first.ended_at is None


def test_the_matching_page_of_a_placed_student_offers_the_change(world, committee_admin):
    ph.place(world)

    page = committee_admin.get(f"/exchanges/students/{world.student.pk}/matching/").content.decode()

    assert "Current placement" in page
    assert "Change the placement" in page
    assert "Why the placement changes" in page


# --- What the ranking uses -----------------------------------------------------------------------


def test_the_committee_records_the_students_wishes(world, committee_admin):
    committee_admin.post(
        f"/exchanges/students/{world.student.pk}/preferences/",
        {"accepts_smoking": "on", "languages": "Serbian,  English"},
    )

    saved = MatchingPreferences.objects.get(student=world.student)
    assert (saved.accepts_pets, saved.accepts_smoking, saved.languages) == (
        False,
        True,
        "Serbian, English",
    )


def test_too_long_a_list_of_languages_is_refused_with_a_message(world, committee_admin):
    response = committee_admin.post(
        f"/exchanges/students/{world.student.pk}/preferences/",
        {"languages": "x" * 201},
        follow=True,
    )

    assert "List the languages in at most 200 characters." in response.content.decode()
    assert not MatchingPreferences.objects.exists()


def test_the_committee_records_a_distance_and_the_ranking_shows_it(world, committee_admin):
    response = committee_admin.post(
        f"/exchanges/committees/{world.member.slug}/distances/",
        {
            "family": world.family.pk,
            "school": world.school.pk,
            "km": "2.5",
            "student": world.student.pk,
        },
    )
    page = committee_admin.get(response["Location"]).content.decode()

    assert response["Location"] == f"/exchanges/students/{world.student.pk}/matching/"
    assert "2.5 km to Springfield High." in page
    assert SchoolDistance.objects.get().km == 2.5


def test_a_negative_distance_is_refused_with_a_message(world, committee_admin):
    response = committee_admin.post(
        f"/exchanges/committees/{world.member.slug}/distances/",
        {"family": world.family.pk, "school": world.school.pk, "km": "-1"},
        follow=True,
    )

    assert "give the kilometres" in response.content.decode()
    assert not SchoolDistance.objects.exists()


# --- Orientation ---------------------------------------------------------------------------------


def test_orientation_is_recorded_and_shown_on_the_page_and_the_list(world, committee_admin):
    ph.place(world)

    committee_admin.post(
        f"/exchanges/students/{world.student.pk}/orientation/",
        {"kind": "pre_arrival", "held_on": association_today().isoformat(), "notes": "Online."},
    )
    student_page = committee_admin.get(f"/exchanges/students/{world.student.pk}/").content.decode()
    listing = committee_admin.get(
        f"/exchanges/committees/{world.member.slug}/placements/"
    ).content.decode()

    assert "Before arrival: " in student_page
    assert "Online." in student_page
    assert ">before arrival</span>" in listing
    assert "after arrival: not yet" in listing


def test_the_sending_contact_cannot_record_an_orientation(world):
    response = _contact_client(world).post(
        f"/exchanges/students/{world.student.pk}/orientation/",
        {"kind": "pre_arrival", "held_on": association_today().isoformat()},
    )

    assert response.status_code == 302  # to sign in: the contact acts through the link only
    assert not Orientation.objects.exists()


# --- Lists ---------------------------------------------------------------------------------------


def test_the_placement_list_shows_the_committees_current_placements(world, committee_admin):
    ph.place(world)

    page = committee_admin.get(
        f"/exchanges/committees/{world.member.slug}/placements/"
    ).content.decode()

    assert "Ana Jovanović" in page
    assert "Simpson" in page
    assert "Carol Coordinator" in page
    assert "Placed" in page


def test_staff_filter_every_committees_placements_by_committee(world, staff):
    ph.place(world)
    elsewhere = MemberFactory(name="Shelbyville Twinning Association")
    elsewhere.communities.add(CommunityFactory(name="Shelbyville"))
    other = ph.world(elsewhere, slug="elsewhere")
    ph.place(other)

    everyone = staff.get("/staff/exchanges/placements/").content.decode()
    filtered = staff.get(
        f"/staff/exchanges/placements/?committee={elsewhere.slug}"
    ).content.decode()

    assert everyone.count('href="/exchanges/students/') == 2
    assert filtered.count('href="/exchanges/students/') == 1
    assert f'href="/exchanges/students/{other.student.pk}/"' in filtered


def test_the_family_sees_their_student_and_the_dates_never_the_restricted_details(world):
    ph.place(world)

    page = _client_for(world.family.user).get("/exchanges/host/").content.decode()

    assert "Ana Jovanović" in page
    assert "from 15 August 2027" in page or "from Aug. 15, 2027" in page
    assert [c for c in h.CANARIES if c in page] == []


# --- Query counts (C20) --------------------------------------------------------------------------


def _placed(member, count: int):
    found = ph.world(member, slug="counted")
    found.quota = students.offer_places(
        season=found.season,
        host=found.member,
        partnership=found.quota.partnership,
        places=count + 1,
        by=SYSTEM,
    )
    for n in range(count):
        approval = ph.approved_family(
            member, found.coordinator, f"counted{n}@example.org", family_name=f"F{n}"
        )
        one = ph.student(found.quota, n + 10) if n else found.student
        ph.place(found, student=one, approval=approval)
        placement.record_orientation(
            student=one, kind="pre_arrival", held_on=association_today(), by=SYSTEM
        )
    return found


PAGES = {
    "placement_list": ("committee_admin", "/exchanges/committees/{member}/placements/", 10),
    "staff_placements": ("staff", "/staff/exchanges/placements/?season=counted", 8),
}


@pytest.mark.parametrize("item_count", [1, 3])
@pytest.mark.parametrize("page", ["placement_list", "staff_placements"])
def test_placement_lists_cost_the_same_queries_for_one_item_and_three(
    request, springfield_member, django_assert_num_queries, page, item_count
):
    found = _placed(springfield_member, item_count)
    role, template, expected = PAGES[page]
    client = request.getfixturevalue(role)
    path = template.format(member=springfield_member.slug, student=found.student.pk)
    client.get(path)  # roles detected and kept in the session

    with django_assert_num_queries(expected):
        response = client.get(path)

    assert response.content.decode().count("before arrival</span>") == item_count


def test_a_placement_needs_no_coordinator_training_in_the_future(world):
    """The coordinator's training is checked on the day of placing, not the start date."""
    training = world.coordinator.trainings.get()
    training.expires_on = association_today() + datetime.timedelta(days=1)
    training.save()

    made = ph.place(world)

    assert made.coordinator == world.coordinator


def test_the_staff_list_is_refused_to_a_committee_admin(committee_admin):
    assert committee_admin.get("/staff/exchanges/placements/").status_code == 404


def test_a_stranger_sees_no_placement_list(world):
    client = _client_for(UserFactory())

    assert client.get(f"/exchanges/committees/{world.member.slug}/placements/").status_code == 404
