"""Registration pages as people and committees use them: register (prices and the reasons a
member price is refused, a full event offering the waiting list), my registrations, an order
(name change, cancellation), a waiting-list offer, a delegation and its details links (with
the canary: the leader never sees an attendee's restricted fields)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.events.registration_helpers import in_good_standing, make_event, make_ticket
from tests.factories import CountryFactory, UserFactory
from twinning.events.models import Answer, Attendee, Order, Question, WaitingListEntry
from twinning.events.services.delegations import register_delegation
from twinning.events.services.registration import Person, register_for_event
from twinning.events.services.waitlist import join_waiting_list
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
CANARY_DOB = datetime.date(1911, 11, 11)
CANARY_DIET = "CANARY-shellfish-allergy"


def _register(event, ticket, user):
    return register_for_event(
        event=event, ticket=ticket, first_name="Ada", last_name="L", email=user.email, by=user
    )


def _link(template, obj, part):
    message = OutboxMessage.objects.filter(template=template, object_id=str(obj.pk)).latest("pk")
    (link,) = message.secret_links.values()
    return re.search(rf"(/events/registration/{part}/[^/]+/)", link).group(1)


# --- Register --------------------------------------------------------------------------------


def test_register_page_shows_prices_and_why_the_member_price_is_refused(
    committee_admin, springfield_member
):
    event = make_event(slug="conf")
    make_ticket(event, price="200.00", member_price=Decimal("120.00"))

    response = committee_admin.get("/events/conf/register/")

    assert "200.00 USD" in response.text
    assert "No member price for Springfield Sister Cities:" in response.text
    assert "active partnership" in response.text


def test_registering_from_the_page_confirms_and_shows_the_order(public, public_user):
    event = make_event(slug="conf")
    ticket = make_ticket(event)

    response = public.post(
        "/events/conf/register/",
        {"ticket": ticket.pk, "first_name": "Ada", "last_name": "Lovelace", "email": "a@x.org"},
        follow=True,
    )

    order = Order.objects.get()
    assert order.buyer == public_user
    assert "You are registered." in response.text
    assert f"Order {order.code}" in response.text
    assert OutboxMessage.objects.filter(template="events.registration_confirmed").count() == 1


def test_full_event_offers_the_waiting_list(public):
    event = make_event(slug="conf", capacity=1)
    ticket = make_ticket(event)
    _register(event, ticket, UserFactory())

    response = public.post(
        "/events/conf/register/",
        {"ticket": ticket.pk, "first_name": "Ada", "last_name": "L", "email": "a@x.org"},
    )

    assert response.status_code == 200
    assert "Sorry, this event is full." in response.text
    assert "Join the waiting list" in response.text
    assert Attendee.objects.count() == 1


def test_joining_the_waiting_list_from_the_page(public, public_user):
    event = make_event(slug="conf", capacity=1)
    _register(event, make_ticket(event), UserFactory())

    response = public.post(
        "/events/conf/waiting-list/",
        {"party_size": 3, "name": "Ada's team", "email": "a@x.org"},
        follow=True,
    )

    assert "You are on the waiting list." in response.text
    assert WaitingListEntry.objects.get().user == public_user
    assert "party of 3" in response.text


def test_unanswered_consent_gets_a_message_and_registers_nobody(public):
    event = make_event(slug="conf")
    ticket = make_ticket(event)
    Question.objects.create(event=event, scope="order", kind="consent", label="Code of conduct")

    response = public.post(
        "/events/conf/register/",
        {"ticket": ticket.pk, "first_name": "Ada", "last_name": "L", "email": "a@x.org"},
    )

    assert "This field is required." in response.text or "Please accept" in response.text
    assert not Order.objects.exists()


def test_nonsense_ticket_changes_nothing(public):
    make_ticket(make_event(slug="conf"))

    response = public.post(
        "/events/conf/register/",
        {"ticket": "9999", "first_name": "A", "last_name": "B", "email": "not-an-email"},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert not Order.objects.exists()


def test_register_page_of_an_unpublished_event_does_not_exist(public):
    make_event(slug="draft", published_at=None)

    assert public.get("/events/draft/register/").status_code == 404


def test_register_page_sends_visitors_to_sign_in(anonymous):
    make_event(slug="conf")

    response = anonymous.get("/events/conf/register/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- My registrations and an order -----------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_my_registrations_lists_my_orders_in_constant_queries(
    public, public_user, count, django_assert_num_queries
):
    for _ in range(count):
        event = make_event()
        _register(event, make_ticket(event), public_user)
    public.get("/events/registration/mine/")  # the session's roles are detected once

    with django_assert_num_queries(7):
        response = public.get("/events/registration/mine/")

    assert response.text.count("Ada L (Full conference)") == count


def test_order_page_is_the_buyers_only(public, public_user, other_committee_admin):
    event = make_event()
    order = _register(event, make_ticket(event), public_user)

    mine = public.get(f"/events/registration/orders/{order.code}/")
    theirs = other_committee_admin.get(f"/events/registration/orders/{order.code}/")

    assert f"Order {order.code}" in mine.text
    assert theirs.status_code == 404


def test_name_change_and_cancellation_from_the_order_page(public, public_user):
    event = make_event()
    order = _register(event, make_ticket(event), public_user)
    attendee = order.attendees.get()

    public.post(
        f"/events/registration/attendees/{attendee.pk}/name/",
        {"first_name": "Grace", "last_name": "Hopper"},
    )
    response = public.post(f"/events/registration/orders/{order.code}/cancel/", follow=True)

    attendee.refresh_from_db()
    assert attendee.name == "Grace Hopper"
    assert attendee.state == Attendee.State.CANCELLED
    assert "The order is cancelled. Refund: 100.00 USD." in response.text


def test_stranger_cannot_cancel_someone_elses_attendee(public, public_user):
    event = make_event()
    attendee = _register(event, make_ticket(event), UserFactory()).attendees.get()

    response = public.post(f"/events/registration/attendees/{attendee.pk}/cancel/")

    assert response.status_code == 404
    assert Attendee.objects.get().state == Attendee.State.CONFIRMED


# --- Waiting-list offers ---------------------------------------------------------------------


def _offered(capacity=1):
    event = make_event(capacity=capacity)
    ticket = make_ticket(event)
    holder = UserFactory()
    order = _register(event, ticket, holder)
    waiting = UserFactory()
    entry = join_waiting_list(event=event, party_size=1, name="W", email=waiting.email, by=waiting)
    from twinning.events.services.registration import cancel_order

    cancel_order(order=order, by=holder)
    return event, entry


def test_offer_page_accepts_with_the_names(anonymous):
    _event, entry = _offered()
    path = _link("events.waiting_list_offer", entry, "offer")

    page = anonymous.get(path)
    done = anonymous.post(path, {"answer": "accept", "first_1": "Ann", "last_1": "Lee"})

    assert "1 seat is held for you until" in page.text
    assert "You are registered" in done.text
    assert Attendee.objects.holding_seats().get().name == "Ann Lee"
    assert anonymous.get(path).status_code == 404  # the link is spent


def test_offer_page_declines(anonymous):
    _event, entry = _offered()
    path = _link("events.waiting_list_offer", entry, "offer")

    response = anonymous.post(path, {"answer": "decline"})

    assert "You declined the offer" in response.text
    assert WaitingListEntry.objects.get().state == WaitingListEntry.State.DECLINED


def test_unknown_offer_link_does_not_exist(anonymous):
    assert anonymous.get("/events/registration/offer/forged-token/").status_code == 404


# --- Delegations -----------------------------------------------------------------------------


def test_committee_admin_registers_a_delegation_from_the_page(committee_admin, springfield_member):
    in_good_standing(springfield_member)
    event = make_event(slug="conf")
    ticket = make_ticket(event, price="200.00", member_price=Decimal("120.00"))
    data = {"people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0"}
    for i in range(3):
        data |= {
            f"people-{i}-first_name": f"P{i}",
            f"people-{i}-last_name": "Smith",
            f"people-{i}-email": f"p{i}@example.org",
            f"people-{i}-ticket": ticket.pk,
        }

    response = committee_admin.post(
        f"/events/conf/delegation/{springfield_member.slug}/", data, follow=True
    )

    order = Order.objects.get()
    assert (order.is_delegation, order.member, order.total) == (
        True,
        springfield_member,
        Decimal("360.00"),
    )
    assert "each person has their details link" in response.text
    assert response.text.count("Not yet") == 3


def test_a_delegation_of_twelve_is_one_order_from_the_page(committee_admin, springfield_member):
    event = make_event(slug="conf")
    ticket = make_ticket(event, price="200.00")
    path = f"/events/conf/delegation/{springfield_member.slug}/"
    page = committee_admin.get(path, {"people": "12"})
    assert page.text.count("<legend>Person ") == 12
    assert committee_admin.get(path, {"people": "999"}).text.count("<legend>Person ") == 50
    assert committee_admin.get(path, {"people": "many"}).status_code == 200
    data = {"people-TOTAL_FORMS": "12", "people-INITIAL_FORMS": "0"}
    for i in range(12):
        data |= {
            f"people-{i}-first_name": f"P{i}",
            f"people-{i}-last_name": "Smith",
            f"people-{i}-email": f"p{i}@example.org",
            f"people-{i}-ticket": ticket.pk,
        }

    committee_admin.post(path, data)

    order = Order.objects.get(event=event)
    assert order.attendees.count() == 12


def test_delegation_page_of_another_committee_does_not_exist(
    other_committee_admin, springfield_member
):
    make_event(slug="conf")

    response = other_committee_admin.get(f"/events/conf/delegation/{springfield_member.slug}/")

    assert response.status_code == 404


def test_leader_sees_status_never_the_attendees_restricted_fields(
    committee_admin, committee_admin_user, springfield_member, anonymous
):
    event = make_event()
    ticket = make_ticket(event)
    diet = Question.objects.create(event=event, scope="attendee", label="Dietary needs")
    order = register_delegation(
        event=event,
        member=springfield_member,
        people=[
            Person(ticket=ticket, first_name="Ana", last_name="Silva", email="ana@example.org"),
            Person(ticket=ticket, first_name="Bo", last_name="Li", email="bo@example.org"),
        ],
        email=committee_admin_user.email,
        by=committee_admin_user,
    )
    ana = order.attendees.get(first_name="Ana")
    country = CountryFactory(code="PT", name="Portugal")
    details = anonymous.post(
        _link("events.delegation_details_link", ana, "details"),
        {
            "first_name": "Ana",
            "last_name": "Silva",
            "email": "ana@example.org",
            "date_of_birth": CANARY_DOB.isoformat(),
            "gender": "female",
            "country": country.pk,
            f"q_{diet.pk}": CANARY_DIET,
        },
    )

    page = committee_admin.get(f"/events/registration/delegations/{order.code}/")

    assert "Your details are saved" in details.text
    assert Answer.objects.get(attendee=ana).value == CANARY_DIET
    assert page.text.count("Completed") == 1 and page.text.count("Not yet") == 1
    for canary in (CANARY_DIET, "1911", "11/11", "Female", "Dietary needs"):
        assert canary not in page.text
    order_page = committee_admin.get(f"/events/registration/orders/{order.code}/")
    for canary in (CANARY_DIET, "1911", "Female"):
        assert canary not in order_page.text


def test_details_link_works_once(anonymous, committee_admin_user, springfield_member):
    event = make_event()
    order = register_delegation(
        event=event,
        member=springfield_member,
        people=[Person(ticket=make_ticket(event), first_name="A", last_name="B", email="a@x.org")],
        email="lead@x.org",
        by=committee_admin_user,
    )
    path = _link("events.delegation_details_link", order.attendees.get(), "details")
    anonymous.post(path, {"first_name": "A", "last_name": "B"})

    assert anonymous.get(path).status_code == 404


def test_event_page_offers_its_committee_admin_a_delegation_and_others_none(
    committee_admin, springfield_member, public, anonymous
):
    event = make_event(slug="conf")
    make_ticket(event)
    link = f"/events/conf/delegation/{springfield_member.slug}/"

    page = committee_admin.get("/events/conf/")

    assert link in page.text
    assert "Register a delegation of Springfield Sister Cities" in page.text
    assert "Register a delegation" not in public.get("/events/conf/").text
    assert "Register a delegation" not in anonymous.get("/events/conf/").text


def test_delegation_events_page_lists_open_events_for_the_committee(
    committee_admin, springfield_member
):
    make_event(title="Regional conference West")

    response = committee_admin.get(f"/events/registration/committee/{springfield_member.slug}/")

    assert "Regional conference West" in response.text
    assert "Your committee does not get the member price now:" in response.text


def test_expired_event_registration_gives_a_message(public):
    event = make_event(slug="past", registration_closes_at=timezone.now() - datetime.timedelta(1))
    ticket = make_ticket(event)

    response = public.post(
        "/events/past/register/",
        {"ticket": ticket.pk, "first_name": "A", "last_name": "B", "email": "a@x.org"},
    )

    assert "Registration for this event is closed." in response.text
    assert not Order.objects.exists()
