"""Public pages of the events: /events/ (upcoming and past, filters by kind and region), each
event's page (programme, speakers, venue on the self-hosted map, prices and what remains,
the partner; the online link only to registrants and organisers), the timetable per day, the
iCalendar feeds (per event; per person by a secret, revocable link), a person's agenda, the
visitor's time zone choice, and a webinar attendee's certificate.

Times are shown in the event's own zone and, when the visitor's differs (their choice kept in
the session, or read by events/js/visitor-zone.js from the browser), in theirs too. Public
pages never list attendees: summit participants are minors."""

import datetime
import functools
import zoneinfo
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from twinning.core.media import media_response, private_storage
from twinning.events.calendar import agenda_calendar, event_calendar
from twinning.events.models import (
    AgendaItem,
    Attendee,
    CalendarToken,
    Event,
    Session,
    Speaker,
    Ticket,
)
from twinning.events.services.events import may_organise
from twinning.events.services.programme import (
    add_to_agenda,
    calendar_token_for,
    remove_from_agenda,
    reset_calendar_token,
)
from twinning.events.services.webinars import attended, certificate_pdf
from twinning.members.models import AssociationRegion
from twinning.network.models import Member

VISITOR_ZONE = "events_time_zone"
PAST_LIMIT = 30


@functools.cache
def known_zones() -> frozenset[str]:
    """The zones this system knows, read once: `zoneinfo.available_timezones()` walks the zone
    database on disk at each call, which was half the event page's time (bench/events.py)."""
    return frozenset(zoneinfo.available_timezones())


def visitor_zone(request: HttpRequest) -> str:
    """The zone the visitor chose (kept in the session), or ""."""
    session = getattr(request, "session", None)
    value = session.get(VISITOR_ZONE, "") if session is not None else ""
    return value if value and value in known_zones() else ""


def _visible_event(request: HttpRequest, slug: str) -> Event:
    """A published event, or an unpublished one to its organisers; else 404."""
    event = get_object_or_404(
        Event.objects.select_related("parent", "partner", "series", "region"), slug=slug
    )
    if event.published_at is None and not may_organise(request.user, event):
        raise Http404
    return event


def is_registrant(user: Any, event: Event) -> bool:
    """A confirmed attendee of the event's registration (a part shares its parent's)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Attendee.objects.filter(event=event.registration_event, state=Attendee.State.CONFIRMED)
        .filter(Q(user=user) | Q(email__iexact=user.email))
        .exists()
    )


def _register_url(event: Event) -> str:
    """The registration part's page, once it exists."""
    try:
        return reverse("events:register", args=[event.registration_event.slug])
    except NoReverseMatch:
        return ""


# --- /events/ ------------------------------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    kinds = dict(Event.Kind.choices)
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""
    regions = list(AssociationRegion.objects.order_by("name"))
    region_slug = request.GET.get("region", "")
    region = next((r for r in regions if r.slug == region_slug), None)
    events = Event.objects.published().select_related("partner", "region", "series")
    # Unfiltered, the summit and the banquet appear on the conference's page only.
    events = events.filter(kind=kind) if kind else events.top_level()
    if region is not None:
        events = events.filter(region=region)
    now = timezone.now()
    context = {
        "upcoming": list(events.upcoming(now)),
        "past": list(events.past(now)[:PAST_LIMIT]),
        "kinds": Event.Kind.choices,
        "kind": kind,
        "regions": regions,
        "region": region,
        "visitor_zone": visitor_zone(request),
    }
    return render(request, "events/public/event_list.html", context)


# --- An event's page -----------------------------------------------------------------------


def _tickets(event: Event) -> list[dict[str, Any]]:
    """Each ticket on sale with its price and what remains (its quota and the event's
    capacity, less the attendees holding seats). The seats held are read in one grouped
    aggregate (per ticket, over the registration event's attendees holding seats); their sum
    is the seats taken from the capacity."""
    registration = event.registration_event
    held = dict(
        Attendee.objects.filter(event=registration)
        .holding_seats()
        .order_by()
        .values_list("ticket_id")
        .annotate(n=Count("pk"))
        .values_list("ticket_id", "n")
    )
    taken = sum(held.values())
    left_in_event = None if registration.capacity is None else max(0, registration.capacity - taken)
    rows = []
    for ticket in Ticket.objects.filter(event=registration):
        left = None if ticket.quota is None else max(0, ticket.quota - held.get(ticket.pk, 0))
        if left_in_event is not None:
            left = left_in_event if left is None else min(left, left_in_event)
        rows.append({"ticket": ticket, "left": left})
    return rows


def _sessions(event: Event) -> Any:
    return Session.objects.filter(event=event).for_timetable().prefetch_related("changes")


def _venue_map(event: Event) -> str:
    if event.latitude is None or event.longitude is None:
        return ""
    from twinning.core import maps

    return maps.cached_community_map_svg(
        maps.Place(event.venue_name or event.title, event.latitude, event.longitude), []
    )


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    organiser = may_organise(request.user, event)
    registrant = is_registrant(request.user, event)
    programme_visible = event.programme_published_at is not None or organiser
    sessions = list(_sessions(event)) if programme_visible else []
    speakers: list[Speaker] = []
    if programme_visible:
        found = Speaker.objects.filter(event=event)
        if not organiser:  # people without a session yet are not announced
            found = found.filter(sessions__isnull=False).distinct()
        speakers = list(found)
    parts = list(event.parts.published()) if event.kind == Event.Kind.CONFERENCE else []
    attendee = None
    if event.kind == Event.Kind.WEBINAR and request.user.is_authenticated:
        attendee = (
            Attendee.objects.filter(
                event=event, state=Attendee.State.CONFIRMED, user_id=request.user.pk
            )
            .order_by("pk")
            .first()
        )
    context = {
        "event": event,
        "organiser": organiser,
        "registrant": registrant,
        "show_online_link": bool(event.online_url) and (registrant or organiser),
        "show_recording": bool(event.recording_url)
        and (event.recording_public or registrant or organiser),
        "sessions": sessions,
        "speakers": speakers,
        "parts": parts,
        "tickets": _tickets(event),
        "venue_map": _venue_map(event),
        "register_url": _register_url(event),
        "delegation_members": _delegation_members(request, event),
        "visitor_zone": visitor_zone(request),
        "certificate": attendee is not None and attended(attendee),
        "agenda": _agenda_ids(request, event),
    }
    return render(request, "events/public/event_detail.html", context)


def _delegation_members(request: HttpRequest, event: Event) -> list[Any]:
    """The committees the visitor administers: each may register a delegation from here (one
    query, for signed-in visitors only)."""
    if not request.user.is_authenticated or event.kind == Event.Kind.WEBINAR:
        return []
    return list(Member.objects.filter(admins=request.user).only("slug", "name").order_by("name"))


def _agenda_ids(request: HttpRequest, event: Event) -> set[int]:
    if not request.user.is_authenticated:
        return set()
    return set(
        AgendaItem.objects.filter(user=request.user, session__event=event).values_list(
            "session_id", flat=True
        )
    )


@require_safe
def timetable(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme per day (in the event's zone), changes after publication shown."""
    event = _visible_event(request, slug)
    if event.programme_published_at is None and not may_organise(request.user, event):
        raise Http404
    zone = event.zone
    by_day: OrderedDict[datetime.date, list[Session]] = OrderedDict()
    for session in _sessions(event):
        by_day.setdefault(session.starts_at.astimezone(zone).date(), []).append(session)
    days = list(by_day)
    chosen = request.GET.get("day", "")
    try:
        day = datetime.date.fromisoformat(chosen) if chosen else (days[0] if days else None)
    except ValueError:
        day = None
        messages.error(request, _("Choose a day of the programme."))
    if day is not None and day not in by_day and days:
        messages.error(request, _("The programme has no session on that day."))
        day = days[0]
    context = {
        "event": event,
        "days": days,
        "day": day,
        "sessions": by_day.get(day, []) if day else [],
        "visitor_zone": visitor_zone(request),
        "agenda": _agenda_ids(request, event),
    }
    return render(request, "events/public/timetable.html", context)


@require_safe
def speaker_photo(request: HttpRequest, slug: str, pk: int, size: str) -> HttpResponseBase:
    event = _visible_event(request, slug)
    speaker = get_object_or_404(Speaker, pk=pk, event=event)
    if size not in ("display", "thumb") or not speaker.photo_file:
        raise Http404
    if size == "display":
        name, mime = speaker.photo_file, speaker.photo_content_type
    else:
        name, mime = speaker.photo_thumb_file, speaker.photo_thumb_content_type
    return media_response(
        private_storage,
        name,
        content_type=mime,
        download_name=speaker.name,
        inline=True,
    )


# --- Calendars -----------------------------------------------------------------------------


def _ics(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    if event.published_at is None:
        raise Http404
    return _ics(event_calendar(event), event.slug)


@require_safe
def agenda_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A person's agenda as a feed, by the secret of their link (no sign-in: calendar apps
    fetch it). A revoked link answers 404."""
    owner = CalendarToken.objects.filter(token=token).select_related("user").first()
    if owner is None or not owner.user.is_active:
        raise Http404
    response = _ics(agenda_calendar(owner.user), "agenda")
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- A person's agenda ---------------------------------------------------------------------


@login_required
@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    items = (
        AgendaItem.objects.filter(user_id=request.user.pk or 0)
        .select_related("session__event", "session__room", "session__track")
        .order_by("session__starts_at", "pk")
    )
    token = calendar_token_for(request.user)
    feed = request.build_absolute_uri(reverse("events:agenda_ics", args=[token.token]))
    return render(
        request,
        "events/public/agenda.html",
        {"items": items, "feed_url": feed, "visitor_zone": visitor_zone(request)},
    )


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def agenda_toggle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _visible_event(request, slug)
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk, event=event)
    if request.POST.get("action") == "remove":
        remove_from_agenda(session=session, by=request.user)
        messages.success(request, _("Removed from your agenda."))
    else:
        try:
            add_to_agenda(session=session, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Added to your agenda."))
    return redirect(_back(request, reverse("events:timetable", args=[event.slug])))


@login_required
@require_POST
def agenda_calendar_reset(request: HttpRequest) -> HttpResponse:
    reset_calendar_token(by=request.user)
    messages.success(request, _("Your calendar link is replaced: the old one no longer works."))
    return redirect("events:agenda")


@require_POST
def set_time_zone(request: HttpRequest) -> HttpResponse:
    """Keep the visitor's time zone in their session (empty: the event's zone only)."""
    value = request.POST.get("tz", "").strip()
    if value and value not in known_zones():
        messages.error(request, _("Choose a time zone from the list, e.g. America/Chicago."))
    elif value:
        request.session[VISITOR_ZONE] = value
    else:
        request.session.pop(VISITOR_ZONE, None)
    return redirect(_back(request, reverse("events:event_list")))


# --- Webinar certificate -------------------------------------------------------------------


@login_required
@require_safe
def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    attendee = (
        Attendee.objects.filter(
            event=event, state=Attendee.State.CONFIRMED, user_id=request.user.pk or 0
        )
        .order_by("pk")
        .first()
    )
    if attendee is None:
        raise Http404
    data = certificate_pdf(attendee=attendee, by=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{event.slug}.pdf"'
    return response
