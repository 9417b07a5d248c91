"""Automatic seating at the awards banquet: one test per rule (parties together, split over
neighbouring tables only when no table holds them, honorees nearest the stage in presentation
order, never beyond a table's seats, seats by hand kept, the same plan every time), each with
the reason staff see; and a property test of the plan over random banquets."""

import random
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.events.banquet_helpers import (
    make_banquet,
    make_delegation,
    make_guest,
    make_order,
    make_single,
)
from tests.factories import MemberFactory
from twinning.core.authz import SYSTEM
from twinning.events.models import Attendee, BanquetTable, Order, SeatAssignment, Ticket
from twinning.events.services.banquet import (
    GuestSpec,
    TableSpec,
    add_honoree,
    add_tables,
    move_guest,
    plan_seating,
    seat_guests,
)

pytestmark = pytest.mark.django_db


def _seats(banquet):
    """{attendee pk: (table number, seat, reason)} as stored."""
    return {
        s.attendee_id: (s.table.number, s.seat, s.reason)
        for s in SeatAssignment.objects.filter(event=banquet).select_related("table")
    }


def _tables_of(seats, guests):
    return {seats[g.pk][0] for g in guests}


def test_a_delegation_sits_together_at_one_table():
    banquet = make_banquet()
    add_tables(event=banquet, count=3, seats=8, by=SYSTEM)
    springfield = make_delegation(banquet, 5, name="Springfield Sister Cities")
    others = make_delegation(banquet, 6, name="Shelbyville Twinning")

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert len(_tables_of(seats, springfield)) == 1
    assert len(_tables_of(seats, others)) == 1
    assert seats[springfield[0].pk][2] == (
        "Party seated together (Springfield Sister Cities, 5 people)."
    )


def test_the_people_of_one_committee_on_two_orders_sit_together():
    banquet = make_banquet()
    add_tables(event=banquet, count=2, seats=6, by=SYSTEM)
    member = MemberFactory(name="Lyon Jumelage")
    first = make_guest(make_order(banquet, member=member), "Ana", "Alpha")
    second = make_guest(make_order(banquet, member=member), "Ben", "Beta")
    make_delegation(banquet, 5, name="Filler")

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert seats[first.pk][0] == seats[second.pk][0]


def test_a_delegation_larger_than_any_table_is_split_over_neighbouring_tables_and_says_why():
    banquet = make_banquet()
    add_tables(event=banquet, count=4, seats=6, by=SYSTEM)
    big = make_delegation(banquet, 10, name="Big Committee")

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert _tables_of(seats, big) == {1, 2}
    assert seats[big[0].pk][2] == (
        "Party of 10 (Big Committee) is larger than any table (6 seats): split over "
        "neighbouring tables 1, 2."
    )


def test_a_delegation_no_table_has_room_for_is_split_over_neighbours_and_says_why():
    banquet = make_banquet()
    add_tables(event=banquet, count=3, seats=6, by=SYSTEM)
    first = make_delegation(banquet, 4, name="A Committee")
    second = make_delegation(banquet, 4, name="B Committee")
    third = make_delegation(banquet, 4, name="C Committee")
    fourth = make_delegation(banquet, 4, name="D Committee")

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    whole = [d for d in (first, second, third, fourth) if len(_tables_of(seats, d)) == 1]
    split = [d for d in (first, second, third, fourth) if len(_tables_of(seats, d)) > 1]
    assert len(whole) == 3
    assert len(split) == 1
    numbers = sorted(_tables_of(seats, split[0]))
    assert numbers == list(range(numbers[0], numbers[-1] + 1))  # neighbours
    assert seats[split[0][0].pk][2].startswith("No table had 4 free seats left for this party")


def test_honorees_and_their_delegation_sit_nearest_the_stage():
    banquet = make_banquet()
    add_tables(event=banquet, count=3, seats=8, stage_rank=2, by=SYSTEM)
    BanquetTable.objects.filter(event=banquet, number=3).update(stage_rank=0)
    make_delegation(banquet, 6, name="Large Committee")
    honoured = make_delegation(banquet, 3, name="Honoured Committee")
    add_honoree(
        event=banquet, name="", honour="Best Overall Program", attendee=honoured[1], by=SYSTEM
    )

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert _tables_of(seats, honoured) == {3}
    assert seats[honoured[1].pk][1] == 1  # the honoree first, at the stage end
    assert "nearest the stage" in seats[honoured[0].pk][2]


def test_a_committee_named_by_an_honour_sits_with_its_delegation_nearest_the_stage():
    banquet = make_banquet()
    add_tables(event=banquet, count=3, seats=6, stage_rank=1, by=SYSTEM)
    BanquetTable.objects.filter(event=banquet, number=3).update(stage_rank=0)
    make_delegation(banquet, 5, name="Bigger Committee")
    member = MemberFactory(name="Springfield Sister Cities")
    winners = make_delegation(banquet, 4, member=member)
    add_honoree(
        event=banquet,
        name="Springfield Sister Cities",
        honour="Best Overall Program, 100,001-300,000",
        member=member,
        source="awards",
        reference="2026-best-overall-2",
        by=SYSTEM,
    )

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert _tables_of(seats, winners) == {3}
    assert "nearest the stage" in seats[winners[0].pk][2]


def test_honorees_marked_only_by_role_also_sit_near_the_stage():
    banquet = make_banquet()
    add_tables(event=banquet, count=2, seats=4, stage_rank=1, by=SYSTEM)
    BanquetTable.objects.filter(event=banquet, number=2).update(stage_rank=0)
    make_delegation(banquet, 4, name="Early Committee")
    honoree = make_single(banquet, "Zoë", "Ağaoğlu", role=Attendee.Role.HONOREE)

    seat_guests(event=banquet, by=SYSTEM)

    assert _seats(banquet)[honoree.pk][0] == 2


def test_the_first_honour_presented_sits_nearest_the_stage():
    banquet = make_banquet()
    add_tables(event=banquet, count=2, seats=4, by=SYSTEM)
    BanquetTable.objects.filter(event=banquet, number=1).update(stage_rank=0)
    BanquetTable.objects.filter(event=banquet, number=2).update(stage_rank=1)
    later = make_delegation(banquet, 3, name="Later Committee")
    first = make_delegation(banquet, 3, name="First Committee")
    add_honoree(event=banquet, name="", honour="First award", attendee=first[0], by=SYSTEM)
    add_honoree(event=banquet, name="", honour="Second award", attendee=later[0], by=SYSTEM)

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert _tables_of(seats, first) == {1}
    assert _tables_of(seats, later) == {2}


def test_no_table_is_filled_beyond_its_seats_and_the_rest_are_left_unseated_with_the_reason():
    banquet = make_banquet()
    add_tables(event=banquet, count=2, seats=3, by=SYSTEM)
    guests = make_delegation(banquet, 8, name="Crowd")

    plan = seat_guests(event=banquet, by=SYSTEM)

    per_table = Counter(s.table_id for s in SeatAssignment.objects.filter(event=banquet))
    assert max(per_table.values()) == 3
    unseated = [p for p in plan if p.table is None]
    assert len(unseated) == 2
    assert {p.reason for p in unseated} == {"No seat left: add a table or seats."}
    assert len(_seats(banquet)) == 6 and len(guests) == 8


def test_seating_again_gives_the_same_plan():
    banquet = make_banquet()
    add_tables(event=banquet, count=4, seats=5, by=SYSTEM)
    for size in (4, 3, 7, 2, 1, 1):
        make_delegation(banquet, size)

    seat_guests(event=banquet, by=SYSTEM)
    first = _seats(banquet)
    seat_guests(event=banquet, by=SYSTEM)

    assert _seats(banquet) == first


def test_the_plan_does_not_depend_on_the_order_guests_and_tables_come_in():
    tables = [TableSpec(i, i, 4, i % 2, f"T{i}") for i in range(1, 5)]
    guests = [
        GuestSpec(i, f"Name {i:02d}", f"member:{i % 5}", f"Party {i % 5}", None) for i in range(14)
    ]
    shuffled_tables, shuffled_guests = tables[:], guests[:]
    random.Random(7).shuffle(shuffled_tables)
    random.Random(7).shuffle(shuffled_guests)

    assert sorted(plan_seating(tables=tables, guests=guests), key=lambda p: p.guest) == sorted(
        plan_seating(tables=shuffled_tables, guests=shuffled_guests), key=lambda p: p.guest
    )


def test_seats_given_by_hand_are_kept_and_the_party_joins_them(staff_user):
    banquet = make_banquet()
    _table_one, table_two = add_tables(event=banquet, count=2, seats=6, by=SYSTEM)
    party = make_delegation(banquet, 3, name="Hand Placed")
    move_guest(event=banquet, attendee=party[2], table=table_two, seat=4, by=staff_user)

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert seats[party[2].pk][:2] == (2, 4)
    assert _tables_of(seats, party) == {2}
    assert (
        seats[party[0].pk][2]
        == "With the rest of their party (Hand Placed), whom staff seated here."
    )


def test_cancelled_and_applied_attendees_get_no_seat_but_the_banquets_own_guests_do():
    banquet = make_banquet()
    add_tables(event=banquet, count=1, seats=6, by=SYSTEM)
    cancelled = make_single(banquet, "Can", "Celled", state=Attendee.State.CANCELLED)
    applied = make_single(banquet, "Ap", "Plied", state=Attendee.State.APPLIED)
    Ticket.objects.create(event=banquet, name="Banquet only")
    own_order = Order.objects.create(event=banquet, email="x@example.org")
    banquet_only = make_guest(own_order, "Only", "Banquet")

    seat_guests(event=banquet, by=SYSTEM)

    seats = _seats(banquet)
    assert cancelled.pk not in seats and applied.pk not in seats
    assert banquet_only.pk in seats


def test_a_guest_who_cancels_loses_even_a_seat_given_by_hand(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=6, by=SYSTEM)
    guest = make_single(banquet, "Leaving", "Soon")
    move_guest(event=banquet, attendee=guest, table=table, by=staff_user)
    Attendee.objects.filter(pk=guest.pk).update(state=Attendee.State.CANCELLED)

    seat_guests(event=banquet, by=SYSTEM)

    assert guest.pk not in _seats(banquet)


# --- The property test ------------------------------------------------------------------------


@st.composite
def banquets(draw):
    count = draw(st.integers(1, 7))
    tables = [
        TableSpec(
            id=100 + number,
            number=number,
            seats=draw(st.integers(1, 12)),
            stage_rank=draw(st.integers(0, 3)),
            label=f"T{number}",
        )
        for number in range(1, count + 1)
    ]
    guests, next_id = [], 1
    for party in range(draw(st.integers(0, 14))):
        size = draw(st.integers(1, 15))
        honour = draw(st.one_of(st.none(), st.integers(0, 5)))
        for i in range(size):
            guests.append(
                GuestSpec(
                    id=next_id,
                    name=f"Guest {next_id}",
                    party=f"member:{party}",
                    party_name=f"Committee {party}",
                    honour_position=honour if i == 0 else None,
                )
            )
            next_id += 1
    return tables, guests


@settings(max_examples=300, deadline=None)
@given(banquets())
def test_property_no_table_overfilled_nobody_twice_and_a_party_that_fits_is_never_split(banquet):
    tables, guests = banquet

    plan = plan_seating(tables=tables, guests=guests)

    seats = {t.id: t.seats for t in tables}
    placed = [p for p in plan if p.table is not None]
    # Every guest appears exactly once; every seat exists and holds one guest.
    assert sorted(p.guest for p in plan) == sorted(g.id for g in guests)
    assert all(1 <= p.seat <= seats[p.table] for p in placed)
    assert len({(p.table, p.seat) for p in placed}) == len(placed)
    # Someone is left without a seat only when every seat is taken.
    if len(placed) < len(plan):
        assert len(placed) == sum(seats.values())
    # A party split over tables could not have sat whole at any table: no table has room
    # for it, even counting the party's own people already there.
    free = {t: seats[t] - n for t, n in Counter(p.table for p in placed).items()}
    party_of = {g.id: g.party for g in guests}
    by_party = defaultdict(list)
    for p in plan:
        by_party[party_of[p.guest]].append(p)
    for members in by_party.values():
        at = Counter(p.table for p in members)
        if len(at) > 1 or None in at:
            for table, size in seats.items():
                room = free.get(table, size) + at.get(table, 0)
                assert room < len(members), (members, table)
