"""The timetable per day, the personal agenda, the iCalendar feeds (parsed back), speakers'
photos, and the organisers' pages with the roles they refuse."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.activities.matrix import tiny_png
from tests.conftest import _client_for
from tests.events.public_helpers import (
    at,
    make_event,
    make_programme,
    make_region,
    make_session,
)
from tests.factories import UserFactory
from twinning.events.models import AgendaItem, CalendarToken, Event, Session, SessionChange
from twinning.events.services.programme import add_to_agenda, cancel_session, update_session

pytestmark = pytest.mark.django_db


# --- Timetable ------------------------------------------------------------------------------


def test_the_timetable_shows_one_day_at_a_time_in_the_event_zone(anonymous):
    event = make_event()
    make_programme(event)

    first = anonymous.get(f"/events/{event.slug}/programme/").content.decode()
    second = anonymous.get(f"/events/{event.slug}/programme/?day=2031-06-11").content.decode()

    assert "Opening plenary" in first and "Fundraising workshop" not in first
    assert "10:00" in first or "10 a.m." in first
    assert "Fundraising workshop" in second and "Opening plenary" not in second


def test_the_timetable_shows_a_change_after_publication_as_such(anonymous, staff_user):
    event = make_event()
    world = make_programme(event)
    update_session(
        session=world["opening"], by=staff_user, starts_at=at(10, 12), ends_at=at(10, 13)
    )
    cancel_session(session=world["workshop"], by=staff_user)

    day1 = anonymous.get(f"/events/{event.slug}/programme/").content.decode()
    day2 = anonymous.get(f"/events/{event.slug}/programme/?day=2031-06-11").content.decode()

    assert "Moved (was 2031-06-10 10:00–11:00)" in day1 and "changed on" in day1
    assert "<s>Fundraising workshop</s>" in day2 and "Cancelled" in day2


def test_an_unknown_day_gets_a_message_and_the_first_day(anonymous):
    event = make_event()
    make_programme(event)

    bad = anonymous.get(f"/events/{event.slug}/programme/?day=2031-13-40", follow=True)
    absent = anonymous.get(f"/events/{event.slug}/programme/?day=2031-06-30", follow=True)

    assert bad.status_code == 200 and "Choose a day of the programme" in bad.content.decode()
    assert "no session on that day" in absent.content.decode()
    assert "Opening plenary" in absent.content.decode()


def test_an_unpublished_programme_is_hidden_from_visitors_but_not_organisers(anonymous, staff):
    event = make_event()
    make_session(event, title="Secret draft")

    assert anonymous.get(f"/events/{event.slug}/programme/").status_code == 404
    assert "Secret draft" not in anonymous.get(f"/events/{event.slug}/").content.decode()
    assert "Secret draft" in staff.get(f"/events/{event.slug}/programme/").content.decode()


def test_the_timetable_queries_do_not_grow_with_the_sessions(anonymous, django_assert_num_queries):
    event = make_event()
    world = make_programme(event)
    anonymous.get(f"/events/{event.slug}/programme/")
    with CaptureQueriesContext(connection) as first:
        anonymous.get(f"/events/{event.slug}/programme/")
    for hour in range(11, 17):
        make_session(
            event,
            room=world["hall"],
            track=world["track"],
            speakers=[world["ada"], world["kofi"]],
            starts_at=at(10, hour),
            ends_at=at(10, hour, 45),
        )

    with django_assert_num_queries(len(first.captured_queries)):
        response = anonymous.get(f"/events/{event.slug}/programme/")

    assert response.content.decode().count('id="session-') == 7


# --- Agenda ---------------------------------------------------------------------------------


def test_a_signed_in_person_adds_a_session_to_their_agenda_and_sees_it(public, public_user):
    event = make_event()
    world = make_programme(event)

    response = public.post(
        f"/events/{event.slug}/sessions/{world['opening'].pk}/agenda/", {"action": "add"}
    )
    agenda = public.get("/events/agenda/").content.decode()

    assert response.status_code == 302
    assert AgendaItem.objects.filter(user=public_user, session=world["opening"]).exists()
    assert "Opening plenary" in agenda and "Fundraising workshop" not in agenda


def test_removing_from_the_agenda(public, public_user):
    world = make_programme(make_event())
    add_to_agenda(session=world["opening"], by=public_user)

    public.post(
        f"/events/{world['opening'].event.slug}/sessions/{world['opening'].pk}/agenda/",
        {"action": "remove"},
    )

    assert not AgendaItem.objects.filter(user=public_user).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_added(anonymous):
    world = make_programme(make_event())

    response = anonymous.post(
        f"/events/{world['opening'].event.slug}/sessions/{world['opening'].pk}/agenda/"
    )

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AgendaItem.objects.exists()


def test_a_session_of_another_event_is_a_404(public):
    world = make_programme(make_event())
    other = make_event()

    response = public.post(f"/events/{other.slug}/sessions/{world['opening'].pk}/agenda/")

    assert response.status_code == 404
    assert not AgendaItem.objects.exists()


def test_the_agenda_page_is_for_signed_in_people(anonymous):
    response = anonymous.get("/events/agenda/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Calendars ------------------------------------------------------------------------------


def _parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_event_feed_holds_its_sessions_with_their_time_zone(anonymous):
    event = make_event()
    make_programme(event)

    calendar = _parse(anonymous.get(f"/events/{event.slug}/calendar.ics"))

    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    opening = events[f"Opening plenary ({event.title})"]
    start = opening.decoded("dtstart")
    assert start == at(10, 10)
    assert opening["dtstart"].params["TZID"] == "Europe/Paris"
    assert start.utcoffset() == datetime.timedelta(hours=2)  # summer time in Paris
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert len(events) == 2


def test_a_cancelled_session_is_cancelled_in_the_feed(anonymous, staff_user):
    event = make_event()
    world = make_programme(event)
    cancel_session(session=world["workshop"], by=staff_user)

    calendar = _parse(anonymous.get(f"/events/{event.slug}/calendar.ics"))

    statuses = {
        str(e["summary"]).split(" (")[0]: str(e.get("status", "")) for e in calendar.walk("VEVENT")
    }
    assert statuses == {"Opening plenary": "", "Fundraising workshop": "CANCELLED"}


def test_an_event_without_a_programme_is_one_entry_in_its_feed(anonymous):
    event = make_event(
        time_zone="America/Chicago",
        starts_at=datetime.datetime(2031, 1, 10, 9, tzinfo=zoneinfo.ZoneInfo("America/Chicago")),
        ends_at=datetime.datetime(2031, 1, 10, 17, tzinfo=zoneinfo.ZoneInfo("America/Chicago")),
    )

    calendar = _parse(anonymous.get(f"/events/{event.slug}/calendar.ics"))

    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart").utcoffset() == datetime.timedelta(hours=-6)  # winter
    assert str(entry["summary"]) == event.title


def test_the_personal_feed_holds_the_agenda_by_its_secret_link(anonymous, public, public_user):
    world = make_programme(make_event())
    add_to_agenda(session=world["workshop"], by=public_user)
    page = public.get("/events/agenda/").content.decode()
    token = CalendarToken.objects.get(user=public_user).token

    response = anonymous.get(f"/events/agenda/{token}.ics")

    assert f"/events/agenda/{token}.ics" in page
    assert "no-store" in response["Cache-Control"]
    summaries = [str(e["summary"]) for e in _parse(response).walk("VEVENT")]
    assert summaries == [f"Fundraising workshop ({world['workshop'].event.title})"]


def test_a_revoked_personal_feed_link_answers_404(anonymous, public, public_user):
    public.get("/events/agenda/")
    old = CalendarToken.objects.get(user=public_user).token

    public.post("/events/agenda/calendar/reset/")

    new = CalendarToken.objects.get(user=public_user).token
    assert old != new
    assert anonymous.get(f"/events/agenda/{old}.ics").status_code == 404
    assert anonymous.get(f"/events/agenda/{new}.ics").status_code == 200


def test_a_made_up_feed_link_answers_404(anonymous):
    assert anonymous.get("/events/agenda/not-a-token.ics").status_code == 404


def test_an_unpublished_event_has_no_feed(anonymous, staff):
    event = make_event(published_at=None)

    assert anonymous.get(f"/events/{event.slug}/calendar.ics").status_code == 404


# --- Speakers' photos -----------------------------------------------------------------------


def test_a_speakers_photo_is_served_as_an_image_with_safe_headers(anonymous, staff, staff_user):
    event = make_event()
    make_session(event)
    response = staff.post(
        f"/staff/events/{event.slug}/speakers/new/",
        {"name": "Ada Lovelace", "photo": SimpleUploadedFile("a.png", tiny_png(), "image/png")},
    )
    speaker = event.speakers.get()
    Session.objects.get(event=event).speakers.add(speaker)
    event.programme_published_at = event.published_at
    event.save()

    photo = anonymous.get(f"/events/{event.slug}/speakers/{speaker.pk}/thumb/")

    assert response.status_code == 302
    assert photo.status_code == 200
    assert photo["Content-Type"] in ("image/webp", "image/jpeg", "image/png")
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert anonymous.get(f"/events/{event.slug}/speakers/{speaker.pk}/original/").status_code == 404


# --- Organisers' pages ----------------------------------------------------------------------


STAFF_PATHS = (
    "/staff/events/",
    "/staff/events/new/",
    "/staff/events/{slug}/",
    "/staff/events/{slug}/programme/",
    "/staff/events/{slug}/sessions/new/",
    "/staff/events/{slug}/speakers/new/",
)


ROLES_EXPECTED = {
    "anonymous": 302,
    "public": 404,
    "committee_admin": 404,
    "other_committee_admin": 404,
    "staff_without_otp": 302,
    "staff": 200,
}


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_organiser_pages_refuse_everyone_but_verified_staff(request, path):
    event = make_event()
    url = path.format(slug=event.slug)

    statuses = {role: request.getfixturevalue(role).get(url) for role in ROLES_EXPECTED}

    assert {role: r.status_code for role, r in statuses.items()} == ROLES_EXPECTED
    assert "/accounts/two-factor/" in statuses["staff_without_otp"]["Location"]
    assert "/accounts/login/" in statuses["anonymous"]["Location"]


def test_staff_create_an_event_in_its_own_time_zone(staff):
    response = staff.post(
        "/staff/events/new/",
        {
            "kind": "conference",
            "title": "Annual conference",
            "time_zone": "Asia/Tokyo",
            "starts_at": "2031-10-01T09:00",
            "ends_at": "2031-10-03T18:00",
            "venue_name": "Tokyo International Forum",
            "latitude": "35.6768",
            "longitude": "139.7639",
        },
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.starts_at == datetime.datetime(2031, 10, 1, 0, 0, tzinfo=datetime.UTC)
    assert event.time_zone == "Asia/Tokyo"


def test_a_bad_event_form_changes_nothing_and_says_why(staff):
    response = staff.post(
        "/staff/events/new/",
        {
            "kind": "summit",
            "title": "Summit",
            "time_zone": "Europe/Paris",
            "starts_at": "2031-06-10T09:00",
            "ends_at": "2031-06-12T18:00",
        },
    )

    assert response.status_code == 200
    assert "The summit and the banquet are parts of the annual conference." in (
        response.content.decode()
    )
    assert not Event.objects.exists()


def test_staff_publish_an_event(staff):
    event = make_event(published_at=None)

    staff.post(f"/staff/events/{event.slug}/publish/", {"action": "publish"})

    event.refresh_from_db()
    assert event.published_at is not None


def test_staff_edit_a_session_after_publication_and_the_change_is_recorded(staff):
    event = make_event()
    world = make_programme(event)

    response = staff.post(
        f"/staff/events/{event.slug}/sessions/{world['opening'].pk}/",
        {
            "title": "Opening ceremony",
            "starts_at": "2031-06-10T10:00",
            "ends_at": "2031-06-10T11:00",
            "room": world["hall"].pk,
        },
    )

    assert response.status_code == 302
    assert SessionChange.objects.get().kind == "retitled"


def test_staff_add_a_session_a_track_and_a_room(staff):
    event = make_event()

    staff.post(f"/staff/events/{event.slug}/tracks/new/", {"name": "Youth"})
    staff.post(f"/staff/events/{event.slug}/rooms/new/", {"name": "Salon C", "capacity": "40"})
    room = event.rooms.get()
    response = staff.post(
        f"/staff/events/{event.slug}/sessions/new/",
        {
            "title": "Welcome",
            "starts_at": "2031-06-10T09:30",
            "ends_at": "2031-06-10T10:00",
            "room": room.pk,
            "track": event.tracks.get().pk,
        },
    )

    session = event.sessions.get()
    assert response.status_code == 302
    assert (session.title, session.room.name, room.capacity) == ("Welcome", "Salon C", 40)
    assert session.starts_at == at(10, 9, 30)


def test_a_regional_coordinator_organises_their_conference_and_sees_no_other(anonymous):
    coordinator = UserFactory()
    region = make_region(coordinators=[coordinator])
    theirs = make_event(kind=Event.Kind.REGIONAL, title="Midwest day", region=region)
    other = make_event(
        kind=Event.Kind.REGIONAL, title="Southern day", region=make_region(name="South")
    )
    conference = make_event(title="The annual one")
    client = _client_for(coordinator)

    listing = client.get("/staff/events/").content.decode()

    assert "Midwest day" in listing and "Southern day" not in listing
    assert "The annual one" not in listing
    assert client.get(f"/staff/events/{theirs.slug}/programme/").status_code == 200
    assert client.get(f"/staff/events/{other.slug}/programme/").status_code == 404
    assert client.get(f"/staff/events/{conference.slug}/").status_code == 404


def test_a_regional_coordinator_creates_a_regional_conference_from_the_page():
    coordinator = UserFactory()
    region = make_region(coordinators=[coordinator])
    client = _client_for(coordinator)

    response = client.post(
        "/staff/events/new/",
        {
            "kind": "regional",
            "title": "Midwest day",
            "region": region.pk,
            "time_zone": "America/Chicago",
            "starts_at": "2031-09-03T09:00",
            "ends_at": "2031-09-03T17:00",
        },
    )

    assert response.status_code == 302
    assert Event.objects.get().region == region


def test_the_organiser_menu_links_to_the_staff_event_pages(staff):
    page = staff.get("/").content.decode()

    assert 'href="/staff/events/"' in page


def test_the_agenda_queries_do_not_grow_with_its_sessions(public, public_user):
    event = make_event()
    world = make_programme(event)
    add_to_agenda(session=world["opening"], by=public_user)
    public.get("/events/agenda/")
    with CaptureQueriesContext(connection) as first:
        public.get("/events/agenda/")
    for hour in range(11, 17):
        add_to_agenda(
            session=make_session(event, starts_at=at(10, hour), ends_at=at(10, hour, 30)),
            by=public_user,
        )
    event.save()

    with CaptureQueriesContext(connection) as second:
        response = public.get("/events/agenda/")

    assert len(second.captured_queries) == len(first.captured_queries)
    assert response.content.decode().count("<tr>") == 8  # the header and seven sessions


def test_the_organisers_list_queries_do_not_grow_with_the_events(staff):
    make_event()
    staff.get("/staff/events/")
    with CaptureQueriesContext(connection) as first:
        staff.get("/staff/events/")
    conference = make_event()
    for _n in range(5):
        make_event(kind=Event.Kind.REGIONAL, region=make_region())
    make_event(kind=Event.Kind.SUMMIT, parent=conference)

    with CaptureQueriesContext(connection) as second:
        response = staff.get("/staff/events/")

    assert len(second.captured_queries) == len(first.captured_queries)
    assert response.content.decode().count("<tr>") == 9
