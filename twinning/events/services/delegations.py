"""Delegations: a committee admin registers several people of the committee on one order and
one invoice (members' invoicing: the same gap-free numbering and payment recording as dues).
Each attendee then completes their own details through a single-use link (256 random bits,
stored hashed, expiring, spent by the answer). The leader sees who has completed them, never
what they entered (date of birth, gender, their answers)."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.events.models import Attendee, Event, Order, Question
from twinning.events.services.registration import (
    Person,
    _clean_answers,
    place_order,
    questions_for,
    save_answers,
    send_order_mail,
)
from twinning.network.models import Country, Member
from twinning.outbox.services import queue_email

DETAILS_LINK_DAYS = 14
MAX_DELEGATION = 50
DETAIL_FIELDS = ("first_name", "last_name", "email", "date_of_birth", "gender", "country")


def _new_details_link(attendee: Attendee, now: datetime.datetime) -> str:
    token = secrets.token_urlsafe(32)
    attendee.details_token_hash = hash_token(token)
    # Two weeks, but never past the event's end.
    attendee.details_token_expires_at = min(
        now + datetime.timedelta(days=DETAILS_LINK_DAYS), attendee.event.ends_at
    )
    attendee.save(update_fields=["details_token_hash", "details_token_expires_at", "updated_at"])
    return token


def _send_details_link(attendee: Attendee, token: str, leader: str, by: Any) -> None:
    queue_email(
        to=attendee.email,
        template="events.delegation_details_link",
        context={
            "event_title": attendee.event.title,
            "person_name": attendee.name,
            "member_name": attendee.order.member.name if attendee.order.member else "",
            "leader_name": leader,
            "details_url": absolute_url(reverse("events:attendee_details", args=[token])),
            "expires": date_format(
                timezone.localtime(attendee.details_token_expires_at), "DATETIME_FORMAT"
            ),
        },
        related=attendee,
        by=by,
    )


@transaction.atomic
def register_delegation(
    *,
    event: Event,
    member: Member,
    people: list[Person],
    email: str,
    answers: dict[Any, Any] | None = None,
    by: Any,
) -> Order:
    """Register a committee's delegation: one order for `member` with each person's ticket,
    priced at the member price when the committee is in good standing; one invoice for the
    order; each person e-mailed a single-use link to complete their details. Raises NotAllowed
    unless `by` administers `member` (or is verified staff), SoldOut when the seats are not
    there for all of them (nobody is registered then), ValidationError for bad input."""
    require(by, "events.register_delegation", member)
    if len(people) > MAX_DELEGATION:
        raise ValidationError(_("A delegation is at most %(n)s people.") % {"n": MAX_DELEGATION})
    missing = [p for p in people if not p.email.strip()]
    if missing:
        raise ValidationError({"email": _("Give each person's e-mail: their link goes there.")})
    order = place_order(
        event=event,
        people=people,
        email=email,
        buyer=by,
        member=member,
        order_answers=answers or {},
        is_delegation=True,
    )
    now = timezone.now()
    leader = getattr(by, "full_name", "") or email
    for attendee in order.attendees.select_related("event", "order__member").order_by("pk"):
        _send_details_link(attendee, _new_details_link(attendee, now), leader, by)
    template = (
        "events.registration_applied"
        if order.state == Order.State.PENDING
        else "events.registration_confirmed"
    )
    send_order_mail(order, template, author=by)
    log_activity(order, "events.delegation.registered", by=by, data={"people": len(people)})
    return order


@transaction.atomic
def resend_details_link(*, attendee: Attendee, by: Any) -> Attendee:
    """A fresh link for an attendee who has not completed their details (the old one dies)."""
    require(by, "events.manage_order", attendee.order)
    if attendee.details_completed_at is not None:
        raise ValidationError(
            _("%(name)s has completed their details already.") % {"name": attendee.name}
        )
    if not attendee.email:
        raise ValidationError(_("This person has no e-mail address."))
    token = _new_details_link(attendee, timezone.now())
    _send_details_link(attendee, token, getattr(by, "full_name", "") or "", by)
    log_activity(attendee, "events.attendee.details_link_sent", by=by)
    return attendee


def find_details_link(token: str) -> Attendee | None:
    """The attendee whose unexpired, unspent details link this is, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Attendee.objects.select_related("event", "ticket", "order__member")
        .filter(details_token_hash=hash_token(token), details_token_expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def complete_attendee_details(
    *, token: str, details: dict[str, Any], answers: dict[Any, Any] | None = None, by: Any
) -> Attendee:
    """An attendee completes their own details through their link, which the answer spends.
    Raises NotAllowed for an unknown, spent or expired link, ValidationError for bad input
    (and the link stays usable)."""
    attendee = find_details_link(token)
    if attendee is None:
        raise NotAllowed("events.attendee_details")
    # A replay racing the first use finds the link spent.
    spent = Attendee.objects.filter(pk=attendee.pk, details_token_hash=hash_token(token)).update(
        details_token_hash=None
    )
    if not spent:
        raise NotAllowed("events.attendee_details")
    for name in DETAIL_FIELDS:
        if name in details:
            value = details[name]
            if name == "country" and isinstance(value, str):
                value = Country.objects.filter(pk=value.upper()).first() if value else None
            if name not in ("date_of_birth", "country"):
                value = str(value or "").strip()
            setattr(attendee, name, value)
    if not attendee.first_name.strip() or not attendee.last_name.strip():
        raise ValidationError({"first_name": _("Give your first and last name.")})
    if attendee.date_of_birth and attendee.date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": _("A date of birth cannot be in the future.")})
    cleaned = _clean_answers(
        questions_for(attendee.event, Question.Scope.ATTENDEE, attendee.ticket), answers or {}
    )
    attendee.details_token_hash = None
    attendee.details_completed_at = timezone.now()
    if getattr(by, "is_authenticated", False) and attendee.user_id is None:
        attendee.user = by
    attendee.full_clean()
    attendee.save()
    save_answers(attendee.order, attendee, cleaned)
    log_activity(attendee, "events.attendee.details_completed", by=by)
    return attendee
