"""Fixtures of the summit's tests: an annual conference with its summit, a delegation of
Springfield's committee with students, chaperones and a nurse, and restricted details holding
canary strings (RELIABILITY 2.1: plain byte searches find a leak).

Rows are created directly (registration is another part's work)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.conftest import _client_for, verified
from tests.factories import CommunityFactory, UserFactory
from twinning.events.models import (
    Attendee,
    Event,
    Order,
    SummitChaperone,
    SummitDetails,
    Ticket,
)

CANARY_CONTACT = "Zq7Kestrel4431"
CANARY_MEDICAL = "Qv9Heron2288"
CANARY_ALLERGY = "Wx3Plover7719"
CANARY_DIET = "Jt5Avocet6604"
CANARIES = (CANARY_CONTACT, CANARY_MEDICAL, CANARY_ALLERGY, CANARY_DIET)

FIRST_DAY = datetime.date(2027, 7, 12)


def make_summit(
    *, slug: str = "summit-2027", first_day: datetime.date = FIRST_DAY, **fields
) -> Event:
    """The annual conference of that year and its summit (3 days, in New York's time)."""
    zone = "America/New_York"
    import zoneinfo

    starts = datetime.datetime.combine(first_day, datetime.time(9), tzinfo=zoneinfo.ZoneInfo(zone))
    conference = Event.objects.create(
        kind=Event.Kind.CONFERENCE,
        title=f"Annual conference {first_day.year}",
        slug=f"conference-{slug}",
        time_zone=zone,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=3),
    )
    return Event.objects.create(
        kind=Event.Kind.SUMMIT,
        title=f"Youth Leadership Summit {first_day.year}",
        slug=slug,
        parent=conference,
        time_zone=zone,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=2, hours=8),
        **fields,
    )


def youth_ticket(event: Event) -> Ticket:
    ticket, _ = Ticket.objects.get_or_create(
        event=event, name="Summit student", defaults={"for_youth": True, "price": Decimal("100")}
    )
    return ticket


def adult_ticket(event: Event) -> Ticket:
    ticket, _ = Ticket.objects.get_or_create(
        event=event, name="Chaperone", defaults={"price": Decimal("0")}
    )
    return ticket


def order_for(event: Event, *, member=None, buyer=None) -> Order:
    return Order.objects.create(
        event=event,
        email=buyer.email if buyer else "leader@example.org",
        buyer=buyer,
        member=member,
        is_delegation=member is not None,
        state=Order.State.CONFIRMED,
    )


def add_student(
    event: Event,
    *,
    order: Order | None = None,
    age: int = 16,
    days: int = 0,
    gender: str = "female",
    community=None,
    country=None,
    state: str = Attendee.State.CONFIRMED,
    user=None,
    name: str = "",
) -> Attendee:
    """A youth-ticket attendee `age` years (and `days` days) old on the summit's first day."""
    from twinning.events.services.summit import first_day

    day = first_day(event)
    born = day.replace(year=day.year - age) - datetime.timedelta(days=days)
    order = order or order_for(event)
    count = Attendee.objects.count()
    return Attendee.objects.create(
        order=order,
        event=event,
        ticket=youth_ticket(event),
        first_name=name or f"Student{count}",
        last_name="Tester",
        role=Attendee.Role.STUDENT,
        date_of_birth=born,
        gender=gender,
        community=community,
        country=country,
        state=state,
        user=user,
    )


def add_adult(
    event: Event, *, gender: str = "female", age: int = 40, user=None, name: str = ""
) -> Attendee:
    from twinning.events.services.summit import first_day

    day = first_day(event)
    count = Attendee.objects.count()
    return Attendee.objects.create(
        order=order_for(event),
        event=event,
        ticket=adult_ticket(event),
        first_name=name or f"Adult{count}",
        last_name="Chaperone",
        role=Attendee.Role.CHAPERONE,
        date_of_birth=day.replace(year=day.year - age),
        gender=gender,
        user=user,
    )


def name_chaperone(
    event: Event, *, user=None, role: str = "chaperone", checked: datetime.date | None = None
) -> SummitChaperone:
    user = user or UserFactory()
    return SummitChaperone.objects.create(
        event=event,
        user=user,
        role=role,
        background_check_on=checked
        if checked is not None
        else timezone.localdate() - datetime.timedelta(days=30),
    )


def canary_details(attendee: Attendee) -> SummitDetails:
    return SummitDetails.objects.create(
        attendee=attendee,
        emergency_contacts=f"Mother {CANARY_CONTACT} +1 555 0100",
        medical_notes=f"Asthma {CANARY_MEDICAL}",
        allergies=f"Peanuts {CANARY_ALLERGY}",
        dietary_needs=f"Halal {CANARY_DIET}",
    )


class SummitWorld:
    """Springfield's delegation (a committee admin as leader) with two students, one holding
    an account; the summit's chaperone and nurse; another committee's admin; a stranger."""

    def __init__(self, springfield_member, committee_admin_user) -> None:
        self.summit = make_summit()
        self.conference = self.summit.parent
        self.member = springfield_member
        self.leader = committee_admin_user
        self.order = order_for(self.summit, member=springfield_member, buyer=committee_admin_user)
        springfield = springfield_member.communities.first()
        self.student_user = UserFactory(email="student@example.org")
        self.student = add_student(
            self.summit,
            order=self.order,
            community=springfield,
            user=self.student_user,
            name="Alice",
        )
        self.other_student = add_student(
            self.summit, order=self.order, community=springfield, name="Bea"
        )
        self.details = canary_details(self.student)
        self.chaperone_user = UserFactory(email="chaperone@example.org")
        self.nurse_user = UserFactory(email="nurse@example.org")
        self.chaperone = name_chaperone(self.summit, user=self.chaperone_user)
        self.nurse = name_chaperone(self.summit, user=self.nurse_user, role="nurse")
        self.unchecked_user = UserFactory(email="unchecked@example.org")
        self.unchecked = SummitChaperone.objects.create(
            event=self.summit, user=self.unchecked_user, role="nurse"
        )


def client_of(user, *, staff_verified: bool = False):
    return _client_for(user, verified=staff_verified)


__all__ = [
    "CANARIES",
    "CommunityFactory",
    "SummitWorld",
    "add_adult",
    "add_student",
    "canary_details",
    "client_of",
    "make_summit",
    "name_chaperone",
    "verified",
]


def actor_objects(world) -> dict:
    """The summit objects tests/core/test_service_actors.py calls the summit's services on
    (made once per world, kept on it)."""
    if not hasattr(world, "_summit_objects"):
        from twinning.events.models import ResidenceRoom, Team

        summit = make_summit(slug="actor-summit")
        student = add_student(summit, name="Actor")
        canary_details(student)
        world._summit_objects = {
            "summit": summit,
            "student": student,
            "chaperone": name_chaperone(summit),
            "room": ResidenceRoom.objects.create(event=summit, name="R1", beds=2, gender="female"),
            "team": Team.objects.create(event=summit, kind="service", name="T1"),
            "user": UserFactory(email="would-be-chaperone@example.org"),
        }
    return world._summit_objects
