"""Tickets as PDF: one page per confirmed attendee with the QR code of their check-in code, the
event, its dates in the event's own zone and its venue; downloadable by the attendee, the
order's buyer, the delegation's committee admin and verified staff, 404 to anyone else."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import _client_for
from tests.events.checkin_helpers import (
    make_attendee,
    make_delegation,
    make_event,
    make_order,
    make_ticket,
)
from tests.factories import UserFactory
from twinning.events.models import Attendee, Order
from twinning.events.services.tickets import qr_image, ticket_pdf, tickets_held_by

pytestmark = pytest.mark.django_db


def _pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.fixture
def event():
    event = make_event(
        title="Annual Conference 2026",
        slug="ac-2026",
        starts_at=datetime.datetime(2026, 5, 4, 14, 0, tzinfo=datetime.UTC),
        time_zone="America/Chicago",
    )
    make_ticket(event, "Full conference")
    return event


@pytest.fixture
def delegation(event, springfield_member):
    return make_delegation(event, springfield_member, size=3)


def test_ticket_shows_the_attendee_event_dates_in_its_zone_and_venue(event):
    attendee = make_attendee(event, first_name="Zoë", last_name="Nguyễn-Дмитриева")

    text = _pdf(ticket_pdf([attendee])).pages[0].extract_text()

    assert "Zoë Nguyễn-Дмитриева" in text
    assert "Annual Conference 2026" in text
    assert "09:00" in text  # 14:00 UTC is 09:00 in Chicago
    assert "(America/Chicago)" in text
    assert "Hyatt Regency" in text
    assert "Chicago, IL 60601" in text
    assert "Full conference · Delegate" in text
    assert attendee.code in text


def test_ticket_carries_the_qr_code_of_the_check_in_code(event):
    attendee = make_attendee(event)

    images = _pdf(ticket_pdf([attendee])).pages[0].images

    assert len(images) == 1
    assert images[0].image.convert("RGB").tobytes() == qr_image(attendee.code).tobytes()


def test_qr_codes_of_two_codes_differ():
    assert qr_image("ABCDEFGHJK").tobytes() != qr_image("ABCDEFGHJM").tobytes()


def test_online_event_ticket_says_online_instead_of_a_venue():
    webinar = make_event(venue_name="", venue_address="", online_url="https://meet.example/x")
    attendee = make_attendee(webinar)

    text = _pdf(ticket_pdf([attendee])).pages[0].extract_text()

    assert "Online" in text
    assert "meet.example" not in text


def test_order_tickets_are_one_page_per_confirmed_attendee(staff, event, delegation):
    Attendee.objects.filter(pk=delegation[2].pk).update(state=Attendee.State.CANCELLED)

    response = staff.get(
        reverse("events:order_tickets_pdf", kwargs={"code": delegation[0].order.code})
    )

    pages = _pdf(response.content).pages
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(pages) == 2
    assert delegation[0].name in pages[0].extract_text() + pages[1].extract_text()
    assert delegation[2].name not in "".join(p.extract_text() for p in pages)


def test_ticket_of_an_attendee_not_confirmed_is_not_found_even_for_staff(staff, event):
    applied = make_attendee(event, state=Attendee.State.APPLIED)
    pending = make_attendee(event, order=make_order(event, state=Order.State.PENDING))

    for attendee in (applied, pending):
        response = staff.get(reverse("events:ticket_pdf", kwargs={"pk": attendee.pk}))

        assert response.status_code == 404


def test_order_tickets_of_an_order_without_confirmed_attendee_is_not_found(staff, event):
    order = make_order(event, state=Order.State.PENDING)
    make_attendee(event, order=order)

    response = staff.get(reverse("events:order_tickets_pdf", kwargs={"code": order.code}))

    assert response.status_code == 404


# --- Who may download a ticket ----------------------------------------------------------------


@pytest.fixture
def holder(delegation):
    user = UserFactory(email="delegate@springfield.example")
    Attendee.objects.filter(pk=delegation[0].pk).update(user=user)
    return user


@pytest.fixture
def buyer(delegation):
    user = UserFactory(email="buyer@example.org")
    Order.objects.filter(pk=delegation[0].order_id).update(buyer=user)
    return user


TICKET_ANSWERS = {
    "anonymous": 302,
    "public": 404,
    "holder": 200,
    "buyer": 200,
    "committee_admin": 200,
    "other_committee_admin": 404,
    "staff_without_otp": 404,
    "staff": 200,
}


def _client(request, role):
    if role in ("holder", "buyer"):
        return _client_for(request.getfixturevalue(role))
    return request.getfixturevalue(role)


@pytest.mark.parametrize("role", list(TICKET_ANSWERS))
def test_ticket_download_by_role(request, delegation, role):
    client = _client(request, role)

    response = client.get(reverse("events:ticket_pdf", kwargs={"pk": delegation[0].pk}))

    assert response.status_code == TICKET_ANSWERS[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if response.status_code == 200:
        assert delegation[0].name in _pdf(response.content).pages[0].extract_text()
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", list(TICKET_ANSWERS))
def test_order_tickets_download_by_role(request, delegation, role):
    client = _client(request, role)

    response = client.get(
        reverse("events:order_tickets_pdf", kwargs={"code": delegation[0].order.code})
    )

    assert response.status_code == TICKET_ANSWERS[role]


def test_another_attendee_of_the_delegation_cannot_download_a_colleagues_ticket(delegation, holder):
    response = _client_for(holder).get(
        reverse("events:ticket_pdf", kwargs={"pk": delegation[1].pk})
    )

    assert response.status_code == 404


def test_an_attendee_downloads_only_their_own_ticket_of_the_order(delegation, holder):
    response = _client_for(holder).get(
        reverse("events:order_tickets_pdf", kwargs={"code": delegation[0].order.code})
    )

    assert len(_pdf(response.content).pages) == 1


def test_committee_admin_of_a_member_price_order_that_is_no_delegation_gets_no_ticket(
    event, springfield_member, committee_admin
):
    individual = make_attendee(event, order=make_order(event, member=springfield_member))

    response = committee_admin.get(reverse("events:ticket_pdf", kwargs={"pk": individual.pk}))

    assert response.status_code == 404


# --- The list of one's tickets ----------------------------------------------------------------


def test_my_tickets_lists_own_bought_and_delegation_tickets_with_links(
    committee_admin, committee_admin_user, event, delegation
):
    mine = make_attendee(make_event(title="Regional Spring"), user=committee_admin_user)

    page = committee_admin.get(reverse("events:my_tickets")).content.decode()

    for attendee in [*delegation, mine]:
        assert reverse("events:ticket_pdf", kwargs={"pk": attendee.pk}) in page
    assert reverse("events:order_tickets_pdf", kwargs={"code": delegation[0].order.code}) in page


def test_my_tickets_of_a_stranger_is_empty(public, delegation):
    page = public.get(reverse("events:my_tickets")).content.decode()

    assert "No ticket yet." in page
    assert delegation[0].name not in page


def test_my_tickets_anonymous_is_sent_to_sign_in(anonymous):
    response = anonymous.get(reverse("events:my_tickets"))

    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("item_count", [1, 3])
def test_my_tickets_query_count_does_not_grow_with_the_tickets(
    event, springfield_member, committee_admin, item_count, django_assert_num_queries
):
    make_delegation(event, springfield_member, size=item_count)
    url = reverse("events:my_tickets")
    committee_admin.get(url)

    with django_assert_num_queries(4):
        response = committee_admin.get(url)

    assert response.content.decode().count('.pdf"') == item_count * 2


def test_tickets_held_by_anonymous_is_empty(delegation):
    from django.contrib.auth.models import AnonymousUser

    assert list(tickets_held_by(AnonymousUser())) == []
