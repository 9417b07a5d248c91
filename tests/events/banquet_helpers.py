"""Fixtures of the banquet tests: a conference with its banquet, orders and guests made as rows
(registration is another part's work), and the banquet's routes for the C1 matrix
(`MATRIX` and `build_world`, collected by tests/events/matrix.py)."""

import datetime
import itertools
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tests.factories import MemberFactory
from tests.matrix import STAFF_ACTION, STAFF_PAGE
from twinning.core.authz import SYSTEM
from twinning.events.models import Attendee, Event, Order, Ticket
from twinning.events.services.banquet import (
    add_honoree,
    add_run_of_show_item,
    add_tables,
    seat_guests,
)
from twinning.network.models import Member

_numbers = itertools.count(1)


def make_banquet(slug: str = "") -> Event:
    """This year's conference and its awards banquet on the last evening."""
    n = next(_numbers)
    start = timezone.now() + datetime.timedelta(days=30)
    conference = Event.objects.create(
        kind=Event.Kind.CONFERENCE,
        title=f"Annual Conference {n}",
        slug=f"conference-{n}",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=3),
    )
    Ticket.objects.create(event=conference, name="Full conference")
    return Event.objects.create(
        kind=Event.Kind.BANQUET,
        parent=conference,
        title=f"Awards Banquet {n}",
        slug=slug or f"banquet-{n}",
        starts_at=start + datetime.timedelta(days=2, hours=19),
        ends_at=start + datetime.timedelta(days=2, hours=23),
        venue_name="Grand Ballroom",
    )


def make_order(banquet: Event, *, member: Member | None = None, delegation: bool = False) -> Order:
    return Order.objects.create(
        event=banquet.registration_event,
        email="buyer@example.org",
        member=member,
        is_delegation=delegation,
        state=Order.State.CONFIRMED,
    )


def make_guest(
    order: Order,
    first: str,
    last: str,
    *,
    role: str = Attendee.Role.DELEGATE,
    state: str = Attendee.State.CONFIRMED,
    organisation: str = "",
) -> Attendee:
    return Attendee.objects.create(
        order=order,
        event=order.event,
        ticket=order.event.tickets.first(),
        first_name=first,
        last_name=last,
        role=role,
        state=state,
        organisation=organisation,
    )


def make_delegation(
    banquet: Event, size: int, *, member: Member | None = None, name: str = ""
) -> list[Attendee]:
    """A committee's delegation of `size` people on one order."""
    member = member or MemberFactory(name=name or f"Committee {next(_numbers)}")
    order = make_order(banquet, member=member, delegation=True)
    return [make_guest(order, f"Guest{i}", f"{member.name} {i:02d}") for i in range(size)]


def make_single(banquet: Event, first: str, last: str, **kwargs: Any) -> Attendee:
    return make_guest(make_order(banquet), first, last, **kwargs)


# --- The C1 matrix ----------------------------------------------------------------------------

B = "/staff/events/{banquet}/banquet/"
MATRIX = {
    "events:banquet": (B, STAFF_PAGE),
    "events:banquet_tables_add": (f"{B}tables/", STAFF_ACTION),
    "events:banquet_table": (f"{B}tables/{{banquet_table}}/", STAFF_PAGE),
    "events:banquet_table_remove": (f"{B}tables/{{banquet_table}}/remove/", STAFF_ACTION),
    "events:banquet_seat": (f"{B}seat/", STAFF_ACTION),
    "events:banquet_move": (f"{B}move/", STAFF_PAGE),
    "events:banquet_swap": (f"{B}swap/", STAFF_ACTION),
    "events:banquet_unseat": (f"{B}guests/{{banquet_guest}}/unseat/", STAFF_ACTION),
    "events:banquet_honorees": (f"{B}honorees/", STAFF_PAGE),
    "events:banquet_honoree_move": (f"{B}honorees/{{banquet_honoree}}/move/", STAFF_ACTION),
    "events:banquet_honoree_remove": (f"{B}honorees/{{banquet_honoree}}/remove/", STAFF_ACTION),
    "events:banquet_run_of_show": (f"{B}run-of-show/", STAFF_PAGE),
    "events:banquet_presentations": (f"{B}run-of-show/presentations/", STAFF_ACTION),
    "events:banquet_run_of_show_move": (f"{B}run-of-show/{{banquet_item}}/move/", STAFF_ACTION),
    "events:banquet_run_of_show_remove": (
        f"{B}run-of-show/{{banquet_item}}/remove/",
        STAFF_ACTION,
    ),
    "events:banquet_run_of_show_print": (f"{B}run-of-show/print/", STAFF_PAGE),
    "events:banquet_chart": (f"{B}chart/", STAFF_PAGE),
    "events:banquet_chart_pdf": (f"{B}chart.pdf", STAFF_PAGE),
    "events:banquet_find_table": (f"{B}find-your-table/", STAFF_PAGE),
    "events:banquet_place_cards": (f"{B}place-cards.pdf", STAFF_PAGE),
}


def build_world(base: dict[str, Any]) -> dict[str, Any]:
    """A banquet with two tables (one empty), a seated honoree and a moment of the run of show."""
    banquet = make_banquet()
    member = Member.objects.get(slug=base["member"]) if "member" in base else None
    guest = make_guest(make_order(banquet, member=member, delegation=True), "Ana", "Honoured")
    first, empty = add_tables(event=banquet, count=2, seats=8, by=SYSTEM)
    honoree = add_honoree(
        event=banquet, name="", honour="Best Overall Program", attendee=guest, by=SYSTEM
    )

    seat_guests(event=banquet, by=SYSTEM)
    item = add_run_of_show_item(event=banquet, title="Welcome", kind="welcome", by=SYSTEM)
    return {
        "banquet": banquet.slug,
        "banquet_table": empty.pk,
        "banquet_guest": guest.pk,
        "banquet_honoree": honoree.pk,
        "banquet_item": item.pk,
        "banquet_seated_table": first.pk,
    }


# --- The service actor table (tests/core/test_service_actors.py) -----------------------------


def actor_world() -> SimpleNamespace:
    """A banquet with a seated guest, a second guest, a table, an honoree and a moment: what
    the banquet's services are called on by actors who may not use them."""
    banquet = make_banquet()
    first, second = make_single(banquet, "Ana", "One"), make_single(banquet, "Ben", "Two")
    (table,) = add_tables(event=banquet, count=1, seats=4, by=SYSTEM)
    seat_guests(event=banquet, by=SYSTEM)
    honoree = add_honoree(event=banquet, name="", honour="Best", attendee=first, by=SYSTEM)
    item = add_run_of_show_item(event=banquet, title="Welcome", kind="welcome", by=SYSTEM)
    return SimpleNamespace(
        event=banquet, first=first, second=second, table=table, honoree=honoree, item=item
    )


_S = "events.services.banquet."
ACTOR_CASES = {
    f"{_S}add_tables": lambda w: {"event": w.banquet.event, "count": 1, "seats": 8},
    f"{_S}update_table": lambda w: {"table": w.banquet.table, "seats": 9, "stage_rank": 0},
    f"{_S}remove_table": lambda w: {"table": w.banquet.table},
    f"{_S}seat_guests": lambda w: {"event": w.banquet.event},
    f"{_S}move_guest": lambda w: {
        "event": w.banquet.event,
        "attendee": w.banquet.second,
        "table": w.banquet.table,
    },
    f"{_S}swap_guests": lambda w: {
        "event": w.banquet.event,
        "first": w.banquet.first,
        "second": w.banquet.second,
    },
    f"{_S}unseat_guest": lambda w: {"event": w.banquet.event, "attendee": w.banquet.first},
    f"{_S}add_honoree": lambda w: {"event": w.banquet.event, "name": "Eve", "honour": "Rogue"},
    f"{_S}remove_honoree": lambda w: {"honoree": w.banquet.honoree},
    f"{_S}move_honoree": lambda w: {"honoree": w.banquet.honoree, "direction": "down"},
    f"{_S}add_run_of_show_item": lambda w: {
        "event": w.banquet.event,
        "title": "Rogue",
        "kind": "speech",
    },
    f"{_S}add_presentations": lambda w: {"event": w.banquet.event},
    f"{_S}remove_run_of_show_item": lambda w: {"item": w.banquet.item},
    f"{_S}move_run_of_show_item": lambda w: {"item": w.banquet.item, "direction": "down"},
}
