"""The events' public pages, programme and organisers' pages in the C1 matrix (joined by
tests/events/matrix.py). Regional coordinators, registrants and attendees are covered by the
role tests in tests/events/test_programme_pages.py and test_webinars_pages.py."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.activities.matrix import tiny_png
from tests.events.public_helpers import make_attendee, make_event, make_programme, make_webinar
from tests.factories import UserFactory
from tests.matrix import EVERYONE, SIGNED_IN, STAFF_ACTION, STAFF_PAGE
from twinning.core.authz import SYSTEM
from twinning.events.services.programme import calendar_token_for, update_speaker

POST_ONLY_SIGNED_IN = (302, 405, 405, 405, 405, 405)
NOBODY_BUT_THE_ATTENDEE = (302, 404, 404, 404, 404, 404)

MATRIX = {
    "events:event_list": ("/events/?kind=conference", EVERYONE),
    "events:event_detail": ("/events/{pub_event}/", EVERYONE),
    "events:timetable": ("/events/{pub_event}/programme/", EVERYONE),
    "events:event_ics": ("/events/{pub_event}/calendar.ics", EVERYONE),
    "events:speaker_photo": ("/events/{pub_event}/speakers/{pub_speaker}/thumb/", EVERYONE),
    "events:agenda_toggle": (
        "/events/{pub_event}/sessions/{pub_session}/agenda/",
        POST_ONLY_SIGNED_IN,
    ),
    "events:agenda": ("/events/agenda/", SIGNED_IN),
    "events:agenda_calendar_reset": ("/events/agenda/calendar/reset/", POST_ONLY_SIGNED_IN),
    "events:agenda_ics": ("/events/agenda/{pub_calendar_token}.ics", EVERYONE),
    "events:set_time_zone": ("/events/time-zone/", (405,) * 6),
    "events:certificate": ("/events/{pub_webinar}/certificate/", NOBODY_BUT_THE_ATTENDEE),
    "events:staff_event_list": ("/staff/events/", STAFF_PAGE),
    "events:staff_event_create": ("/staff/events/new/", STAFF_PAGE),
    "events:staff_event_edit": ("/staff/events/{pub_event}/", STAFF_PAGE),
    "events:staff_event_publish": ("/staff/events/{pub_event}/publish/", STAFF_ACTION),
    "events:staff_programme": ("/staff/events/{pub_event}/programme/", STAFF_PAGE),
    "events:staff_programme_publish": (
        "/staff/events/{pub_event}/programme/publish/",
        STAFF_ACTION,
    ),
    "events:staff_track_add": ("/staff/events/{pub_event}/tracks/new/", STAFF_ACTION),
    "events:staff_room_add": ("/staff/events/{pub_event}/rooms/new/", STAFF_ACTION),
    "events:staff_session_create": ("/staff/events/{pub_event}/sessions/new/", STAFF_PAGE),
    "events:staff_session_edit": ("/staff/events/{pub_event}/sessions/{pub_session}/", STAFF_PAGE),
    "events:staff_session_cancel": (
        "/staff/events/{pub_event}/sessions/{pub_session}/cancel/",
        STAFF_ACTION,
    ),
    "events:staff_speaker_create": ("/staff/events/{pub_event}/speakers/new/", STAFF_PAGE),
    "events:staff_speaker_edit": ("/staff/events/{pub_event}/speakers/{pub_speaker}/", STAFF_PAGE),
    "events:staff_webinar": ("/staff/events/{pub_webinar}/webinar/", STAFF_PAGE),
    "events:staff_recording": ("/staff/events/{pub_webinar}/recording/", STAFF_ACTION),
}


def build_world(base: dict[str, Any]) -> dict[str, Any]:
    """A published conference with a published programme (a speaker with a photo), a past
    webinar with one registrant, and someone's calendar link."""
    event = make_event(title="Matrix conference", slug="matrix-conference")
    world = make_programme(event)
    speaker = update_speaker(
        speaker=world["ada"],
        name="Ada Lovelace",
        organisation="Federal Agency",
        photo=SimpleUploadedFile("ada.png", tiny_png(), "image/png"),
        by=SYSTEM,
    )
    webinar = make_webinar(
        slug="matrix-webinar", starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    make_attendee(webinar, user=UserFactory())
    return {
        "pub_event": event.slug,
        "pub_session": world["opening"].pk,
        "pub_speaker": speaker.pk,
        "pub_webinar": webinar.slug,
        "pub_calendar_token": calendar_token_for(UserFactory()).token,
    }
