"""Registration's test helpers: events built directly (staff's event creation is another
part's), tickets, a committee in good standing, and the route matrix rows of registration."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import CommunityFactory, PartnershipFactory, UserFactory
from tests.factories.members import MembershipFactory
from tests.matrix import EVERYONE, SIGNED_IN, STAFF_ACTION, STAFF_PAGE
from twinning.core.authz import SYSTEM
from twinning.events.models import Event, Ticket
from twinning.network.models import Member, Partnership

_counter = {"n": 0}


def make_event(*, capacity: int | None = 100, slug: str | None = None, **fields) -> Event:
    """A published conference a month away, registration open."""
    _counter["n"] += 1
    start = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=30))
    defaults = {
        "kind": Event.Kind.CONFERENCE,
        "title": f"Annual conference {_counter['n']}",
        "slug": slug or f"conference-{_counter['n']}-{timezone.now().timestamp():.0f}",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(days=2),
        "capacity": capacity,
        "published_at": timezone.now(),
        "venue_name": "Convention centre",
    }
    defaults.update(fields)
    return Event.objects.create(**defaults)


def make_ticket(event: Event, *, name: str = "Full conference", price: str = "100.00", **fields):
    return Ticket.objects.create(event=event, name=name, price=Decimal(price), **fields)


def in_good_standing(member: Member) -> Member:
    """A current membership and an active partnership: good standing today."""
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=200),
    )
    community = member.communities.first() or CommunityFactory()
    if not member.communities.exists():
        member.communities.add(community)
    PartnershipFactory(
        community_a=community, community_b=CommunityFactory(), status=Partnership.Status.ACTIVE
    )
    return member


def with_billing_admin(member: Member):
    admin = member.admins.first()
    if admin is None:
        admin = UserFactory()
        member.admins.add(admin)
    return admin


SYSTEM_ACTOR = SYSTEM


# --- Route matrix rows (collected through tests/events/matrix.py) ---------------------------

OWN_ORDER = (302, 404, 200, 404, 404, 404)  # the committee admin registered the order
MATRIX = {
    "events:register": ("/events/{reg_event}/register/", SIGNED_IN),
    "events:waiting_list_join": (
        "/events/{reg_event}/waiting-list/",
        (302, 405, 405, 405, 405, 405),
    ),
    "events:my_registrations": ("/events/registration/mine/", SIGNED_IN),
    "events:order_detail": ("/events/registration/orders/{reg_order}/", OWN_ORDER),
    "events:order_cancel": (
        "/events/registration/orders/{reg_order}/cancel/",
        (302, 405, 405, 405, 405, 405),
    ),
    "events:attendee_cancel": (
        "/events/registration/attendees/{reg_attendee}/cancel/",
        (302, 405, 405, 405, 405, 405),
    ),
    "events:attendee_rename": (
        "/events/registration/attendees/{reg_attendee}/name/",
        (302, 405, 405, 405, 405, 405),
    ),
    "events:attendee_details": ("/events/registration/details/not-a-token/", (404,) * 6),
    "events:waiting_list_offer": ("/events/registration/offer/not-a-token/", (404,) * 6),
    "events:waiting_list_leave": (
        "/events/registration/waiting-list/{reg_entry}/leave/",
        (302, 405, 405, 405, 405, 405),
    ),
    "events:delegation_events": (
        "/events/registration/committee/{member}/",
        (302, 404, 200, 404, 404, 404),
    ),
    "events:delegation_create": (
        "/events/{reg_event}/delegation/{member}/",
        (302, 404, 200, 404, 404, 404),
    ),
    "events:delegation_detail": ("/events/registration/delegations/{reg_delegation}/", OWN_ORDER),
    "events:delegation_resend": (
        "/events/registration/attendees/{reg_attendee}/resend/",
        (302, 405, 405, 405, 405, 405),
    ),
    "events:staff_registration_events": ("/staff/events/registration/", STAFF_PAGE),
    "events:staff_registrations": ("/staff/events/{reg_event}/registrations/", STAFF_PAGE),
    "events:staff_registrations_export": (
        "/staff/events/{reg_event}/registrations.csv",
        STAFF_PAGE,
    ),
    "events:staff_attendee_decide": (
        "/staff/events/attendees/{reg_attendee}/approve/",
        STAFF_ACTION,
    ),
    "events:staff_waiting_list": ("/staff/events/{reg_event}/waiting-list/", STAFF_PAGE),
    "events:staff_waiting_list_remove": (
        "/staff/events/waiting-list/{reg_entry}/remove/",
        STAFF_ACTION,
    ),
    "events:staff_tickets": ("/staff/events/{reg_event}/tickets/", STAFF_PAGE),
    "events:staff_ticket_edit": ("/staff/events/{reg_event}/tickets/{reg_ticket}/", STAFF_PAGE),
    "events:staff_questions": ("/staff/events/{reg_event}/questions/", STAFF_PAGE),
    "events:staff_question_edit": (
        "/staff/events/{reg_event}/questions/{reg_question}/",
        STAFF_PAGE,
    ),
    "events:staff_capacity": ("/staff/events/{reg_event}/capacity/", STAFF_ACTION),
}
_ = EVERYONE


def build_world(base: dict) -> dict:
    """An open event with a ticket and a question, the Springfield admin's confirmed order
    (one attendee) and a stranger's waiting-list entry."""
    from twinning.events.models import Question, WaitingListEntry
    from twinning.events.services.registration import register_for_event

    member = Member.objects.get(slug=base["member"])
    admin = member.admins.get()
    event = make_event(capacity=50, slug="matrix-registration-conference")
    ticket = make_ticket(event)
    question = Question.objects.create(event=event, scope="order", label="How did you hear?")
    order = register_for_event(
        event=event, ticket=ticket, first_name="Ann", last_name="Admin", email=admin.email, by=admin
    )
    entry = WaitingListEntry.objects.create(
        event=event, party_size=1, name="Stranger", email="stranger@example.org"
    )
    from twinning.events.services.delegations import register_delegation
    from twinning.events.services.registration import Person

    delegation = register_delegation(
        event=event,
        member=member,
        people=[Person(ticket=ticket, first_name="Del", last_name="Egate", email="d@example.org")],
        email=admin.email,
        by=admin,
    )
    return {
        "reg_delegation": delegation.code,
        "reg_event": event.slug,
        "reg_ticket": ticket.pk,
        "reg_question": question.pk,
        "reg_order": order.code,
        "reg_attendee": order.attendees.get().pk,
        "reg_entry": entry.pk,
    }


# --- The service-actor table's objects (tests/core/test_service_actors.py) -------------------


def actor_objects(world) -> dict:
    """An open event, its ticket and question, a confirmed order of the Springfield admin with
    one attendee, an application and a waiting-list entry: made once per world."""
    if not hasattr(world, "_registration"):
        from twinning.events.models import Question, WaitingListEntry
        from twinning.events.services.registration import register_for_event

        event = make_event(capacity=50, slug="actor-registration-conference")
        ticket = make_ticket(event)
        question = Question.objects.create(event=event, scope="order", label="Meal?")
        order = register_for_event(
            event=event,
            ticket=ticket,
            first_name="A",
            last_name="B",
            email="a@example.org",
            by=world.admin,
        )
        moderated = make_event(capacity=5, slug="actor-moderated", requires_approval=True)
        applied = register_for_event(
            event=moderated,
            ticket=make_ticket(moderated),
            first_name="C",
            last_name="D",
            email="c@example.org",
            by=world.admin,
        )
        entry = WaitingListEntry.objects.create(
            event=event, name="W", email="w@example.org", user=world.admin
        )
        world._registration = {
            "event": event,
            "ticket": ticket,
            "question": question,
            "order": order,
            "attendee": order.attendees.get(),
            "applied": applied.attendees.get(),
            "entry": entry,
        }
    return world._registration


def admin_demo_rows() -> None:
    """One row of each model registration shows in the admin (tests/core/test_admin_pages.py),
    until seed_demo builds the events."""
    from twinning.events.models import Question, WaitingListEntry

    event = make_event(slug="admin-demo-conference")
    ticket = make_ticket(event)
    Question.objects.create(event=event, scope="order", label="Meal?")
    user = UserFactory()
    from twinning.events.services.registration import register_for_event

    register_for_event(
        event=event, ticket=ticket, first_name="A", last_name="B", email=user.email, by=user
    )
    WaitingListEntry.objects.create(event=event, name="W", email="w@example.org")
