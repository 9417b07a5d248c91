"""iCalendar feeds (package `icalendar`): an event's sessions, and a person's agenda. Times
are written in the event's own zone (TZID) with the matching VTIMEZONE, so a calendar shows
them right wherever it is; a cancelled session is STATUS:CANCELLED."""

import datetime
from typing import Any

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from twinning.core.reverse import absolute_url
from twinning.events.models import AgendaItem, Event, Session

PRODID = "-//Twinning//Events//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _vevent(session: Session, event: Event, stamp: datetime.datetime) -> VEvent:
    zone = event.zone
    item = VEvent()
    item.add("uid", f"session-{session.pk}@twinning")
    item.add("dtstamp", stamp)
    item.add("dtstart", session.starts_at.astimezone(zone))
    item.add("dtend", session.ends_at.astimezone(zone))
    item.add("summary", f"{session.title} ({event.title})")
    if session.description:
        item.add("description", session.description)
    where = ", ".join(x for x in (session.room.name if session.room else "", event.venue_name) if x)
    if where:
        item.add("location", where)
    item.add("url", absolute_url(event.get_absolute_url()))
    if session.is_cancelled:
        item.add("status", "CANCELLED")
    item.add("last-modified", session.updated_at)
    return item


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_calendar(event: Event) -> bytes:
    """The event's published sessions, or the event itself while it has no programme."""
    calendar = _calendar(event.title)
    stamp = timezone.now()
    sessions = (
        list(Session.objects.filter(event=event).select_related("room"))
        if event.programme_published_at
        else []
    )
    for session in sessions:
        calendar.add_component(_vevent(session, event, stamp))
    if not sessions:
        item = VEvent()
        item.add("uid", f"event-{event.pk}@twinning")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at.astimezone(event.zone))
        item.add("dtend", event.ends_at.astimezone(event.zone))
        item.add("summary", event.title)
        if event.venue_name:
            item.add("location", event.venue_name)
        item.add("url", absolute_url(event.get_absolute_url()))
        calendar.add_component(item)
    return _finish(calendar)


def agenda_calendar(user: Any) -> bytes:
    """The sessions a person put on their agenda (of published programmes)."""
    calendar = _calendar("Agenda")
    stamp = timezone.now()
    items = (
        AgendaItem.objects.filter(
            user=user,
            session__event__published_at__isnull=False,
            session__event__programme_published_at__isnull=False,
        )
        .select_related("session__event", "session__room")
        .order_by("session__starts_at")
    )
    for item in items:
        calendar.add_component(_vevent(item.session, item.session.event, stamp))
    return _finish(calendar)
