"""Fixtures of the check-in tests: an event with tickets, orders and attendees made directly
with the models (registration's services are another part's), and the C1 matrix rows of the
check-in, badge and ticket routes with the objects they name (`build_world`)."""

import datetime
import itertools

from django.utils import timezone

from tests.matrix import SIGNED_IN, STAFF_PAGE
from twinning.events.models import Attendee, Event, Order, Ticket

_numbers = itertools.count(1)

# Verified staff and the event's organisers; password-only staff go to the code page.
CHECKIN_PAGE = STAFF_PAGE
# Verified staff, the attendee, the buyer, the delegation's committee admin (Springfield's).
DELEGATION_TICKET = (302, 404, 200, 404, 404, 200)


def make_event(**fields) -> Event:
    n = next(_numbers)
    start = fields.pop("starts_at", timezone.now() + datetime.timedelta(hours=2))
    defaults = {
        "kind": Event.Kind.CONFERENCE,
        "title": f"Annual Conference {n}",
        "slug": f"conference-{n}",
        "time_zone": "America/Chicago",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(days=2),
        "venue_name": "Hyatt Regency",
        "venue_address": "151 E Wacker Dr\nChicago, IL 60601",
    }
    defaults.update(fields)
    return Event.objects.create(**defaults)


def make_ticket(event: Event, name: str = "Full conference", **fields) -> Ticket:
    return Ticket.objects.create(event=event, name=name, **fields)


def make_order(event: Event, **fields) -> Order:
    defaults = {
        "email": f"buyer{next(_numbers)}@example.org",
        "state": Order.State.CONFIRMED,
        "confirmed_at": timezone.now(),
    }
    defaults.update(fields)
    return Order.objects.create(event=event, **defaults)


def make_attendee(
    event: Event,
    *,
    order: Order | None = None,
    ticket: Ticket | None = None,
    first_name: str = "Ada",
    last_name: str | None = None,
    **fields,
) -> Attendee:
    order = order or make_order(event)
    ticket = ticket or event.tickets.first() or make_ticket(event)
    return Attendee.objects.create(
        order=order,
        event=event,
        ticket=ticket,
        first_name=first_name,
        last_name=last_name if last_name is not None else f"Lovelace {next(_numbers)}",
        **fields,
    )


def make_delegation(event: Event, member, *, buyer=None, size: int = 2) -> list[Attendee]:
    """A committee's delegation: one confirmed order, `size` confirmed attendees."""
    order = make_order(event, member=member, is_delegation=True, buyer=buyer)
    return [
        make_attendee(event, order=order, first_name=f"Delegate{i}", organisation=member.name)
        for i in range(size)
    ]


# --- The C1 matrix (collected through tests/events/matrix.py) --------------------------------

_E = "/events/{checkin_event}/checkin/"
MATRIX = {
    "events:checkin_home": ("/checkin/", CHECKIN_PAGE),
    "events:checkin": (_E, CHECKIN_PAGE),
    "events:checkin_list": (_E + "people/?state=all", CHECKIN_PAGE),
    "events:checkin_offline_csv": (_E + "offline.csv", CHECKIN_PAGE),
    "events:checkin_offline_html": (_E + "offline.html", CHECKIN_PAGE),
    "events:checkin_merge": (_E + "merge/", CHECKIN_PAGE),
    "events:badges": (_E + "badges/", STAFF_PAGE),
    "events:badges_pdf": (_E + "badges.pdf?role=delegate&paper=letter", STAFF_PAGE),
    "events:my_tickets": ("/tickets/", SIGNED_IN),
    "events:ticket_pdf": ("/tickets/{checkin_attendee}.pdf", DELEGATION_TICKET),
    "events:order_tickets_pdf": ("/tickets/orders/{checkin_order}.pdf", DELEGATION_TICKET),
}


def build_world(base: dict) -> dict:
    """An event on now with Springfield's delegation of two (one checked in), so each role
    meets a ticket it may or may not download."""
    from twinning.network.models import Member

    member = Member.objects.get(slug=base["member"])
    event = make_event(title="World Conference", slug="world-conference")
    make_ticket(event)
    attendees = make_delegation(event, member, size=2)
    attendees[0].checked_in_at = timezone.now()
    attendees[0].save(update_fields=["checked_in_at"])
    return {
        "checkin_event": event.slug,
        "checkin_attendee": attendees[0].pk,
        "checkin_order": attendees[0].order.code,
        "checkin_code": attendees[1].code,  # not checked in yet
    }
