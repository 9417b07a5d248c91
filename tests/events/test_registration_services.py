"""Registration services: prices (early bird, member price with the reasons it is refused),
questions and consents, capacity and quotas, a part sharing its parent's registration,
name changes, cancellation with credit notes, moderated registration, staff's tickets and
questions, and the summit's call point."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.events.registration_helpers import in_good_standing, make_event, make_ticket
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.events.models import Answer, Attendee, Event, Order, Question, WaitingListEntry
from twinning.events.services.moderation import (
    approve_attendee,
    decline_attendee,
    waitlist_attendee,
)
from twinning.events.services.pricing import quote
from twinning.events.services.registration import (
    SoldOut,
    cancel_attendee,
    cancel_order,
    change_attendee_name,
    register_for_event,
    seats_available,
)
from twinning.events.services.staff_settings import change_capacity, save_question, save_ticket
from twinning.members.models import Invoice
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _register(event, ticket, user=None, **kwargs):
    user = user or UserFactory()
    return register_for_event(
        event=event,
        ticket=ticket,
        first_name=kwargs.pop("first_name", "Ada"),
        last_name=kwargs.pop("last_name", "Lovelace"),
        email=user.email,
        by=user,
        **kwargs,
    )


# --- Prices ----------------------------------------------------------------------------------


def test_early_bird_price_applies_until_its_date():
    event = make_event()
    ticket = make_ticket(
        event,
        price="200.00",
        early_bird_price=Decimal("150.00"),
        early_bird_until=timezone.now() + datetime.timedelta(days=1),
    )

    before = quote(ticket)
    after = quote(ticket, now=timezone.now() + datetime.timedelta(days=2))

    assert before.price == Decimal("150.00")
    assert before.reason.startswith("Early-bird price until")
    assert (after.price, after.reason) == (Decimal("200.00"), "Regular price")


def test_member_price_goes_to_a_committee_in_good_standing(springfield_member):
    ticket = make_ticket(make_event(), price="200.00", member_price=Decimal("120.00"))
    in_good_standing(springfield_member)

    priced = quote(ticket, member=springfield_member)

    assert priced.price == Decimal("120.00")
    assert priced.reason == "Member price (Springfield Sister Cities is in good standing)"
    assert priced.refusals == []


def test_member_price_refused_with_the_standing_reasons(springfield_member):
    ticket = make_ticket(make_event(), price="200.00", member_price=Decimal("120.00"))

    priced = quote(ticket, member=springfield_member)

    assert priced.price == Decimal("200.00")
    assert any("active partnership" in text for text in priced.refusals)


def test_registering_with_a_lapsed_committee_pays_the_regular_price(
    springfield_member, committee_admin_user
):
    event = make_event()
    ticket = make_ticket(event, price="200.00", member_price=Decimal("120.00"))

    order = _register(event, ticket, committee_admin_user, member=springfield_member)

    assert order.attendees.get().price == Decimal("200.00")


def test_member_price_only_for_a_committee_one_administers(springfield_member):
    event = make_event()
    ticket = make_ticket(event, member_price=Decimal("1.00"))

    with pytest.raises(ValidationError, match="Choose a committee you are an admin of"):
        _register(event, ticket, member=springfield_member)

    assert not Order.objects.exists()


def test_member_registration_with_a_price_is_invoiced_to_the_committee(
    springfield_member, committee_admin_user
):
    in_good_standing(springfield_member)
    event = make_event()
    ticket = make_ticket(event, price="200.00", member_price=Decimal("120.00"))

    order = _register(event, ticket, committee_admin_user, member=springfield_member)

    invoice = order.invoice
    assert (invoice.member, invoice.total, invoice.kind) == (
        springfield_member,
        Decimal("120.00"),
        Invoice.Kind.INVOICE,
    )
    assert invoice.number.endswith("-0001")


# --- Registering -----------------------------------------------------------------------------


def test_registration_confirms_and_emails_the_person():
    event = make_event()
    ticket = make_ticket(event)

    order = _register(event, ticket)

    assert order.state == Order.State.CONFIRMED
    assert order.attendees.get().state == Attendee.State.CONFIRMED
    mail = OutboxMessage.objects.get(template="events.registration_confirmed")
    assert order.code in mail.subject
    assert ActivityLog.objects.filter(action="events.order.placed").count() == 1


def test_visitor_not_signed_in_may_not_register():
    from django.contrib.auth.models import AnonymousUser

    event = make_event()

    with pytest.raises(NotAllowed):
        register_for_event(
            event=event,
            ticket=make_ticket(event),
            first_name="A",
            last_name="B",
            email="a@example.org",
            by=AnonymousUser(),
        )


def test_full_event_answers_sold_out_and_registers_nobody():
    event = make_event(capacity=1)
    ticket = make_ticket(event)
    _register(event, ticket)

    with pytest.raises(SoldOut, match="this event is full"):
        _register(event, ticket)

    assert Attendee.objects.count() == 1


def test_ticket_quota_is_kept_within_the_capacity():
    event = make_event(capacity=10)
    ticket = make_ticket(event, quota=1)
    _register(event, ticket)

    with pytest.raises(SoldOut, match="no “Full conference” tickets are left"):
        _register(event, ticket)


def test_summit_shares_the_conference_registration_and_capacity():
    conference = make_event(capacity=1)
    summit = make_event(
        capacity=None, kind=Event.Kind.SUMMIT, parent=conference, starts_at=conference.starts_at
    )
    ticket = make_ticket(summit, name="Summit")
    _register(conference, make_ticket(conference))

    with pytest.raises(SoldOut):
        _register(summit, ticket)

    assert seats_available(summit) == 0


def test_closed_or_unpublished_event_refuses_registration():
    closed = make_event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    hidden = make_event(published_at=None)

    with pytest.raises(ValidationError, match="closed"):
        _register(closed, make_ticket(closed))
    with pytest.raises(ValidationError, match="not open"):
        _register(hidden, make_ticket(hidden))


def test_another_events_ticket_is_refused():
    event, other = make_event(), make_event()

    with pytest.raises(ValidationError, match="this event's tickets"):
        _register(event, make_ticket(other))


def test_required_consent_must_be_accepted():
    event = make_event()
    ticket = make_ticket(event)
    consent = Question.objects.create(
        event=event, scope="order", kind="consent", label="I accept the code of conduct"
    )

    with pytest.raises(ValidationError) as refused:
        _register(event, ticket, answers={consent.pk: ""})
    order = _register(event, ticket, answers={consent.pk: "on"})

    assert refused.value.message_dict == {
        f"q_{consent.pk}": ["Please accept: “I accept the code of conduct”."]
    }
    assert Answer.objects.get(order=order, attendee=None).value == "yes"


def test_ticket_question_is_asked_only_of_that_ticket():
    event = make_event()
    workshop, plain = make_ticket(event, name="Workshop"), make_ticket(event, name="Plain")
    question = Question.objects.create(
        event=event, ticket=workshop, scope="attendee", label="Which workshop?", required=True
    )

    order = _register(event, plain)
    with pytest.raises(ValidationError, match="Which workshop"):
        _register(event, workshop)
    answered = _register(event, workshop, attendee_answers={question.pk: "Trade"})

    assert not order.answers.exists()
    assert answered.answers.get().attendee == answered.attendees.get()


def test_choice_answer_must_be_one_offered():
    event = make_event()
    question = Question.objects.create(
        event=event, scope="order", kind="choice", label="Meal", choices=["Fish", "Vegetarian"]
    )

    with pytest.raises(ValidationError, match="Choose one of the answers"):
        _register(event, make_ticket(event), answers={question.pk: "Beef"})


# --- Youth tickets: the summit's call point ---------------------------------------------------


def test_a_youth_ticket_is_held_for_staff_even_when_the_event_is_not_moderated():
    event = make_event()
    ticket = make_ticket(event, name="Student", for_youth=True)

    order = _register(event, ticket)

    attendee = order.attendees.get()
    assert not event.requires_approval
    assert attendee.state == Attendee.State.APPLIED
    assert order.state == Order.State.PENDING


def test_confirming_a_youth_ticket_without_guardian_consent_is_refused(staff_user):
    event = make_event()
    attendee = _register(event, make_ticket(event, name="Student", for_youth=True)).attendees.get()

    with pytest.raises(ValidationError, match="guardian has not given consent"):
        approve_attendee(attendee=attendee, by=staff_user)

    attendee.refresh_from_db()
    assert attendee.state == Attendee.State.APPLIED


# --- Names and cancellation ------------------------------------------------------------------


def test_name_change_until_the_deadline():
    event = make_event(name_changes_until=timezone.now() + datetime.timedelta(days=1))
    user = UserFactory()
    attendee = _register(event, make_ticket(event), user).attendees.get()

    change_attendee_name(attendee=attendee, first_name="Grace", last_name="Hopper", by=user)
    Event.objects.filter(pk=event.pk).update(
        name_changes_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    attendee.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer be changed"):
        change_attendee_name(attendee=attendee, first_name="X", last_name="Y", by=user)

    assert Attendee.objects.get().name == "Grace Hopper"


def test_stranger_may_not_rename_or_cancel():
    event = make_event()
    attendee = _register(event, make_ticket(event)).attendees.get()
    stranger = UserFactory()

    with pytest.raises(NotAllowed):
        change_attendee_name(attendee=attendee, first_name="X", last_name="Y", by=stranger)
    with pytest.raises(NotAllowed):
        cancel_attendee(attendee=attendee, by=stranger)


def test_cancellation_before_refund_date_credits_the_invoice_less_the_fee(
    springfield_member, committee_admin_user
):
    in_good_standing(springfield_member)
    event = make_event(
        refund_until=timezone.now() + datetime.timedelta(days=5),
        cancellation_fee=Decimal("20.00"),
    )
    ticket = make_ticket(event, price="200.00", member_price=Decimal("120.00"))
    order = _register(event, ticket, committee_admin_user, member=springfield_member)

    refund = cancel_order(order=order, by=committee_admin_user)

    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert refund == Decimal("100.00")
    assert (note.credits, note.total) == (order.invoice, Decimal("100.00"))
    assert Order.objects.get().state == Order.State.CANCELLED
    assert OutboxMessage.objects.filter(template="events.registration_cancelled").count() == 1


def test_cancellation_after_refund_date_refunds_nothing(springfield_member, committee_admin_user):
    in_good_standing(springfield_member)
    event = make_event(refund_until=timezone.now() - datetime.timedelta(days=1))
    ticket = make_ticket(event, price="200.00")
    order = _register(event, ticket, committee_admin_user, member=springfield_member)

    refund = cancel_attendee(attendee=order.attendees.get(), by=committee_admin_user)

    assert refund == Decimal("0.00")
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()
    assert Attendee.objects.get().state == Attendee.State.CANCELLED


def test_cancelling_twice_is_refused():
    event = make_event()
    user = UserFactory()
    order = _register(event, make_ticket(event), user)
    cancel_order(order=order, by=user)

    with pytest.raises(ValidationError, match="already cancelled"):
        cancel_order(order=order, by=user)


# --- Moderated registration ------------------------------------------------------------------


def test_application_holds_its_seat_so_approval_never_oversells(staff_user):
    event = make_event(capacity=1, requires_approval=True)
    ticket = make_ticket(event)
    order = _register(event, ticket)

    with pytest.raises(SoldOut):
        _register(event, ticket)
    approve_attendee(attendee=order.attendees.get(), message="Welcome!", by=staff_user)

    assert Attendee.objects.get().state == Attendee.State.CONFIRMED
    assert Order.objects.get().state == Order.State.CONFIRMED
    approved = OutboxMessage.objects.get(template="events.application_approved")
    assert "Welcome!" in approved.body
    assert OutboxMessage.objects.filter(template="events.registration_applied").count() == 1


def test_decline_needs_a_message_and_frees_the_seat(staff_user):
    event = make_event(capacity=1, requires_approval=True)
    attendee = _register(event, make_ticket(event)).attendees.get()

    with pytest.raises(ValidationError, match="Say why"):
        decline_attendee(attendee=attendee, message=" ", by=staff_user)
    decline_attendee(attendee=attendee, message="The summit is for delegates.", by=staff_user)

    assert seats_available(event) == 1
    assert Order.objects.get().state == Order.State.CANCELLED
    assert "The summit is for delegates." in (
        OutboxMessage.objects.get(template="events.application_declined").body
    )


def test_waitlisting_an_application_puts_the_person_at_the_end_of_the_list(staff_user):
    event = make_event(capacity=1, requires_approval=True)
    first = WaitingListEntry.objects.create(event=event, name="Earlier", email="e@example.org")
    attendee = _register(event, make_ticket(event)).attendees.get()

    entry = waitlist_attendee(attendee=attendee, message="Soon, we hope.", by=staff_user)

    first.refresh_from_db()
    assert (entry.state, entry.name) == (WaitingListEntry.State.WAITING, "Ada Lovelace")
    assert first.state == WaitingListEntry.State.OFFERED  # the freed seat went to who waited
    assert OutboxMessage.objects.filter(template="events.application_waitlisted").count() == 1


def test_deciding_twice_is_refused(staff_user):
    event = make_event(requires_approval=True)
    attendee = _register(event, make_ticket(event)).attendees.get()
    approve_attendee(attendee=attendee, by=staff_user)

    with pytest.raises(ValidationError, match="already decided"):
        decline_attendee(attendee=attendee, message="No", by=staff_user)


def test_only_verified_staff_decide():
    event = make_event(requires_approval=True)
    attendee = _register(event, make_ticket(event)).attendees.get()

    with pytest.raises(NotAllowed):
        approve_attendee(attendee=attendee, by=UserFactory(is_staff=True))


# --- Staff: capacity, tickets, questions -----------------------------------------------------


def test_capacity_cannot_go_below_the_seats_taken(staff_user):
    event = make_event(capacity=5)
    ticket = make_ticket(event)
    _register(event, ticket)
    _register(event, ticket)

    with pytest.raises(ValidationError, match="2 seats are taken"):
        change_capacity(event=event, capacity=1, by=staff_user)
    change_capacity(event=event, capacity=2, by=staff_user)

    assert Event.objects.get(pk=event.pk).capacity == 2


def test_staff_save_a_ticket_and_a_question(staff_user):
    event = make_event()

    ticket = save_ticket(event=event, name="Day pass", price=Decimal("50.00"), by=staff_user)
    question = save_question(
        event=event, scope="attendee", kind="consent", label="Photos OK", by=staff_user
    )

    assert (ticket.event, ticket.price) == (event, Decimal("50.00"))
    assert question.required is True  # a consent is always required


def test_early_bird_price_needs_its_date(staff_user):
    event = make_event()

    with pytest.raises(ValidationError, match="until when"):
        save_ticket(event=event, name="X", early_bird_price=Decimal("1.00"), by=staff_user)


def test_order_question_cannot_be_for_one_ticket(staff_user):
    event = make_event()
    ticket = make_ticket(event)

    with pytest.raises(ValidationError, match="once per order"):
        save_question(event=event, scope="order", ticket=ticket, label="Q", by=staff_user)


def test_quota_cannot_go_below_tickets_held(staff_user):
    event = make_event()
    ticket = make_ticket(event)
    _register(event, ticket)
    _register(event, ticket)

    with pytest.raises(ValidationError, match="2 of these tickets are held"):
        save_ticket(event=event, ticket=ticket, quota=1, by=staff_user)


def test_system_may_manage_registrations():
    event = make_event(capacity=3)

    change_capacity(event=event, capacity=4, by=SYSTEM)

    assert Event.objects.get(pk=event.pk).capacity == 4


def test_other_committee_cannot_use_springfield_for_the_member_price(
    springfield_member, other_committee_admin_user
):
    in_good_standing(springfield_member)
    event = make_event()

    with pytest.raises(ValidationError):
        _register(
            event,
            make_ticket(event, member_price=Decimal("1.00")),
            other_committee_admin_user,
            member=springfield_member,
        )
    assert not Order.objects.exists()
