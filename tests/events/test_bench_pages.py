"""What bench/events.py found. The staff registration list's committee filter lists every
committee with an order on the event, so the list must stay in constant queries however many
committees there are, and the filter (options written without a template each) must still
escape names and keep the chosen committee selected. The public event page read the zone
database from disk at each request (to check the visitor's zone): it must not, and its queries
must not grow with the registrations."""

import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events.registration_helpers import make_event, make_ticket
from tests.factories import MemberFactory
from twinning.events.models import Attendee, Order

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

    with django_assert_num_queries(13):
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
