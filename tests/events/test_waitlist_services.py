"""The waiting list: every allowed and every refused transition of its state machine, offers to
the longest-waiting party that fits, acceptance within the offer, expiry (the scheduled job)
and decline passing seats on, and a property test that seats are never oversold whatever the
sequence of registrations, cancellations, offers and answers."""

import datetime
import hashlib
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.events.registration_helpers import make_event, make_ticket
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.events.models import Attendee, Event, WaitingListEntry
from twinning.events.services.registration import (
    SoldOut,
    cancel_attendee,
    register_for_event,
    seats_available,
    seats_offered,
    seats_taken,
)
from twinning.events.services.staff_settings import change_capacity
from twinning.events.services.waitlist import (
    TRANSITIONS,
    InvalidTransition,
    accept_offer,
    decline_offer,
    expire_offers,
    join_waiting_list,
    leave_waiting_list,
    move,
)
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
State = WaitingListEntry.State
ALLOWED = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}


def _register(event, ticket, user=None):
    user = user or UserFactory()
    return register_for_event(
        event=event, ticket=ticket, first_name="A", last_name="B", email=user.email, by=user
    )


def _join(event, size=1, user=None):
    user = user or UserFactory()
    return join_waiting_list(
        event=event, party_size=size, name=f"Party of {size}", email=user.email, by=user
    )


def _offer_token(entry) -> str:
    """The raw token of the entry's offer, read from the e-mail the outbox sent."""
    message = OutboxMessage.objects.filter(
        template="events.waiting_list_offer", object_id=str(entry.pk)
    ).latest("pk")
    (link,) = message.secret_links.values()
    return re.search(r"/offer/([^/]+)/", link).group(1)


def _full_event(capacity=2):
    event = make_event(capacity=capacity)
    ticket = make_ticket(event)
    holders = [_register(event, ticket) for _ in range(capacity)]
    return event, ticket, holders


# --- The state machine -----------------------------------------------------------------------


def test_the_state_machine_is_the_documented_one():
    assert {
        (State.WAITING, State.OFFERED),
        (State.WAITING, State.REMOVED),
        (State.OFFERED, State.ACCEPTED),
        (State.OFFERED, State.EXPIRED),
        (State.OFFERED, State.DECLINED),
        (State.OFFERED, State.REMOVED),
    } == ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_transition_moves_the_entry(source, target):
    event = make_event()
    entry = WaitingListEntry.objects.create(event=event, name="P", email="p@example.org")
    if source == State.OFFERED:
        move(entry, State.OFFERED)

    token = move(entry, target)

    entry.refresh_from_db()
    assert entry.state == target
    if target == State.OFFERED:
        assert entry.offer_token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert entry.offer_expires_at == entry.offered_at + datetime.timedelta(hours=48)
    else:
        assert entry.offer_token_hash is None  # the link dies with the offer


REFUSED = sorted(set(itertools.product(State.values, State.values)) - ALLOWED)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_refused_transition_changes_nothing(source, target):
    event = make_event()
    entry = WaitingListEntry.objects.create(
        event=event,
        name="P",
        email="p@example.org",
        state=source,
        offer_expires_at=timezone.now() if source == State.OFFERED else None,
    )

    with pytest.raises(InvalidTransition):
        move(entry, target)

    assert WaitingListEntry.objects.get(pk=entry.pk).state == source


def test_refused_transition_through_a_service_says_why():
    event, _ticket, _holders = _full_event(1)
    entry = _join(event)
    leave_waiting_list(entry=entry, by=entry.user)

    with pytest.raises(ValidationError, match="“Left the list” cannot become “Left the list”"):
        leave_waiting_list(entry=entry, by=entry.user)


# --- Offers ----------------------------------------------------------------------------------


def test_freed_seat_goes_to_the_longest_waiting_party_that_fits():
    event, _ticket, holders = _full_event(2)
    big, small, later = _join(event, 3), _join(event, 1), _join(event, 1)

    cancel_attendee(attendee=holders[0].attendees.get(), by=holders[0].buyer)

    states = {e.pk: e.state for e in WaitingListEntry.objects.all()}
    assert states == {big.pk: State.WAITING, small.pk: State.OFFERED, later.pk: State.WAITING}
    mail = OutboxMessage.objects.get(template="events.waiting_list_offer")
    assert mail.to == small.email
    assert "/offer/" in mail.body and _offer_token(small) not in mail.body  # stored redacted


def test_offered_seats_are_held_from_other_registrations():
    event, ticket, holders = _full_event(1)
    _join(event)

    cancel_attendee(attendee=holders[0].attendees.get(), by=holders[0].buyer)

    with pytest.raises(SoldOut):
        _register(event, ticket)
    assert seats_offered(event) == 1


def test_accepting_registers_the_party_within_the_offer():
    event, _ticket, holders = _full_event(2)
    entry = _join(event, 2)
    for order in holders:
        cancel_attendee(attendee=order.attendees.get(), by=order.buyer)

    order = accept_offer(
        token=_offer_token(entry), people=[("Ann", "A"), ("Bob", "B")], by=entry.user
    )

    entry.refresh_from_db()
    assert entry.state == State.ACCEPTED and entry.order == order
    assert sorted(order.attendees.values_list("first_name", flat=True)) == ["Ann", "Bob"]
    assert seats_available(event) == 0 and seats_offered(event) == 0


def test_accepting_with_the_wrong_number_of_names_changes_nothing():
    event, _ticket, holders = _full_event(2)
    entry = _join(event, 2)
    for order in holders:
        cancel_attendee(attendee=order.attendees.get(), by=order.buyer)

    with pytest.raises(ValidationError, match="names of the 2 people"):
        accept_offer(token=_offer_token(entry), people=[("Ann", "A")], by=entry.user)

    assert WaitingListEntry.objects.get(pk=entry.pk).state == State.OFFERED


def test_unknown_or_used_offer_link_is_refused():
    event, _ticket, holders = _full_event(1)
    entry = _join(event)
    cancel_attendee(attendee=holders[0].attendees.get(), by=holders[0].buyer)
    token = _offer_token(entry)
    accept_offer(token=token, people=[("A", "B")], by=entry.user)

    with pytest.raises(NotAllowed):
        accept_offer(token="not-a-token", people=[("A", "B")], by=entry.user)
    with pytest.raises(NotAllowed):
        accept_offer(token=token, people=[("A", "B")], by=entry.user)


def test_expired_offer_cannot_be_accepted_and_the_job_passes_it_on():
    event, _ticket, holders = _full_event(1)
    first, second = _join(event), _join(event)
    cancel_attendee(attendee=holders[0].attendees.get(), by=holders[0].buyer)
    token = _offer_token(first)
    WaitingListEntry.objects.filter(pk=first.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    with pytest.raises(ValidationError, match="expired"):
        accept_offer(token=token, people=[("A", "B")], by=first.user)
    call_command("events_expire_offers")

    assert WaitingListEntry.objects.get(pk=first.pk).state == State.EXPIRED
    assert WaitingListEntry.objects.get(pk=second.pk).state == State.OFFERED
    assert OutboxMessage.objects.filter(template="events.waiting_list_offer_expired").count() == 1


def test_the_expiry_job_is_scheduled(settings):
    assert "events_expire_offers" in settings.TWINNING_SCHEDULE


def test_declined_offer_passes_to_the_next_party():
    event, _ticket, holders = _full_event(1)
    first, second = _join(event), _join(event)
    cancel_attendee(attendee=holders[0].attendees.get(), by=holders[0].buyer)

    decline_offer(token=_offer_token(first), by=first.user)

    assert WaitingListEntry.objects.get(pk=first.pk).state == State.DECLINED
    assert WaitingListEntry.objects.get(pk=second.pk).state == State.OFFERED


def test_capacity_raise_offers_the_new_seats(staff_user):
    event, _ticket, _holders = _full_event(1)
    entries = [_join(event), _join(event, 2), _join(event)]

    change_capacity(event=event, capacity=3, by=staff_user)

    assert [WaitingListEntry.objects.get(pk=e.pk).state for e in entries] == [
        State.OFFERED,
        State.WAITING,
        State.OFFERED,
    ]


def test_joining_when_seats_are_free_offers_them_at_once():
    event = make_event(capacity=3)
    make_ticket(event)

    entry = _join(event, 2)

    assert WaitingListEntry.objects.get(pk=entry.pk).state == State.OFFERED


def test_one_live_entry_per_person_and_party_sizes_are_bounded():
    event, _ticket, _holders = _full_event(1)
    user = UserFactory()
    _join(event, 1, user)

    with pytest.raises(ValidationError, match="already"):
        _join(event, 1, user)
    with pytest.raises(ValidationError, match="1 to 20"):
        _join(event, 21)


def test_only_the_party_or_staff_take_an_entry_off_the_list(staff_user):
    event, _ticket, _holders = _full_event(1)
    entry = _join(event)

    with pytest.raises(NotAllowed):
        leave_waiting_list(entry=entry, by=UserFactory())
    leave_waiting_list(entry=entry, by=staff_user)

    assert WaitingListEntry.objects.get(pk=entry.pk).state == State.REMOVED


def test_only_verified_staff_or_the_platform_expire_offers():
    with pytest.raises(NotAllowed):
        expire_offers(by=UserFactory(is_staff=True))

    assert expire_offers(by=SYSTEM) == 0


# --- Property: never oversold ----------------------------------------------------------------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, 3)),
        st.tuples(st.just("cancel"), st.integers(0, 20)),
        st.tuples(st.just("join"), st.integers(1, 3)),
        st.tuples(st.just("accept"), st.integers(0, 20)),
        st.tuples(st.just("decline"), st.integers(0, 20)),
        st.tuples(st.just("expire"), st.integers(0, 20)),
        st.tuples(st.just("capacity"), st.integers(0, 6)),
    ),
    max_size=14,
)


def _apply(event, ticket, op, arg):  # one branch per operation
    offered = list(WaitingListEntry.objects.filter(event=event, state=State.OFFERED))
    held = list(Attendee.objects.filter(event=event).holding_seats().select_related("order"))
    try:
        if op == "register":
            _register(event, ticket)
        elif op == "cancel" and held:
            attendee = held[arg % len(held)]
            cancel_attendee(attendee=attendee, by=attendee.order.buyer)
        elif op == "join":
            _join(event, arg)
        elif op == "accept" and offered:
            entry = offered[arg % len(offered)]
            accept_offer(
                token=_offer_token(entry), people=[("A", "B")] * entry.party_size, by=entry.user
            )
        elif op == "decline" and offered:
            entry = offered[arg % len(offered)]
            decline_offer(token=_offer_token(entry), by=entry.user)
        elif op == "expire" and offered:
            entry = offered[arg % len(offered)]
            WaitingListEntry.objects.filter(pk=entry.pk).update(
                offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
            )
            expire_offers(by=SYSTEM)
        elif op == "capacity":
            change_capacity(event=event, capacity=arg, by=SYSTEM)
    except ValidationError:
        pass  # refused (full, capacity below the seats taken...): refusals are allowed


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_seats_are_never_oversold_whatever_the_sequence(operations):
    event = make_event(capacity=3)
    ticket = make_ticket(event)

    for op, arg in operations:
        _apply(event, ticket, op, arg)
        capacity = Event.objects.get(pk=event.pk).capacity

        assert seats_taken(event) + seats_offered(event) <= capacity, (op, arg)
        # a party waits only while no seats it fits are free
        free = seats_available(Event.objects.get(pk=event.pk))  # the capacity as changed
        waiting = WaitingListEntry.objects.filter(event=event, state=State.WAITING)
        assert not waiting.filter(party_size__lte=free).exists(), (op, arg)
