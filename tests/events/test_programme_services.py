"""The programme's services: organisers (staff; a region's coordinators for its regional
conference), sessions within the event, changes after publication recorded, speakers' photos
through the upload pipeline with metadata stripped, the agenda and the calendar link."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.events.public_helpers import at, make_event, make_programme, make_region, make_session
from tests.factories import UserFactory
from twinning.core.authz import NotAllowed
from twinning.core.media import private_storage
from twinning.core.models import ActivityLog
from twinning.events.models import AgendaItem, CalendarToken, Event, SessionChange
from twinning.events.services.events import create_event, publish_event, update_event
from twinning.events.services.programme import (
    add_to_agenda,
    cancel_session,
    create_session,
    create_speaker,
    publish_programme,
    remove_from_agenda,
    reset_calendar_token,
    save_room,
    save_track,
    update_session,
)

pytestmark = pytest.mark.django_db


def _regional_fields(region):
    return {
        "kind": Event.Kind.REGIONAL,
        "title": "Midwest regional conference",
        "region": region,
        "time_zone": "America/Chicago",
        "starts_at": at(3, 9, month=9),
        "ends_at": at(3, 17, month=9),
    }


def test_staff_create_an_event_with_a_slug_and_an_audit_entry(staff_user):
    event = create_event(
        by=staff_user,
        kind=Event.Kind.CONFERENCE,
        title="Annual conference",
        time_zone="Europe/Paris",
        starts_at=at(10, 9),
        ends_at=at(12, 18),
        organisers=[staff_user],
    )

    assert event.slug == "annual-conference-2031"
    assert event.published_at is None
    assert list(event.organisers.all()) == [staff_user]
    assert ActivityLog.objects.filter(action="events.event.created").count() == 1


def test_a_regional_coordinator_creates_their_regions_conference_only():
    coordinator = UserFactory()
    midwest, south = make_region(coordinators=[coordinator]), make_region(name="South")

    event = create_event(by=coordinator, **_regional_fields(midwest))
    with pytest.raises(NotAllowed):
        create_event(by=coordinator, **_regional_fields(south))
    with pytest.raises(NotAllowed):
        create_event(by=coordinator, **{**_regional_fields(midwest), "kind": Event.Kind.WEBINAR})

    assert event.region == midwest


def test_a_coordinator_cannot_move_their_conference_to_another_region():
    coordinator = UserFactory()
    midwest, south = make_region(coordinators=[coordinator]), make_region(name="South")
    event = create_event(by=coordinator, **_regional_fields(midwest))

    update_event(event=event, by=coordinator, title="Midwest spring conference")
    with pytest.raises(NotAllowed):
        update_event(event=event, by=coordinator, region=south)

    event.refresh_from_db()
    assert (event.title, event.region) == ("Midwest spring conference", midwest)


def test_a_coordinator_of_another_region_may_not_edit_or_publish():
    owner, stranger = UserFactory(), UserFactory()
    event = create_event(by=owner, **_regional_fields(make_region(coordinators=[owner])))
    make_region(name="South", coordinators=[stranger])

    with pytest.raises(NotAllowed):
        update_event(event=event, by=stranger, title="Hijacked")
    with pytest.raises(NotAllowed):
        publish_event(event=event, by=stranger)


def test_the_summit_must_be_a_part_of_the_annual_conference(staff_user):
    regional = make_event(kind=Event.Kind.REGIONAL, region=make_region())
    fields = {"time_zone": "Europe/Paris", "starts_at": at(10, 9), "ends_at": at(12, 18)}

    with pytest.raises(ValidationError) as alone:
        create_event(by=staff_user, kind=Event.Kind.SUMMIT, title="Summit", **fields)
    with pytest.raises(ValidationError) as wrong_parent:
        create_event(
            by=staff_user, kind=Event.Kind.SUMMIT, title="Summit", parent=regional, **fields
        )

    assert "parent" in alone.value.message_dict
    assert "parent" in wrong_parent.value.message_dict


def test_an_event_cannot_end_before_it_starts(staff_user):
    with pytest.raises(ValidationError):
        create_event(
            by=staff_user,
            kind=Event.Kind.CONFERENCE,
            title="Backwards",
            starts_at=at(12, 9),
            ends_at=at(10, 9),
        )

    assert not Event.objects.exists()


def test_a_session_outside_the_event_is_refused(staff_user):
    event = make_event()

    with pytest.raises(ValidationError):
        create_session(
            event=event, by=staff_user, title="Late", starts_at=at(20, 9), ends_at=at(20, 10)
        )


def test_a_track_or_room_of_another_event_is_refused(staff_user):
    event, other = make_event(), make_event()
    room = save_room(event=other, name="Elsewhere", by=staff_user)

    with pytest.raises(ValidationError):
        create_session(
            event=event,
            by=staff_user,
            title="Misplaced",
            starts_at=at(10, 10),
            ends_at=at(10, 11),
            room=room,
        )


def test_before_publication_changes_are_not_recorded(staff_user):
    event = make_event()
    session = make_session(event, title="Draft", starts_at=at(10, 10), ends_at=at(10, 11))

    update_session(
        session=session,
        by=staff_user,
        title="Draft title",
        starts_at=at(10, 12),
        ends_at=at(10, 13),
    )

    session.refresh_from_db()
    assert session.changed_at is None and not SessionChange.objects.exists()


def test_after_publication_a_move_a_new_title_and_a_new_room_are_recorded(staff_user):
    event = make_event()
    world = make_programme(event)

    update_session(
        session=world["opening"],
        by=staff_user,
        title="Opening ceremony",
        starts_at=at(10, 11),
        ends_at=at(10, 12),
        room=world["salon"],
    )

    changes = dict(SessionChange.objects.values_list("kind", "before"))
    assert changes == {
        "retitled": "Opening plenary",
        "moved": "2031-06-10 10:00–11:00",
        "room": "Grand Hall",
    }


def test_cancelling_a_published_session_keeps_it_marked_cancelled(staff_user):
    event = make_event()
    world = make_programme(event)

    cancel_session(session=world["workshop"], by=staff_user)

    world["workshop"].refresh_from_db()
    assert world["workshop"].is_cancelled
    assert SessionChange.objects.get().kind == SessionChange.Kind.CANCELLED


def test_cancelling_a_draft_session_deletes_it(staff_user):
    event = make_event()
    session = make_session(event)

    cancel_session(session=session, by=staff_user)

    assert not event.sessions.exists()


def test_a_cancelled_session_can_no_longer_be_changed(staff_user):
    world = make_programme(make_event())
    cancel_session(session=world["workshop"], by=staff_user)

    with pytest.raises(ValidationError):
        update_session(session=world["workshop"], by=staff_user, title="Back")


def test_the_programme_is_published_once_it_has_a_session(staff_user):
    event = make_event()

    with pytest.raises(ValidationError):
        publish_programme(event=event, by=staff_user)
    make_session(event)
    publish_programme(event=event, by=staff_user)

    event.refresh_from_db()
    assert event.programme_published_at is not None


def test_tracks_have_unique_names_per_event(staff_user):
    event = make_event()
    save_track(event=event, name="Advocacy", by=staff_user)

    with pytest.raises(ValidationError):
        save_track(event=event, name="Advocacy", by=staff_user)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (60, 40), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_speakers_photo_is_stored_re_encoded_without_its_metadata(staff_user):
    event = make_event()
    original = _jpeg_with_gps()
    assert b"SpyCam" in original

    speaker = create_speaker(
        event=event,
        name="Ada Lovelace",
        photo=SimpleUploadedFile("ada.jpg", original, "image/jpeg"),
        by=staff_user,
    )

    with private_storage.open(speaker.photo_file, "rb") as stored:
        data = stored.read()
    assert speaker.photo_file.startswith("events/speakers/")
    assert b"SpyCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_kept(staff_user):
    event = make_event()

    with pytest.raises(ValidationError):
        create_speaker(
            event=event,
            name="Ada",
            photo=SimpleUploadedFile("ada.jpg", b"%PDF-1.4 not an image", "image/jpeg"),
            by=staff_user,
        )

    assert not event.speakers.exists()


def test_a_person_adds_and_removes_a_session_on_their_agenda_once():
    person = UserFactory()
    world = make_programme(make_event())

    add_to_agenda(session=world["opening"], by=person)
    add_to_agenda(session=world["opening"], by=person)
    assert AgendaItem.objects.filter(user=person).count() == 1
    remove_from_agenda(session=world["opening"], by=person)

    assert not AgendaItem.objects.filter(user=person).exists()


def test_sessions_of_an_unpublished_programme_cannot_be_put_on_an_agenda():
    event = make_event()
    session = make_session(event)

    with pytest.raises(NotAllowed):
        add_to_agenda(session=session, by=UserFactory())


def test_a_cancelled_session_cannot_be_added_to_an_agenda(staff_user):
    world = make_programme(make_event())
    cancel_session(session=world["workshop"], by=staff_user)

    with pytest.raises(ValidationError):
        add_to_agenda(session=world["workshop"], by=UserFactory())


def test_resetting_the_calendar_link_makes_a_new_secret():
    person = UserFactory()
    first = reset_calendar_token(by=person).token

    second = reset_calendar_token(by=person).token

    assert first != second
    assert CalendarToken.objects.get(user=person).token == second
