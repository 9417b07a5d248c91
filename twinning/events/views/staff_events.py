"""Organisers' pages: events (create, edit, publish), the programme (tracks, rooms, speakers,
sessions, publication) and a webinar's attendance import and recording link.

Verified staff organise every event; a region's coordinators organise that region's regional
conferences (and see only those). Anyone else: 404; anonymous: to sign in; staff without
their second factor: to the code page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import otp_verify_url
from twinning.core.authz import is_verified_staff
from twinning.core.forms import add_service_error
from twinning.events.forms_programme import (
    AttendanceForm,
    EventForm,
    NameForm,
    RecordingForm,
    SessionForm,
    SpeakerForm,
)
from twinning.events.models import AttendanceRecord, Event, Session, Speaker
from twinning.events.services.events import (
    create_event,
    may_organise,
    publish_event,
    unpublish_event,
    update_event,
)
from twinning.events.services.programme import (
    cancel_session,
    create_session,
    create_speaker,
    publish_programme,
    save_room,
    save_track,
    update_session,
    update_speaker,
)
from twinning.events.services.webinars import import_attendance, registrants, set_recording
from twinning.members.models import AssociationRegion


def _coordinated(user: Any) -> Any:
    return AssociationRegion.objects.filter(coordinators=user)


def organiser_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Verified staff, or a regional coordinator (objects are checked by each view)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_active:
            raise Http404
        if user.is_staff and not is_verified_staff(user):
            return redirect(otp_verify_url(request.get_full_path()))
        if not (is_verified_staff(user) or _coordinated(user).exists()):
            raise Http404
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("parent", "region"), slug=slug)
    if not may_organise(request.user, event):
        raise Http404
    return event


# --- Events ---------------------------------------------------------------------------------


@organiser_required
@require_safe
def staff_event_list(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.organised_by(request.user)
        .select_related("parent", "region", "partner")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("-starts_at", "pk")
    )
    if not is_verified_staff(request.user):
        events = events.filter(kind=Event.Kind.REGIONAL, region__coordinators=request.user.pk)
    return render(request, "events/staff/event_list.html", {"events": events})


def _event_form(request: HttpRequest, **kwargs: Any) -> EventForm:
    staff = is_verified_staff(request.user)
    return EventForm(
        request.POST or None,
        regions=None if staff else _coordinated(request.user),
        staff=staff,
        **kwargs,
    )


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_event_create(request: HttpRequest) -> HttpResponse:
    form = _event_form(request)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            event = create_event(by=request.user, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The event is created. Publish it when it is ready."))
            return redirect("events:staff_event_edit", slug=event.slug)
    return render(request, "events/staff/event_form.html", {"form": form, "event": None})


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = _event_form(request, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            update_event(event=event, by=request.user, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:staff_event_edit", slug=event.slug)
    return render(request, "events/staff/event_form.html", {"form": form, "event": event})


@organiser_required
@require_POST
def staff_event_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if request.POST.get("action") == "unpublish":
        unpublish_event(event=event, by=request.user)
        messages.success(request, _("The event is no longer shown on the events page."))
    else:
        publish_event(event=event, by=request.user)
        messages.success(request, _("The event is published."))
    return redirect("events:staff_event_edit", slug=event.slug)


# --- Programme ------------------------------------------------------------------------------


@organiser_required
@require_safe
def staff_programme(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    sessions = Session.objects.filter(event=event).for_timetable().prefetch_related("changes")
    context = {
        "event": event,
        "sessions": sessions,
        "speakers": event.speakers.annotate(session_count=Count("sessions")),
        "tracks": event.tracks.all(),
        "rooms": event.rooms.all(),
        "track_form": NameForm(prefix="track"),
        "room_form": NameForm(prefix="room"),
    }
    return render(request, "events/staff/programme.html", context)


@organiser_required
@require_POST
def staff_track_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    try:
        save_track(event=event, name=request.POST.get("name", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The track is added."))
    return redirect("events:staff_programme", slug=event.slug)


@organiser_required
@require_POST
def staff_room_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = NameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the room a name (and, if you wish, its number of seats)."))
        return redirect("events:staff_programme", slug=event.slug)
    try:
        save_room(
            event=event,
            name=form.cleaned_data["name"],
            capacity=form.cleaned_data["capacity"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The room is added."))
    return redirect("events:staff_programme", slug=event.slug)


def _session_initial(session: Session) -> dict[str, Any]:
    zone = session.event.zone
    return {
        "title": session.title,
        "description": session.description,
        "starts_at": session.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": session.ends_at.astimezone(zone).replace(tzinfo=None),
        "track": session.track,
        "room": session.room,
        "speakers": list(session.speakers.all()),
    }


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_session_create(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            create_session(event=event, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The session is added."))
            return redirect("events:staff_programme", slug=event.slug)
    return render(
        request, "events/staff/session_form.html", {"form": form, "event": event, "session": None}
    )


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session = get_object_or_404(Session, pk=pk, event=event)
    form = SessionForm(request.POST or None, event=event, initial=_session_initial(session))
    if request.method == "POST" and form.is_valid():
        try:
            update_session(session=session, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("events:staff_programme", slug=event.slug)
    return render(
        request,
        "events/staff/session_form.html",
        {"form": form, "event": event, "session": session},
    )


@organiser_required
@require_POST
def staff_session_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session = get_object_or_404(Session, pk=pk, event=event)
    cancel_session(session=session, by=request.user)
    if event.programme_published_at:
        messages.success(request, _("The session is cancelled: the timetable shows it as such."))
    else:
        messages.success(request, _("The session is removed."))
    return redirect("events:staff_programme", slug=event.slug)


@organiser_required
@require_POST
def staff_programme_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    try:
        publish_programme(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The programme is published; later changes are shown as such."))
    return redirect("events:staff_programme", slug=event.slug)


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_speaker_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _speaker_form(request, _event(request, slug), None)


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_speaker_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    return _speaker_form(request, event, get_object_or_404(Speaker, pk=pk, event=event))


def _speaker_form(request: HttpRequest, event: Event, speaker: Speaker | None) -> HttpResponse:
    initial = (
        {"name": speaker.name, "organisation": speaker.organisation, "bio": speaker.bio}
        if speaker
        else None
    )
    form = SpeakerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if speaker is None:
                create_speaker(
                    event=event,
                    name=data["name"],
                    organisation=data["organisation"],
                    bio=data["bio"],
                    photo=data["photo"],
                    by=request.user,
                )
            else:
                update_speaker(
                    speaker=speaker,
                    name=data["name"],
                    organisation=data["organisation"],
                    bio=data["bio"],
                    photo=data["photo"],
                    remove_photo=data["remove_photo"],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The speaker is saved."))
            return redirect("events:staff_programme", slug=event.slug)
    return render(
        request,
        "events/staff/speaker_form.html",
        {"form": form, "event": event, "speaker": speaker},
    )


# --- Webinars -------------------------------------------------------------------------------


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_webinar(request: HttpRequest, slug: str) -> HttpResponse:
    """A webinar's registrants and attendance; import the platform's CSV; the recording."""
    event = _event(request, slug)
    if event.kind != Event.Kind.WEBINAR:
        raise Http404
    form = AttendanceForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            report = import_attendance(event=event, data=upload.read(), by=request.user)
            if report.error:
                form.add_error("file", report.error)
            else:
                messages.success(
                    request,
                    _("%(imported)s row(s) imported, %(rejected)s rejected.")
                    % {"imported": report.imported, "rejected": len(report.rejected)},
                )
    people = registrants(event).order_by("last_name", "first_name", "pk")
    attended_ids = set(
        AttendanceRecord.objects.filter(event=event, attendee__isnull=False).values_list(
            "attendee_id", flat=True
        )
    )
    context = {
        "event": event,
        "form": form,
        "report": report,
        "people": people,
        "attended_ids": attended_ids,
        "recording_form": RecordingForm(
            initial={"url": event.recording_url, "public": event.recording_public}
        ),
        "unmatched": AttendanceRecord.objects.filter(event=event, attendee__isnull=True).count(),
    }
    return render(request, "events/staff/webinar.html", context)


@organiser_required
@require_POST
def staff_recording(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = RecordingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the full link, starting with https://."))
    else:
        try:
            set_recording(
                event=event,
                url=form.cleaned_data["url"],
                public=form.cleaned_data["public"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The recording link is saved."))
    if event.kind == Event.Kind.WEBINAR:
        return redirect("events:staff_webinar", slug=event.slug)
    return redirect("events:staff_event_edit", slug=event.slug)
