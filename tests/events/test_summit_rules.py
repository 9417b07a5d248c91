"""The summit's rules: the chaperone ratio at its boundary (with background checks done,
missing, future and expired), concurrent confirmations on PostgreSQL, and the room and team
assignments, each rule by example and by property (hypothesis)."""

import datetime
import itertools
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.events.summit_helpers import add_adult, add_student, make_summit, name_chaperone
from tests.factories import CommunityFactory, CountryFactory
from twinning.core.authz import SYSTEM
from twinning.events.models import Attendee, ResidenceRoom, RoomAssignment, Team, TeamMember
from twinning.events.services.summit import (
    Bedroom,
    Player,
    Sleeper,
    Squad,
    age_on,
    assign_rooms,
    assign_teams,
    check_may_confirm,
    plan_rooms,
    plan_teams,
)

DAY = datetime.date(2027, 7, 12)


def _confirm(summit, n):
    for _ in range(n):
        add_student(summit)


# --- The ratio -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tenth_student_of_one_chaperone_is_confirmed_and_the_eleventh_refused():
    summit = make_summit()
    name_chaperone(summit)
    _confirm(summit, 9)
    tenth = add_student(summit, state=Attendee.State.APPROVED)
    check_may_confirm(tenth)
    tenth.state = Attendee.State.CONFIRMED
    tenth.save()
    eleventh = add_student(summit, state=Attendee.State.APPROVED)
    with pytest.raises(ValidationError) as refused:
        check_may_confirm(eleventh)
    assert "10 are confirmed" in refused.value.messages[0]
    assert "one chaperone for every 10 students" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_second_chaperone_opens_ten_more_places():
    summit = make_summit()
    name_chaperone(summit)
    _confirm(summit, 10)
    waiting = add_student(summit, state=Attendee.State.APPROVED)
    with pytest.raises(ValidationError):
        check_may_confirm(waiting)
    name_chaperone(summit)
    check_may_confirm(waiting)


@pytest.mark.django_db
def test_the_ratio_is_configurable_per_summit():
    summit = make_summit(students_per_chaperone=2)
    name_chaperone(summit)
    _confirm(summit, 2)
    with pytest.raises(ValidationError):
        check_may_confirm(add_student(summit, state=Attendee.State.APPROVED))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "checked",
    [
        None,  # no check recorded
        "future",
        "expired",
    ],
)
def test_a_chaperone_without_a_valid_check_does_not_count(checked, settings):
    settings.TWINNING_SUMMIT_BACKGROUND_CHECK_MONTHS = 12
    summit = make_summit(first_day=timezone.localdate() + datetime.timedelta(days=60))
    chaperone = name_chaperone(summit)
    chaperone.background_check_on = {
        None: None,
        "future": timezone.localdate() + datetime.timedelta(days=5),
        "expired": timezone.localdate() - datetime.timedelta(days=330),  # ends before the summit
    }[checked]
    chaperone.save()
    with pytest.raises(ValidationError):
        check_may_confirm(add_student(summit, state=Attendee.State.APPROVED))


@pytest.mark.django_db
def test_the_nurse_does_not_count_towards_the_ratio():
    summit = make_summit()
    name_chaperone(summit, role="nurse")
    with pytest.raises(ValidationError):
        check_may_confirm(add_student(summit, state=Attendee.State.APPROVED))


@pytest.mark.django_db
def test_confirming_refuses_a_student_outside_the_ages_with_the_reason():
    summit = make_summit()
    name_chaperone(summit)
    with pytest.raises(ValidationError) as refused:
        check_may_confirm(add_student(summit, age=13, state=Attendee.State.APPROVED))
    assert "aged 14 to 18" in refused.value.messages[0]


@pytest.mark.django_db
def test_adults_of_the_conference_pass_the_check():
    summit = make_summit()
    check_may_confirm(add_adult(summit.parent))


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_exceed_the_ratio():
    """8 students confirmed at once with one chaperone for 5: exactly 5 succeed, the others get
    the reason. The summit's row is locked by each check until its confirmation commits on
    PostgreSQL (run with DATABASE_URL set); SQLite's IMMEDIATE transactions serialise them."""
    summit = make_summit(students_per_chaperone=5)
    name_chaperone(summit)
    waiting = [add_student(summit, state=Attendee.State.APPROVED) for _ in range(8)]
    barrier = threading.Barrier(len(waiting))
    outcomes = []
    lock = threading.Lock()

    def confirm(attendee):
        try:
            barrier.wait()
            with transaction.atomic():
                check_may_confirm(attendee)
                Attendee.objects.filter(pk=attendee.pk).update(state=Attendee.State.CONFIRMED)
            outcome = "ok"
        except ValidationError as error:
            outcome = "refused" if "cannot confirm another student" in error.messages[0] else "?"
        except Exception as error:  # any other failure is what this test counts
            outcome = f"failed: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=confirm, args=(a,)) for a in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == {"ok": 5, "refused": 3}
    assert Attendee.objects.filter(state=Attendee.State.CONFIRMED).count() == 5


# --- Rooms ---------------------------------------------------------------------------------------


def _born(age: int, days: int = 0) -> datetime.date:
    return DAY.replace(year=DAY.year - age) - datetime.timedelta(days=days)


def test_rooms_keep_genders_apart():
    people = [Sleeper(1, "female", _born(15)), Sleeper(2, "male", _born(15))]
    rooms = [Bedroom(10, "A", 2, "female", False), Bedroom(11, "B", 2, "male", False)]
    plan = plan_rooms(people, rooms, DAY)
    assert plan.placed[1][0] == 10 and plan.placed[2][0] == 11


def test_an_adult_never_sleeps_in_a_minors_room():
    people = [Sleeper(1, "female", _born(18)), Sleeper(2, "female", _born(17, days=300))]
    plan = plan_rooms(people, [Bedroom(10, "A", 4, "female", False)], DAY)
    assert 1 not in plan.placed and "adults" in plan.unplaced[1]
    assert plan.placed[2][0] == 10


def test_rooms_hold_people_close_in_age():
    people = [Sleeper(i, "male", _born(14 + i % 4, days=i)) for i in range(8)]
    rooms = [Bedroom(10, "A", 4, "male", False), Bedroom(11, "B", 4, "male", False)]
    plan = plan_rooms(people, rooms, DAY)
    ages = {
        room: sorted(age_on(p.date_of_birth, DAY) for p in people if plan.placed[p.key][0] == room)
        for room in (10, 11)
    }
    assert min(ages[10]) >= max(ages[11])  # the oldest together, the youngest together


def test_rooms_mix_home_countries_where_possible():
    people = [Sleeper(i, "female", _born(16, days=i), country=c) for i, c in enumerate("FFFFJJJJ")]
    rooms = [Bedroom(10, "A", 4, "female", False), Bedroom(11, "B", 4, "female", False)]
    plan = plan_rooms(people, rooms, DAY)
    for room in (10, 11):
        countries = {p.country for p in people if plan.placed[p.key][0] == room}
        assert countries == {"F", "J"}


def test_each_placement_says_why():
    plan = plan_rooms(
        [Sleeper(1, "female", _born(16), "FR")], [Bedroom(10, "A", 2, "female", False)], DAY
    )
    assert "minors" in plan.placed[1][1] and "age 16" in plan.placed[1][1]


def test_people_without_a_bed_are_listed_with_the_reason():
    people = [
        Sleeper(1, "", _born(16)),
        Sleeper(2, "male", None),
        Sleeper(3, "female", _born(16)),
        Sleeper(4, "female", _born(16)),
    ]
    plan = plan_rooms(people, [Bedroom(10, "A", 1, "female", False)], DAY)
    assert "No gender declared" in plan.unplaced[1]
    assert "No date of birth" in plan.unplaced[2]
    assert "No free bed left" in plan.unplaced[4]


sleepers = st.lists(
    st.builds(
        Sleeper,
        key=st.integers(0, 10_000),
        gender=st.sampled_from(["female", "male", "other", ""]),
        date_of_birth=st.one_of(
            st.none(), st.dates(datetime.date(1960, 1, 1), datetime.date(2013, 7, 12))
        ),
        country=st.sampled_from(["FR", "JP", "US", "KE"]),
    ),
    max_size=40,
    unique_by=lambda s: s.key,
)
bedrooms = st.lists(
    st.builds(
        Bedroom,
        key=st.integers(0, 1000),
        name=st.text("ABC", min_size=1, max_size=3),
        beds=st.integers(1, 6),
        gender=st.sampled_from(["female", "male", "other"]),
        adults_only=st.booleans(),
    ),
    max_size=8,
    unique_by=lambda r: r.key,
)


@settings(max_examples=300, deadline=None)
@given(people=sleepers, rooms=bedrooms)
def test_room_plans_never_mix_adults_with_minors_nor_exceed_beds(people, rooms):
    plan = plan_rooms(people, rooms, DAY)
    by_key = {p.key: p for p in people}
    room_of = {r.key: r for r in rooms}
    assert set(plan.placed) | set(plan.unplaced) == set(by_key)
    assert not set(plan.placed) & set(plan.unplaced)
    for room in rooms:
        inside = [by_key[k] for k, (r, _) in plan.placed.items() if r == room.key]
        assert len(inside) <= room.beds
        adults = {age_on(p.date_of_birth, DAY) >= 18 for p in inside}
        assert adults <= {room.adults_only}
        assert {p.gender for p in inside} <= {room.gender}
    # Nobody is left out while a fitting room has a free bed.
    for key in plan.unplaced:
        person = by_key[key]
        if person.gender and person.date_of_birth:
            adult = age_on(person.date_of_birth, DAY) >= 18
            for room in rooms:
                if room.gender == person.gender and room.adults_only == adult:
                    taken = sum(1 for r, _ in plan.placed.values() if r == room.key)
                    assert taken == room.beds
    assert plan == plan_rooms(list(reversed(people)), rooms, DAY)  # deterministic
    assert all(room_of[r] for r, _ in plan.placed.values())


@pytest.mark.django_db
def test_assign_rooms_keeps_staff_placements_and_redoes_the_rest():
    summit = make_summit()
    a = ResidenceRoom.objects.create(event=summit, name="A", beds=2, gender="female")
    ResidenceRoom.objects.create(event=summit, name="B", beds=2, gender="female")
    kept, other = add_student(summit), add_student(summit)
    RoomAssignment.objects.create(room=a, attendee=kept, by_hand=True, reasons="staff")
    assign_rooms(event=summit, by=SYSTEM)
    assign_rooms(event=summit, by=SYSTEM)
    assert RoomAssignment.objects.get(attendee=kept).by_hand
    assert RoomAssignment.objects.filter(attendee=other).count() == 1


# --- Teams ---------------------------------------------------------------------------------------


def test_teams_spread_each_community():
    people = [Player(i, community=c, country="US") for i, c in enumerate("AAAABBBB")]
    plan = plan_teams(people, [Squad(1, "One"), Squad(2, "Two")])
    for team in (1, 2):
        assert Counter(p.community for p in people if plan[p.key][0] == team) == {"A": 2, "B": 2}


def test_teams_spread_each_country():
    people = [Player(i, community=str(i), country=c) for i, c in enumerate("FFFFJJ")]
    plan = plan_teams(people, [Squad(1, "One"), Squad(2, "Two")])
    for team in (1, 2):
        assert Counter(p.country for p in people if plan[p.key][0] == team) == {"F": 2, "J": 1}


def _mono_avoidable(communities: list[str], sizes: list[int]) -> bool:
    """Brute force: could every team of two or more hold two communities at least?"""
    n = len(communities)
    for labels in itertools.product(range(len(sizes)), repeat=n):
        if Counter(labels) != Counter({t: s for t, s in enumerate(sizes) if s}):
            continue
        teams = [{communities[i] for i in range(n) if labels[i] == t} for t in range(len(sizes))]
        if all(len(team) >= 2 or sizes[t] < 2 for t, team in enumerate(teams)):
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(
    communities=st.lists(st.sampled_from("ABCD"), min_size=1, max_size=8),
    countries=st.lists(st.sampled_from("XY"), min_size=8, max_size=8),
    teams=st.integers(1, 3),
)
def test_team_sizes_differ_by_one_at_most_and_no_team_is_one_city_when_avoidable(
    communities, countries, teams
):
    people = [Player(i, community=c, country=countries[i]) for i, c in enumerate(communities)]
    squads = [Squad(t, f"T{t}") for t in range(teams)]
    plan = plan_teams(people, squads)
    assert set(plan) == {p.key for p in people}
    sizes = [sum(1 for t, _ in plan.values() if t == s.key) for s in squads]
    assert max(sizes) - min(sizes) <= 1
    mono = any(
        size >= 2 and len({p.community for p in people if plan[p.key][0] == s.key}) == 1
        for s, size in zip(squads, sizes, strict=True)
    )
    if mono:
        assert not _mono_avoidable(communities, sizes)
    assert plan == plan_teams(list(reversed(people)), squads)


@pytest.mark.django_db
def test_assign_teams_places_every_student_once_per_activity_with_reasons():
    summit = make_summit()
    us, fr = CountryFactory(code="US"), CountryFactory(code="FR")
    towns = [CommunityFactory(country=us), CommunityFactory(country=fr)]
    for i in range(6):
        add_student(summit, community=towns[i % 2])
    add_adult(summit)
    for name in ("North", "South"):
        Team.objects.create(event=summit, kind="service", name=name)
    assert assign_teams(event=summit, kind="service", by=SYSTEM) == 6
    members = TeamMember.objects.filter(kind="service")
    assert members.count() == 6 and all("fewest members" in m.reasons for m in members)
    for team in Team.objects.all():
        assert team.members.values("attendee__community").distinct().count() == 2


@pytest.mark.django_db
def test_a_cancelled_student_gives_their_bed_and_team_place_back():
    summit = make_summit()
    room = ResidenceRoom.objects.create(event=summit, name="A", beds=1, gender="female")
    team = Team.objects.create(event=summit, kind="service", name="T")
    leaving = add_student(summit)
    RoomAssignment.objects.create(room=room, attendee=leaving, by_hand=True)
    TeamMember.objects.create(team=team, kind="service", attendee=leaving, by_hand=True)
    leaving.state = Attendee.State.CANCELLED
    leaving.save()
    staying = add_student(summit)
    assign_rooms(event=summit, by=SYSTEM)
    assign_teams(event=summit, kind="service", by=SYSTEM)
    assert list(room.assignments.values_list("attendee", flat=True)) == [staying.pk]
    assert list(team.members.values_list("attendee", flat=True)) == [staying.pk]
