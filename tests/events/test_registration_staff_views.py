"""Staff's registration pages: roles (refused ones included), the registration list (filters,
search, pagination, constant queries from 10 to 200 rows, CSV and XLSX export), decisions on
applications, the waiting list, tickets, questions and the capacity."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.events.registration_helpers import make_event, make_ticket
from tests.factories import MemberFactory, UserFactory
from twinning.events.models import Attendee, Order, Question, Ticket, WaitingListEntry
from twinning.events.services.registration import register_for_event
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _bulk(event, ticket, count, *, member=None, state=Attendee.State.CONFIRMED, prefix="Guest"):
    """`count` orders of one attendee each, written in bulk (a list page's fixture)."""
    orders = Order.objects.bulk_create(
        [
            Order(event=event, email=f"{prefix.lower()}{i}@example.org", member=member)
            for i in range(count)
        ]
    )
    Attendee.objects.bulk_create(
        [
            Attendee(
                order=order,
                event=event,
                ticket=ticket,
                first_name=prefix,
                last_name=f"{i:04d}",
                email=order.email,
                state=state,
            )
            for i, order in enumerate(orders)
        ]
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("public", 404),
        ("committee_admin", 404),
        ("other_committee_admin", 404),
        ("staff_without_otp", 302),
        ("staff", 200),
    ],
)
def test_registration_list_is_for_verified_staff_only(request, role, status):
    client = request.getfixturevalue(role)
    make_event(slug="conf")

    response = client.get("/staff/events/conf/registrations/")

    assert response.status_code == status
    if role == "staff_without_otp":
        assert "/accounts/two-factor/" in response["Location"]


@pytest.mark.parametrize("rows", [10, 200])
def test_registration_list_runs_constant_queries(staff, rows, django_assert_num_queries):
    event = make_event(slug="conf", capacity=None)
    ticket = make_ticket(event)
    _bulk(event, ticket, rows, member=MemberFactory())
    staff.get("/staff/events/conf/registrations/")  # the session's roles are detected once

    with django_assert_num_queries(8):
        response = staff.get("/staff/events/conf/registrations/")

    assert response.text.count("Guest 0") == min(rows, 50)
    assert f"{rows} registrations match the filters." in response.text


def test_registration_list_filters_by_state_ticket_committee_and_search(staff):
    event = make_event(slug="conf")
    day, full = make_ticket(event, name="Day pass"), make_ticket(event, name="Full")
    committee = MemberFactory(name="Kyoto Friends")
    _bulk(event, day, 2, prefix="Daypass")
    _bulk(event, full, 3, member=committee, prefix="Kyoto")
    _bulk(event, full, 1, state=Attendee.State.APPLIED, prefix="Applicant")

    by_ticket = staff.get("/staff/events/conf/registrations/", {"ticket": day.pk})
    by_committee = staff.get("/staff/events/conf/registrations/", {"committee": committee.pk})
    by_state = staff.get("/staff/events/conf/registrations/", {"state": "applied"})
    by_search = staff.get("/staff/events/conf/registrations/", {"q": "kyoto1@"})

    assert (
        "2 registrations match" in by_ticket.text
        and "Kyoto" not in by_ticket.text.split("<tbody>")[1]
    )
    assert "3 registrations match" in by_committee.text
    assert "1 registration matches" in by_state.text and "Applicant 0000" in by_state.text
    assert "1 registration matches" in by_search.text and "Kyoto 0001" in by_search.text


def test_nonsense_filters_get_the_full_list_not_an_error(staff):
    event = make_event(slug="conf")
    _bulk(event, make_ticket(event), 2)

    response = staff.get(
        "/staff/events/conf/registrations/", {"state": "nope", "ticket": "x", "page": "999"}
    )

    assert response.status_code == 200
    assert "2 registrations match" in response.text


def test_csv_export_follows_the_filters_and_neutralises_formulas(staff):
    event = make_event(slug="conf")
    ticket = make_ticket(event)
    _bulk(event, ticket, 2)
    _bulk(event, ticket, 1, prefix="=HYPERLINK", state=Attendee.State.APPLIED)

    response = staff.get("/staff/events/conf/registrations.csv", {"state": "applied"})

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert len(lines) == 2
    assert "'=HYPERLINK" in lines[1]


def test_xlsx_export_has_every_registration(staff):
    event = make_event(slug="conf")
    _bulk(event, make_ticket(event), 3)

    response = staff.get("/staff/events/conf/registrations.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("order", "first_name", "last_name")
    assert len(rows) == 4


def test_unknown_export_format_does_not_exist(staff):
    make_event(slug="conf")

    assert staff.get("/staff/events/conf/registrations.pdf").status_code == 404


def test_staff_approve_an_application_from_the_list(staff):
    event = make_event(slug="conf", requires_approval=True)
    user = UserFactory()
    order = register_for_event(
        event=event,
        ticket=make_ticket(event),
        first_name="Ada",
        last_name="L",
        email=user.email,
        by=user,
    )
    attendee = order.attendees.get()

    response = staff.post(
        f"/staff/events/attendees/{attendee.pk}/approve/", {"message": "See you!"}, follow=True
    )

    assert "Done: Ada L is told by e-mail." in response.text
    assert Attendee.objects.get().state == Attendee.State.CONFIRMED
    assert "See you!" in OutboxMessage.objects.get(template="events.application_approved").body


def test_list_offers_each_application_its_decision_form_and_no_other_row(staff):
    event = make_event(slug="conf", requires_approval=True)
    ticket = make_ticket(event)
    _bulk(event, ticket, 2, state=Attendee.State.APPLIED, prefix="Applied")
    _bulk(event, ticket, 1, state=Attendee.State.CONFIRMED, prefix="Confirmed")
    applied = list(Attendee.objects.filter(state=Attendee.State.APPLIED).order_by("pk"))

    html = staff.get("/staff/events/conf/registrations/").text

    for attendee in applied:
        base = f"/staff/events/attendees/{attendee.pk}/"
        assert (
            f'action="{base}approve/" class="inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken"'
        ) in html
        assert f'formaction="{base}waitlist/"' in html
        assert f'formaction="{base}decline/"' in html
        assert f'<input id="m-{attendee.pk}" name="message"' in html
    confirmed = Attendee.objects.get(state=Attendee.State.CONFIRMED)
    assert f"/staff/events/attendees/{confirmed.pk}/" not in html
    assert html.count("Message (needed to decline)") == 2


def test_list_of_more_than_a_page_numbers_its_pages(staff):
    event = make_event(slug="conf")
    _bulk(event, make_ticket(event), 60)

    html = staff.get("/staff/events/conf/registrations/").text

    assert "Showing 1–50 of 60" in html
    assert '<a href="?page=2"><span class="visually-hidden">Page </span>2</a>' in html


def test_declining_without_a_message_is_refused_with_a_message(staff):
    event = make_event(slug="conf", requires_approval=True)
    user = UserFactory()
    attendee = register_for_event(
        event=event,
        ticket=make_ticket(event),
        first_name="A",
        last_name="B",
        email=user.email,
        by=user,
    ).attendees.get()

    response = staff.post(f"/staff/events/attendees/{attendee.pk}/decline/", follow=True)

    assert "Say why, in a few words" in response.text
    assert Attendee.objects.get().state == Attendee.State.APPLIED


def test_unknown_decision_does_not_exist(staff):
    event = make_event(requires_approval=True)
    _bulk(event, make_ticket(event), 1, state=Attendee.State.APPLIED)

    response = staff.post(f"/staff/events/attendees/{Attendee.objects.get().pk}/delete/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_waiting_list_page_in_constant_queries(staff, count, django_assert_num_queries):
    event = make_event(slug="conf", capacity=0)
    for i in range(count):
        WaitingListEntry.objects.create(event=event, name=f"Party {i}", email=f"p{i}@x.org")
    staff.get("/staff/events/conf/waiting-list/")

    with django_assert_num_queries(7):
        response = staff.get("/staff/events/conf/waiting-list/")

    assert response.text.count('<th scope="row">Party ') == count


def test_staff_remove_a_party_from_the_waiting_list(staff):
    event = make_event(slug="conf", capacity=0)
    entry = WaitingListEntry.objects.create(event=event, name="Late", email="l@x.org")

    response = staff.post(f"/staff/events/waiting-list/{entry.pk}/remove/", follow=True)

    assert "Late is off the waiting list." in response.text
    assert WaitingListEntry.objects.get().state == WaitingListEntry.State.REMOVED


def test_staff_add_a_ticket_and_see_it_listed(staff):
    make_event(slug="conf")

    response = staff.post(
        "/staff/events/conf/tickets/",
        {"name": "Day pass", "price": "50.00", "member_price": "30.00", "position": 1},
        follow=True,
    )

    assert Ticket.objects.get().member_price == Decimal("30.00")
    assert "The ticket is saved." in response.text and "Day pass" in response.text


def test_bad_ticket_gets_a_message_and_changes_nothing(staff):
    make_event(slug="conf")

    response = staff.post(
        "/staff/events/conf/tickets/",
        {"name": "Early", "price": "50.00", "early_bird_price": "10.00", "position": 0},
    )

    assert "Say until when the early-bird price applies." in response.text
    assert not Ticket.objects.exists()


def test_staff_add_a_question_for_one_ticket(staff):
    event = make_event(slug="conf")
    ticket = make_ticket(event)

    staff.post(
        "/staff/events/conf/questions/",
        {
            "scope": "attendee",
            "ticket": ticket.pk,
            "kind": "choice",
            "label": "Workshop",
            "choices": "Trade\nYouth\n",
            "position": 0,
        },
    )

    assert list(Question.objects.values_list("ticket", "choices")) == [
        (ticket.pk, ["Trade", "Youth"])
    ]


def test_staff_raise_the_capacity_and_the_waiting_list_gets_offers(staff):
    event = make_event(slug="conf", capacity=0)
    make_ticket(event)
    WaitingListEntry.objects.create(event=event, name="First", email="f@x.org")

    response = staff.post("/staff/events/conf/capacity/", {"capacity": "1"}, follow=True)

    assert "freed seats go to the waiting list" in response.text
    assert WaitingListEntry.objects.get().state == WaitingListEntry.State.OFFERED


def test_capacity_post_without_a_value_changes_nothing(staff):
    event = make_event(slug="conf", capacity=7)

    staff.post("/staff/events/conf/capacity/", {"message": "no"})

    event.refresh_from_db()
    assert event.capacity == 7


def test_staff_event_list_links_each_event(staff):
    make_event(slug="conf", title="Annual conference 2027")

    response = staff.get("/staff/events/registration/")

    assert "Annual conference 2027" in response.text
    assert "/staff/events/conf/registrations/" in response.text
