"""/events/ and each event's page: what visitors see, who sees the online link, prices and
what remains, the venue map, minors never listed, and the query-count guard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import _client_for
from tests.events.public_helpers import (
    make_attendee,
    make_event,
    make_past_event,
    make_programme,
    make_region,
    make_ticket,
    make_webinar,
    registrant_user,
)
from tests.factories import UserFactory
from twinning.events.models import Attendee, Event

pytestmark = pytest.mark.django_db


def test_events_page_lists_upcoming_and_past_published_events(anonymous):
    make_event(title="Annual conference 2031")
    make_past_event(title="Regional day 2020", slug="regional-day-2020")
    make_event(title="Draft conference", published_at=None)

    page = anonymous.get("/events/").content.decode()

    upcoming, past = page.split('id="past-heading"')
    assert "Annual conference 2031" in upcoming
    assert "Regional day 2020" in past
    assert "Draft conference" not in page


def test_events_page_filters_by_kind_and_by_region(anonymous):
    region = make_region(name="Midwest")
    make_event(kind=Event.Kind.REGIONAL, title="Midwest regional conference", region=region)
    make_event(
        kind=Event.Kind.REGIONAL,
        title="Southern regional conference",
        region=make_region(name="South"),
    )
    make_webinar(title="Advocacy webinar")

    by_kind = anonymous.get("/events/?kind=webinar").content.decode()
    by_region = anonymous.get(f"/events/?region={region.slug}").content.decode()

    assert "Advocacy webinar" in by_kind and "Midwest regional conference" not in by_kind
    assert "Midwest regional conference" in by_region
    assert "Southern regional conference" not in by_region


def test_events_page_ignores_an_unknown_filter_instead_of_failing(anonymous):
    make_event(title="Annual conference 2031")

    response = anonymous.get("/events/?kind=nonsense&region=nowhere")

    assert response.status_code == 200
    assert "Annual conference 2031" in response.content.decode()


def test_events_page_queries_do_not_grow_with_the_events(anonymous, django_assert_num_queries):
    for _n in range(3):
        make_webinar()
    anonymous.get("/events/")  # warm the session and caches
    with CaptureQueriesContext(connection) as first:
        anonymous.get("/events/")
    for _n in range(10):
        make_webinar()
        make_event(kind=Event.Kind.REGIONAL, region=make_region())

    with django_assert_num_queries(len(first.captured_queries)):
        response = anonymous.get("/events/")

    assert response.content.decode().count('class="card section"') == 23


def test_the_conference_page_shows_its_parts_and_the_events_list_does_not(anonymous):
    conference = make_event(title="Annual conference 2031")
    make_event(kind=Event.Kind.SUMMIT, title="Leaders of tomorrow 2031", parent=conference)

    listing = anonymous.get("/events/").content.decode()
    detail = anonymous.get(f"/events/{conference.slug}/").content.decode()

    assert "Leaders of tomorrow 2031" not in listing
    assert "Leaders of tomorrow 2031" in detail


def test_an_unpublished_event_is_a_404_for_visitors_and_shown_to_staff(anonymous, public, staff):
    event = make_event(published_at=None)

    assert anonymous.get(f"/events/{event.slug}/").status_code == 404
    assert public.get(f"/events/{event.slug}/").status_code == 404
    assert "Not published" in staff.get(f"/events/{event.slug}/").content.decode()


def test_event_page_shows_programme_speakers_partner_and_venue_map(anonymous):
    event = make_webinar()
    event.venue_name = "Town Hall"
    event.latitude, event.longitude = 41.88, -87.63
    event.save()
    make_programme_event = make_event(title="Annual conference 2031")
    make_programme(make_programme_event)

    webinar_page = anonymous.get(f"/events/{event.slug}/").content.decode()
    page = anonymous.get(f"/events/{make_programme_event.slug}/").content.decode()

    assert "Given with</span>" in webinar_page or event.partner.name in webinar_page
    assert "Opening plenary" in page and "Fundraising workshop" in page
    assert "Ada Lovelace" in page and "Federal Agency" in page
    assert '<svg class="mini-map"' in page and "Palais des Congrès" in page
    assert "tile" not in page.lower()


def test_event_page_shows_prices_and_what_remains(anonymous):
    event = make_event(capacity=100)
    delegate = make_ticket(event, name="Delegate", price=250, quota=3)
    make_ticket(event, name="Observer", price=80)
    make_attendee(event, ticket=delegate)
    make_attendee(event, ticket=delegate, state=Attendee.State.APPLIED)
    make_attendee(event, ticket=delegate, state=Attendee.State.CANCELLED)

    page = anonymous.get(f"/events/{event.slug}/").content.decode()

    delegate_row = page.split("Delegate</th>")[1].split("</tr>")[0]
    observer_row = page.split("Observer</th>")[1].split("</tr>")[0]
    assert "250.00" in delegate_row and ">1<" in delegate_row  # 3 less 2 holding seats
    assert "80.00" in observer_row and ">98<" in observer_row  # capacity 100 less 2


def test_a_sold_out_ticket_says_so(anonymous):
    event = make_event()
    ticket = make_ticket(event, name="Delegate", quota=1)
    make_attendee(event, ticket=ticket)

    page = anonymous.get(f"/events/{event.slug}/").content.decode()

    assert "Sold out" in page


def test_the_online_link_is_shown_to_registrants_and_organisers_only(anonymous, public, staff):
    event = make_webinar()
    registrant = _client_for(registrant_user(event))
    cancelled = _client_for(registrant_user(event, state=Attendee.State.CANCELLED))
    link = "https://video.example.org/j/123456"

    assert link not in anonymous.get(f"/events/{event.slug}/").content.decode()
    assert link not in public.get(f"/events/{event.slug}/").content.decode()
    assert link not in cancelled.get(f"/events/{event.slug}/").content.decode()
    assert link in registrant.get(f"/events/{event.slug}/").content.decode()
    assert link in staff.get(f"/events/{event.slug}/").content.decode()


def test_the_online_link_never_reaches_the_events_list_or_the_calendar(anonymous):
    event = make_webinar()

    listing = anonymous.get("/events/?kind=webinar").content.decode()
    feed = anonymous.get(f"/events/{event.slug}/calendar.ics").content.decode()

    assert "video.example.org" not in listing
    assert "video.example.org" not in feed


def test_public_pages_never_list_summit_participants(anonymous, public):
    conference = make_event(title="Annual conference 2031")
    summit = make_event(kind=Event.Kind.SUMMIT, title="Youth Leadership Summit", parent=conference)
    make_programme(summit)
    make_attendee(
        conference,
        first_name="Minnie",
        last_name="Younger",
        role=Attendee.Role.STUDENT,
        date_of_birth=datetime.date(2016, 1, 1),
    )

    pages = [
        anonymous.get(path).content.decode()
        for path in (
            "/events/",
            f"/events/{conference.slug}/",
            f"/events/{summit.slug}/",
            f"/events/{summit.slug}/programme/",
            f"/events/{summit.slug}/calendar.ics",
        )
    ] + [public.get(f"/events/{summit.slug}/").content.decode()]

    assert all("Minnie" not in page and "Younger" not in page for page in pages)


def test_the_register_button_links_to_the_registration_page_when_it_exists(anonymous):
    from django.urls import NoReverseMatch, reverse

    event = make_event()
    page = anonymous.get(f"/events/{event.slug}/").content.decode()
    try:
        register = reverse("events:register", args=[event.slug])
    except NoReverseMatch:
        assert "Register</a>" not in page
    else:
        assert f'href="{register}"' in page


def test_a_part_links_to_the_registration_of_its_conference(anonymous):
    from django.urls import NoReverseMatch, reverse

    conference = make_event()
    banquet = make_event(kind=Event.Kind.BANQUET, title="Awards banquet", parent=conference)
    page = anonymous.get(f"/events/{banquet.slug}/").content.decode()
    try:
        register = reverse("events:register", args=[conference.slug])
    except NoReverseMatch:
        assert "Register</a>" not in page
    else:
        assert f'href="{register}"' in page


def test_times_are_shown_in_the_event_zone_and_in_the_visitors_chosen_zone(anonymous):
    event = make_event()  # starts 10 June 2031 09:00 in Paris

    before = anonymous.get(f"/events/{event.slug}/").content.decode()
    response = anonymous.post(
        "/events/time-zone/", {"tz": "America/Chicago", "next": f"/events/{event.slug}/"}
    )
    after = anonymous.get(f"/events/{event.slug}/").content.decode()

    assert response.status_code == 302 and response["Location"] == f"/events/{event.slug}/"
    assert "9 a.m." in before or "09:00" in before
    assert "your time" not in before
    assert "America/Chicago" in after and ("2 a.m." in after or "02:00" in after)


def test_a_made_up_time_zone_is_refused_with_a_message(anonymous):
    event = make_event()

    response = anonymous.post(
        "/events/time-zone/", {"tz": "Mars/Olympus", "next": f"/events/{event.slug}/"}, follow=True
    )

    assert "Choose a time zone from the list" in response.content.decode()
    assert "Mars/Olympus" not in response.content.decode().split("<main")[1].split("</form>")[-1]


def test_the_time_zone_form_does_not_redirect_off_site(anonymous):
    response = anonymous.post("/events/time-zone/", {"tz": "", "next": "https://evil.example/"})

    assert response["Location"] == "/events/"


def test_a_webinar_recording_is_shown_to_registrants_and_to_all_when_public(anonymous):
    event = make_webinar(starts_at=timezone.now() - datetime.timedelta(days=2))
    event.recording_url = "https://video.example.org/rec/42"
    event.save()
    registrant = _client_for(registrant_user(event))

    hidden = anonymous.get(f"/events/{event.slug}/").content.decode()
    shown = registrant.get(f"/events/{event.slug}/").content.decode()
    event.recording_public = True
    event.save()
    public = anonymous.get(f"/events/{event.slug}/").content.decode()

    assert "rec/42" not in hidden
    assert "rec/42" in shown
    assert "rec/42" in public


def test_the_events_menu_entry_is_on_every_public_page(anonymous):
    page = anonymous.get("/").content.decode()

    assert 'href="/events/"' in page


def test_a_signed_in_stranger_does_not_see_organiser_links(public):
    event = make_event()
    UserFactory()

    page = public.get(f"/events/{event.slug}/").content.decode()

    assert "Edit the event" not in page


def test_the_time_zone_form_carries_its_csrf_token():
    import re

    from django.test import Client

    event = make_event()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/events/{event.slug}/").content.decode()
    form = page.split("data-zone-form")[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = browser.post(
        "/events/time-zone/",
        {"csrfmiddlewaretoken": token, "tz": "Asia/Tokyo", "next": f"/events/{event.slug}/"},
    )

    assert response.status_code == 302
    assert browser.session["events_time_zone"] == "Asia/Tokyo"


def test_the_event_page_queries_do_not_grow_with_programme_and_tickets(anonymous):
    from tests.events.public_helpers import make_session

    event = make_event(capacity=500)
    world = make_programme(event)
    make_ticket(event, name="Delegate", quota=100)
    anonymous.get(f"/events/{event.slug}/")
    with CaptureQueriesContext(connection) as first:
        anonymous.get(f"/events/{event.slug}/")
    for n in range(5):
        make_ticket(event, name=f"Ticket {n}", quota=10)
        make_session(event, speakers=[world["ada"], world["kofi"]], room=world["hall"])
    make_event(kind=Event.Kind.BANQUET, title="Awards banquet", parent=event)

    with CaptureQueriesContext(connection) as second:
        response = anonymous.get(f"/events/{event.slug}/")

    assert len(second.captured_queries) == len(first.captured_queries)
    assert "Ticket 4" in response.content.decode()
