"""Forms of the organisers' pages (events, programme, webinars). Date-times are typed in the
event's own time zone: the views make them aware in that zone (`in_zone`)."""

import datetime
import zoneinfo
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateTimeInput
from twinning.events.models import Event, PartnerOrganisation, Room, Speaker, Track, WebinarSeries
from twinning.members.models import AssociationRegion


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def in_zone(value: datetime.datetime | None, zone: str) -> datetime.datetime | None:
    """A naive date-time typed in `zone`, made aware (the form's time zone, not the server's)."""
    if value is None:
        return None
    return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(zone))


class NaiveDateTimeField(forms.DateTimeField):
    """A date-time kept as typed (no conversion to the server's zone)."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    parent = forms.ModelChoiceField(
        label=_("Part of (the summit and the banquet: the annual conference)"),
        queryset=Event.objects.filter(kind=Event.Kind.CONFERENCE),
        required=False,
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the event"), choices=())
    starts_at = NaiveDateTimeField(label=_("Starts (event's time)"), widget=DateTimeInput())
    ends_at = NaiveDateTimeField(label=_("Ends (event's time)"), widget=DateTimeInput())
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(
        label=_("Venue address"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    online_url = forms.URLField(
        assume_scheme="https",
        label=_("Online link (shown to registrants only)"),
        required=False,
        max_length=500,
    )
    region = forms.ModelChoiceField(
        label=_("Region (regional conference)"),
        queryset=AssociationRegion.objects.all(),
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Given with (partner organisation)"),
        queryset=PartnerOrganisation.objects.all(),
        required=False,
    )
    series = forms.ModelChoiceField(
        label=_("Series (webinars)"), queryset=WebinarSeries.objects.all(), required=False
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organisers (staff)"),
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, regions: Any = None, staff: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        zones = cast(forms.ChoiceField, self.fields["time_zone"])
        zones.choices, zones.initial = zone_choices(), "America/New_York"
        if regions is not None:
            cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        if not staff:  # a regional coordinator organises their regional conference only
            kinds = cast(forms.ChoiceField, self.fields["kind"])
            kinds.choices = [(Event.Kind.REGIONAL, Event.Kind.REGIONAL.label)]
            self.fields["region"].required = True
            for name in ("parent", "series", "organisers"):
                del self.fields[name]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        zone = data["time_zone"]
        data["starts_at"] = in_zone(data["starts_at"], zone)
        data["ends_at"] = in_zone(data["ends_at"], zone)
        for name in ("summary", "venue_name", "venue_address", "online_url"):
            data[name] = data.get(name) or ""
        return data

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        zone = event.zone
        return {
            **{
                name: getattr(event, name)
                for name in (
                    "kind",
                    "title",
                    "summary",
                    "parent",
                    "time_zone",
                    "venue_name",
                    "venue_address",
                    "latitude",
                    "longitude",
                    "online_url",
                    "region",
                    "partner",
                    "series",
                )
            },
            "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
            "organisers": list(event.organisers.all()),
        }


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    starts_at = NaiveDateTimeField(label=_("Starts (event's time)"), widget=DateTimeInput())
    ends_at = NaiveDateTimeField(label=_("Ends (event's time)"), widget=DateTimeInput())
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers"),
        queryset=Speaker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.event = event
        cast(forms.ModelChoiceField, self.fields["track"]).queryset = event.tracks.all()
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = event.rooms.all()
        cast(forms.ModelChoiceField, self.fields["speakers"]).queryset = event.speakers.all()

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["starts_at"] = in_zone(data["starts_at"], self.event.time_zone)
        data["ends_at"] = in_zone(data["ends_at"], self.event.time_zone)
        data["speakers"] = list(data["speakers"])
        return data


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    bio = forms.CharField(label=_("Biography"), widget=forms.Textarea, required=False)
    photo = forms.FileField(
        label=_("Photo (JPEG, PNG or WebP; its metadata is removed)"), required=False
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, required=False)


class AttendanceForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance report (CSV: name, e-mail, join time, leave time, duration)")
    )


class RecordingForm(forms.Form):
    url = forms.URLField(
        assume_scheme="https", label=_("Recording link"), required=False, max_length=500
    )
    public = forms.BooleanField(label=_("Show the recording to everyone"), required=False)
