"""Fixtures of the events' public part and programme: events, sessions, speakers, regions with
coordinators, and registrants made directly with the registration models."""

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import CountryFactory, UserFactory
from twinning.events.models import (
    Attendee,
    Event,
    Order,
    PartnerOrganisation,
    Room,
    Session,
    Speaker,
    Ticket,
    Track,
)
from twinning.members.models import AssociationRegion

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_counter = iter(range(1, 10**6))


def at(
    day: int, hour: int, minute: int = 0, *, month: int = 6, year: int = 2031
) -> datetime.datetime:
    """A moment in Paris time (the events below are in Europe/Paris)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def make_event(**fields: Any) -> Event:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "kind": Event.Kind.CONFERENCE,
        "title": f"Annual conference {n}",
        "slug": f"conference-{n}",
        "time_zone": "Europe/Paris",
        "starts_at": at(10, 9),
        "ends_at": at(12, 18),
        "venue_name": "Palais des Congrès",
        "latitude": 48.8787,
        "longitude": 2.2834,
        "published_at": timezone.now(),
    }
    defaults.update(fields)
    return Event.objects.create(**defaults)


def make_past_event(**fields: Any) -> Event:
    start = timezone.now() - datetime.timedelta(days=40)
    return make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **fields)


def make_webinar(**fields: Any) -> Event:
    n = next(_counter)
    start = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=3))
    defaults: dict[str, Any] = {
        "kind": Event.Kind.WEBINAR,
        "title": f"Online fundraising {n}",
        "slug": f"webinar-{n}",
        "venue_name": "",
        "latitude": None,
        "longitude": None,
        "online_url": "https://video.example.org/j/123456?pwd=secret",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1),
    }
    defaults.update(fields)
    if defaults.get("partner") is None:
        defaults["partner"] = PartnerOrganisation.objects.create(name=f"Crowdfunding Platform {n}")
    return make_event(**defaults)


def make_region(*, coordinators: Any = (), name: str = "Midwest") -> AssociationRegion:
    region = AssociationRegion.objects.create(
        name=name,
        slug=f"{name.lower()}-{next(_counter)}",
        country=CountryFactory(),
        subdivisions=["Illinois"],
    )
    region.coordinators.set(coordinators)
    return region


def make_session(event: Event, **fields: Any) -> Session:
    speakers = fields.pop("speakers", [])
    defaults: dict[str, Any] = {
        "title": f"Session {next(_counter)}",
        "starts_at": event.starts_at + datetime.timedelta(hours=1),
        "ends_at": event.starts_at + datetime.timedelta(hours=2),
    }
    defaults.update(fields)
    session = Session.objects.create(event=event, **defaults)
    session.speakers.set(speakers)
    return session


def make_programme(event: Event) -> dict[str, Any]:
    """Two days, two rooms, one track, one speaker each session; published."""
    track = Track.objects.create(event=event, name="Advocacy")
    hall, salon = (
        Room.objects.create(event=event, name="Grand Hall", position=0),
        Room.objects.create(event=event, name="Salon B", position=1),
    )
    ada = Speaker.objects.create(event=event, name="Ada Lovelace", organisation="Federal Agency")
    kofi = Speaker.objects.create(event=event, name="Kofi Mensah", bio="Youth organiser.")
    opening = make_session(
        event,
        title="Opening plenary",
        room=hall,
        track=track,
        speakers=[ada],
        starts_at=at(10, 10),
        ends_at=at(10, 11),
    )
    workshop = make_session(
        event,
        title="Fundraising workshop",
        room=salon,
        speakers=[kofi],
        starts_at=at(11, 14),
        ends_at=at(11, 15, 30),
    )
    event.programme_published_at = timezone.now()
    event.save(update_fields=["programme_published_at"])
    return {
        "track": track,
        "hall": hall,
        "salon": salon,
        "ada": ada,
        "kofi": kofi,
        "opening": opening,
        "workshop": workshop,
    }


def make_ticket(event: Event, **fields: Any) -> Ticket:
    defaults: dict[str, Any] = {"name": "Delegate", "price": Decimal("250.00")}
    defaults.update(fields)
    return Ticket.objects.create(event=event, **defaults)


def make_attendee(
    event: Event,
    *,
    user: Any = None,
    ticket: Ticket | None = None,
    state: str = Attendee.State.CONFIRMED,
    **fields: Any,
) -> Attendee:
    """A registrant made directly with the registration models (that part's services make
    them in the application)."""
    ticket = ticket or event.tickets.first() or make_ticket(event, name="Free", price=0)
    email = fields.pop("email", None) or (user.email if user else f"p{next(_counter)}@example.org")
    order = Order.objects.create(event=event, email=email, buyer=user, state=Order.State.CONFIRMED)
    return Attendee.objects.create(
        order=order,
        event=event,
        ticket=ticket,
        user=user,
        email=email,
        first_name=fields.pop("first_name", "Grace"),
        last_name=fields.pop("last_name", "Hopper"),
        state=state,
        **fields,
    )


def registrant_user(event: Event, **fields: Any) -> Any:
    user = UserFactory()
    make_attendee(event, user=user, **fields)
    return user


def actor_world(world: Any) -> dict[str, Any]:
    """The objects tests/core/test_service_actors.py calls the public part's and the
    programme's services on (made once per test world): a conference with a published
    programme, a past webinar with a registrant who attended."""
    kept = getattr(world, "_events_public", None)
    if kept is None:
        event = make_event(title="Actor conference", slug="actor-conference")
        programme = make_programme(event)
        webinar = make_webinar(
            slug="actor-webinar", starts_at=timezone.now() - datetime.timedelta(days=2)
        )
        attendee = make_attendee(webinar, user=UserFactory())
        from twinning.events.models import AttendanceRecord

        AttendanceRecord.objects.create(
            event=webinar,
            attendee=attendee,
            email=attendee.email,
            joined_at=webinar.starts_at,
            left_at=webinar.ends_at,
            minutes=60,
            line=2,
        )
        kept = {"event": event, "webinar": webinar, "attendee": attendee, **programme}
        world._events_public = kept
    return kept
