"""What bench/events.py found. The staff registration list's committee filter lists every
committee with an order on the event, so the list must stay in constant queries however many
committees there are, and the filter (options written without a template each) must still
escape names and keep the chosen committee selected. The public event page read the zone
database from disk at each request (to check the visitor's zone): it must not, and its queries
must not grow with the registrations."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.events.registration_helpers import make_event, make_ticket
from tests.factories import MemberFactory
from twinning.events.models import Attendee, Order, WaitingListEntry

pytestmark = pytest.mark.django_db


def _orders_from(event, ticket, committees):
    """One order of one attendee per committee, in bulk."""
    orders = Order.objects.bulk_create(
        [Order(event=event, email=f"c{i}@example.org", member=m) for i, m in enumerate(committees)]
    )
    Attendee.objects.bulk_create(
        [
            Attendee(
                order=order,
                event=event,
                ticket=ticket,
                first_name="Delegate",
                last_name=f"{i:04d}",
                email=order.email,
            )
            for i, order in enumerate(orders)
        ]
    )


@pytest.mark.parametrize("committees", [3, 60])
def test_registration_list_with_many_committees_runs_constant_queries(
    staff, committees, django_assert_num_queries
):
    event = make_event(slug="conf", capacity=None)
    members = [MemberFactory(name=f"Committee {i:03d}") for i in range(committees)]
    _orders_from(event, make_ticket(event), members)
    staff.get("/staff/events/conf/registrations/")  # the session's roles are detected once

    with django_assert_num_queries(8):
        response = staff.get("/staff/events/conf/registrations/")

    for member in members:
        assert f'<option value="{member.pk}">Committee ' in response.text


def test_committee_filter_escapes_names_and_keeps_the_chosen_one_selected(staff):
    event = make_event(slug="conf", capacity=None)
    chosen = MemberFactory(name="Friends of <Kyoto> & Nara")
    other = MemberFactory(name="Lyon Committee")
    _orders_from(event, make_ticket(event), [chosen, other])

    response = staff.get("/staff/events/conf/registrations/", {"committee": chosen.pk})

    assert f'<option value="{chosen.pk}" selected>Friends of &lt;Kyoto&gt; &amp; Nara' in (
        response.text
    )
    assert f'<option value="{other.pk}">Lyon Committee</option>' in response.text
    select = re.search(r"<select[^>]*\bname=\"committee\"[^>]*>", response.text)
    assert select is not None and 'id="id_committee"' in select.group(0)
    assert "1 registration matches the filters." in response.text


def test_registration_rows_escape_every_value_and_show_ticket_committee_order_and_state(staff):
    event = make_event(slug="conf", capacity=None)
    committee = MemberFactory(name="Sister Cities of <b>Tulsa</b>")
    _orders_from(event, make_ticket(event), [committee])
    Attendee.objects.filter(event=event).update(
        first_name="<script>alert(1)</script>", email="x&y@example.org", state="confirmed"
    )
    order = Order.objects.get(event=event)

    response = staff.get("/staff/events/conf/registrations/")

    row = re.search(r'<tr>\s*<th scope="row">.*?</tr>', response.text, re.S)
    assert row is not None
    cells = row.group(0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 0000" in cells
    assert "<script>" not in cells
    assert "x&amp;y@example.org" in cells
    assert "Sister Cities of &lt;b&gt;Tulsa&lt;/b&gt;" in cells
    assert f"<td>{order.code}</td>" in cells
    assert '<span class="badge badge--ok">Confirmed</span>' in cells


def test_event_page_queries_do_not_grow_with_the_registrations(
    anonymous, django_assert_num_queries
):
    event = make_event(slug="conf", capacity=5000)
    ticket = make_ticket(event)
    _orders_from(event, ticket, [MemberFactory() for _ in range(3)])
    anonymous.get("/events/conf/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        anonymous.get("/events/conf/")
    _orders_from(event, ticket, [MemberFactory() for _ in range(150)])

    with django_assert_num_queries(len(few.captured_queries)):
        response = anonymous.get("/events/conf/")

    assert "4847" in response.text  # seats left: 5,000 less the 153 registered


def test_event_page_does_not_read_the_zone_database_at_each_request(anonymous, monkeypatch):
    make_event(slug="conf")
    anonymous.post("/events/time-zone/", {"tz": "Asia/Tokyo", "next": "/events/conf/"})
    reads = []
    real = zoneinfo.available_timezones
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: reads.append(1) or real())

    response = anonymous.get("/events/conf/")

    assert response.status_code == 200
    assert "Asia/Tokyo" in response.text
    assert reads == []


def _people(event, ticket, states, *, member=None, prefix="Person"):
    """One order per state given, of one attendee in that state, in bulk."""
    orders = Order.objects.bulk_create(
        [
            Order(event=event, email=f"{prefix.lower()}{i}@example.org", member=member)
            for i in range(len(states))
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
            for i, (order, state) in enumerate(zip(orders, states, strict=True))
        ]
    )


def test_registration_list_figures_come_from_one_aggregate(staff, django_assert_num_queries):
    """The counts by state, the seats left (capacity less the seats held and the seats of
    open offers) and the number of matching rows, as the page shows them."""
    event = make_event(slug="conf", capacity=20)
    ticket = make_ticket(event)
    _people(event, ticket, ["confirmed"] * 4 + ["applied"] * 2 + ["approved", "cancelled"])
    WaitingListEntry.objects.create(
        event=event,
        name="Offered party",
        email="o@x.org",
        party_size=3,
        state="offered",
        offer_expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    WaitingListEntry.objects.create(event=event, name="Waiting", email="w@x.org", party_size=5)
    staff.get("/staff/events/conf/registrations/")  # the session's roles are detected once

    with django_assert_num_queries(8):  # the same as without a capacity: no seat queries
        response = staff.get("/staff/events/conf/registrations/")

    text = response.text
    assert "8 registrations match the filters." in text
    assert "10 seats left." in text  # 20 less 7 held (applied, approved, confirmed) less 3
    assert "Confirmed: <strong>4</strong>" in text
    assert "Applied (awaiting approval): <strong>2</strong>" in text
    assert "Approved (awaiting payment or details): <strong>1</strong>" in text
    assert "Cancelled: <strong>1</strong>" in text
    assert "Declined: <strong>0</strong>" in text


@pytest.mark.parametrize(
    ("query", "matches"),
    [({"state": "applied"}, 2), ({"state": "declined"}, 0), ({"state": "bogus"}, 8)],
)
def test_a_state_filter_is_counted_from_the_state_counts(
    staff, django_assert_num_queries, query, matches
):
    event = make_event(slug="conf", capacity=None)
    ticket = make_ticket(event)
    _people(event, ticket, ["confirmed"] * 5 + ["applied"] * 2 + ["cancelled"])
    staff.get("/staff/events/conf/registrations/")

    with django_assert_num_queries(8 if matches else 7):  # no COUNT of the paginator's own
        response = staff.get("/staff/events/conf/registrations/", query)

    if matches:
        assert f"{matches} registration" in response.text
        assert response.text.count('<th scope="row">Person ') == matches
    else:
        assert "No registration matches these filters." in response.text


def test_other_filters_are_counted_by_the_database(staff):
    event = make_event(slug="conf", capacity=None)
    ticket, other = make_ticket(event), make_ticket(event, name="Day pass")
    committee = MemberFactory(name="Kyoto Friends")
    _people(event, ticket, ["confirmed"] * 3, member=committee, prefix="Kyoto")
    _people(event, other, ["confirmed", "applied"], prefix="Daypass")

    by_ticket = staff.get("/staff/events/conf/registrations/", {"ticket": other.pk})
    by_both = staff.get(
        "/staff/events/conf/registrations/", {"ticket": ticket.pk, "state": "applied"}
    )
    by_search = staff.get("/staff/events/conf/registrations/", {"q": "kyoto1@"})

    assert "2 registrations match the filters." in by_ticket.text
    assert "No registration matches these filters." in by_both.text
    assert "1 registration matches the filters." in by_search.text


@pytest.mark.parametrize("tickets", [1, 6])
def test_ticket_filter_options_do_not_query_per_ticket(staff, tickets, django_assert_num_queries):
    event = make_event(slug="conf", capacity=None, title="Lyon Meeting")
    made = [make_ticket(event, name=f"Pass {i}") for i in range(tickets)]
    _people(event, made[0], ["confirmed"])
    staff.get("/staff/events/conf/registrations/")

    with django_assert_num_queries(8):
        response = staff.get("/staff/events/conf/registrations/")

    for ticket in made:
        assert f'<option value="{ticket.pk}">Lyon Meeting: {ticket.name}</option>' in response.text


def test_state_badges_keep_their_look(staff):
    event = make_event(slug="conf", capacity=None)
    _people(event, make_ticket(event), ["confirmed", "applied", "cancelled"])

    text = staff.get("/staff/events/conf/registrations/").text

    assert '<span class="badge badge--ok">Confirmed</span>' in text
    assert '<span class="badge badge--warn">Applied (awaiting approval)</span>' in text
    assert '<span class="badge badge--muted">Cancelled</span>' in text


def test_the_event_pages_tickets_read_the_attendees_once_grouped_by_ticket(anonymous):
    event = make_event(slug="conf", capacity=10)
    delegate, observer = make_ticket(event, name="Delegate", quota=4), make_ticket(event)
    _people(event, delegate, ["confirmed", "applied", "cancelled"])
    _people(event, observer, ["approved", "declined"], prefix="Observer")

    with CaptureQueriesContext(connection) as queries:
        page = anonymous.get("/events/conf/").text

    reads = [q["sql"] for q in queries.captured_queries if 'FROM "events_attendee"' in q["sql"]]
    assert len(reads) == 1 and "GROUP BY" in reads[0]
    delegate_row = page.split("Delegate</th>")[1].split("</tr>")[0]
    other_row = page.split(f"{observer.name}</th>")[1].split("</tr>")[0]
    assert ">2<" in delegate_row  # its quota of 4 less its 2 holding seats
    assert ">7<" in other_row  # the capacity of 10 less the 3 holding seats
