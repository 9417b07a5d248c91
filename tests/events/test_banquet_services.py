"""The banquet's services: tables, moves and swaps by hand (with the message staff read when a
table is full or a seat taken), the database's one-guest-per-seat and one-seat-per-guest
rules, honorees (as staff and as the awards program add them), the run of show in order, the
audit entries, and moves racing for the last seat."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from tests.events.banquet_helpers import (
    make_banquet,
    make_delegation,
    make_single,
)
from tests.factories import MemberFactory
from twinning.core.authz import SYSTEM
from twinning.core.models import ActivityLog
from twinning.events.models import BanquetTable, Honoree, RunOfShowItem, SeatAssignment
from twinning.events.services.banquet import (
    add_honoree,
    add_presentations,
    add_run_of_show_item,
    add_tables,
    move_guest,
    move_honoree,
    move_run_of_show_item,
    remove_honoree,
    remove_table,
    seat_guests,
    swap_guests,
    unseat_guest,
    update_table,
)

pytestmark = pytest.mark.django_db


def _place(guest, banquet):
    seat = SeatAssignment.objects.select_related("table").get(event=banquet, attendee=guest)
    return seat.table.number, seat.seat


def _messages(error):
    return " ".join(error.value.messages)


# --- The database's rules ---------------------------------------------------------------------


def test_the_database_refuses_two_guests_in_one_seat():
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=4, by=SYSTEM)
    one, two = make_single(banquet, "A", "One"), make_single(banquet, "B", "Two")
    SeatAssignment.objects.create(event=banquet, table=table, seat=1, attendee=one)

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(event=banquet, table=table, seat=1, attendee=two)


def test_the_database_refuses_one_guest_in_two_seats_of_a_banquet():
    banquet = make_banquet()
    table_one, table_two = add_tables(event=banquet, count=2, seats=4, by=SYSTEM)
    guest = make_single(banquet, "A", "One")
    SeatAssignment.objects.create(event=banquet, table=table_one, seat=1, attendee=guest)

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(event=banquet, table=table_two, seat=2, attendee=guest)


# --- Tables -----------------------------------------------------------------------------------


def test_tables_are_numbered_after_the_last_one():
    banquet = make_banquet()
    add_tables(event=banquet, count=2, seats=8, by=SYSTEM)

    added = add_tables(event=banquet, count=3, seats=10, stage_rank=2, by=SYSTEM)

    assert [t.number for t in added] == [3, 4, 5]
    assert str(added[0]) == "Table 3"


def test_tables_belong_to_a_banquet_only():
    conference = make_banquet().parent

    with pytest.raises(ValidationError) as error:
        add_tables(event=conference, count=1, seats=8, by=SYSTEM)

    assert _messages(error) == "Seating is for an awards banquet."
    assert not BanquetTable.objects.exists()


def test_a_table_keeps_enough_seats_for_its_guests(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=8, by=SYSTEM)
    move_guest(
        event=banquet, attendee=make_single(banquet, "A", "B"), table=table, seat=6, by=staff_user
    )

    with pytest.raises(ValidationError) as error:
        update_table(table=table, seats=5, stage_rank=0, by=staff_user)

    assert "Seat 6 at this table is taken" in _messages(error)
    table.refresh_from_db()
    assert table.seats == 8


def test_a_table_with_guests_cannot_be_removed_but_an_empty_one_can(staff_user):
    banquet = make_banquet()
    full, empty = add_tables(event=banquet, count=2, seats=4, by=SYSTEM)
    move_guest(event=banquet, attendee=make_single(banquet, "A", "B"), table=full, by=staff_user)

    with pytest.raises(ValidationError) as error:
        remove_table(table=full, by=staff_user)
    remove_table(table=empty, by=staff_user)

    assert _messages(error) == "Table 1 still has guests: move them before removing it."
    assert list(banquet.banquet_tables.values_list("number", flat=True)) == [1]


# --- Moving and swapping by hand ---------------------------------------------------------------


def test_moving_a_guest_takes_the_first_free_seat_and_marks_it_by_hand(staff_user):
    banquet = make_banquet()
    _table_one, table_two = add_tables(event=banquet, count=2, seats=4, by=SYSTEM)
    guests = make_delegation(banquet, 3)
    seat_guests(event=banquet, by=SYSTEM)

    seat = move_guest(event=banquet, attendee=guests[0], table=table_two, by=staff_user)

    assert (seat.table.number, seat.seat, seat.by_hand) == (2, 1, True)
    assert seat.reason == "Placed here by staff."
    assert SeatAssignment.objects.filter(event=banquet, attendee=guests[0]).count() == 1


def test_moving_to_a_full_table_is_refused_with_a_message_and_changes_nothing(staff_user):
    banquet = make_banquet()
    table_one, table_two = add_tables(event=banquet, count=2, seats=2, by=SYSTEM)
    make_delegation(banquet, 2, name="Fills One")
    seat_guests(event=banquet, by=SYSTEM)
    newcomer = make_single(banquet, "Nina", "Newcomer")
    move_guest(event=banquet, attendee=newcomer, table=table_two, by=staff_user)

    with pytest.raises(ValidationError) as error:
        move_guest(event=banquet, attendee=newcomer, table=table_one, by=staff_user)

    assert _messages(error) == (
        "Table 1 is full (2 of 2 seats taken). Choose another table, or swap Nina Newcomer "
        "with someone seated there."
    )
    assert _place(newcomer, banquet) == (2, 1)


def test_moving_into_a_taken_seat_names_who_sits_there(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=4, by=SYSTEM)
    sitting = make_single(banquet, "Łukasz", "Nowak")
    move_guest(event=banquet, attendee=sitting, table=table, seat=3, by=staff_user)
    other = make_single(banquet, "Other", "Guest")

    with pytest.raises(ValidationError) as error:
        move_guest(event=banquet, attendee=other, table=table, seat=3, by=staff_user)

    assert _messages(error) == (
        "Seat 3 at Table 1 is taken by Łukasz Nowak. Choose a free seat, or swap the two guests."
    )


def test_a_seat_beyond_the_table_is_refused(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=4, by=SYSTEM)

    with pytest.raises(ValidationError) as error:
        move_guest(
            event=banquet,
            attendee=make_single(banquet, "A", "B"),
            table=table,
            seat=9,
            by=staff_user,
        )

    assert _messages(error) == "Table 1 has seats 1 to 4."


def test_only_the_banquets_guests_can_be_seated(staff_user):
    banquet, other = make_banquet(), make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=4, by=SYSTEM)
    stranger = make_single(other, "Not", "Invited")

    with pytest.raises(ValidationError) as error:
        move_guest(event=banquet, attendee=stranger, table=table, by=staff_user)

    assert _messages(error) == "Not Invited is not a guest of this banquet."
    assert not SeatAssignment.objects.exists()


def test_a_table_of_another_banquet_is_refused(staff_user):
    banquet, other = make_banquet(), make_banquet()
    (elsewhere,) = add_tables(event=other, count=1, seats=4, by=SYSTEM)

    with pytest.raises(ValidationError) as error:
        move_guest(
            event=banquet, attendee=make_single(banquet, "A", "B"), table=elsewhere, by=staff_user
        )

    assert _messages(error) == "That table belongs to another banquet."


def test_swapping_two_guests_exchanges_their_seats(staff_user):
    banquet = make_banquet()
    table_one, table_two = add_tables(event=banquet, count=2, seats=2, by=SYSTEM)
    one, two = make_single(banquet, "A", "One"), make_single(banquet, "B", "Two")
    move_guest(event=banquet, attendee=one, table=table_one, seat=2, by=staff_user)
    move_guest(event=banquet, attendee=two, table=table_two, seat=1, by=staff_user)

    swap_guests(event=banquet, first=one, second=two, by=staff_user)

    assert _place(one, banquet) == (2, 1)
    assert _place(two, banquet) == (1, 2)


def test_swapping_with_an_unseated_guest_gives_them_the_seat(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=1, by=SYSTEM)
    seated, waiting = make_single(banquet, "A", "Seated"), make_single(banquet, "B", "Waiting")
    move_guest(event=banquet, attendee=seated, table=table, by=staff_user)

    swap_guests(event=banquet, first=seated, second=waiting, by=staff_user)

    assert _place(waiting, banquet) == (1, 1)
    assert not SeatAssignment.objects.filter(attendee=seated).exists()


def test_swapping_a_guest_with_themselves_is_refused(staff_user):
    banquet = make_banquet()
    guest = make_single(banquet, "A", "B")

    with pytest.raises(ValidationError) as error:
        swap_guests(event=banquet, first=guest, second=guest, by=staff_user)

    assert _messages(error) == "Choose two different guests to swap."


def test_unseating_a_guest_frees_the_seat(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=1, by=SYSTEM)
    guest = make_single(banquet, "A", "B")
    move_guest(event=banquet, attendee=guest, table=table, by=staff_user)

    unseat_guest(event=banquet, attendee=guest, by=staff_user)

    assert not SeatAssignment.objects.exists()
    with pytest.raises(ValidationError):
        unseat_guest(event=banquet, attendee=guest, by=staff_user)


def test_each_change_writes_one_audit_entry(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=4, by=staff_user)
    guest = make_single(banquet, "A", "B")

    move_guest(event=banquet, attendee=guest, table=table, by=staff_user)

    actions = list(ActivityLog.objects.order_by("pk").values_list("action", "actor"))
    assert actions == [
        ("banquet.tables_added", staff_user.pk),
        ("banquet.guest_moved", staff_user.pk),
    ]


# --- Racing for the last seat ------------------------------------------------------------------

RACERS = 8


def _race_for_the_last_seat(staff_user):
    banquet = make_banquet()
    (table,) = add_tables(event=banquet, count=1, seats=3, by=SYSTEM)
    seated = make_delegation(banquet, 2, name="Already Here")
    seat_guests(event=banquet, by=SYSTEM)
    racers = [make_single(banquet, f"Racer{i}", f"R{i}") for i in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    outcomes, lock = [], threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            move_guest(event=banquet, attendee=racers[i], table=table, by=staff_user)
            outcome = "moved"
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)
        except Exception as error:  # what this test counts
            outcome = f"failed: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return table, seated, outcomes


def _assert_one_took_the_seat(table, outcomes):
    assert outcomes.count("moved") == 1, outcomes
    assert all(o.startswith("refused: ") for o in outcomes if o != "moved"), outcomes
    assert SeatAssignment.objects.filter(table=table).count() == 3


@pytest.mark.django_db(transaction=True)
def test_eight_staff_moving_guests_into_the_last_seat_at_once_one_wins_the_rest_get_a_message(
    staff_user,
):
    if connections["default"].vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test below")

    table, _seated, outcomes = _race_for_the_last_seat(staff_user)

    _assert_one_took_the_seat(table, outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_staff_racing_for_the_last_seat_on_postgresql_one_wins(staff_user):
    assert connections["default"].vendor == "postgresql"

    table, _seated, outcomes = _race_for_the_last_seat(staff_user)

    _assert_one_took_the_seat(table, outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_moving_one_guest_to_two_tables_at_once_one_wins_the_other_gets_a_message(
    staff_user,
):
    assert connections["default"].vendor == "postgresql"
    banquet = make_banquet()
    tables = add_tables(event=banquet, count=3, seats=4, by=SYSTEM)
    guest = make_single(banquet, "Moved", "Twice")
    move_guest(event=banquet, attendee=guest, table=tables[0], by=staff_user)
    barrier, outcomes, lock = threading.Barrier(2), [], threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            move_guest(event=banquet, attendee=guest, table=tables[i + 1], by=staff_user)
            outcome = "moved"
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)
        except Exception as error:  # what this test counts
            outcome = f"failed: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not any(o.startswith("failed") for o in outcomes), outcomes
    assert outcomes.count("moved") >= 1
    refused = [o for o in outcomes if o != "moved"]
    assert all("Someone else changed this seating at the same moment" in o for o in refused)
    assert SeatAssignment.objects.filter(attendee=guest).count() == 1


# --- Honorees ---------------------------------------------------------------------------------


def test_staff_add_honorees_in_presentation_order(staff_user):
    banquet = make_banquet()
    guest = make_single(banquet, "Zoë", "Ağaoğlu")

    first = add_honoree(
        event=banquet, name="", honour="Best Youth Program", attendee=guest, by=staff_user
    )
    second = add_honoree(
        event=banquet, name="Mayor of Lyon", honour="Lifetime Achievement", by=staff_user
    )

    assert (first.name, first.position, first.source) == ("Zoë Ağaoğlu", 0, "staff")
    assert second.position == 1


def test_the_awards_program_adds_an_honoree_once_by_its_reference():
    banquet = make_banquet()
    member = MemberFactory(name="Springfield Sister Cities")

    first = add_honoree(
        event=banquet,
        name="Springfield Sister Cities",
        honour="Best Overall Program, 100,001-300,000",
        member=member,
        source="awards",
        reference="award-2026-17",
        by=SYSTEM,
    )
    again = add_honoree(
        event=banquet,
        name="Springfield Sister Cities",
        honour="Best Overall Program, 100,001-300,000",
        member=member,
        source="awards",
        reference="award-2026-17",
        by=SYSTEM,
    )

    assert again == first
    assert Honoree.objects.filter(event=banquet).count() == 1


def test_an_honoree_who_is_not_a_guest_cannot_be_linked():
    banquet, other = make_banquet(), make_banquet()

    with pytest.raises(ValidationError):
        add_honoree(
            event=banquet,
            name="",
            honour="X",
            attendee=make_single(other, "Not", "Here"),
            by=SYSTEM,
        )

    assert not Honoree.objects.exists()


def test_honorees_move_up_and_down_and_stop_at_the_ends(staff_user):
    banquet = make_banquet()
    a, _b, c = (add_honoree(event=banquet, name=n, honour="H", by=staff_user) for n in "ABC")

    assert move_honoree(honoree=c, direction="up", by=staff_user)
    assert not move_honoree(honoree=a, direction="up", by=staff_user)

    assert list(banquet.honorees.values_list("name", flat=True)) == ["A", "C", "B"]


def test_removing_an_honoree_removes_their_presentation(staff_user):
    banquet = make_banquet()
    honoree = add_honoree(event=banquet, name="A", honour="H", by=staff_user)
    add_presentations(event=banquet, by=staff_user)

    remove_honoree(honoree=honoree, by=staff_user)

    assert not RunOfShowItem.objects.filter(event=banquet).exists()


# --- The run of show --------------------------------------------------------------------------


def test_an_award_presentation_names_its_honoree(staff_user):
    banquet = make_banquet()

    with pytest.raises(ValidationError) as error:
        add_run_of_show_item(event=banquet, title="Award", kind="award", by=staff_user)

    assert error.value.message_dict == {"honoree": ["An award presentation names its honoree."]}


def test_presentations_are_added_for_each_honoree_in_presentation_order(staff_user):
    banquet = make_banquet()
    add_run_of_show_item(event=banquet, title="Welcome", kind="welcome", by=staff_user)
    add_honoree(event=banquet, name="First", honour="Best Overall Program", by=staff_user)
    add_honoree(event=banquet, name="Second", honour="Best Youth Program", by=staff_user)

    added = add_presentations(event=banquet, by=staff_user)
    again = add_presentations(event=banquet, by=staff_user)

    assert [i.title for i in banquet.run_of_show.all()] == [
        "Welcome",
        "Best Overall Program: First",
        "Best Youth Program: Second",
    ]
    assert len(added) == 2 and again == []


def test_moments_move_up_and_down(staff_user):
    banquet = make_banquet()
    welcome, meal, music = (
        add_run_of_show_item(event=banquet, title=t, kind=k, by=staff_user)
        for t, k in (("Welcome", "welcome"), ("Dinner", "meal"), ("Quartet", "music"))
    )

    move_run_of_show_item(item=welcome, direction="down", by=staff_user)
    move_run_of_show_item(item=music, direction="up", by=staff_user)

    assert [i.title for i in banquet.run_of_show.all()] == ["Dinner", "Quartet", "Welcome"]
    with pytest.raises(ValidationError):
        move_run_of_show_item(item=meal, direction="sideways", by=staff_user)
