"""Delegations: a committee admin registers several people on one order and one invoice
(members' invoicing), each attendee completes their own details through a single-use link,
and the leader's page shows each one's status but never their restricted fields (canary)."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.events.registration_helpers import in_good_standing, make_event, make_ticket
from tests.factories import UserFactory
from twinning.core.authz import NotAllowed
from twinning.core.dates import association_today
from twinning.events.models import Answer, Attendee, Order, Question
from twinning.events.services.delegations import (
    complete_attendee_details,
    register_delegation,
    resend_details_link,
)
from twinning.events.services.pricing import quote, standing_of
from twinning.events.services.registration import Person, SoldOut
from twinning.members.models import Invoice, InvoiceCounter
from twinning.members.services.invoices import record_payment
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
CANARY_DOB = datetime.date(1911, 11, 11)
CANARY_DIET = "CANARY-peanut-anaphylaxis"


def _people(ticket, n=3):
    return [
        Person(
            ticket=ticket, first_name=f"Delegate{i}", last_name="Smith", email=f"d{i}@example.org"
        )
        for i in range(1, n + 1)
    ]


def _delegation(member, admin, ticket, n=3):
    return register_delegation(
        event=ticket.event, member=member, people=_people(ticket, n), email=admin.email, by=admin
    )


def _details_token(attendee) -> str:
    message = OutboxMessage.objects.filter(
        template="events.delegation_details_link", object_id=str(attendee.pk)
    ).latest("pk")
    (link,) = message.secret_links.values()
    return re.search(r"/details/([^/]+)/", link).group(1)


def test_delegation_is_one_order_and_one_invoice_at_the_member_price(
    springfield_member, committee_admin_user
):
    in_good_standing(springfield_member)
    ticket = make_ticket(make_event(), price="200.00", member_price=Decimal("120.00"))

    order = _delegation(springfield_member, committee_admin_user, ticket)

    assert order.is_delegation and order.member == springfield_member
    assert order.attendees.count() == 3
    invoice = Invoice.objects.get()
    assert order.invoice == invoice
    assert invoice.total == Decimal("360.00")
    assert invoice.lines.count() == 3
    assert InvoiceCounter.objects.get().last_number == 1  # members' gap-free numbering


def test_delegation_invoice_takes_payments_like_dues(
    springfield_member, committee_admin_user, staff_user
):
    in_good_standing(springfield_member)
    order = _delegation(springfield_member, committee_admin_user, make_ticket(make_event()), 2)

    record_payment(
        invoice=order.invoice,
        amount="200.00",
        method="bank_transfer",
        received_on=association_today(),  # the association's day: UTC's may be tomorrow
        by=staff_user,
    )

    assert Invoice.objects.with_balance().get().balance_due == 0


def test_each_attendee_gets_a_single_use_link_stored_hashed(
    springfield_member, committee_admin_user
):
    order = _delegation(springfield_member, committee_admin_user, make_ticket(make_event()))

    attendees = list(order.attendees.order_by("pk"))
    tokens = [_details_token(a) for a in attendees]
    assert [a.details_token_hash for a in attendees] == [
        hashlib.sha256(t.encode()).hexdigest() for t in tokens
    ]
    assert all(len(t) >= 43 for t in tokens)  # 256 random bits
    mails = OutboxMessage.objects.filter(template="events.delegation_details_link")
    assert sorted(mails.values_list("to", flat=True)) == [
        "d1@example.org",
        "d2@example.org",
        "d3@example.org",
    ]
    assert all(t not in m.body for m in mails for t in tokens)  # the outbox shows it redacted


def test_attendee_completes_their_details_once(springfield_member, committee_admin_user):
    event = make_event()
    ticket = make_ticket(event)
    diet = Question.objects.create(event=event, scope="attendee", label="Dietary needs")
    order = _delegation(springfield_member, committee_admin_user, ticket, 1)
    attendee = order.attendees.get()
    token = _details_token(attendee)

    complete_attendee_details(
        token=token,
        details={"first_name": "Ana", "last_name": "Silva", "date_of_birth": CANARY_DOB},
        answers={diet.pk: CANARY_DIET},
        by=UserFactory(),
    )
    with pytest.raises(NotAllowed):
        complete_attendee_details(token=token, details={}, by=UserFactory())

    attendee.refresh_from_db()
    assert (attendee.name, attendee.date_of_birth) == ("Ana Silva", CANARY_DOB)
    assert attendee.details_completed_at is not None and attendee.details_token_hash is None
    assert Answer.objects.get(attendee=attendee).value == CANARY_DIET


def test_bad_details_keep_the_link_usable(springfield_member, committee_admin_user):
    order = _delegation(springfield_member, committee_admin_user, make_ticket(make_event()), 1)
    attendee = order.attendees.get()
    token = _details_token(attendee)

    with pytest.raises(ValidationError, match="cannot be in the future"):
        complete_attendee_details(
            token=token,
            details={"date_of_birth": timezone.localdate() + datetime.timedelta(days=3)},
            by=UserFactory(),
        )

    attendee.refresh_from_db()
    assert attendee.details_token_hash is not None and attendee.details_completed_at is None


def test_expired_details_link_is_refused(springfield_member, committee_admin_user):
    order = _delegation(springfield_member, committee_admin_user, make_ticket(make_event()), 1)
    attendee = order.attendees.get()
    token = _details_token(attendee)
    Attendee.objects.filter(pk=attendee.pk).update(
        details_token_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with pytest.raises(NotAllowed):
        complete_attendee_details(token=token, details={"first_name": "X"}, by=UserFactory())


def test_new_link_replaces_the_old_one(springfield_member, committee_admin_user):
    order = _delegation(springfield_member, committee_admin_user, make_ticket(make_event()), 1)
    attendee = order.attendees.get()
    old = _details_token(attendee)

    resend_details_link(attendee=attendee, by=committee_admin_user)

    with pytest.raises(NotAllowed):
        complete_attendee_details(token=old, details={}, by=UserFactory())
    assert (
        complete_attendee_details(
            token=_details_token(attendee), details={"first_name": "New"}, by=UserFactory()
        ).first_name
        == "New"
    )


def test_admin_of_another_committee_cannot_register_springfield(
    springfield_member, other_committee_admin_user
):
    ticket = make_ticket(make_event())

    with pytest.raises(NotAllowed):
        _delegation(springfield_member, other_committee_admin_user, ticket)

    assert not Order.objects.exists()


def test_delegation_larger_than_the_seats_left_registers_nobody(
    springfield_member, committee_admin_user
):
    ticket = make_ticket(make_event(capacity=2))

    with pytest.raises(SoldOut, match="no seats are left for this number of people"):
        _delegation(springfield_member, committee_admin_user, ticket, 3)

    assert not Attendee.objects.exists()
    assert not Invoice.objects.exists()


def test_each_delegate_needs_an_email(springfield_member, committee_admin_user):
    ticket = make_ticket(make_event())
    people = _people(ticket, 2)
    people[1].email = ""

    with pytest.raises(ValidationError, match="Give each person's e-mail"):
        register_delegation(
            event=ticket.event,
            member=springfield_member,
            people=people,
            email="x@example.org",
            by=committee_admin_user,
        )


# --- Good standing is read once per order ---------------------------------------------------

STANDING_TABLES = ('"members_membership"', '"network_partnership"')


def _standing_queries(captured) -> int:
    """The queries members.standing makes (the membership and the partnerships)."""
    return sum(1 for q in captured if any(table in q["sql"] for table in STANDING_TABLES))


@pytest.mark.parametrize("good_standing", [True, False])
def test_an_order_of_five_reads_the_standing_as_often_as_an_order_of_one(
    springfield_member, committee_admin_user, good_standing, django_assert_num_queries
):
    if good_standing:
        in_good_standing(springfield_member)
    ticket = make_ticket(make_event(), price="200.00", member_price=Decimal("120.00"))
    with CaptureQueriesContext(connection) as one:
        _delegation(springfield_member, committee_admin_user, ticket, n=1)
    with CaptureQueriesContext(connection) as five:
        order = _delegation(springfield_member, committee_admin_user, ticket, n=5)

    standing_once = _standing_queries(one.captured_queries)
    assert standing_once > 0
    assert _standing_queries(five.captured_queries) == standing_once
    price = Decimal("120.00") if good_standing else Decimal("200.00")
    assert [a.price for a in order.attendees.all()] == [price] * 5
    # Given the standing read once, pricing each person reads nothing more.
    known = standing_of(springfield_member)
    with django_assert_num_queries(0):
        quotes = [quote(ticket, member=springfield_member, standing=known) for _ in range(5)]
    assert {q.price for q in quotes} == {price}
    assert all(bool(q.refusals) is not good_standing for q in quotes)
