"""Moderated registration: where an event requires approval, people apply (holding a seat from
the moment they apply, so an approval never oversells) and staff approve, put on the waiting
list or decline, each with a message to the person. Every decision locks the registration
event's row first (services.registration.lock_event), as every change of seats does."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.services import log_activity
from twinning.events.models import Attendee, Event, Order, WaitingListEntry
from twinning.events.services.registration import (
    confirm,
    invoice_order,
    lock_event,
    offer_freed,
    order_url,
)
from twinning.members.models import ZERO
from twinning.outbox.services import queue_email


def _decide(attendee: Attendee, by: Any) -> tuple[Event, Attendee]:
    require(by, "events.manage_registrations", attendee.event)
    reg = lock_event(attendee.event)
    attendee = Attendee.objects.select_related("order__member", "ticket", "event").get(
        pk=attendee.pk
    )
    if attendee.state != Attendee.State.APPLIED:
        raise ValidationError(_("This application was already decided."))
    return reg, attendee


def _settle_order(order: Order, now: datetime.datetime) -> None:
    """Once no attendee of an order awaits a decision, it is confirmed (and invoiced) or,
    with nobody left, cancelled."""
    states = set(order.attendees.values_list("state", flat=True))
    if Attendee.State.APPLIED in states:
        return
    if Attendee.State.CONFIRMED in states:
        order.state, order.confirmed_at = Order.State.CONFIRMED, now
        order.total = sum(
            (a.price for a in order.attendees.filter(state=Attendee.State.CONFIRMED)), ZERO
        )
        order.save(update_fields=["state", "confirmed_at", "total", "updated_at"])
        invoice_order(order)
    else:
        order.state, order.cancelled_at = Order.State.CANCELLED, now
        order.save(update_fields=["state", "cancelled_at", "updated_at"])


def _decision_mail(attendee: Attendee, template: str, message: str, by: Any) -> None:
    order = attendee.order
    queue_email(
        to=attendee.email or order.email,
        template=template,
        context={
            "event_title": attendee.event.title,
            "person_name": attendee.name,
            "order_code": order.code,
            "order_url": order_url(order),
            "message": message.strip(),
        },
        related=attendee,
        by=by,
    )


@transaction.atomic
def approve_attendee(*, attendee: Attendee, message: str = "", by: Any) -> Attendee:
    """Approve an application: the attendee is confirmed (their seat was held since they
    applied, so approval never oversells), the order invoiced once nobody on it awaits a
    decision, the person e-mailed with `message`."""
    _reg, attendee = _decide(attendee, by)
    now = timezone.now()
    confirm(attendee, now)
    _settle_order(attendee.order, now)
    _decision_mail(attendee, "events.application_approved", message, by)
    log_activity(attendee, "events.attendee.approved", by=by)
    return attendee


@transaction.atomic
def decline_attendee(*, attendee: Attendee, message: str = "", by: Any) -> Attendee:
    """Decline an application with a message; the seat it held goes to the waiting list."""
    reg, attendee = _decide(attendee, by)
    if not message.strip():
        raise ValidationError({"message": _("Say why, in a few words: the person reads it.")})
    now = timezone.now()
    attendee.state, attendee.decided_at = Attendee.State.DECLINED, now
    attendee.save(update_fields=["state", "decided_at", "updated_at"])
    _settle_order(attendee.order, now)
    _decision_mail(attendee, "events.application_declined", message, by)
    log_activity(attendee, "events.attendee.declined", by=by)
    offer_freed(reg)
    return attendee


@transaction.atomic
def waitlist_attendee(*, attendee: Attendee, message: str = "", by: Any) -> WaitingListEntry:
    """Move an application to the end of the waiting list (a party of one): the application
    is declined, its seat freed for those waiting before it, the person told with `message`."""
    reg, attendee = _decide(attendee, by)
    now = timezone.now()
    attendee.state, attendee.decided_at = Attendee.State.DECLINED, now
    attendee.save(update_fields=["state", "decided_at", "updated_at"])
    _settle_order(attendee.order, now)
    entry = WaitingListEntry(
        event=reg,
        ticket=attendee.ticket,
        party_size=1,
        name=attendee.name,
        email=attendee.email or attendee.order.email,
        user=attendee.user,
        member=attendee.order.member,
    )
    entry.full_clean()
    entry.save()
    _decision_mail(attendee, "events.application_waitlisted", message, by)
    log_activity(attendee, "events.attendee.waitlisted", by=by, data={"entry": entry.pk})
    offer_freed(reg)
    return entry
