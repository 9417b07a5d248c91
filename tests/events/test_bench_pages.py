"""What bench/events.py found on the staff registration list: its committee filter lists every
committee with an order on the event, so the list must stay in constant queries however many
committees there are, and the filter (options written without a template each) must still
escape names and keep the chosen committee selected."""

import re

import pytest

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
