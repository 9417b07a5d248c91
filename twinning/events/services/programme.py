"""The programme: tracks, rooms, speakers (photo through the upload pipeline), sessions, the
record of changes after publication, each person's agenda and the secret of their calendar
feed. Organisers (see services.events.may_organise) write the programme; a signed-in person
writes only their own agenda."""

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed
from twinning.core.services import log_activity
from twinning.events.models import (
    AgendaItem,
    CalendarToken,
    Event,
    Room,
    Session,
    SessionChange,
    Speaker,
    Track,
    new_calendar_token,
)
from twinning.events.services.events import require_organiser

SPEAKER_PHOTO_BYTES = 10 * 1024 * 1024
SESSION_FIELDS = ("title", "description", "track", "room", "starts_at", "ends_at")


def _same_event(event: Event, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.event_id != event.pk:
            raise ValidationError(_("Choose a track, room or speaker of this event."))


# --- Tracks and rooms ----------------------------------------------------------------------


@transaction.atomic
def save_track(*, event: Event, name: str, by: Any, track: Track | None = None) -> Track:
    require_organiser(by, event)
    _same_event(event, track)
    track = track or Track(event=event, position=event.tracks.count())
    track.name = (name or "").strip()
    track.full_clean()
    track.save()
    log_activity(event, "events.track.saved", by=by, data={"track": track.pk, "name": track.name})
    return track


@transaction.atomic
def save_room(
    *, event: Event, name: str, by: Any, capacity: int | None = None, room: Room | None = None
) -> Room:
    require_organiser(by, event)
    _same_event(event, room)
    room = room or Room(event=event, position=event.rooms.count())
    room.name = (name or "").strip()
    room.capacity = capacity
    room.full_clean()
    room.save()
    log_activity(event, "events.room.saved", by=by, data={"room": room.pk, "name": room.name})
    return room


# --- Speakers ------------------------------------------------------------------------------


def _delete_files(*names: str) -> None:
    from twinning.core.media import delete_stored, private_storage

    delete_stored(private_storage, names)


def _save_speaker(speaker: Speaker, photo: Any) -> None:
    names: list[str] = []
    if photo:
        from twinning.core.media import store_upload
        from twinning.core.uploads import Kind as UploadKind
        from twinning.core.uploads import UploadLimits

        stored = store_upload(
            photo,
            allowed=[UploadKind.IMAGE],
            limits=UploadLimits(max_bytes=SPEAKER_PHOTO_BYTES),
            folder="events/speakers",
        )
        old = [speaker.photo_file, speaker.photo_thumb_file]
        speaker.photo_file = stored.files["display"].name
        speaker.photo_content_type = stored.files["display"].mime
        speaker.photo_thumb_file = stored.files["thumb"].name
        speaker.photo_thumb_content_type = stored.files["thumb"].mime
        names = [speaker.photo_file, speaker.photo_thumb_file]
        transaction.on_commit(partial(_delete_files, *[n for n in old if n]))
    try:
        speaker.full_clean()
        speaker.save()
    except Exception:
        _delete_files(*names)
        raise


@transaction.atomic
def create_speaker(
    *,
    event: Event,
    name: str,
    by: Any,
    organisation: str = "",
    bio: str = "",
    photo: Any = None,
) -> Speaker:
    require_organiser(by, event)
    speaker = Speaker(
        event=event, name=(name or "").strip(), organisation=organisation.strip(), bio=bio
    )
    _save_speaker(speaker, photo)
    log_activity(event, "events.speaker.created", by=by, data={"speaker": speaker.pk})
    return speaker


@transaction.atomic
def update_speaker(
    *,
    speaker: Speaker,
    by: Any,
    name: str,
    organisation: str = "",
    bio: str = "",
    photo: Any = None,
    remove_photo: bool = False,
) -> Speaker:
    require_organiser(by, speaker.event)
    speaker.name, speaker.organisation, speaker.bio = (name or "").strip(), organisation, bio
    if remove_photo and not photo:
        old = [speaker.photo_file, speaker.photo_thumb_file]
        speaker.photo_file = speaker.photo_thumb_file = ""
        speaker.photo_content_type = speaker.photo_thumb_content_type = ""
        transaction.on_commit(partial(_delete_files, *[n for n in old if n]))
    _save_speaker(speaker, photo)
    log_activity(speaker.event, "events.speaker.updated", by=by, data={"speaker": speaker.pk})
    return speaker


# --- Sessions ------------------------------------------------------------------------------


def _check_session(session: Session) -> None:
    event = session.event
    _same_event(event, session.track, session.room)
    if session.starts_at and session.ends_at:
        if session.ends_at <= session.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
            raise ValidationError(
                {"starts_at": _("A session takes place within the event's dates and times.")}
            )


@transaction.atomic
def create_session(
    *,
    event: Event,
    by: Any,
    title: str,
    starts_at: Any,
    ends_at: Any,
    description: str = "",
    track: Track | None = None,
    room: Room | None = None,
    speakers: Any = (),
) -> Session:
    require_organiser(by, event)
    session = Session(
        event=event,
        title=(title or "").strip(),
        description=description,
        track=track,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.full_clean()
    _check_session(session)
    _same_event(event, *speakers)
    session.save()
    session.speakers.set(speakers)
    log_activity(event, "events.session.created", by=by, data={"session": session.pk})
    return session


def _when(session: Session) -> str:
    zone = session.event.zone
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


@transaction.atomic
def update_session(*, session: Session, by: Any, speakers: Any = None, **fields: Any) -> Session:
    """Change a session. Once the programme is published, a move, a new title or another room
    is recorded and shown on the timetable as a change."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    require_organiser(by, session.event)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled: it can no longer be changed."))
    before_title, before_when, before_room = session.title, _when(session), session.room
    for name, value in fields.items():
        setattr(session, name, value.strip() if name == "title" else value)
    session.full_clean()
    _check_session(session)
    if speakers is not None:
        _same_event(session.event, *speakers)
    changes = []
    if session.event.programme_published_at is not None:
        if session.title != before_title:
            changes.append((SessionChange.Kind.RETITLED, before_title, session.title))
        if _when(session) != before_when:
            changes.append((SessionChange.Kind.MOVED, before_when, _when(session)))
        if session.room != before_room:
            changes.append(
                (SessionChange.Kind.ROOM, str(before_room or ""), str(session.room or ""))
            )
    if changes:
        session.changed_at = timezone.now()
    session.save()
    if speakers is not None:
        session.speakers.set(speakers)
    for kind, before, after in changes:
        SessionChange.objects.create(session=session, kind=kind, before=before, after=after)
    log_activity(
        session.event,
        "events.session.updated",
        by=by,
        data={"session": session.pk, "changes": [kind for kind, _b, _a in changes]},
    )
    return session


@transaction.atomic
def cancel_session(*, session: Session, by: Any) -> Session:
    """Cancel a session: before publication it is deleted; after, it stays on the timetable
    marked as cancelled."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    event = session.event
    require_organiser(by, event)
    if session.is_cancelled:
        return session
    if event.programme_published_at is None:
        pk = session.pk
        session.delete()
        log_activity(event, "events.session.deleted", by=by, data={"session": pk})
        return session
    session.cancelled_at = session.changed_at = timezone.now()
    session.save(update_fields=["cancelled_at", "changed_at", "updated_at"])
    SessionChange.objects.create(
        session=session, kind=SessionChange.Kind.CANCELLED, before=_when(session)
    )
    log_activity(event, "events.session.cancelled", by=by, data={"session": session.pk})
    return session


@transaction.atomic
def publish_programme(*, event: Event, by: Any) -> Event:
    """Publish the timetable; from now on every change is shown as such."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(by, event)
    if event.programme_published_at is None:
        if not event.sessions.exists():
            raise ValidationError(_("Add at least one session before publishing the programme."))
        event.programme_published_at = timezone.now()
        event.save(update_fields=["programme_published_at", "updated_at"])
        log_activity(event, "events.programme.published", by=by)
    return event


# --- A person's agenda and calendar link ---------------------------------------------------


def _require_person(by: Any) -> None:
    if not (getattr(by, "is_authenticated", False) and by.is_active):
        raise NotAllowed("events.agenda")


def _visible_session(session: Session) -> None:
    event = session.event
    if event.published_at is None or event.programme_published_at is None:
        raise NotAllowed("events.agenda")


@transaction.atomic
def add_to_agenda(*, session: Session, by: Any) -> AgendaItem:
    _require_person(by)
    session = Session.objects.select_related("event").get(pk=session.pk)
    _visible_session(session)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."))
    try:
        with transaction.atomic():
            item, created = AgendaItem.objects.get_or_create(user=by, session=session)
    except IntegrityError:  # the same click twice at once
        return AgendaItem.objects.get(user=by, session=session)
    if created:
        log_activity(session, "events.agenda.added", by=by)
    return item


@transaction.atomic
def remove_from_agenda(*, session: Session, by: Any) -> None:
    _require_person(by)
    deleted, _rows = AgendaItem.objects.filter(user=by, session=session).delete()
    if deleted:
        log_activity(session, "events.agenda.removed", by=by)


def calendar_token_for(user: Any) -> CalendarToken:
    """The person's calendar link secret (made on first use; not a decision, so no audit)."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def reset_calendar_token(*, by: Any) -> CalendarToken:
    """Revoke the person's agenda feed URL and make a new one."""
    _require_person(by)
    token, _created = CalendarToken.objects.get_or_create(user=by)
    token.token = new_calendar_token()
    token.save()
    log_activity(token, "events.calendar_link.reset", by=by)
    return token
