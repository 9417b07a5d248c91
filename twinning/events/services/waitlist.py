"""The waiting list of an event, per party size. When seats free up (a cancellation, a decline,
a capacity raise), the longest-waiting party that fits gets a time-limited offer by e-mail,
with a single-use link (256 random bits, stored hashed); the seats it offers are held for it.
Accepting registers the party within the offer; an expired (the scheduled
`events_expire_offers`) or declined offer passes to the next party that fits.

Every entry moves only along TRANSITIONS (waiting → offered → accepted | expired | declined;
waiting or offered → removed), through `move`."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, require, require_verified_staff
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.events.models import Event, Order, Ticket, WaitingListEntry
from twinning.events.services.registration import (
    Person,
    event_tickets,
    lock_event,
    place_order,
    seats_available,
    send_order_mail,
    ticket_left,
)
from twinning.outbox.services import queue_email

State = WaitingListEntry.State
TRANSITIONS: dict[str, frozenset[str]] = {
    State.WAITING: frozenset({State.OFFERED, State.REMOVED}),
    State.OFFERED: frozenset({State.ACCEPTED, State.EXPIRED, State.DECLINED, State.REMOVED}),
    State.ACCEPTED: frozenset(),
    State.EXPIRED: frozenset(),
    State.DECLINED: frozenset(),
    State.REMOVED: frozenset(),
}
MAX_PARTY = 20


class InvalidTransition(ValidationError):
    """A waiting-list entry may not move from its state to the one asked."""


def move(entry: WaitingListEntry, to: str, *, now: datetime.datetime | None = None) -> str | None:
    """Move `entry` to state `to` (saved), setting what that state needs; returns the offer's
    raw token when the move is an offer. Raises InvalidTransition for a move the state machine
    does not allow."""
    if to not in TRANSITIONS.get(entry.state, frozenset()):
        raise InvalidTransition(
            _("A waiting-list entry that is “%(from)s” cannot become “%(to)s”.")
            % {"from": State(entry.state).label, "to": State(to).label}
        )
    moment = now or timezone.now()
    token = None
    if to == State.OFFERED:
        token = secrets.token_urlsafe(32)
        entry.offer_token_hash = hash_token(token)
        entry.offered_at = moment
        entry.offer_expires_at = moment + datetime.timedelta(hours=entry.event.offer_hours)
    else:
        entry.offer_token_hash = None  # a used, expired, declined or withdrawn link is dead
        if entry.state == State.OFFERED:
            entry.answered_at = moment
    entry.state = to
    entry.save()
    return token


def _fits(entry: WaitingListEntry, free: int | None) -> bool:
    if free is not None and entry.party_size > free:
        return False
    if entry.ticket is not None:
        left = ticket_left(entry.ticket)
        if left is not None and entry.party_size > left:
            return False
    return True


def offer_seats_locked(reg: Event) -> list[WaitingListEntry]:
    """Offer the free seats to the parties waiting, longest-waiting first, each only if it
    fits (a party of four does not block a party of two behind it). Call with the event row
    locked. Returns the entries offered."""
    offered: list[WaitingListEntry] = []
    free = seats_available(reg)
    if free == 0:
        return offered
    waiting = WaitingListEntry.objects.filter(event=reg, state=State.WAITING).select_related(
        "ticket", "event"
    )
    for entry in waiting.order_by("created_at", "pk"):
        if free is not None and free <= 0:
            break
        if not _fits(entry, free):
            continue
        token = move(entry, State.OFFERED)
        if free is not None:
            free -= entry.party_size
        _offer_mail(entry, token or "")
        log_activity(entry, "events.waiting_list.offered", data={"seats": entry.party_size})
        offered.append(entry)
    return offered


def _offer_mail(entry: WaitingListEntry, token: str) -> None:
    expires = date_format(timezone.localtime(entry.offer_expires_at), "DATETIME_FORMAT")
    queue_email(
        to=entry.email,
        template="events.waiting_list_offer",
        context={
            "event_title": entry.event.title,
            "person_name": entry.name,
            "party_size": entry.party_size,
            "offer_url": absolute_url(reverse("events:waiting_list_offer", args=[token])),
            "expires": expires,
        },
        related=entry,
    )


@transaction.atomic
def offer_free_seats(*, event: Event, by: Any) -> list[WaitingListEntry]:
    """Offer whatever seats are free now to the waiting list (staff, or the platform)."""
    require_verified_staff(by)
    return offer_seats_locked(lock_event(event))


@transaction.atomic
def join_waiting_list(
    *, event: Event, party_size: int, name: str, email: str, ticket: Ticket | None = None, by: Any
) -> WaitingListEntry:
    """A signed-in person puts a party (1 to 20 people) on the event's waiting list; if seats
    are free for it already, it is offered them at once."""
    require(by, "events.register", event)
    reg = lock_event(event)
    if not 1 <= int(party_size) <= MAX_PARTY:
        raise ValidationError({"party_size": _("A party is 1 to %(n)s people.") % {"n": MAX_PARTY}})
    if ticket is not None and not event_tickets(reg).filter(pk=ticket.pk).exists():
        raise ValidationError({"ticket": _("Choose one of this event's tickets.")})
    if WaitingListEntry.objects.filter(
        event=reg, user=by, state__in=[State.WAITING, State.OFFERED]
    ).exists():
        raise ValidationError(_("You are on this event's waiting list already."))
    entry = WaitingListEntry(
        event=reg,
        ticket=ticket,
        party_size=int(party_size),
        name=name.strip(),
        email=email.strip(),
        user=by,
    )
    entry.full_clean()
    entry.save()
    queue_email(
        to=entry.email,
        template="events.waiting_list_joined",
        context={
            "event_title": reg.title,
            "person_name": entry.name,
            "party_size": entry.party_size,
        },
        related=entry,
        by=by,
    )
    log_activity(entry, "events.waiting_list.joined", by=by, data={"party": entry.party_size})
    offer_seats_locked(reg)
    return entry


def find_offer(token: str) -> WaitingListEntry | None:
    """The entry this offer link belongs to (in any state: the page says what became of it),
    or None for a link that never existed or is dead."""
    if not token or len(token) > 100:
        return None
    return (
        WaitingListEntry.objects.select_related("event", "ticket")
        .filter(offer_token_hash=hash_token(token))
        .first()
    )


def _live_offer(token: str) -> WaitingListEntry:
    entry = find_offer(token)
    if entry is None:
        raise NotAllowed("events.waiting_list_offer")
    lock_event(entry.event)
    entry = WaitingListEntry.objects.select_related("event", "ticket").get(pk=entry.pk)
    if entry.state != State.OFFERED:
        raise NotAllowed("events.waiting_list_offer")
    if entry.offer_expires_at is None or entry.offer_expires_at <= timezone.now():
        raise ValidationError(_("Sorry, this offer has expired."))
    return entry


@transaction.atomic
def accept_offer(*, token: str, people: list[tuple[str, str]], by: Any) -> Order:
    """Accept an offer within its time: the party is registered (the seats were held for it)
    with the names given, one per seat offered. Raises NotAllowed for an unknown or dead link,
    ValidationError for an expired offer or the wrong number of names."""
    entry = _live_offer(token)
    if len(people) != entry.party_size:
        raise ValidationError(
            {
                "people": _("Give the names of the %(n)s people offered a seat.")
                % {"n": entry.party_size}
            }
        )
    ticket = entry.ticket or event_tickets(entry.event).first()
    if ticket is None:
        raise ValidationError(_("This event has no tickets on sale."))
    order = place_order(
        event=entry.event,
        people=[
            Person(ticket=ticket, first_name=first, last_name=last, email=entry.email)
            for first, last in people
        ],
        email=entry.email,
        buyer=entry.user or by,
        member=entry.member,
        order_answers={},
        offer=entry,
    )
    move(entry, State.ACCEPTED)
    entry.order = order
    entry.save(update_fields=["order", "updated_at"])
    send_order_mail(order, "events.registration_confirmed", author=by)
    log_activity(entry, "events.waiting_list.accepted", by=by, data={"order": order.code})
    return order


@transaction.atomic
def decline_offer(*, token: str, by: Any) -> WaitingListEntry:
    """Decline an offer: its seats pass to the next party that fits."""
    entry = find_offer(token)
    if entry is None or entry.state != State.OFFERED:
        raise NotAllowed("events.waiting_list_offer")
    reg = lock_event(entry.event)
    entry.refresh_from_db()
    move(entry, State.DECLINED)
    log_activity(entry, "events.waiting_list.declined", by=by)
    offer_seats_locked(reg)
    return entry


@transaction.atomic
def leave_waiting_list(*, entry: WaitingListEntry, by: Any) -> WaitingListEntry:
    """The party (or staff) takes the entry off the list; seats offered to it pass on."""
    require(by, "events.leave_waiting_list", entry)
    reg = lock_event(entry.event)
    entry = WaitingListEntry.objects.select_related("event").get(pk=entry.pk)
    move(entry, State.REMOVED)
    log_activity(entry, "events.waiting_list.removed", by=by)
    offer_seats_locked(reg)
    return entry


def expire_offers_of(reg: Event, now: datetime.datetime) -> int:
    """Expire the event's overdue offers (row locked by the caller) and pass their seats on."""
    overdue = WaitingListEntry.objects.filter(
        event=reg, state=State.OFFERED, offer_expires_at__lte=now
    ).select_related("event")
    count = 0
    for entry in overdue:
        move(entry, State.EXPIRED, now=now)
        queue_email(
            to=entry.email,
            template="events.waiting_list_offer_expired",
            context={"event_title": reg.title, "person_name": entry.name},
            related=entry,
        )
        log_activity(entry, "events.waiting_list.expired")
        count += 1
    if count:
        offer_seats_locked(reg)
    return count


def expire_offers(*, by: Any, now: datetime.datetime | None = None) -> int:
    """Expire every overdue offer, one event per transaction, and pass the seats on (the
    periodic job; staff may run it too). Returns how many offers expired."""
    require_verified_staff(by)
    moment = now or timezone.now()
    event_ids = set(
        WaitingListEntry.objects.filter(
            state=State.OFFERED, offer_expires_at__lte=moment
        ).values_list("event_id", flat=True)
    )
    total = 0
    for event in Event.objects.filter(pk__in=event_ids):
        with transaction.atomic():
            total += expire_offers_of(lock_event(event), moment)
    return total
