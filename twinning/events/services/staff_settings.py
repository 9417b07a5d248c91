"""Staff's settings of a registration: the capacity (never below the seats taken or offered;
seats it frees go to the waiting list), the tickets (a quota never below the tickets held) and
the questions asked per order or per attendee."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.services import log_activity
from twinning.events.models import Attendee, Event, Question, Ticket
from twinning.events.services.registration import (
    lock_event,
    offer_freed,
    seats_offered,
    seats_taken,
)


@transaction.atomic
def change_capacity(*, event: Event, capacity: int | None, by: Any) -> Event:
    """Set the registration's capacity (None: no limit). It cannot go below the seats taken;
    seats it frees are offered to the waiting list."""
    require(by, "events.manage_registrations", event)
    reg = lock_event(event)
    taken = seats_taken(reg) + seats_offered(reg)
    if capacity is not None and capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(n)s seats are taken or offered: the capacity cannot be lower.")
                % {"n": taken}
            }
        )
    old = reg.capacity
    reg.capacity = capacity
    reg.full_clean()
    reg.save(update_fields=["capacity", "updated_at"])
    log_activity(reg, "events.capacity.changed", by=by, data={"from": old, "to": capacity})
    offer_freed(reg)
    return reg


TICKET_FIELDS = (
    "name",
    "description",
    "price",
    "member_price",
    "early_bird_price",
    "early_bird_until",
    "quota",
    "for_youth",
    "available_from",
    "available_until",
    "position",
)
QUESTION_FIELDS = (
    "ticket",
    "scope",
    "kind",
    "label",
    "help_text",
    "choices",
    "required",
    "position",
)


@transaction.atomic
def save_ticket(*, event: Event, ticket: Ticket | None = None, by: Any, **fields: Any) -> Ticket:
    """Create or change one of the event's tickets (staff). A quota cannot go below the
    tickets already held."""
    require(by, "events.manage_registrations", event)
    ticket = ticket or Ticket(event=event)
    if ticket.event_id != event.pk:
        raise ValidationError(_("This ticket is another event's."))
    for name in TICKET_FIELDS:
        if name in fields:
            setattr(ticket, name, fields[name])
    if ticket.early_bird_price is not None and ticket.early_bird_until is None:
        raise ValidationError(
            {"early_bird_until": _("Say until when the early-bird price applies.")}
        )
    if ticket.pk and ticket.quota is not None:
        held = Attendee.objects.filter(ticket=ticket).holding_seats().count()
        if ticket.quota < held:
            raise ValidationError(
                {"quota": _("%(n)s of these tickets are held already.") % {"n": held}}
            )
    ticket.full_clean()
    ticket.save()
    log_activity(ticket, "events.ticket.saved", by=by, data={"name": ticket.name})
    return ticket


@transaction.atomic
def save_question(
    *, event: Event, question: Question | None = None, by: Any, **fields: Any
) -> Question:
    """Create or change a question of the event (staff): once per order or per attendee (of
    one ticket or all), a consent must be accepted to register."""
    require(by, "events.manage_registrations", event)
    question = question or Question(event=event)
    if question.event_id != event.pk:
        raise ValidationError(_("This question is another event's."))
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    if question.ticket is not None and question.ticket.event_id != event.pk:
        raise ValidationError({"ticket": _("Choose one of this event's tickets.")})
    if question.scope == Question.Scope.ORDER and question.ticket is not None:
        raise ValidationError(
            {"ticket": _("A question asked once per order cannot be for one ticket.")}
        )
    if question.kind == Question.Kind.CHOICE and not question.choices:
        raise ValidationError({"choices": _("Give the answers to choose from, one per line.")})
    if question.kind == Question.Kind.CONSENT:
        question.required = True
    question.full_clean()
    question.save()
    log_activity(question, "events.question.saved", by=by, data={"label": question.label})
    return question
