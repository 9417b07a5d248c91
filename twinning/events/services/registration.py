"""Registration writes: a person's order, name changes, cancellation under the event's policy
(with a credit note when an invoice exists); the reads of seats and the event lock they share.
Moderated registration (approve, waitlist, decline) is services.moderation; the capacity and
staff's tickets and questions are services.staff_settings.

Capacity is never exceeded, whatever the concurrency: every write that takes or frees a seat
locks the registration event's row first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database's write lock) and counts the seats inside the
lock. A part of an event (the summit, the banquet) shares its parent's registration, so the
parent's row is the one locked and its capacity the one counted.

The summit's call point: before an attendee on a youth ticket (Ticket.for_youth) is confirmed,
`check_youth_confirmation` calls `twinning.events.services.summit.check_may_confirm(attendee)`
when that function exists; it refuses by raising ValidationError."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, acting_user, require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.events.models import (
    Answer,
    Attendee,
    Event,
    Order,
    Question,
    Ticket,
    WaitingListEntry,
)
from twinning.events.services.pricing import quote, standing_of
from twinning.members.models import ZERO, Invoice
from twinning.members.services.invoices import balance_of, credit_invoice, issue_invoice
from twinning.network.models import Member
from twinning.outbox.services import queue_email

YES = "yes"
MAX_ANSWER = 2000


class SoldOut(ValidationError):
    """No seat (or no ticket of this kind) is left: the page offers the waiting list."""


# --- Reads under the lock ------------------------------------------------------------------


def event_tickets(event: Event) -> Any:
    """The tickets of the registration `event` shares (its own and its parts')."""
    reg = event.registration_event
    return Ticket.objects.filter(Q(event=reg) | Q(event__parent=reg)).order_by("position", "pk")


def seats_taken(event: Event) -> int:
    return Attendee.objects.filter(event=event.registration_event).holding_seats().count()


def seats_offered(event: Event, *, excluding: WaitingListEntry | None = None) -> int:
    """Seats held for waiting-list offers not yet answered (nobody else may take them)."""
    offers = WaitingListEntry.objects.filter(
        event=event.registration_event, state=WaitingListEntry.State.OFFERED
    )
    if excluding is not None:
        offers = offers.exclude(pk=excluding.pk)
    return offers.aggregate(n=Sum("party_size"))["n"] or 0


def seats_available(event: Event, *, excluding: WaitingListEntry | None = None) -> int | None:
    """Seats anyone may still take (None: no capacity set). Exact only inside the lock."""
    reg = event.registration_event
    if reg.capacity is None:
        return None
    return max(0, reg.capacity - seats_taken(reg) - seats_offered(reg, excluding=excluding))


@dataclass(frozen=True)
class RegistrationFigures:
    """An event's registrations by state, its seats held and offered, and the seats left (None:
    no capacity set), read in one query. For pages; a write counts again under the lock."""

    by_state: dict[str, int]
    offered: int
    capacity: int | None

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def taken(self) -> int:
        return sum(self.by_state.get(state, 0) for state in HOLDING_STATES)

    @property
    def available(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.taken - self.offered)


HOLDING_STATES = (Attendee.State.APPLIED, Attendee.State.APPROVED, Attendee.State.CONFIRMED)


OFFERED = "offered:seats"  # the row of open offers' seats among the state counts


def registration_figures(event: Event) -> RegistrationFigures:
    """One query: the registration event's attendees counted per state (grouped, read from
    the (event, state) index), with the seats of open waiting-list offers as one more row."""
    reg = event.registration_event
    by_state = (
        Attendee.objects.filter(event=reg)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    offered = (
        WaitingListEntry.objects.filter(event=reg, state=WaitingListEntry.State.OFFERED)
        .order_by()
        .values_list("event")
        .annotate(kind=Value(OFFERED), n=Sum("party_size"))
        .values_list("kind", "n")
    )
    rows = dict(by_state.union(offered, all=True))
    return RegistrationFigures(
        by_state={state: n for state, n in rows.items() if state != OFFERED},
        offered=rows.get(OFFERED) or 0,
        capacity=reg.capacity,
    )


def ticket_left(ticket: Ticket) -> int | None:
    if ticket.quota is None:
        return None
    held = Attendee.objects.filter(ticket=ticket).holding_seats().count()
    return max(0, ticket.quota - held)


def lock_event(event: Event) -> Event:
    """Lock the registration event's row for the rest of the transaction and return it."""
    return Event.objects.select_for_update().get(pk=event.registration_event.pk)


# --- The summit's call point ---------------------------------------------------------------


def check_youth_confirmation(attendee: Attendee) -> None:
    """Before confirming an attendee on a youth ticket, the summit has its say: the ages and
    the chaperone ratio (`summit.check_may_confirm`) and the guardian's consent to taking part
    (`summit_apply.check_summit_consent`, RELIABILITY P-03); each raises ValidationError with
    the reason."""
    if not attendee.ticket.for_youth:
        return
    # Imported here: both summit modules build on this one.
    from twinning.events.services.summit import check_may_confirm
    from twinning.events.services.summit_apply import check_summit_consent

    check_may_confirm(attendee)
    check_summit_consent(attendee)


# --- Answers ---------------------------------------------------------------------------------


def clean_answer(question: Question, raw: Any) -> str:
    """The stored form of an answer; ValidationError keyed `q_<pk>` when it is refused."""
    key = f"q_{question.pk}"
    value = "" if raw is None else str(raw).strip()[:MAX_ANSWER]
    if question.kind in (Question.Kind.BOOLEAN, Question.Kind.CONSENT):
        value = YES if value.lower() in ("yes", "on", "true", "1") else ""
    if question.kind == Question.Kind.CONSENT and value != YES:
        raise ValidationError({key: _("Please accept: “%(q)s”.") % {"q": question.label}})
    if question.required and not value:
        raise ValidationError({key: _("Please answer: “%(q)s”.") % {"q": question.label}})
    if question.kind == Question.Kind.CHOICE and value and value not in question.choices:
        raise ValidationError({key: _("Choose one of the answers offered.")})
    return value


def questions_for(event: Event, scope: str, ticket: Ticket | None = None) -> list[Question]:
    """The questions asked once per order, or of an attendee with `ticket`."""
    reg = event.registration_event
    questions = Question.objects.filter(Q(event=reg) | Q(event__parent=reg), scope=scope)
    if scope == Question.Scope.ATTENDEE:
        questions = questions.filter(Q(ticket__isnull=True) | Q(ticket=ticket))
    return list(questions.order_by("position", "pk"))


def _clean_answers(questions: list[Question], raw: dict[Any, Any]) -> dict[Question, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for question in questions:
        try:
            cleaned[question] = clean_answer(
                question, raw.get(question.pk, raw.get(str(question.pk)))
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_answers(order: Order, attendee: Attendee | None, answers: dict[Question, str]) -> None:
    for question, value in answers.items():
        Answer.objects.update_or_create(
            question=question, order=order, attendee=attendee, defaults={"value": value}
        )


# --- Placing an order ------------------------------------------------------------------------


@dataclass
class Person:
    """One attendee of a new order, as the form or the delegation leader gave them."""

    ticket: Ticket
    first_name: str
    last_name: str
    email: str = ""
    user: Any = None
    answers: dict[Any, Any] = field(default_factory=dict)


def _check_open(event: Event, now: datetime.datetime) -> None:
    if event.published_at is None and event.registration_event.published_at is None:
        raise ValidationError(_("This event is not open for registration."))
    if event.registration_opens_at and now < event.registration_opens_at:
        when = date_format(timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT")
        raise ValidationError(_("Registration opens on %(when)s.") % {"when": when})
    if (event.registration_closes_at and now > event.registration_closes_at) or (
        now > event.ends_at
    ):
        raise ValidationError(_("Registration for this event is closed."))


def _check_ticket(reg: Event, ticket: Ticket, now: datetime.datetime) -> None:
    if reg.pk not in (ticket.event_id, ticket.event.parent_id):
        raise ValidationError({"ticket": _("Choose one of this event's tickets.")})
    if (ticket.available_from and now < ticket.available_from) or (
        ticket.available_until and now > ticket.available_until
    ):
        raise ValidationError({"ticket": _("“%(t)s” is not on sale now.") % {"t": ticket.name}})


def _check_seats(reg: Event, people: list[Person], offer: WaitingListEntry | None = None) -> None:
    available = seats_available(reg, excluding=offer)
    if available is not None and len(people) > available:
        raise SoldOut(
            _("Sorry, no seats are left for this number of people.")
            if available
            else _("Sorry, this event is full.")
        )
    wanted: dict[Ticket, int] = {}
    for person in people:
        wanted[person.ticket] = wanted.get(person.ticket, 0) + 1
    for ticket, count in wanted.items():
        left = ticket_left(ticket)
        if left is not None and count > left:
            raise SoldOut(_("Sorry, no “%(t)s” tickets are left.") % {"t": ticket.name})


def place_order(
    *,
    event: Event,
    people: list[Person],
    email: str,
    buyer: Any,
    member: Member | None,
    order_answers: dict[Any, Any],
    is_delegation: bool = False,
    offer: WaitingListEntry | None = None,
) -> Order:
    """The order itself, for the services that checked their actor (a person's registration,
    a delegation, an accepted offer). Call inside their transaction: it locks the event, checks
    that registration is open, the seats and the quotas, validates the answers, prices each
    ticket, saves the order and attendees, and issues the committee's invoice."""
    now = timezone.now()
    reg = lock_event(event)
    _check_open(reg, now)
    if not people:
        raise ValidationError(_("Add at least one person."))
    errors: dict[str, list[str]] = {}
    for person in people:
        _check_ticket(reg, person.ticket, now)
        if not person.first_name.strip() or not person.last_name.strip():
            errors.setdefault("name", []).append(_("Give each person's first and last name."))
    if errors:
        raise ValidationError(errors)
    answers = _clean_answers(questions_for(reg, Question.Scope.ORDER), order_answers)
    per_person = [
        _clean_answers(questions_for(reg, Question.Scope.ATTENDEE, p.ticket), p.answers)
        if not is_delegation
        else {}
        for p in people
    ]
    _check_seats(reg, people, offer)
    # The committee's good standing, read once for the whole order (not once per person).
    priced_for_members = any(p.ticket.member_price is not None for p in people)
    standing = standing_of(member) if member is not None and priced_for_members else None
    # A student's place always waits for staff (the summit's age, consent and ratio checks),
    # whether or not the event moderates its other registrations.
    moderated = reg.requires_approval or any(p.ticket.for_youth for p in people)
    order = Order(
        event=reg,
        buyer=acting_user(buyer),
        email=email.strip(),
        member=member,
        is_delegation=is_delegation,
        state=Order.State.PENDING if moderated else Order.State.CONFIRMED,
        confirmed_at=None if moderated else now,
    )
    order.full_clean()
    order.save()
    attendees = []
    for person, person_answers in zip(people, per_person, strict=True):
        priced = quote(person.ticket, member=member, now=now, standing=standing)
        attendee = Attendee(
            order=order,
            event=reg,
            ticket=person.ticket,
            user=person.user,
            first_name=person.first_name.strip()[:100],
            last_name=person.last_name.strip()[:100],
            email=person.email.strip(),
            organisation=member.name if member else "",
            price=priced.price,
            price_reason=priced.reason[:200],
            state=Attendee.State.APPLIED if moderated else Attendee.State.APPROVED,
        )
        attendee.full_clean()
        attendee.save()
        if not moderated:
            confirm(attendee, now)
        save_answers(order, attendee, person_answers)
        attendees.append(attendee)
    save_answers(order, None, answers)
    order.total = sum((a.price for a in attendees), ZERO)
    order.save(update_fields=["total", "updated_at"])
    if not moderated:
        invoice_order(order)
    return order


def confirm(attendee: Attendee, now: datetime.datetime) -> None:
    """Confirm one attendee (after the summit's say for a youth ticket)."""
    check_youth_confirmation(attendee)
    attendee.state = Attendee.State.CONFIRMED
    attendee.decided_at = now
    attendee.save(update_fields=["state", "decided_at", "updated_at"])


def invoice_order(order: Order) -> Invoice | None:
    """Issue the committee's one invoice for an order with a price (through members' own
    invoicing: the same gap-free numbering and payment recording as dues). Orders without a
    committee are not invoiced here."""
    if order.member is None or order.invoice_id is not None:
        return None
    lines = [
        (
            _("%(event)s: %(ticket)s for %(name)s (%(reason)s)")
            % {
                "event": order.event.title,
                "ticket": a.ticket.name,
                "name": a.name,
                "reason": a.price_reason,
            },
            Decimal(1),
            a.price,
        )
        for a in order.attendees.select_related("ticket").order_by("pk")
        if a.state in (Attendee.State.CONFIRMED, Attendee.State.APPROVED) and a.price > 0
    ]
    if not lines:
        return None
    # The registration service checked its actor; the invoicing runs as the platform.
    invoice = issue_invoice(
        member=order.member, lines=lines, note=_("Order %(code)s") % {"code": order.code}, by=SYSTEM
    )
    order.invoice = invoice
    order.save(update_fields=["invoice", "updated_at"])
    return invoice


def order_url(order: Order) -> str:
    return absolute_url(reverse("events:order_detail", args=[order.code]))


def _attendee_lines(order: Order) -> str:
    return "\n".join(
        f"- {a.name}: {a.ticket.name} ({a.price} {order.event.currency})"
        for a in order.attendees.select_related("ticket").order_by("pk")
    )


def send_order_mail(order: Order, template: str, *, author: Any, message: str = "") -> None:
    queue_email(
        to=order.email,
        template=template,
        context={
            "event_title": order.event.title,
            "order_code": order.code,
            "attendees": _attendee_lines(order),
            "total": str(order.total),
            "currency": order.event.currency,
            "order_url": order_url(order),
            "message": message,
        },
        related=order,
        by=author,
    )


@transaction.atomic
def register_for_event(
    *,
    event: Event,
    ticket: Ticket,
    first_name: str,
    last_name: str,
    email: str,
    member: Member | None = None,
    answers: dict[Any, Any] | None = None,
    attendee_answers: dict[Any, Any] | None = None,
    by: Any,
) -> Order:
    """A signed-in person registers themself: one order, one attendee. Confirmed at once, or
    applied (holding a seat) where the event requires approval; e-mailed either way. `member`
    (a committee the person administers) asks for the member price, given only in good
    standing. Raises SoldOut when no seat is left (the page offers the waiting list),
    ValidationError for bad input, NotAllowed for a visitor not signed in."""
    require(by, "events.register", event)
    if member is not None and not member.admins.filter(pk=by.pk).exists():
        raise ValidationError({"member": _("Choose a committee you are an admin of.")})
    order = place_order(
        event=event,
        people=[
            Person(
                ticket=ticket,
                first_name=first_name,
                last_name=last_name,
                email=email,
                user=by,
                answers=attendee_answers or {},
            )
        ],
        email=email,
        buyer=by,
        member=member,
        order_answers=answers or {},
    )
    template = (
        "events.registration_applied"
        if order.state == Order.State.PENDING
        else "events.registration_confirmed"
    )
    send_order_mail(order, template, author=by)
    log_activity(order, "events.order.placed", by=by, data={"state": order.state})
    return order


# --- Changes and cancellation ----------------------------------------------------------------


@transaction.atomic
def change_attendee_name(
    *, attendee: Attendee, first_name: str, last_name: str, by: Any
) -> Attendee:
    """Put another name on a ticket, until the event's name-change deadline (else until it
    starts). Raises ValidationError after it or for an empty name."""
    require(by, "events.manage_attendee", attendee)
    event = attendee.event
    deadline = event.name_changes_until or event.starts_at
    if timezone.now() > deadline:
        raise ValidationError(_("Names can no longer be changed for this event."))
    if attendee.state not in (
        Attendee.State.APPLIED,
        Attendee.State.APPROVED,
        Attendee.State.CONFIRMED,
    ):
        raise ValidationError(_("This registration is no longer active."))
    if not first_name.strip() or not last_name.strip():
        raise ValidationError({"first_name": _("Give a first and a last name.")})
    old = attendee.name
    attendee.first_name, attendee.last_name = first_name.strip(), last_name.strip()
    attendee.name_changed_at = timezone.now()
    attendee.full_clean()
    attendee.save()
    log_activity(
        attendee, "events.attendee.renamed", by=by, data={"from": old, "to": attendee.name}
    )
    return attendee


def refund_for(attendee: Attendee, now: datetime.datetime | None = None) -> Decimal:
    """What cancelling now gives back under the event's policy: the price less the
    cancellation fee until `refund_until` (or the event's start when none is set), then 0."""
    event = attendee.event
    moment = now or timezone.now()
    until = event.refund_until or event.starts_at
    if moment > until:
        return ZERO
    return max(ZERO, attendee.price - (event.cancellation_fee or ZERO))


def _cancel(attendee: Attendee, now: datetime.datetime, by: Any) -> Decimal:
    refund = refund_for(attendee, now)
    attendee.state = Attendee.State.CANCELLED
    attendee.cancelled_at = now
    attendee.save(update_fields=["state", "cancelled_at", "updated_at"])
    invoice = attendee.order.invoice
    if invoice is not None and refund > 0:
        owed = balance_of(invoice)
        amount = min(refund, owed)
        if amount > 0:
            credit_invoice(
                invoice=invoice,
                amount=amount,
                reason=_("Cancellation of %(name)s (%(ticket)s)")
                % {"name": attendee.name, "ticket": attendee.ticket.name},
                by=SYSTEM,
            )
    log_activity(attendee, "events.attendee.cancelled", by=by, data={"refund": str(refund)})
    return refund


@transaction.atomic
def cancel_attendee(*, attendee: Attendee, by: Any) -> Decimal:
    """Cancel one attendee under the event's policy: a credit note on the order's invoice for
    the refund (what is still owed on it, at most), the seat freed and offered to the waiting
    list, an e-mail to the order's address. Returns the refund."""
    require(by, "events.manage_attendee", attendee)
    reg = lock_event(attendee.event)
    attendee = Attendee.objects.select_related("order__invoice", "ticket", "event").get(
        pk=attendee.pk
    )
    if attendee.state in (Attendee.State.CANCELLED, Attendee.State.DECLINED):
        raise ValidationError(_("This registration is already cancelled."))
    now = timezone.now()
    refund = _cancel(attendee, now, by)
    order = attendee.order
    if not order.attendees.holding_seats().exists():
        order.state, order.cancelled_at = Order.State.CANCELLED, now
        order.save(update_fields=["state", "cancelled_at", "updated_at"])
    _cancellation_mail(order, [attendee], refund, by)
    offer_freed(reg)
    return refund


@transaction.atomic
def cancel_order(*, order: Order, by: Any) -> Decimal:
    """Cancel every active attendee of an order (see `cancel_attendee`); returns the refund."""
    require(by, "events.manage_order", order)
    reg = lock_event(order.event)
    order = Order.objects.select_related("invoice", "event").get(pk=order.pk)
    active = list(
        order.attendees.holding_seats().select_related("ticket", "event", "order__invoice")
    )
    if not active:
        raise ValidationError(_("This order is already cancelled."))
    now = timezone.now()
    refund = sum((_cancel(a, now, by) for a in active), ZERO)
    order.state, order.cancelled_at = Order.State.CANCELLED, now
    order.save(update_fields=["state", "cancelled_at", "updated_at"])
    _cancellation_mail(order, active, refund, by)
    log_activity(order, "events.order.cancelled", by=by, data={"refund": str(refund)})
    offer_freed(reg)
    return refund


def _cancellation_mail(order: Order, attendees: list[Attendee], refund: Decimal, by: Any) -> None:
    queue_email(
        to=order.email,
        template="events.registration_cancelled",
        context={
            "event_title": order.event.title,
            "order_code": order.code,
            "attendees": "\n".join(f"- {a.name}" for a in attendees),
            "refund": str(refund),
            "currency": order.event.currency,
            "order_url": order_url(order),
        },
        related=order,
        by=by,
    )


def offer_freed(reg: Event) -> None:
    """Offer the seats freed under the lock to the waiting list (services.waitlist)."""
    from twinning.events.services.waitlist import offer_seats_locked

    offer_seats_locked(reg)
