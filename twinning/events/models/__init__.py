"""Events by sub-domain; every model is imported here.

events.py: events, partner organisations, webinar series. registration.py: tickets,
questions, orders, attendees, answers, the waiting list, check-ins."""

from twinning.events.models.events import Event, EventQuerySet, PartnerOrganisation, WebinarSeries
from twinning.events.models.registration import (
    Answer,
    Attendee,
    AttendeeQuerySet,
    CheckIn,
    Order,
    OrderQuerySet,
    Question,
    Ticket,
    WaitingListEntry,
    new_code,
)

__all__ = [
    "Answer",
    "Attendee",
    "AttendeeQuerySet",
    "CheckIn",
    "Event",
    "EventQuerySet",
    "Order",
    "OrderQuerySet",
    "PartnerOrganisation",
    "Question",
    "Ticket",
    "WaitingListEntry",
    "WebinarSeries",
    "new_code",
]

# Each part's own models module declares its public names in __all__ (so the parts are built
# side by side without touching this file).
from twinning.events.models.banquet import *  # noqa: F403
from twinning.events.models.programme import *  # noqa: F403
from twinning.events.models.summit import *  # noqa: F403
from twinning.events.models.summit_apply import *  # noqa: F403
