"""URLs of the events app: public pages, the programme, calendars, agendas, and the
organisers' pages for events, programmes and webinars."""

from django.urls import URLPattern, path

from twinning.events.views import public, staff_events

urlpatterns: list[URLPattern] = [
    path("events/", public.event_list, name="event_list"),
    path("events/agenda/", public.agenda, name="agenda"),
    path(
        "events/agenda/calendar/reset/",
        public.agenda_calendar_reset,
        name="agenda_calendar_reset",
    ),
    path("events/agenda/<str:token>.ics", public.agenda_ics, name="agenda_ics"),
    path("events/time-zone/", public.set_time_zone, name="set_time_zone"),
    path("events/<slug:slug>/", public.event_detail, name="event_detail"),
    path("events/<slug:slug>/programme/", public.timetable, name="timetable"),
    path("events/<slug:slug>/calendar.ics", public.event_ics, name="event_ics"),
    path(
        "events/<slug:slug>/sessions/<int:pk>/agenda/",
        public.agenda_toggle,
        name="agenda_toggle",
    ),
    path(
        "events/<slug:slug>/speakers/<int:pk>/<str:size>/",
        public.speaker_photo,
        name="speaker_photo",
    ),
    path("events/<slug:slug>/certificate/", public.certificate, name="certificate"),
    # Organisers
    path("staff/events/", staff_events.staff_event_list, name="staff_event_list"),
    path("staff/events/new/", staff_events.staff_event_create, name="staff_event_create"),
    path("staff/events/<slug:slug>/", staff_events.staff_event_edit, name="staff_event_edit"),
    path(
        "staff/events/<slug:slug>/publish/",
        staff_events.staff_event_publish,
        name="staff_event_publish",
    ),
    path(
        "staff/events/<slug:slug>/programme/",
        staff_events.staff_programme,
        name="staff_programme",
    ),
    path(
        "staff/events/<slug:slug>/programme/publish/",
        staff_events.staff_programme_publish,
        name="staff_programme_publish",
    ),
    path(
        "staff/events/<slug:slug>/tracks/new/", staff_events.staff_track_add, name="staff_track_add"
    ),
    path("staff/events/<slug:slug>/rooms/new/", staff_events.staff_room_add, name="staff_room_add"),
    path(
        "staff/events/<slug:slug>/sessions/new/",
        staff_events.staff_session_create,
        name="staff_session_create",
    ),
    path(
        "staff/events/<slug:slug>/sessions/<int:pk>/",
        staff_events.staff_session_edit,
        name="staff_session_edit",
    ),
    path(
        "staff/events/<slug:slug>/sessions/<int:pk>/cancel/",
        staff_events.staff_session_cancel,
        name="staff_session_cancel",
    ),
    path(
        "staff/events/<slug:slug>/speakers/new/",
        staff_events.staff_speaker_create,
        name="staff_speaker_create",
    ),
    path(
        "staff/events/<slug:slug>/speakers/<int:pk>/",
        staff_events.staff_speaker_edit,
        name="staff_speaker_edit",
    ),
    path("staff/events/<slug:slug>/webinar/", staff_events.staff_webinar, name="staff_webinar"),
    path(
        "staff/events/<slug:slug>/recording/",
        staff_events.staff_recording,
        name="staff_recording",
    ),
]
